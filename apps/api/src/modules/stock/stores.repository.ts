import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/** Stores of a site: creation, renaming, closing (issue 12). Kysely only. */

const storeColumns = ['st.id', 'st.siteId', 's.name as siteName', 'st.code', 'st.name', 'st.active', 'st.version'] as const;

export function readStore(db: Kysely<DB>, territoryId: string, id: string, opts: { lock?: boolean } = {}) {
  const q = db
    .selectFrom('stores as st')
    .innerJoin('sites as s', 's.id', 'st.siteId')
    .select(storeColumns)
    .where('st.territoryId', '=', territoryId)
    .where('st.id', '=', id);
  // FOR UPDATE OF the store only: movements hold it shared (applyStockMovement) while they write.
  return (opts.lock ? q.forUpdate('st') : q).executeTakeFirst();
}
export type StoreRow = NonNullable<Awaited<ReturnType<typeof readStore>>>;

export function findSiteOfTerritory(db: Kysely<DB>, territoryId: string, siteId: string) {
  return db.selectFrom('sites').select(['id', 'name']).where('territoryId', '=', territoryId).where('id', '=', siteId).executeTakeFirst();
}

export async function insertStore(db: Kysely<DB>, values: { territoryId: string; siteId: string; code: string; name: string }): Promise<string> {
  const row = await db.insertInto('stores').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Guarded by the version; false when it changed meanwhile. */
export async function updateStore(
  db: Kysely<DB>,
  id: string,
  version: number,
  patch: { code?: string; name?: string; active?: boolean },
): Promise<boolean> {
  const r = await db
    .updateTable('stores')
    .set({ ...patch, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * What keeps a store from closing: parts on hand or reserved, and transfers from or to it
 * not yet finished (requested, approved or in transit).
 */
export async function storeHoldings(db: Kysely<DB>, storeId: string): Promise<{ units: number; openTransfers: number }> {
  const [stock, transfers] = await Promise.all([
    db.selectFrom('stock').select(sql<string>`coalesce(sum(on_hand + reserved), 0)`.as('units')).where('storeId', '=', storeId).executeTakeFirstOrThrow(),
    db
      .selectFrom('stockTransfers')
      .select(sql<string>`count(*)`.as('n'))
      .where((eb) => eb.or([eb('sourceStoreId', '=', storeId), eb('destinationStoreId', '=', storeId)]))
      .where('state', 'in', ['requested', 'approved', 'shipped'])
      .executeTakeFirstOrThrow(),
  ]);
  return { units: Number(stock.units), openTransfers: Number(transfers.n) };
}
