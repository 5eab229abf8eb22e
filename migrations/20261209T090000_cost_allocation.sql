-- Cost allocation between the sites of a territory (issue 15, ADR 0023): the territory's
-- cost convention (versioned by the date it applies from), maintenance contracts and the
-- devices they cover, the append-only inter-site ledger filled by the worker, and the
-- monthly periods with each site's approval.

-- The convention: rates and rules the territory agreed on. A version applies from its date
-- until the next version's; the version in force on a day prices what happened that day.
create table cost_convention_versions (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  applies_from date not null,
  -- Hourly rate of internal labour per role of the person who worked (cents an hour).
  technician_hourly_rate_cents integer not null,
  engineer_hourly_rate_cents integer not null,
  -- Travel: priced per minute of recorded travel, or per km between the two sites (there and back).
  travel_mode text not null default 'per_minute',
  travel_cents_per_minute integer not null default 0,
  travel_cents_per_km integer not null default 0,
  -- Added to labour and travel lines of the ledger (percent, two decimals).
  overhead_percent numeric(5, 2) not null default 0,
  -- How a contract covering several sites' devices is split between them.
  contract_split text not null default 'devices',
  -- With contract_split = 'fixed_shares': [{"siteId": uuid, "percent": number}], summing to 100.
  fixed_shares jsonb,
  note text not null default '',
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  constraint cost_convention_versions_day_key unique (territory_id, applies_from),
  constraint cost_convention_rates check (technician_hourly_rate_cents between 0 and 1000000
    and engineer_hourly_rate_cents between 0 and 1000000),
  constraint cost_convention_travel_mode check (travel_mode in ('per_minute', 'per_km')),
  constraint cost_convention_travel_rates check (travel_cents_per_minute between 0 and 100000
    and travel_cents_per_km between 0 and 100000),
  constraint cost_convention_overhead check (overhead_percent between 0 and 100),
  constraint cost_convention_split check (contract_split in ('devices', 'acquisition_value', 'fixed_shares')),
  constraint cost_convention_fixed_shares check ((contract_split = 'fixed_shares') = (fixed_shares is not null))
);

-- Maintenance contracts with vendors. The payer site pays the vendor; when the covered
-- devices belong to several sites, the others owe the payer their share (the convention's
-- split). The cost is spread evenly over the contract's days (both included).
create table maintenance_contracts (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  reference text not null,
  vendor text not null,
  payer_site_id uuid not null references sites (id),
  starts_on date not null,
  ends_on date not null,
  total_cost_cents bigint not null,
  note text not null default '',
  active boolean not null default true,
  version integer not null default 1,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint maintenance_contracts_reference_key unique (territory_id, reference),
  constraint maintenance_contracts_period check (ends_on >= starts_on and ends_on - starts_on < 3660),
  constraint maintenance_contracts_cost check (total_cost_cents between 0 and 100000000000)
);
create index maintenance_contracts_territory_idx on maintenance_contracts (territory_id, starts_on, ends_on);

create table maintenance_contract_devices (
  contract_id uuid not null references maintenance_contracts (id),
  equipment_id uuid not null references equipment (id),
  primary key (contract_id, equipment_id)
);
create index maintenance_contract_devices_equipment_idx on maintenance_contract_devices (equipment_id);

-- The months of cost allocation of a territory. A month is open until every site of the
-- territory has approved its statement; the last approval closes it. Nothing is posted in a
-- closed month: a correction of a closed month's record is a counter-entry in the first open
-- month after it.
create table cost_periods (
  territory_id uuid not null references territories (id),
  -- The first day of the month.
  month date not null,
  closed_at timestamptz,
  primary key (territory_id, month),
  constraint cost_periods_first_day check (extract(day from month) = 1)
);

create table cost_period_approvals (
  territory_id uuid not null references territories (id),
  month date not null,
  site_id uuid not null references sites (id),
  approved_by uuid not null references users (id),
  approved_at timestamptz not null default now(),
  note text not null default '',
  primary key (territory_id, month, site_id),
  foreign key (territory_id, month) references cost_periods (territory_id, month)
);

-- The inter-site ledger, append-only. One line: the creditor site gave (labour, travel,
-- parts, its payment of a shared contract) and the debtor site received and owes the amount.
-- Every line names its source record. The worker posts, for each source, the difference
-- between what the source is worth now and what its lines already sum to: a first posting,
-- or a correction (kind kept, `correction` true) in the month of the source when it is open,
-- else in the first open month after it.
create table cost_ledger_entries (
  id bigint generated always as identity primary key,
  territory_id uuid not null references territories (id),
  -- The month the line counts in (first day).
  month date not null,
  -- The Europe/Paris day of the source event (the labour's day, the receipt, the contract month's first day).
  occurred_on date not null,
  creditor_site_id uuid not null references sites (id),
  debtor_site_id uuid not null references sites (id),
  kind text not null,
  amount_cents bigint not null,
  -- What was priced: minutes, km, parts, or the contract's share in basis points.
  quantity numeric(14, 3),
  unit_cost_cents bigint,
  -- The source record: 'work_order_labour' (labour, travel), 'stock_transfer' (part_transfer),
  -- 'maintenance_contract' (shared_contract; source_month says which month of it).
  source_type text not null,
  source_id uuid not null,
  source_month date,
  work_order_id uuid references work_orders (id),
  equipment_id uuid references equipment (id),
  user_id uuid references users (id),
  part_id uuid references parts (id),
  convention_version_id uuid references cost_convention_versions (id),
  correction boolean not null default false,
  description text not null default '',
  created_at timestamptz not null default now(),
  constraint cost_ledger_entries_sites check (creditor_site_id <> debtor_site_id),
  constraint cost_ledger_entries_kind check (kind in ('labour', 'travel', 'part_transfer', 'shared_contract')),
  constraint cost_ledger_entries_source check (source_type in ('work_order_labour', 'stock_transfer', 'maintenance_contract')),
  constraint cost_ledger_entries_first_day check (extract(day from month) = 1),
  foreign key (territory_id, month) references cost_periods (territory_id, month)
);
create index cost_ledger_entries_month_idx on cost_ledger_entries (territory_id, month, id);
create index cost_ledger_entries_creditor_idx on cost_ledger_entries (creditor_site_id, month);
create index cost_ledger_entries_debtor_idx on cost_ledger_entries (debtor_site_id, month);
create index cost_ledger_entries_source_idx on cost_ledger_entries (source_type, source_id, kind);

create function cost_ledger_entries_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'cost_ledger_entries is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger cost_ledger_entries_no_update before update or delete on cost_ledger_entries
  for each row execute function cost_ledger_entries_append_only();
create trigger cost_ledger_entries_no_truncate before truncate on cost_ledger_entries
  for each statement execute function cost_ledger_entries_append_only();

-- Nothing is posted into a closed month.
create function cost_ledger_entries_open_month() returns trigger language plpgsql as $$
begin
  if exists (select 1 from cost_periods p where p.territory_id = new.territory_id and p.month = new.month and p.closed_at is not null) then
    raise exception 'cost period % is closed', new.month using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger cost_ledger_entries_open_month before insert on cost_ledger_entries
  for each row execute function cost_ledger_entries_open_month();
