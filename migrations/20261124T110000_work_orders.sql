-- Work orders: from a fault report to a closed intervention. This migration holds the core
-- (orders, their transitions and assignees, the territory's priority targets); labour,
-- checklists, attachments and signatures come with their endpoints.

-- A territory's own targets; without a row, the defaults of packages/domain apply.
create table work_order_priority_targets (
  territory_id uuid not null references territories (id),
  priority text not null,
  response_minutes integer not null,
  repair_minutes integer not null,
  primary key (territory_id, priority),
  constraint work_order_priority_targets_priority_check check (priority in ('critical', 'high', 'normal', 'low')),
  constraint work_order_priority_targets_positive check (response_minutes > 0 and repair_minutes >= response_minutes)
);

create sequence work_order_number_seq;

create table work_orders (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  equipment_id uuid not null references equipment (id),
  number text not null,
  type text not null,
  priority text not null,
  state text not null default 'requested',
  symptom text not null,
  device_out_of_service boolean not null default false,
  callback_name text,
  callback_phone text,
  requested_by uuid not null references users (id),
  requested_at timestamptz not null default now(),
  due_response_at timestamptz,
  due_repair_at timestamptz,
  hold_reason text,
  diagnosis text,
  actions text,
  downtime_started_at timestamptz,
  downtime_ended_at timestamptz,
  completed_at timestamptz,
  closed_at timestamptz,
  cancel_reason text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint work_orders_number_key unique (number),
  constraint work_orders_type_check check (type in ('corrective', 'preventive', 'quality_control', 'electrical_safety', 'commissioning', 'recall_action', 'decommissioning', 'other')),
  constraint work_orders_priority_check check (priority in ('critical', 'high', 'normal', 'low')),
  constraint work_orders_state_check check (state in ('requested', 'assigned', 'in_progress', 'on_hold', 'completed', 'closed', 'cancelled')),
  constraint work_orders_hold_reason_check check (hold_reason in ('waiting_parts', 'waiting_vendor', 'waiting_access', 'other')),
  constraint work_orders_downtime_order check (downtime_ended_at is null or downtime_ended_at >= downtime_started_at)
);
create index work_orders_site_state_idx on work_orders (site_id, state);
create index work_orders_equipment_idx on work_orders (equipment_id, requested_at);
create index work_orders_requested_by_idx on work_orders (requested_by, requested_at);

create table work_order_assignees (
  work_order_id uuid not null references work_orders (id),
  user_id uuid not null references users (id),
  assigned_by uuid not null references users (id),
  assigned_at timestamptz not null default now(),
  -- The technician holds no role at the work order's site: a cross-site intervention.
  cross_site boolean not null,
  primary key (work_order_id, user_id)
);
create index work_order_assignees_user_idx on work_order_assignees (user_id);

create table work_order_transitions (
  id bigint generated always as identity primary key,
  work_order_id uuid not null references work_orders (id),
  from_state text,
  to_state text not null,
  -- null: the system (automatic closure).
  actor_id uuid references users (id),
  at timestamptz not null default now(),
  hold_reason text,
  reason text
);
create index work_order_transitions_order_idx on work_order_transitions (work_order_id, at, id);

-- Time spent: by a technician, either start and end or a number of minutes; travel for
-- cross-site work (it will feed cost allocation between sites).
create table work_order_labour (
  id uuid primary key default gen_random_uuid(),
  work_order_id uuid not null references work_orders (id),
  technician_id uuid not null references users (id),
  started_at timestamptz,
  ended_at timestamptz,
  minutes integer not null,
  travel_minutes integer not null default 0,
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now(),
  constraint work_order_labour_minutes_positive check (minutes > 0 and minutes <= 24 * 60),
  constraint work_order_labour_travel check (travel_minutes >= 0 and travel_minutes <= 24 * 60),
  constraint work_order_labour_period check (ended_at is null or ended_at > started_at)
);
create index work_order_labour_order_idx on work_order_labour (work_order_id);

-- Work done by a vendor: who, their reference, what it cost.
create table work_order_external (
  id uuid primary key default gen_random_uuid(),
  work_order_id uuid not null references work_orders (id),
  vendor text not null,
  vendor_reference text,
  cost_cents bigint not null default 0,
  performed_on date,
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now(),
  constraint work_order_external_cost check (cost_cents >= 0)
);
create index work_order_external_order_idx on work_order_external (work_order_id);

-- The technician's signature at completion (name, time, drawn image as a PNG data URL).
alter table work_orders
  add column signed_by uuid references users (id),
  add column signed_name text,
  add column signed_at timestamptz,
  add column signature_image text,
  add column back_in_service boolean;

-- Checklist of a work order: items from a template (e.g. IEC 62353) or added by hand;
-- each is pass/fail/not applicable, a text, or a measurement judged against its limits.
create table work_order_checklist_items (
  id uuid primary key default gen_random_uuid(),
  work_order_id uuid not null references work_orders (id),
  position integer not null,
  key text not null,
  label text not null,
  kind text not null,
  mandatory boolean not null default false,
  unit text,
  min_value double precision,
  max_value double precision,
  outcome text,
  text_value text,
  numeric_value double precision,
  answered_by uuid references users (id),
  answered_at timestamptz,
  constraint work_order_checklist_kind_check check (kind in ('pass_fail', 'text', 'measurement')),
  constraint work_order_checklist_outcome_check check (outcome in ('pass', 'fail', 'not_applicable')),
  constraint work_order_checklist_key_unique unique (work_order_id, key)
);
create index work_order_checklist_order_idx on work_order_checklist_items (work_order_id, position);

-- Photos and PDFs attached to a work order; the bytes live on disk under ATTACHMENTS_DIR.
create table work_order_attachments (
  id uuid primary key default gen_random_uuid(),
  work_order_id uuid not null references work_orders (id),
  file_name text not null,
  media_type text not null,
  size_bytes integer not null,
  sha256 text not null,
  storage_key text not null,
  uploaded_by uuid not null references users (id),
  uploaded_at timestamptz not null default now(),
  constraint work_order_attachments_media_type_check check (media_type in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf'))
);
create index work_order_attachments_order_idx on work_order_attachments (work_order_id, uploaded_at);

-- Parts used, recorded by reference and quantity (the stock issue will tie them to movements).
create table work_order_parts (
  id uuid primary key default gen_random_uuid(),
  work_order_id uuid not null references work_orders (id),
  reference text not null,
  description text not null default '',
  quantity integer not null,
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now(),
  constraint work_order_parts_quantity check (quantity > 0 and quantity <= 10000)
);
create index work_order_parts_order_idx on work_order_parts (work_order_id);
