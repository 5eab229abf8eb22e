-- Preventive maintenance (issue 13, ADR 0016): maintenance plans, device opt-outs, meter
-- readings, the schedule of each (plan, device) pair, and the work orders plans generate.
-- PostgreSQL holds the truth: Redis only carries the generation jobs in flight.

-- A plan applies to exactly one of: a device, an equipment model, a category. The most
-- specific active plan of a work-order type wins on a device (device > model > category).
create table maintenance_plans (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  name text not null,
  equipment_id uuid references equipment (id),
  model_id uuid references equipment_models (id),
  category_id uuid references equipment_categories (id),
  work_order_type text not null,
  trigger text not null,
  every integer not null,
  unit text not null,
  base text not null default 'fixed',
  anchor_date date not null,
  tolerance_days_before integer not null default 0,
  tolerance_days_after integer not null default 0,
  lead_time_days integer not null default 0,
  -- A checklist template's code (checklist_templates, or a built-in one): validated by the API.
  checklist_template text,
  estimated_minutes integer,
  -- A free label until the competency map turns it into a skill.
  required_skill text,
  required_level smallint,
  regulatory boolean not null default false,
  performed_by text not null default 'internal',
  active boolean not null default true,
  version integer not null default 1,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_by uuid references users (id),
  updated_at timestamptz not null default now(),
  constraint maintenance_plans_one_scope check (num_nonnulls(equipment_id, model_id, category_id) = 1),
  constraint maintenance_plans_name_length check (length(name) between 1 and 200),
  constraint maintenance_plans_work_order_type_check check (work_order_type in ('preventive', 'quality_control', 'electrical_safety')),
  constraint maintenance_plans_trigger_check check (trigger in ('calendar', 'meter')),
  constraint maintenance_plans_unit_check check (
    (trigger = 'calendar' and unit in ('days', 'weeks', 'months', 'years')) or (trigger = 'meter' and unit in ('hours', 'cycles'))
  ),
  constraint maintenance_plans_every_range check (every between 1 and 100000),
  constraint maintenance_plans_base_check check (base in ('fixed', 'completion')),
  constraint maintenance_plans_tolerance_range check (tolerance_days_before between 0 and 365 and tolerance_days_after between 0 and 365),
  constraint maintenance_plans_lead_time_range check (lead_time_days between 0 and 365),
  constraint maintenance_plans_estimated_minutes_range check (estimated_minutes between 1 and 10000),
  constraint maintenance_plans_required_level_range check (required_level between 1 and 5),
  constraint maintenance_plans_performed_by_check check (performed_by in ('internal', 'vendor'))
);
create index maintenance_plans_territory_idx on maintenance_plans (territory_id, name, id);
create index maintenance_plans_equipment_idx on maintenance_plans (equipment_id) where equipment_id is not null;
create index maintenance_plans_model_idx on maintenance_plans (model_id) where model_id is not null;
create index maintenance_plans_category_idx on maintenance_plans (category_id) where category_id is not null;

-- A device left out of a plan that would apply to it, with the reason, who and when.
-- Ending an opt-out keeps its row (ended_at, ended_by): the history stays.
create table maintenance_plan_opt_outs (
  id uuid primary key default gen_random_uuid(),
  plan_id uuid not null references maintenance_plans (id),
  equipment_id uuid not null references equipment (id),
  reason text not null,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  ended_by uuid references users (id),
  ended_at timestamptz,
  constraint maintenance_plan_opt_outs_reason_length check (length(reason) between 1 and 1000),
  constraint maintenance_plan_opt_outs_ended check ((ended_at is null) = (ended_by is null))
);
create unique index maintenance_plan_opt_outs_current_key on maintenance_plan_opt_outs (plan_id, equipment_id) where ended_at is null;
create index maintenance_plan_opt_outs_equipment_idx on maintenance_plan_opt_outs (equipment_id, created_at);

-- Meter readings entered on a device (hours run, cycles), every one kept.
create table equipment_meter_readings (
  id bigint generated always as identity primary key,
  territory_id uuid not null references territories (id),
  equipment_id uuid not null references equipment (id),
  unit text not null,
  value double precision not null,
  read_at timestamptz not null,
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now(),
  constraint equipment_meter_readings_unit_check check (unit in ('hours', 'cycles')),
  constraint equipment_meter_readings_value_range check (value >= 0 and value <= 1e12)
);
create index equipment_meter_readings_device_idx on equipment_meter_readings (equipment_id, unit, read_at, id);

-- The schedule: per (plan, device) pair, the next occurrence (a due date for calendar
-- plans; a due meter value, and the day it is estimated to be reached, for meter plans),
-- what became of the last one, and the work order generated for the current one (null
-- until the generator creates it). Kept by the services' transactions (plans, opt-outs,
-- readings, work orders completed or cancelled) and by each run for devices changed since
-- the previous one.
create table maintenance_schedule (
  plan_id uuid not null references maintenance_plans (id),
  equipment_id uuid not null references equipment (id),
  territory_id uuid not null references territories (id),
  due_date date,
  due_value double precision,
  last_due_date date,
  last_completed_on date,
  last_completed_value double precision,
  work_order_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (plan_id, equipment_id)
);
create index maintenance_schedule_equipment_idx on maintenance_schedule (equipment_id);
-- The generator's candidates: occurrences not generated yet, in due order.
create index maintenance_schedule_pending_idx on maintenance_schedule (territory_id, due_date) where work_order_id is null;

-- The devices changed since a run (the next run's refresh reads them through this index).
create index equipment_updated_idx on equipment (territory_id, updated_at);

-- Until when each territory's devices were looked at by the generator's refresh (devices
-- changed since then get their pairs recomputed at the next run).
create table maintenance_schedule_refreshes (
  territory_id uuid primary key references territories (id),
  devices_seen_at timestamptz not null
);

-- Work orders generated by a plan: the plan, the due date of the occurrence, and who does
-- it (a vendor's visit is tracked by a work order of the vendor kind). One work order per
-- (plan, device, due date), whoever generates it and however often.
alter table work_orders
  add column plan_id uuid references maintenance_plans (id),
  add column due_date date,
  add column performed_by text not null default 'internal',
  add constraint work_orders_performed_by_check check (performed_by in ('internal', 'vendor')),
  add constraint work_orders_plan_due check ((plan_id is null) = (due_date is null)),
  add constraint work_orders_plan_occurrence_key unique (plan_id, equipment_id, due_date);
-- The list's planId filter, in list order.
create index work_orders_plan_order_idx on work_orders (
  territory_id,
  plan_id,
  (case priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end),
  coalesce(due_repair_at, 'infinity'::timestamptz),
  number
) where plan_id is not null;

-- Work-order numbers, BT-<year>-<6 digits or more>: the one formula of the API's single
-- creation and of the generator's set-based one (packages/db nextWorkOrderNumber).
create function next_work_order_number(at timestamptz) returns text language sql volatile as $$
  select 'BT-' || extract(year from at at time zone 'UTC')::int || '-' || lpad(n::text, greatest(6, length(n::text)), '0')
  from (select nextval('work_order_number_seq') as n) s
$$;

-- The schedule rules of packages/domain pm-schedule.ts, in SQL for the set-based
-- generator (an integration test checks that both agree). `date + interval 'n months'`
-- clamps month ends like the domain's addMonths.
create function pm_occurrence(anchor date, every integer, unit text, k integer) returns date
language sql immutable parallel safe as $$
  select (anchor + case unit
    when 'days' then make_interval(days => k * every)
    when 'weeks' then make_interval(days => 7 * k * every)
    when 'months' then make_interval(months => k * every)
    else make_interval(years => k * every) end)::date
$$;

-- The first occurrence strictly after `after` (the anchor when `after` is before it).
create function pm_next_occurrence(anchor date, every integer, unit text, after date) returns date
language sql immutable parallel safe as $$
  select case when after < anchor then anchor else (
    select case when pm_occurrence(anchor, every, unit, k0) > after then pm_occurrence(anchor, every, unit, k0)
                else pm_occurrence(anchor, every, unit, k0 + 1) end
    from (select case unit
      when 'days' then floor((after - anchor)::numeric / every)::int
      when 'weeks' then floor((after - anchor)::numeric / (7 * every))::int
      when 'months' then floor(((extract(year from after) - extract(year from anchor)) * 12 + extract(month from after) - extract(month from anchor)) / every)::int
      else floor(((extract(year from after) - extract(year from anchor)) * 12 + extract(month from after) - extract(month from anchor)) / (12 * every))::int
    end as k0) k) end
$$;

-- The next due date of a calendar plan's pair from what became of its last occurrence
-- (packages/domain nextCalendarDue): nothing yet → the anchor, or the first occurrence
-- from today (fixed) / today (completion); fixed → the occurrence after the last due date;
-- completion → every units after the completion day (after the due date when cancelled).
create function pm_calendar_due(base text, anchor date, every integer, unit text, last_due date, last_completed date, today date) returns date
language sql immutable parallel safe as $$
  select case
    when last_due is null then
      case when today <= anchor then anchor when base = 'fixed' then pm_next_occurrence(anchor, every, unit, today - 1) else today end
    when base = 'fixed' then pm_next_occurrence(anchor, every, unit, last_due)
    else pm_occurrence(coalesce(last_completed, last_due), every, unit, 1) end
$$;

-- The day a device's meter is estimated to reach `due_value` (packages/domain
-- estimatedMeterDueDate): the last reading's day when reached; else from the usage rate
-- between the oldest reading of the 90 days before the last one and the last one (none
-- beyond 36,500 days).
create function pm_meter_due_date(device uuid, meter_unit text, due_value double precision) returns date
language sql stable parallel safe as $$
  select case
    when l.value >= due_value then (l.read_at at time zone 'Europe/Paris')::date
    when f.value is null or l.read_at - f.read_at < interval '1 day' or l.value <= f.value then null
    -- Beyond a hundred years at this rate: no estimate.
    when (due_value - l.value) / ((l.value - f.value) / (extract(epoch from l.read_at - f.read_at) / 86400)) > 36500 then null
    else (l.read_at at time zone 'Europe/Paris')::date
      + ceil((due_value - l.value) / ((l.value - f.value) / (extract(epoch from l.read_at - f.read_at) / 86400)))::int
  end
  from (select value, read_at from equipment_meter_readings r
        where r.equipment_id = device and r.unit = meter_unit order by read_at desc, id desc limit 1) l
  left join lateral (select value, read_at from equipment_meter_readings r
        where r.equipment_id = device and r.unit = meter_unit and r.read_at >= l.read_at - interval '90 days' and r.read_at < l.read_at
        order by read_at, id limit 1) f on true
$$;

-- The meter value of a device at an instant: its last reading then (null when none).
create function pm_meter_value_at(device uuid, meter_unit text, at timestamptz) returns double precision
language sql stable parallel safe as $$
  select value from equipment_meter_readings r
  where r.equipment_id = device and r.unit = meter_unit and r.read_at <= at
  order by read_at desc, id desc limit 1
$$;
