-- Indexes for the indicators' recomputes at scale (issue 15, ADR 0022).

-- The downtimes overlapping a recompute's days, whatever their device: found by overlap
-- through one index instead of each device's work orders in turn (an open downtime has no
-- upper bound). A day's update no longer probes every device of its site.
create index work_orders_downtime_range_idx on work_orders
  using gist (tstzrange(downtime_started_at, downtime_ended_at))
  where downtime_started_at is not null;

-- An engineer grant given or taken reprices that person's labour (kpi_role_grants_dirty):
-- read by person.
create index work_order_labour_technician_idx on work_order_labour (technician_id);

-- The labour's day was indexed twice (20261208T090000_kpis and 20261210T090000_cost_ledger_dirty).
drop index work_order_labour_day_idx;
