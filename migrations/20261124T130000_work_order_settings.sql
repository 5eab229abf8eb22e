-- Territory settings of work orders and the territory's checklist templates.

-- Automatic closure of completed work orders nobody verified: after N days, or never
-- (null). Without a row, the default of packages/domain applies. The priority targets
-- already live in work_order_priority_targets; this row carries the settings' version.
create table work_order_settings (
  territory_id uuid primary key references territories (id),
  auto_close_days integer,
  version integer not null default 1,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now(),
  constraint work_order_settings_auto_close_days check (auto_close_days is null or auto_close_days between 1 and 365)
);

-- A territory's checklist templates: its own copy of a built-in template (e.g. IEC 62353
-- with limits of its choosing) or a template of its own. Items are validated by the API
-- (packages/contracts ChecklistTemplateItem); a work order copies them when they are added.
create table checklist_templates (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  code text not null,
  name text not null,
  items jsonb not null,
  version integer not null default 1,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now(),
  constraint checklist_templates_code_key unique (territory_id, code),
  constraint checklist_templates_code_format check (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  constraint checklist_templates_items_array check (jsonb_typeof(items) = 'array')
);

-- Which template an item came from (null: added by hand).
alter table work_order_checklist_items add column template_code text;

-- The backlog's text search (work-order number, symptom; inventory numbers go through
-- equipment.search_text).
create index work_orders_number_trgm_idx on work_orders using gin (number gin_trgm_ops);
create index work_orders_symptom_trgm_idx on work_orders using gin (gmao_fold(symptom) gin_trgm_ops);

-- A vendor's intervention report: one of the work order's attachments.
alter table work_order_external add column report_attachment_id uuid references work_order_attachments (id);

-- The lists' order (priority, repair due date, number), as GET /work-orders sorts: the open
-- work orders (backlog, "my work orders", overdue), one state (e.g. completed, to verify),
-- or all (text search matching many). Each lets a page be read in order and stop.
create index work_orders_open_order_idx on work_orders (
  territory_id,
  (case priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end),
  coalesce(due_repair_at, 'infinity'::timestamptz),
  number
) where state in ('requested', 'assigned', 'in_progress', 'on_hold');
create index work_orders_state_order_idx on work_orders (
  territory_id,
  state,
  (case priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end),
  coalesce(due_repair_at, 'infinity'::timestamptz),
  number
);
create index work_orders_list_order_idx on work_orders (
  territory_id,
  (case priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end),
  coalesce(due_repair_at, 'infinity'::timestamptz),
  number
);
