import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/**
 * Queries of grouped purchasing (ADR 0014). The stock itself changes only through
 * applyStockMovement (packages/db); this file reads the needs and writes the orders.
 */

// ---- The proposal ----------------------------------------------------------------------

export interface NeedRow {
  storeId: string;
  siteId: string;
  partId: string;
  onHand: number;
  minimum: number;
  maximum: number | null;
  averageUnitCostCents: number;
  onOrder: number;
  inTransit: number;
  reference: string;
  manufacturer: string;
  manufacturerPartNumber: string;
  description: string;
  unit: string;
  defaultSupplier: string | null;
  lastUnitCostCents: number | null;
  storeName: string;
  siteName: string;
}

/**
 * Every (store, part) of the territory below its minimum (the partial index
 * stock_below_minimum_idx), of an active part in an active store, with what is already
 * coming: still awaited on open grouped orders, and transfers to that store approved (the
 * approved quantity) or shipped (the shipped quantity). One set-based statement.
 * `supplier`: '' for the parts without a default supplier.
 */
export async function belowMinimumNeeds(db: Kysely<DB>, territoryId: string, opts: { siteId?: string; supplier?: string }): Promise<NeedRow[]> {
  const siteFilter = opts.siteId ? sql`and k.site_id = ${opts.siteId}` : sql``;
  // One supplier's parts first (parts_supplier_idx), then their rows below minimum.
  const supplierFilter = opts.supplier === undefined
    ? sql``
    : sql`and k.part_id in (select id from parts where territory_id = ${territoryId} and ${
      opts.supplier === '' ? sql`default_supplier is null` : sql`default_supplier = ${opts.supplier}`})`;
  // What is coming is summed over the open orders and the transfers under way (few rows, by
  // their own indexes), then joined to the rows below minimum.
  const r = await sql<NeedRow>`
    with needs as (
      select k.store_id, k.site_id, k.part_id, k.on_hand, k.minimum, k.maximum, k.average_unit_cost_cents
        from stock k
       where k.territory_id = ${territoryId} and k.on_hand < k.minimum ${siteFilter} ${supplierFilter}
    ),
    on_order as (
      select a.store_id, a.part_id, sum(a.quantity_ordered - a.quantity_received)::int as quantity
        from grouped_orders o
        join grouped_order_allocations a on a.order_id = o.id and a.quantity_received < a.quantity_ordered
       where o.territory_id = ${territoryId} and o.state in ('ordered', 'partially_received')
       group by a.store_id, a.part_id
    ),
    in_transit as (
      select t.destination_store_id as store_id, t.part_id,
             sum(case t.state when 'shipped' then t.quantity_shipped else t.quantity_approved end)::int as quantity
        from stock_transfers t
       where t.territory_id = ${territoryId} and t.state in ('approved', 'shipped')
       group by t.destination_store_id, t.part_id
    )
    select n.store_id as "storeId", n.site_id as "siteId", n.part_id as "partId", n.on_hand as "onHand", n.minimum, n.maximum,
           n.average_unit_cost_cents as "averageUnitCostCents",
           coalesce(o.quantity, 0) as "onOrder", coalesce(tr.quantity, 0) as "inTransit",
           p.reference, p.manufacturer, p.manufacturer_part_number as "manufacturerPartNumber", p.description, p.unit,
           p.default_supplier as "defaultSupplier", p.last_unit_cost_cents as "lastUnitCostCents",
           st.name as "storeName", s.name as "siteName"
      from needs n
      join parts p on p.id = n.part_id and p.active
      join stores st on st.id = n.store_id and st.active
      join sites s on s.id = n.site_id
      left join on_order o on o.store_id = n.store_id and o.part_id = n.part_id
      left join in_transit tr on tr.store_id = n.store_id and tr.part_id = n.part_id
     order by p.default_supplier nulls last, p.reference, p.id, s.name, st.code, st.id`.execute(db);
  return r.rows;
}

// ---- Orders ----------------------------------------------------------------------------

export function findParts(db: Kysely<DB>, territoryId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('parts').select(['id', 'active']).where('territoryId', '=', territoryId).where('id', 'in', ids).execute();
}

export function findStores(db: Kysely<DB>, territoryId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('stores').select(['id', 'siteId', 'active']).where('territoryId', '=', territoryId).where('id', 'in', ids).execute();
}

export function insertOrder(db: Kysely<DB>, values: { territoryId: string; note: string | null; createdBy: string }) {
  return db.insertInto('groupedOrders').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Inserts rows in chunks (PostgreSQL takes at most 65,535 parameters per statement). */
async function insertChunks<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function insertLines(
  db: Kysely<DB>,
  orderId: string,
  lines: readonly { partId: string; supplier: string; unitCostCents: number; allocations: readonly { storeId: string; siteId: string; quantity: number }[] }[],
): Promise<void> {
  const ids: { id: string; partId: string }[] = [];
  await insertChunks(lines.map((l, position) => ({ orderId, position, partId: l.partId, supplier: l.supplier, unitCostCents: l.unitCostCents })), 2000,
    async (chunk) => ids.push(...(await db.insertInto('groupedOrderLines').values(chunk).returning(['id', 'partId']).execute())));
  const lineIds = new Map(ids.map((r) => [r.partId, r.id]));
  const allocations = lines.flatMap((l) => l.allocations.map((a) => ({
    lineId: lineIds.get(l.partId)!, orderId, storeId: a.storeId, siteId: a.siteId, partId: l.partId, quantityOrdered: a.quantity,
  })));
  await insertChunks(allocations, 5000, (chunk) => db.insertInto('groupedOrderAllocations').values(chunk).execute());
}

export function findOrder(db: Kysely<DB>, territoryId: string, id: string, opts: { lock?: boolean } = {}) {
  const q = db.selectFrom('groupedOrders').selectAll().where('territoryId', '=', territoryId).where('id', '=', id);
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst();
}
export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

/** An order's lines with their parts, in the order's order. */
export function orderLines(db: Kysely<DB>, orderId: string) {
  return db
    .selectFrom('groupedOrderLines as l')
    .innerJoin('parts as p', 'p.id', 'l.partId')
    .select([
      'l.id', 'l.position', 'l.partId', 'l.supplier', 'l.unitCostCents', 'p.reference as partReference', 'p.manufacturer',
      'p.manufacturerPartNumber', 'p.description', 'p.unit',
    ])
    .where('l.orderId', '=', orderId)
    .orderBy('l.position')
    .execute();
}
export type LineRow = Awaited<ReturnType<typeof orderLines>>[number];

/** An order's allocations with their stores and sites (locked for a receipt). */
export function orderAllocations(db: Kysely<DB>, orderId: string, opts: { lock?: boolean } = {}) {
  const q = db
    .selectFrom('groupedOrderAllocations as a')
    .innerJoin('stores as st', 'st.id', 'a.storeId')
    .innerJoin('sites as s', 's.id', 'a.siteId')
    .select(['a.id', 'a.lineId', 'a.storeId', 'a.siteId', 'a.partId', 'a.quantityOrdered', 'a.quantityReceived', 'st.name as storeName', 's.name as siteName'])
    .where('a.orderId', '=', orderId)
    .orderBy('s.name')
    .orderBy('st.code')
    .orderBy('a.id');
  return (opts.lock ? q.forUpdate('a') : q).execute();
}
export type AllocationRow = Awaited<ReturnType<typeof orderAllocations>>[number];

/** Newest first, with each order's totals (its lines are in GET /{id}). */
export function listOrders(db: Kysely<DB>, territoryId: string, opts: { state?: string; before?: number; limit: number }) {
  let q = db
    .selectFrom('groupedOrders as o')
    .selectAll('o')
    .select((eb) => [
      eb.selectFrom('groupedOrderLines as l').select(sql<number>`count(*)::int`.as('n')).whereRef('l.orderId', '=', 'o.id').as('lineCount'),
      eb.selectFrom('groupedOrderLines as l').select(sql<string[]>`coalesce(array_agg(distinct l.supplier order by l.supplier), '{}')`.as('s'))
        .whereRef('l.orderId', '=', 'o.id').as('suppliers'),
      eb.selectFrom('groupedOrderAllocations as a')
        .select(sql<number>`coalesce(sum(a.quantity_ordered), 0)::bigint`.as('q')).whereRef('a.orderId', '=', 'o.id').as('quantityOrdered'),
      eb.selectFrom('groupedOrderAllocations as a')
        .select(sql<number>`coalesce(sum(a.quantity_received), 0)::bigint`.as('q')).whereRef('a.orderId', '=', 'o.id').as('quantityReceived'),
      eb.selectFrom('groupedOrderAllocations as a').innerJoin('groupedOrderLines as l', 'l.id', 'a.lineId')
        .select(sql<number>`coalesce(sum(a.quantity_ordered * l.unit_cost_cents), 0)::bigint`.as('t')).whereRef('a.orderId', '=', 'o.id').as('totalCents'),
    ])
    .where('o.territoryId', '=', territoryId);
  if (opts.state) q = q.where('o.state', '=', opts.state);
  if (opts.before !== undefined) q = q.where('o.number', '<', opts.before);
  return q.orderBy('o.number', 'desc').limit(opts.limit).execute();
}
export type OrderListRow = Awaited<ReturnType<typeof listOrders>>[number];

/** The stock of the given parts in the given stores (on hand and minimum; a missing row is empty stock). */
export function stockLevels(db: Kysely<DB>, storeIds: readonly string[], partIds: readonly string[]) {
  if (storeIds.length === 0 || partIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stock')
    .select(['storeId', 'partId', 'onHand', 'minimum'])
    .where('storeId', 'in', [...new Set(storeIds)])
    .where('partId', 'in', [...new Set(partIds)])
    .execute();
}

export function addReceived(db: Kysely<DB>, allocationId: string, quantity: number) {
  return db
    .updateTable('groupedOrderAllocations')
    .set({ quantityReceived: sql`quantity_received + ${quantity}` })
    .where('id', '=', allocationId)
    .executeTakeFirstOrThrow();
}

/** Moves an order from `from` to `to` with the step's changes (the caller holds the row lock). */
export function updateOrderState(
  db: Kysely<DB>,
  id: string,
  from: string,
  to: string,
  changes: {
    lastReceivedBy?: string; lastReceivedAt?: Date; cancelledBy?: string; cancelledAt?: Date; cancelReason?: string;
    closedBy?: string; closedAt?: Date; closeReason?: string;
  },
) {
  return db
    .updateTable('groupedOrders')
    .set({ ...changes, state: to, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('state', '=', from)
    .returningAll()
    .executeTakeFirstOrThrow();
}
