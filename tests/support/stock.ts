import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/**
 * One store of the test's own per site (the demo's stores are the seed's business), by site
 * code: `{ CHU: storeId, … }`.
 */
export async function createTestStores(
  db: Kysely<DB>,
  territoryId: string,
  siteIds: Record<string, string>,
  store: { code: string; name: string },
): Promise<Record<string, string>> {
  const stores: Record<string, string> = {};
  for (const [siteCode, siteId] of Object.entries(siteIds)) {
    const row = await db
      .insertInto('stores')
      .values({ territoryId, siteId, code: store.code, name: `${store.name} ${siteCode}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    stores[siteCode] = row.id;
  }
  return stores;
}

/**
 * Every (store, part) of the database whose on hand differs from the sum of its ledger's
 * deltas, or whose on hand or reserved quantity is negative: empty when the books hold.
 */
export async function ledgerMismatches(db: Kysely<DB>): Promise<unknown[]> {
  const r = await sql`
    select k.store_id, k.part_id, k.on_hand, coalesce(sum(m.delta), 0)::int as ledger
      from stock k left join stock_movements m on m.store_id = k.store_id and m.part_id = k.part_id
     group by k.store_id, k.part_id, k.on_hand
    having k.on_hand <> coalesce(sum(m.delta), 0) or k.on_hand < 0 or k.reserved < 0`.execute(db);
  return r.rows;
}
