-- Spare parts and cross-site stock (issue 12): the territory's part catalogue, the sites'
-- stores, stock per (store, part) and the append-only ledger of movements.
-- Forward-only; never edit once landed. Sites already carry latitude and longitude
-- (foundation), which the availability search uses for distances.

create table parts (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  reference text not null,
  manufacturer text not null default '',
  manufacturer_part_number text not null default '',
  description text not null,
  unit text not null default 'piece',
  default_supplier text,
  last_unit_cost_cents bigint,
  active boolean not null default true,
  search_text text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint parts_reference_key unique (territory_id, reference),
  constraint parts_reference_not_blank check (length(btrim(reference)) between 1 and 60),
  constraint parts_unit_check check (unit in ('piece', 'box', 'metre', 'litre', 'kit', 'pack')),
  constraint parts_last_unit_cost_positive check (last_unit_cost_cents >= 0)
);
create index parts_territory_reference_idx on parts (territory_id, reference, id);
create index parts_search_idx on parts using gin (search_text gin_trgm_ops);

-- search_text gathers what free-text search looks at, folded like equipment.search_text.
create function parts_search_text() returns trigger language plpgsql as $$
begin
  new.search_text := gmao_fold(concat_ws(' ',
    new.reference, new.manufacturer, new.manufacturer_part_number, new.description, new.default_supplier));
  return new;
end;
$$;

create trigger parts_search_text_trg
  before insert or update on parts
  for each row execute function parts_search_text();

-- The equipment models a part fits.
create table part_compatible_models (
  part_id uuid not null references parts (id),
  model_id uuid not null references equipment_models (id),
  primary key (part_id, model_id)
);
create index part_compatible_models_model_idx on part_compatible_models (model_id, part_id);

-- A site's stores: the biomedical workshop, a satellite store. Bins are on the stock row.
create table stores (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  code text not null,
  name text not null,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint stores_code_key unique (site_id, code),
  constraint stores_code_not_blank check (length(btrim(code)) between 1 and 30),
  constraint stores_name_not_blank check (length(btrim(name)) between 1 and 120)
);
create index stores_territory_site_idx on stores (territory_id, site_id, code);

-- Stock of one part in one store. on_hand is the sum of the ledger's deltas for the pair;
-- it only ever changes together with a ledger row (packages/db applyStockMovement).
create table stock (
  store_id uuid not null references stores (id),
  part_id uuid not null references parts (id),
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  on_hand integer not null default 0,
  reserved integer not null default 0,
  minimum integer not null default 0,
  maximum integer,
  bin text not null default '',
  average_unit_cost_cents bigint not null default 0,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  primary key (store_id, part_id),
  constraint stock_on_hand_not_negative check (on_hand >= 0),
  constraint stock_reserved_not_negative check (reserved >= 0),
  constraint stock_reserved_within_on_hand check (reserved <= on_hand),
  constraint stock_minimum_not_negative check (minimum >= 0),
  constraint stock_maximum_above_minimum check (maximum is null or maximum >= minimum),
  constraint stock_average_cost_not_negative check (average_unit_cost_cents >= 0),
  constraint stock_bin_length check (length(bin) <= 40)
);
create index stock_part_idx on stock (part_id, store_id);
create index stock_territory_site_idx on stock (territory_id, site_id, store_id, part_id);
create index stock_below_minimum_idx on stock (territory_id, store_id, part_id) where on_hand < minimum;

-- The ledger: every change of on hand, with who, when and why. Rows are only ever added:
-- the database refuses UPDATE, DELETE and TRUNCATE, like the audit log.
create table stock_movements (
  id bigint generated always as identity primary key,
  territory_id uuid not null references territories (id),
  store_id uuid not null references stores (id),
  part_id uuid not null references parts (id),
  type text not null,
  -- The signed effect on on hand.
  delta integer not null,
  -- The quantity as the user gave it (an adjustment's is signed, as its delta).
  quantity integer not null,
  unit_cost_cents bigint,
  work_order_id uuid references work_orders (id),
  supplier text,
  purchase_order_reference text,
  counted_quantity integer,
  reason text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  constraint stock_movements_type_check
    check (type in ('receipt', 'issue', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'harvest')),
  constraint stock_movements_sign_check check (
    case type
      when 'issue' then delta < 0
      when 'transfer_out' then delta < 0
      when 'adjustment' then delta <> 0
      else delta > 0
    end),
  constraint stock_movements_unit_cost_positive check (unit_cost_cents >= 0),
  constraint stock_movements_counted_not_negative check (counted_quantity >= 0)
);
create index stock_movements_store_part_idx on stock_movements (store_id, part_id, id);
create index stock_movements_part_idx on stock_movements (part_id, id);
create index stock_movements_work_order_idx on stock_movements (work_order_id, id) where work_order_id is not null;
create index stock_movements_territory_idx on stock_movements (territory_id, id);

create function stock_movements_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'stock_movements is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger stock_movements_no_update_delete
  before update or delete on stock_movements
  for each row execute function stock_movements_append_only();

create trigger stock_movements_no_truncate
  before truncate on stock_movements
  for each statement execute function stock_movements_append_only();

-- Quantity held in a store for an open work order: counted in stock.reserved while active,
-- consumed by the work order's issues ('used' once all issued), given back when released
-- or when the work order is cancelled ('released').
create table stock_reservations (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  store_id uuid not null,
  part_id uuid not null,
  work_order_id uuid not null references work_orders (id),
  quantity integer not null,
  state text not null default 'active',
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  closed_at timestamptz,
  constraint stock_reservations_stock_fk foreign key (store_id, part_id) references stock (store_id, part_id),
  constraint stock_reservations_quantity check (quantity >= 0 and quantity <= 100000),
  constraint stock_reservations_state_check check (state in ('active', 'used', 'released')),
  constraint stock_reservations_closed check ((state = 'active') = (closed_at is null))
);
-- One active reservation per work order, store and part: reserving again adds to it.
create unique index stock_reservations_active_key on stock_reservations (work_order_id, store_id, part_id) where state = 'active';
create index stock_reservations_stock_idx on stock_reservations (store_id, part_id) where state = 'active';

-- A work order's part line may be a stock movement (part, store, movement); lines written
-- as free text (a part bought on the spot, the lines recorded before) keep only their text.
alter table work_order_parts
  add column part_id uuid references parts (id),
  add column store_id uuid references stores (id),
  add column movement_id bigint references stock_movements (id),
  add constraint work_order_parts_stock_link check ((part_id is null) = (store_id is null) and (part_id is null) = (movement_id is null));
create index work_order_parts_movement_idx on work_order_parts (movement_id) where movement_id is not null;
