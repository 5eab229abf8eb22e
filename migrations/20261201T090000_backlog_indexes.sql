-- The backlog's queries at scale (issue 10, 500,000 work orders): indexes that let a page
-- of open work orders be found from the few percent of rows that are open, without
-- visiting the closed ones or the table's rows for the ones a filter refuses.

-- The open lists' order, as work_orders_open_order_idx, carrying the columns their filters
-- and sort read: the ids of a page ("my work orders", a site's backlog, overdue, a care
-- user's scope) come from the index alone; the rows are read for that page only.
create index work_orders_open_list_idx on work_orders (
  territory_id,
  (case priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end),
  coalesce(due_repair_at, 'infinity'::timestamptz),
  number
) include (id, state, priority, due_repair_at, site_id, equipment_id, requested_by, type)
  where state in ('requested', 'assigned', 'in_progress', 'on_hold');
drop index work_orders_open_order_idx;

-- "My work orders": a person's assignments, probed or read in work-order order from the
-- index alone (replaces the index on user_id only).
create index work_order_assignees_user_order_idx on work_order_assignees (user_id, work_order_id);
drop index work_order_assignees_user_idx;

-- The text search among open work orders: the trigram and device indexes restricted to the
-- open ones, so that a common word or a number's common trigrams read thousands of entries
-- rather than hundreds of thousands.
create index work_orders_open_number_trgm_idx on work_orders using gin (number gin_trgm_ops)
  where state in ('requested', 'assigned', 'in_progress', 'on_hold');
create index work_orders_open_symptom_trgm_idx on work_orders using gin (gmao_fold(symptom) gin_trgm_ops)
  where state in ('requested', 'assigned', 'in_progress', 'on_hold');
create index work_orders_open_equipment_idx on work_orders (equipment_id)
  where state in ('requested', 'assigned', 'in_progress', 'on_hold');
