-- Below-minimum stock alerts (issue 12, ADR 0015). A (store, part) whose on hand is below
-- its minimum (the definition of GET /stock?belowMinimum=true) has one open alert, raised by
-- the worker's reconciliation (packages/db stock-alerts.ts) after each movement and daily;
-- it is cleared (cleared_at set, never deleted) when the row is no longer below its minimum.
-- The row keeps the quantities seen when it was raised.
create table stock_alerts (
  id uuid primary key default gen_random_uuid(),
  -- Keyset order of the list (newest first).
  number bigint generated always as identity unique,
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  store_id uuid not null references stores (id),
  part_id uuid not null references parts (id),
  on_hand integer not null,
  minimum integer not null,
  raised_at timestamptz not null default clock_timestamp(),
  -- Null while the alert is open.
  cleared_at timestamptz,
  constraint stock_alerts_stock_fkey foreign key (store_id, part_id) references stock (store_id, part_id),
  constraint stock_alerts_below_minimum check (on_hand < minimum),
  constraint stock_alerts_cleared_after_raised check (cleared_at is null or cleared_at >= raised_at)
);
-- At most one open alert per (store, part): concurrent reconciliations insert with
-- ON CONFLICT DO NOTHING on this index instead of checking first.
create unique index stock_alerts_open_key on stock_alerts (store_id, part_id) where cleared_at is null;
-- The open alerts of a territory (few): what the reconciliation checks for clearing, and the default list.
create index stock_alerts_open_idx on stock_alerts (territory_id, number desc) where cleared_at is null;
-- Every alert of a territory, newest first (state=cleared|all), and by site (home page panel).
create index stock_alerts_territory_idx on stock_alerts (territory_id, number desc);
create index stock_alerts_site_idx on stock_alerts (site_id, number desc);
