-- Grouped purchasing across the territory (issue 12, ADR 0014). A grouped order gathers the
-- below-minimum needs of every site's stores into one order per (supplier, part) line, each
-- line split into allocations per store. Receipts bring the parts into the stores as
-- `receipt` movements (through applyStockMovement, never here) and count what each store
-- has received so far. Forward-only; never edit once landed.

create table grouped_orders (
  id uuid primary key default gen_random_uuid(),
  -- Keyset order of the list (newest first) and the source of the human number.
  number bigint generated always as identity unique,
  -- The human number, written on every ledger row of its receipts (purchase-order reference).
  reference text not null generated always as ('CG-' || lpad(number::text, 6, '0')) stored,
  territory_id uuid not null references territories (id),
  state text not null default 'ordered',
  note text,
  cancel_reason text,
  -- Closing a partially received order: what was not delivered is no longer awaited.
  close_reason text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  last_received_by uuid references users (id),
  last_received_at timestamptz,
  cancelled_by uuid references users (id),
  cancelled_at timestamptz,
  closed_by uuid references users (id),
  closed_at timestamptz,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  constraint grouped_orders_state_check check (state in ('ordered', 'partially_received', 'received', 'closed', 'cancelled')),
  constraint grouped_orders_note_length check (note is null or length(note) between 1 and 500),
  constraint grouped_orders_cancelled_step check (
    (state = 'cancelled') = (cancelled_at is not null and cancelled_by is not null and cancel_reason is not null)),
  constraint grouped_orders_received_step check (
    (state in ('partially_received', 'received', 'closed')) = (last_received_at is not null and last_received_by is not null)),
  constraint grouped_orders_closed_step check (
    (state = 'closed') = (closed_at is not null and closed_by is not null and close_reason is not null))
);
create index grouped_orders_territory_idx on grouped_orders (territory_id, number);
-- The open orders, whose remaining quantities the proposal subtracts.
create index grouped_orders_open_idx on grouped_orders (territory_id, id) where state in ('ordered', 'partially_received');

-- One line per part of the order, with its supplier and unit cost (cents, excluding tax).
create table grouped_order_lines (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references grouped_orders (id),
  position integer not null,
  part_id uuid not null references parts (id),
  supplier text not null,
  unit_cost_cents bigint not null,
  constraint grouped_order_lines_part_key unique (order_id, part_id),
  constraint grouped_order_lines_position_key unique (order_id, position),
  constraint grouped_order_lines_supplier_not_blank check (length(btrim(supplier)) between 1 and 120),
  constraint grouped_order_lines_unit_cost_range check (unit_cost_cents between 0 and 10000000000)
);

-- What each store gets of a line: ordered, and received so far (never more than ordered).
create table grouped_order_allocations (
  id uuid primary key default gen_random_uuid(),
  line_id uuid not null references grouped_order_lines (id),
  order_id uuid not null references grouped_orders (id),
  store_id uuid not null references stores (id),
  site_id uuid not null references sites (id),
  part_id uuid not null references parts (id),
  quantity_ordered integer not null,
  quantity_received integer not null default 0,
  constraint grouped_order_allocations_store_key unique (line_id, store_id),
  constraint grouped_order_allocations_ordered_range check (quantity_ordered between 1 and 100000),
  constraint grouped_order_allocations_received_range check (quantity_received between 0 and quantity_ordered)
);
create index grouped_order_allocations_order_idx on grouped_order_allocations (order_id, line_id);
-- What is still expected per (store, part): the proposal reads it for the pairs below minimum.
create index grouped_order_allocations_pending_idx on grouped_order_allocations (store_id, part_id, order_id)
  where quantity_received < quantity_ordered;

-- The proposal filtered by supplier starts from that supplier's parts.
create index parts_supplier_idx on parts (territory_id, default_supplier, id);
