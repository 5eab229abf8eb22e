-- Cost allocation (issue 15, ADR 0023): what the worker's posting reads besides the open
-- months. Each run recomputes the sources of the open months (anything may reprice them: a
-- person moved, a device moved, a new convention version) and, of the closed months, only the
-- sources whose own record changed since the last run, which the triggers below mark here.
-- The run takes the marks of its territory in its transaction (killed: they stay).
create table cost_ledger_dirty (
  id bigint generated always as identity primary key,
  territory_id uuid not null references territories (id),
  source_type text not null,
  source_id uuid not null,
  created_at timestamptz not null default now(),
  constraint cost_ledger_dirty_source check (source_type in ('work_order_labour', 'stock_transfer', 'maintenance_contract'))
);
create index cost_ledger_dirty_territory_idx on cost_ledger_dirty (territory_id, id);

create function cost_labour_dirty() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' then
    insert into cost_ledger_dirty (territory_id, source_type, source_id)
    select w.territory_id, 'work_order_labour', old.id from work_orders w where w.id = old.work_order_id;
  end if;
  if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.work_order_id is distinct from old.work_order_id) then
    insert into cost_ledger_dirty (territory_id, source_type, source_id)
    select w.territory_id, 'work_order_labour', new.id from work_orders w where w.id = new.work_order_id;
  end if;
  return null;
end
$$;
create trigger cost_labour_dirty after insert or update or delete on work_order_labour
  for each row execute function cost_labour_dirty();

create function cost_transfer_dirty() returns trigger language plpgsql as $$
begin
  insert into cost_ledger_dirty (territory_id, source_type, source_id)
  values (coalesce(new.territory_id, old.territory_id), 'stock_transfer', coalesce(new.id, old.id));
  return null;
end
$$;
create trigger cost_transfer_dirty_insert after insert on stock_transfers
  for each row when (new.state = 'received') execute function cost_transfer_dirty();
create trigger cost_transfer_dirty_update after update on stock_transfers
  for each row when (old.state = 'received' or new.state = 'received') execute function cost_transfer_dirty();

create function cost_contract_dirty() returns trigger language plpgsql as $$
begin
  insert into cost_ledger_dirty (territory_id, source_type, source_id)
  values (new.territory_id, 'maintenance_contract', new.id);
  return null;
end
$$;
create trigger cost_contract_dirty after insert or update on maintenance_contracts
  for each row execute function cost_contract_dirty();

-- Covered devices change by sets (a contract's whole list is replaced): one mark per contract.
create function cost_contract_devices_dirty() returns trigger language plpgsql as $$
begin
  insert into cost_ledger_dirty (territory_id, source_type, source_id)
  select c.territory_id, 'maintenance_contract', c.id
  from maintenance_contracts c where c.id in (select contract_id from changed);
  return null;
end
$$;
create trigger cost_contract_devices_dirty_insert after insert on maintenance_contract_devices
  referencing new table as changed for each statement execute function cost_contract_devices_dirty();
create trigger cost_contract_devices_dirty_delete after delete on maintenance_contract_devices
  referencing old table as changed for each statement execute function cost_contract_devices_dirty();

-- The open months' sources, read by day from the first open month on.
create index work_order_labour_day_idx on work_order_labour ((coalesce(started_at, recorded_at)));
create index stock_transfers_received_idx on stock_transfers (territory_id, received_at) where state = 'received';
create index cost_ledger_entries_occurred_idx on cost_ledger_entries (territory_id, occurred_on);

-- One row per territory once its whole history was posted: later runs read the open months
-- and the marks only. Updated last in every run's transaction.
create table cost_ledger_state (
  territory_id uuid primary key references territories (id),
  first_run_at timestamptz not null default now(),
  last_run_at timestamptz not null default now(),
  last_lines integer not null default 0
);
