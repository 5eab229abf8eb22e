import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { likePattern } from '../../lib/sql.js';

/** Queries of the stock module that only the API needs (the shared write is packages/db applyStockMovement). */

// ---- Parts ----------------------------------------------------------------------------

const partColumns = [
  'p.id', 'p.reference', 'p.manufacturer', 'p.manufacturerPartNumber', 'p.description', 'p.unit', 'p.defaultSupplier',
  'p.lastUnitCostCents', 'p.active', 'p.version',
] as const;

export function listParts(
  db: Kysely<DB>,
  territoryId: string,
  opts: { words?: string[]; equipmentModelId?: string; active?: boolean; after?: [string, string]; limit: number },
) {
  let q = db.selectFrom('parts as p').select(partColumns).where('p.territoryId', '=', territoryId);
  for (const w of opts.words ?? []) q = q.where('p.searchText', 'like', likePattern(w));
  if (opts.equipmentModelId) {
    const modelId = opts.equipmentModelId;
    q = q.where((eb) => eb.exists(eb.selectFrom('partCompatibleModels as c').select('c.partId').whereRef('c.partId', '=', 'p.id').where('c.modelId', '=', modelId)));
  }
  if (opts.active !== undefined) q = q.where('p.active', '=', opts.active);
  if (opts.after) {
    const [ref, id] = opts.after;
    q = q.where((eb) => eb(eb.refTuple('p.reference', 'p.id'), '>', eb.tuple(ref, id)));
  }
  return q.orderBy('p.reference').orderBy('p.id').limit(opts.limit).execute();
}
export type PartRow = Awaited<ReturnType<typeof listParts>>[number];

export function findPart(db: Kysely<DB>, territoryId: string, id: string) {
  return db.selectFrom('parts as p').select(partColumns).where('p.territoryId', '=', territoryId).where('p.id', '=', id).executeTakeFirst();
}

/** The compatible model ids of each part, by part id. */
export async function compatibleModels(db: Kysely<DB>, partIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(partIds.map((id) => [id, []]));
  if (partIds.length === 0) return out;
  const rows = await db.selectFrom('partCompatibleModels').select(['partId', 'modelId']).where('partId', 'in', partIds).orderBy('modelId').execute();
  for (const r of rows) out.get(r.partId)?.push(r.modelId);
  return out;
}

/** How many of these models belong to the territory. */
export async function countModels(db: Kysely<DB>, territoryId: string, modelIds: readonly string[]): Promise<number> {
  if (modelIds.length === 0) return 0;
  const r = await db.selectFrom('equipmentModels').select((eb) => eb.fn.countAll<string>().as('n')).where('territoryId', '=', territoryId).where('id', 'in', modelIds).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface PartValues {
  reference?: string;
  manufacturer?: string;
  manufacturerPartNumber?: string;
  description?: string;
  unit?: string;
  defaultSupplier?: string | null;
  lastUnitCostCents?: number | null;
  active?: boolean;
}

export async function insertPart(db: Kysely<DB>, values: PartValues & { territoryId: string; reference: string; description: string }): Promise<string> {
  const r = await db.insertInto('parts').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Changes a part guarded by its version; undefined when the version moved meanwhile. */
export function updatePart(db: Kysely<DB>, id: string, version: number, patch: PartValues) {
  return db
    .updateTable('parts')
    .set({ ...patch, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export async function replaceCompatibleModels(db: Kysely<DB>, partId: string, modelIds: readonly string[]): Promise<void> {
  await db.deleteFrom('partCompatibleModels').where('partId', '=', partId).execute();
  if (modelIds.length > 0) await db.insertInto('partCompatibleModels').values([...new Set(modelIds)].map((modelId) => ({ partId, modelId }))).execute();
}

// ---- Stores ---------------------------------------------------------------------------

export function listStores(db: Kysely<DB>, territoryId: string, siteId?: string) {
  let q = db
    .selectFrom('stores as st')
    .innerJoin('sites as s', 's.id', 'st.siteId')
    .select(['st.id', 'st.siteId', 's.name as siteName', 'st.code', 'st.name', 'st.active', 'st.version'])
    .where('st.territoryId', '=', territoryId);
  if (siteId) q = q.where('st.siteId', '=', siteId);
  return q.orderBy('s.name').orderBy('st.code').orderBy('st.id').execute();
}

export function findStore(db: Kysely<DB>, territoryId: string, id: string) {
  return db
    .selectFrom('stores as st')
    .innerJoin('sites as s', 's.id', 'st.siteId')
    .select(['st.id', 'st.siteId', 'st.territoryId', 'st.active', 'st.name', 's.name as siteName'])
    .where('st.territoryId', '=', territoryId)
    .where('st.id', '=', id)
    .executeTakeFirst();
}

// ---- Stock ----------------------------------------------------------------------------

const stockColumns = [
  'k.storeId', 'k.siteId', 'k.partId', 'k.onHand', 'k.reserved', 'k.minimum', 'k.maximum', 'k.bin', 'k.averageUnitCostCents',
  'p.reference as partReference', 'p.description as partDescription', 'p.unit as partUnit', 'st.name as storeName', 's.name as siteName',
  'st.active as storeActive', 'p.active as partActive',
] as const;

export function listStock(
  db: Kysely<DB>,
  territoryId: string,
  opts: { siteId?: string; storeId?: string; partId?: string; words?: string[]; belowMinimum?: boolean; after?: [string, string]; limit: number },
) {
  // The part's, store's and site's names come with each row (joins on primary keys).
  let q = db
    .selectFrom('stock as k')
    .innerJoin('parts as p', 'p.id', 'k.partId')
    .innerJoin('stores as st', 'st.id', 'k.storeId')
    .innerJoin('sites as s', 's.id', 'k.siteId')
    .select(stockColumns)
    .where('k.territoryId', '=', territoryId);
  if (opts.siteId) q = q.where('k.siteId', '=', opts.siteId);
  if (opts.storeId) q = q.where('k.storeId', '=', opts.storeId);
  if (opts.partId) q = q.where('k.partId', '=', opts.partId);
  if (opts.belowMinimum) q = q.whereRef('k.onHand', '<', 'k.minimum');
  for (const w of opts.words ?? []) q = q.where('p.searchText', 'like', likePattern(w));
  if (opts.after) {
    const [storeId, partId] = opts.after;
    q = q.where((eb) => eb(eb.refTuple('k.storeId', 'k.partId'), '>', eb.tuple(storeId, partId)));
  }
  return q.orderBy('k.storeId').orderBy('k.partId').limit(opts.limit).execute();
}
export type StockListRow = Awaited<ReturnType<typeof listStock>>[number];

// ---- Movements ------------------------------------------------------------------------

const movementColumns = [
  'm.id', 'm.type', 'm.storeId', 'm.partId', 'm.delta', 'm.quantity', 'm.unitCostCents', 'm.workOrderId', 'm.equipmentId', 'm.supplier',
  'm.purchaseOrderReference', 'm.countedQuantity', 'm.reason', 'm.createdBy', 'u.fullName as createdByName', 'm.createdAt',
] as const;

/** Newest first. */
export function listMovements(
  db: Kysely<DB>,
  territoryId: string,
  opts: { storeId?: string; partId?: string; workOrderId?: string; equipmentId?: string; before?: number; limit: number },
) {
  let q = db.selectFrom('stockMovements as m').innerJoin('users as u', 'u.id', 'm.createdBy').select(movementColumns).where('m.territoryId', '=', territoryId);
  if (opts.storeId) q = q.where('m.storeId', '=', opts.storeId);
  if (opts.partId) q = q.where('m.partId', '=', opts.partId);
  if (opts.workOrderId) q = q.where('m.workOrderId', '=', opts.workOrderId);
  if (opts.equipmentId) q = q.where('m.equipmentId', '=', opts.equipmentId);
  if (opts.before !== undefined) q = q.where('m.id', '<', opts.before);
  return q.orderBy('m.id', 'desc').limit(opts.limit).execute();
}
export type MovementListRow = Awaited<ReturnType<typeof listMovements>>[number];

export function userName(db: Kysely<DB>, userId: string) {
  return db.selectFrom('users').select('fullName').where('id', '=', userId).executeTakeFirstOrThrow();
}

/** Locks the stock row of (store, part), when it exists, until the transaction ends. */
export async function lockStockRow(db: Kysely<DB>, storeId: string, partId: string): Promise<void> {
  await db.selectFrom('stock').select('storeId').where('storeId', '=', storeId).where('partId', '=', partId).forUpdate().execute();
}

/** Net quantity issued to a work order from a store (issues minus returns). */
export async function netIssuedToWorkOrder(db: Kysely<DB>, workOrderId: string, storeId: string, partId: string): Promise<number> {
  const r = await db
    .selectFrom('stockMovements')
    .select(sql<string>`coalesce(-sum(delta), 0)`.as('net'))
    .where('workOrderId', '=', workOrderId)
    .where('storeId', '=', storeId)
    .where('partId', '=', partId)
    .where('type', 'in', ['issue', 'return'])
    .executeTakeFirstOrThrow();
  return Number(r.net);
}

export function findWorkOrderSite(db: Kysely<DB>, territoryId: string, id: string) {
  return db.selectFrom('workOrders').select(['id', 'siteId', 'state']).where('territoryId', '=', territoryId).where('id', '=', id).executeTakeFirst();
}

// ---- Availability ---------------------------------------------------------------------

/** Sites' coordinates of the user's home site (null when the user has none). */
export function homeSite(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('sites as s', 's.id', 'u.homeSiteId')
    .select(['s.id', 's.latitude', 's.longitude'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

/** Stores holding (on hand > 0) the given parts, with their sites' coordinates. */
export function holdings(db: Kysely<DB>, territoryId: string, partIds: readonly string[]) {
  if (partIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stock as k')
    .innerJoin('stores as st', 'st.id', 'k.storeId')
    .innerJoin('sites as s', 's.id', 'k.siteId')
    .innerJoin('parts as p', 'p.id', 'k.partId')
    .select([
      'k.storeId', 'st.name as storeName', 'k.siteId', 's.name as siteName', 's.latitude', 's.longitude', 'k.partId',
      'p.reference as partReference', 'p.description as partDescription', 'k.onHand', 'k.reserved',
    ])
    .where('k.territoryId', '=', territoryId)
    .where('k.partId', 'in', partIds)
    .where('k.onHand', '>', 0)
    .where('st.active', '=', true)
    .execute();
}

/** Sets the thresholds and bin of a (store, part), creating its empty row if needed; undefined when the maximum would fall below the minimum. */
export async function upsertStockSettings(
  db: Kysely<DB>,
  key: { territoryId: string; siteId: string; storeId: string; partId: string },
  patch: { minimum?: number; maximum?: number | null; bin?: string },
) {
  await db
    .insertInto('stock')
    .values({ territoryId: key.territoryId, siteId: key.siteId, storeId: key.storeId, partId: key.partId })
    .onConflict((oc) => oc.columns(['storeId', 'partId']).doNothing())
    .execute();
  const before = await db.selectFrom('stock').selectAll().where('storeId', '=', key.storeId).where('partId', '=', key.partId).forUpdate().executeTakeFirstOrThrow();
  const minimum = patch.minimum ?? before.minimum;
  const maximum = patch.maximum === undefined ? before.maximum : patch.maximum;
  if (maximum !== null && maximum < minimum) return { before, after: undefined };
  const after = await db
    .updateTable('stock')
    .set({ minimum, maximum, ...(patch.bin === undefined ? {} : { bin: patch.bin }), updatedAt: sql`now()` })
    .where('storeId', '=', key.storeId)
    .where('partId', '=', key.partId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before, after };
}
