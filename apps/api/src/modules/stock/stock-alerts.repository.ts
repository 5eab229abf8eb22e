import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import type { StockAlertState } from '@gmao/contracts';

/** The list of below-minimum alerts (the reconciliation that writes them is packages/db stock-alerts.ts). */
export function listStockAlerts(
  db: Kysely<DB>,
  territoryId: string,
  opts: { siteId?: string; storeId?: string; state: StockAlertState; before?: number; limit: number },
) {
  let q = db
    .selectFrom('stockAlerts as a')
    .innerJoin('stores as st', 'st.id', 'a.storeId')
    .innerJoin('parts as p', 'p.id', 'a.partId')
    .select([
      'a.id', 'a.number', 'a.siteId', 'a.storeId', 'st.name as storeName', 'a.partId', 'p.reference as partReference',
      'p.description as partDescription', 'a.onHand', 'a.minimum', 'a.raisedAt', 'a.clearedAt',
    ])
    .where('a.territoryId', '=', territoryId);
  if (opts.state === 'open') q = q.where('a.clearedAt', 'is', null);
  else if (opts.state === 'cleared') q = q.where('a.clearedAt', 'is not', null);
  if (opts.siteId) q = q.where('a.siteId', '=', opts.siteId);
  if (opts.storeId) q = q.where('a.storeId', '=', opts.storeId);
  if (opts.before !== undefined) q = q.where('a.number', '<', opts.before);
  return q.orderBy('a.number', 'desc').limit(opts.limit).execute();
}
export type StockAlertListRow = Awaited<ReturnType<typeof listStockAlerts>>[number];
