import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { DB, StockTransfers } from '@gmao/db';

/** Queries of stock transfers (ADR 0013); the stock itself changes only through applyStockMovement. */

export function listTransfers(
  db: Kysely<DB>,
  territoryId: string,
  opts: { siteId?: string; state?: string; partId?: string; workOrderId?: string; before?: number; limit: number },
) {
  let q = db.selectFrom('stockTransfers').selectAll().where('territoryId', '=', territoryId);
  if (opts.siteId) {
    const siteId = opts.siteId;
    q = q.where((eb) => eb.or([eb('sourceSiteId', '=', siteId), eb('destinationSiteId', '=', siteId)]));
  }
  if (opts.state) q = q.where('state', '=', opts.state);
  if (opts.partId) q = q.where('partId', '=', opts.partId);
  if (opts.workOrderId) q = q.where('workOrderId', '=', opts.workOrderId);
  if (opts.before !== undefined) q = q.where('number', '<', opts.before);
  return q.orderBy('number', 'desc').limit(opts.limit).execute();
}

export function findTransfer(db: Kysely<DB>, territoryId: string, id: string, opts: { lock?: boolean } = {}) {
  const q = db.selectFrom('stockTransfers').selectAll().where('territoryId', '=', territoryId).where('id', '=', id);
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst();
}

export function insertTransfer(db: Kysely<DB>, values: Insertable<StockTransfers>) {
  return db.insertInto('stockTransfers').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Moves a transfer from `from` to `to` with the step's changes; throws if its state moved meanwhile (the caller holds the row lock). */
export function updateTransferState(db: Kysely<DB>, id: string, from: string, to: string, changes: Updateable<StockTransfers>) {
  return db
    .updateTable('stockTransfers')
    .set({ ...changes, state: to, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('state', '=', from)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The work order a transfer was asked for, locked (shared) until the transaction ends, when it
 * is still open (not completed, closed or cancelled): its id, else null.
 */
export async function openWorkOrderForShare(db: Kysely<DB>, workOrderId: string): Promise<string | null> {
  const wo = await db.selectFrom('workOrders').select(['id', 'state']).where('id', '=', workOrderId).forShare().executeTakeFirst();
  return wo && !['completed', 'closed', 'cancelled'].includes(wo.state) ? wo.id : null;
}
