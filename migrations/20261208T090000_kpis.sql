-- Indicators (issue 15, first slice; ADR 0022): daily rollups per (site, category, day)
-- recomputed from the raw tables, the (site, day) ranges to recompute, the FTE of each
-- person, and the territory's labour rate placeholder.

-- Full-time equivalent of a person (technicians per 1,000 devices): 0 to 1, by hundredths.
alter table users
  add column fte numeric(3, 2) not null default 1,
  add constraint users_fte_range check (fte between 0 and 1);

-- The hourly labour rate placeholder, until the cost convention (a later slice of issue 15)
-- versions rates per role: one row per territory; without a row, the domain's default
-- (DEFAULT_LABOUR_HOURLY_RATE_CENTS). Read in one place: packages/db/src/kpi/kpi-settings.ts.
create table kpi_settings (
  territory_id uuid primary key references territories (id),
  labour_hourly_rate_cents integer not null,
  updated_at timestamptz not null default now(),
  constraint kpi_settings_rate_range check (labour_hourly_rate_cents between 0 and 1000000)
);

-- The Europe/Paris day of an instant.
create function kpi_day(ts timestamptz) returns date language sql stable parallel safe as $$
  select (ts at time zone 'Europe/Paris')::date
$$;

-- The minutes a multirange covers (bounded ranges).
create function kpi_minutes(m tstzmultirange) returns double precision language sql immutable parallel safe as $$
  select coalesce((select sum(extract(epoch from upper(r) - lower(r))) from unnest(m) r), 0)::float8 / 60
$$;

-- The bucket of a time to restore (minutes) in the repair-time histogram: 0 up to one
-- minute, then ceil(ln(m) / ln(1.01)): each bucket spans 1 %, so that a percentile read
-- from the histogram (the bucket's geometric middle) is within 0.5 % of the exact one.
-- packages/domain/src/kpi/indicators.ts (repairBucketMinutes) reads the buckets back.
create function kpi_repair_bucket(minutes double precision) returns integer language sql immutable parallel safe as $$
  select case when minutes <= 1 then 0 else ceil(ln(minutes) / ln(1.01))::int end
$$;

-- Category of a device: its model's; devices without a model go under the nil uuid.
-- One row per (site, category, Europe/Paris day): additive sums only (ADR 0022).
create table kpi_daily (
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  category_key uuid not null,
  day date not null,
  -- Active inventory: device-days (active minutes ÷ the day's minutes), (device, day) pairs,
  -- acquisition value × device-days.
  device_days double precision not null default 0,
  device_day_pairs integer not null default 0,
  acquisition_cents_days double precision not null default 0,
  -- Availability: active and down minutes, for every device and for critical and high ones.
  active_minutes double precision not null default 0,
  down_minutes double precision not null default 0,
  active_minutes_critical double precision not null default 0,
  down_minutes_critical double precision not null default 0,
  pairs_critical integer not null default 0,
  active_minutes_high double precision not null default 0,
  down_minutes_high double precision not null default 0,
  pairs_high integer not null default 0,
  -- MTBF: failures reported that day; MTTR: repairs restored that day.
  failures integer not null default 0,
  repairs integer not null default 0,
  repair_minutes double precision not null default 0,
  repair_labour_minutes bigint not null default 0,
  -- Planned work due that day, and done within its tolerance; regulatory work apart.
  pm_due integer not null default 0,
  pm_done integer not null default 0,
  pm_regulatory_due integer not null default 0,
  pm_regulatory_done integer not null default 0,
  -- Cost: labour minutes (priced at read time), parts at their average cost, vendors.
  labour_minutes bigint not null default 0,
  labour_records integer not null default 0,
  parts_cents bigint not null default 0,
  parts_records integer not null default 0,
  vendor_cents bigint not null default 0,
  vendor_records integer not null default 0,
  -- Work orders done that day, and those done only by vendors.
  closed integer not null default 0,
  closed_vendor_only integer not null default 0,
  computed_at timestamptz not null default now(),
  primary key (site_id, category_key, day)
);
create index kpi_daily_territory_day_idx on kpi_daily (territory_id, day);

-- The histogram of times to restore: repairs per (site, category, day, bucket).
create table kpi_daily_repairs (
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  category_key uuid not null,
  day date not null,
  bucket integer not null,
  repairs integer not null,
  primary key (site_id, category_key, day, bucket)
);
create index kpi_daily_repairs_territory_day_idx on kpi_daily_repairs (territory_id, day);

-- (site, day range) pairs whose rollups are to be recomputed, written by triggers on the
-- raw tables; the kpi-rollup job takes them, recomputes and deletes them in one transaction.
create table kpi_dirty (
  id bigint generated always as identity primary key,
  territory_id uuid not null,
  site_id uuid not null,
  from_day date not null,
  to_day date not null,
  created_at timestamptz not null default now()
);
create index kpi_dirty_site_idx on kpi_dirty (site_id, id);

create function kpi_mark_dirty(t uuid, s uuid, d0 date, d1 date) returns void language sql as $$
  insert into kpi_dirty (territory_id, site_id, from_day, to_day)
  select t, s, least(d0, d1), greatest(d0, d1) where t is not null and s is not null and d0 is not null and d1 is not null
$$;

-- A work order: the days of its request, downtime, completion and due date.
create function kpi_work_order_days(w work_orders) returns daterange language sql stable as $$
  select daterange(
    least(kpi_day(w.requested_at), kpi_day(w.downtime_started_at), kpi_day(w.completed_at), w.due_date),
    greatest(kpi_day(w.requested_at), case when w.downtime_started_at is not null then kpi_day(coalesce(w.downtime_ended_at, now())) end,
             kpi_day(w.completed_at), w.due_date),
    '[]')
$$;

create function kpi_work_orders_dirty() returns trigger language plpgsql as $$
declare r daterange;
begin
  if tg_op = 'UPDATE' then
    r := kpi_work_order_days(old);
    perform kpi_mark_dirty(old.territory_id, old.site_id, lower(r), upper(r) - 1);
  end if;
  r := kpi_work_order_days(new);
  perform kpi_mark_dirty(new.territory_id, new.site_id, lower(r), upper(r) - 1);
  return null;
end;
$$;
create trigger kpi_work_orders_insert after insert on work_orders for each row execute function kpi_work_orders_dirty();
create trigger kpi_work_orders_update after update on work_orders for each row
  when ((old.state, old.site_id, old.equipment_id, old.type, old.device_out_of_service, old.requested_at, old.downtime_started_at,
         old.downtime_ended_at, old.completed_at, old.due_date, old.window_start, old.window_end, old.plan_id, old.performed_by)
        is distinct from
        (new.state, new.site_id, new.equipment_id, new.type, new.device_out_of_service, new.requested_at, new.downtime_started_at,
         new.downtime_ended_at, new.completed_at, new.due_date, new.window_start, new.window_end, new.plan_id, new.performed_by))
  execute function kpi_work_orders_dirty();

-- Labour, vendors and parts of a work order: their own day, and the days of the work order's
-- restoration and completion (active repair time, done only by vendors).
create function kpi_work_order_child_dirty(wo uuid, d date) returns void language sql as $$
  select kpi_mark_dirty(w.territory_id, w.site_id, least(d, kpi_day(w.downtime_ended_at), kpi_day(w.completed_at)),
                        greatest(d, kpi_day(w.downtime_ended_at), kpi_day(w.completed_at)))
  from work_orders w where w.id = wo
$$;

create function kpi_labour_dirty() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then perform kpi_work_order_child_dirty(old.work_order_id, kpi_day(coalesce(old.started_at, old.recorded_at))); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform kpi_work_order_child_dirty(new.work_order_id, kpi_day(coalesce(new.started_at, new.recorded_at))); end if;
  return null;
end;
$$;
create trigger kpi_labour_dirty after insert or update or delete on work_order_labour for each row execute function kpi_labour_dirty();

create function kpi_external_dirty() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then perform kpi_work_order_child_dirty(old.work_order_id, coalesce(old.performed_on, kpi_day(old.recorded_at))); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform kpi_work_order_child_dirty(new.work_order_id, coalesce(new.performed_on, kpi_day(new.recorded_at))); end if;
  return null;
end;
$$;
create trigger kpi_external_dirty after insert or update or delete on work_order_external for each row execute function kpi_external_dirty();

-- stock_movements is append-only: inserts only.
create function kpi_stock_movements_dirty() returns trigger language plpgsql as $$
begin
  perform kpi_work_order_child_dirty(new.work_order_id, kpi_day(new.created_at));
  return null;
end;
$$;
create trigger kpi_stock_movements_dirty after insert on stock_movements for each row
  when (new.work_order_id is not null and new.type in ('issue', 'return'))
  execute function kpi_stock_movements_dirty();

-- A device's status history: from the change to today.
create function kpi_equipment_events_dirty() returns trigger language plpgsql as $$
begin
  perform kpi_mark_dirty(e.territory_id, e.site_id, kpi_day(new.at), kpi_day(now())) from equipment e where e.id = new.equipment_id;
  return null;
end;
$$;
create trigger kpi_equipment_events_dirty after insert on equipment_events for each row
  when (new.to_status is not null) execute function kpi_equipment_events_dirty();

-- What the rollups take from the device's current record (site, category, criticality,
-- acquisition value): its whole life, at the old site and the new one.
create function kpi_equipment_dirty() returns trigger language plpgsql as $$
begin
  perform kpi_mark_dirty(old.territory_id, old.site_id, kpi_day(old.created_at), kpi_day(now()));
  if new.site_id is distinct from old.site_id then
    perform kpi_mark_dirty(new.territory_id, new.site_id, kpi_day(new.created_at), kpi_day(now()));
  end if;
  return null;
end;
$$;
create trigger kpi_equipment_dirty after update on equipment for each row
  when ((old.site_id, old.model_id, old.criticality, old.acquisition_cost_cents) is distinct from (new.site_id, new.model_id, new.criticality, new.acquisition_cost_cents))
  execute function kpi_equipment_dirty();

create function kpi_models_dirty() returns trigger language plpgsql as $$
begin
  perform kpi_mark_dirty(e.territory_id, e.site_id, min(kpi_day(e.created_at)), kpi_day(now()))
  from equipment e where e.model_id = new.id group by e.territory_id, e.site_id;
  return null;
end;
$$;
create trigger kpi_models_dirty after update on equipment_models for each row
  when (old.category_id is distinct from new.category_id) execute function kpi_models_dirty();

-- The same sums per (site, category, month), recomputed from kpi_daily by every rebuild for
-- the months it touches: a period's whole months are read here, its partial months from
-- kpi_daily (a year is ~30 times fewer rows to sum).
create table kpi_monthly (like kpi_daily including defaults including constraints);
alter table kpi_monthly rename column day to month;
alter table kpi_monthly add primary key (site_id, category_key, month);
create index kpi_monthly_territory_month_idx on kpi_monthly (territory_id, month);

-- The histogram per (site, month) only: per category it would be nearly as large as the
-- days' (a bucket of a category in a month holds about one repair); a category's
-- percentiles are read from kpi_daily_repairs.
create table kpi_monthly_repairs (
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  month date not null,
  bucket integer not null,
  repairs integer not null,
  primary key (site_id, month, bucket)
);
create index kpi_monthly_repairs_territory_month_idx on kpi_monthly_repairs (territory_id, month);

-- What a rollup of some days reads, by day: the work orders reported, restored, completed and
-- due, and the labour, parts and vendor lines of those days.
create index work_orders_kpi_requested_idx on work_orders (site_id, requested_at);
create index work_orders_kpi_restored_idx on work_orders (site_id, downtime_ended_at) where downtime_ended_at is not null;
create index work_orders_kpi_completed_idx on work_orders (site_id, completed_at) where completed_at is not null;
create index work_orders_kpi_due_idx on work_orders (site_id, due_date) where plan_id is not null;
create index work_order_labour_kpi_day_idx on work_order_labour ((coalesce(started_at, recorded_at)));
create index stock_movements_kpi_day_idx on stock_movements (created_at) where work_order_id is not null and type in ('issue', 'return');
create index work_order_external_kpi_performed_idx on work_order_external (performed_on) where performed_on is not null;
create index work_order_external_kpi_recorded_idx on work_order_external (recorded_at) where performed_on is null;
