-- Planning views of preventive maintenance (issue 13, ADR 0018): the day planned work is
-- planned for, the tolerance window it may move within, and the technicians' weekly hours.

-- planned_date: the day a generated work order is planned for (its due date unless an
-- engineer moved it within its window); null for work that is not planned.
-- window_start / window_end: the plan's tolerance around the due date, copied when the work
-- order is generated (due − days before … due + days after): a snapshot, so that a later
-- change of the plan does not rewrite what was due and when.
alter table work_orders
  add column planned_date date,
  add column window_start date,
  add column window_end date,
  add constraint work_orders_window_order check (window_start <= window_end),
  add constraint work_orders_planned_in_window check (
    planned_date is null or (window_start is not null and window_end is not null and planned_date between window_start and window_end)
  );

-- Work orders generated before this migration: their plan's tolerance now.
update work_orders w
set planned_date = w.due_date,
    window_start = w.due_date - p.tolerance_days_before,
    window_end = w.due_date + p.tolerance_days_after
from maintenance_plans p
where p.id = w.plan_id and w.plan_id is not null;

-- The calendar and the workload: planned work of a territory (or one site) by planned day.
create index work_orders_pm_planned_idx on work_orders (territory_id, planned_date) where plan_id is not null;
create index work_orders_pm_site_planned_idx on work_orders (site_id, planned_date) where plan_id is not null;
-- Compliance: planned work by due date.
create index work_orders_pm_due_idx on work_orders (territory_id, due_date) where plan_id is not null;

-- Hours a week a person has for maintenance (the technicians' capacity in the workload view):
-- 0 to 60, by half hours.
alter table users
  add column weekly_hours numeric(4, 1) not null default 35,
  add constraint users_weekly_hours_range check (weekly_hours between 0 and 60 and weekly_hours * 2 = trunc(weekly_hours * 2));
