-- Transfers of spare parts between sites (issue 12, ADR 0013). The site that needs a part
-- asks (destination store), the owning site (source store) approves or rejects and ships,
-- the requester receives. Stock changes only through stock movements (transfer_out at
-- shipping, transfer_in at receipt), whose ids the transfer keeps; between the two the
-- parts are in transit (state 'shipped'). One receipt closes the transfer: what did not
-- arrive is recorded as lost, with its reason.
create table stock_transfers (
  id uuid primary key default gen_random_uuid(),
  -- Keyset order of the list (newest first).
  number bigint generated always as identity unique,
  territory_id uuid not null references territories (id),
  part_id uuid not null references parts (id),
  source_store_id uuid not null references stores (id),
  source_site_id uuid not null references sites (id),
  destination_store_id uuid not null references stores (id),
  destination_site_id uuid not null references sites (id),
  work_order_id uuid references work_orders (id),
  state text not null default 'requested',
  quantity_requested integer not null,
  quantity_approved integer,
  quantity_shipped integer,
  quantity_received integer,
  quantity_lost integer,
  -- The source store's weighted average unit cost when the parts left: the value that
  -- travels with them (transfer_in at the destination, cost allocation between sites).
  unit_cost_cents bigint,
  reason text,
  decision_note text,
  loss_reason text,
  cancel_reason text,
  out_movement_id bigint references stock_movements (id),
  in_movement_id bigint references stock_movements (id),
  requested_by uuid not null references users (id),
  requested_at timestamptz not null default now(),
  approved_by uuid references users (id),
  approved_at timestamptz,
  rejected_by uuid references users (id),
  rejected_at timestamptz,
  shipped_by uuid references users (id),
  shipped_at timestamptz,
  received_by uuid references users (id),
  received_at timestamptz,
  cancelled_by uuid references users (id),
  cancelled_at timestamptz,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  constraint stock_transfers_state_check
    check (state in ('requested', 'approved', 'rejected', 'shipped', 'received', 'cancelled')),
  constraint stock_transfers_distinct_sites check (source_site_id <> destination_site_id),
  constraint stock_transfers_requested_range check (quantity_requested between 1 and 100000),
  constraint stock_transfers_approved_range check (quantity_approved between 1 and quantity_requested),
  constraint stock_transfers_shipped_range check (quantity_shipped between 1 and quantity_approved),
  constraint stock_transfers_received_range check (quantity_received between 0 and quantity_shipped),
  constraint stock_transfers_lost_balance check (quantity_lost = quantity_shipped - quantity_received),
  constraint stock_transfers_loss_reason check (coalesce(quantity_lost, 0) = 0 or loss_reason is not null),
  constraint stock_transfers_unit_cost_positive check (unit_cost_cents >= 0),
  -- What each state has recorded, and nothing it has not reached yet.
  constraint stock_transfers_approved_step check (
    (state in ('approved', 'shipped', 'received')) = (approved_at is not null and approved_by is not null and quantity_approved is not null)
    or (state = 'cancelled' and (approved_at is null) = (quantity_approved is null))),
  constraint stock_transfers_rejected_step check ((state = 'rejected') = (rejected_at is not null and rejected_by is not null)),
  constraint stock_transfers_shipped_step check (
    (state in ('shipped', 'received')) = (shipped_at is not null and shipped_by is not null and quantity_shipped is not null
      and out_movement_id is not null and unit_cost_cents is not null)),
  constraint stock_transfers_received_step check (
    (state = 'received') = (received_at is not null and received_by is not null and quantity_received is not null and quantity_lost is not null)),
  constraint stock_transfers_in_movement check (in_movement_id is null or (state = 'received' and quantity_received > 0)),
  constraint stock_transfers_cancelled_step check ((state = 'cancelled') = (cancelled_at is not null and cancelled_by is not null))
);
create index stock_transfers_territory_idx on stock_transfers (territory_id, number);
create index stock_transfers_source_site_idx on stock_transfers (source_site_id, number);
create index stock_transfers_destination_site_idx on stock_transfers (destination_site_id, number);
create index stock_transfers_state_idx on stock_transfers (territory_id, state, number);
