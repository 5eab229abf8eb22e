import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, StockReservations } from '../generated/db.js';
import { InsufficientStockError, type StockRow } from './stock-movements.js';

/**
 * Reservations (issue 12): quantity of a store held for an open work order. While active it
 * counts in `stock.reserved`, so that nobody else's issue takes it (issues draw on on hand
 * minus reserved). The work order's own issues consume it first; releasing it, or
 * cancelling the work order, gives it back. Every function runs in the caller's
 * transaction and locks the stock row like applyStockMovement.
 */

export type StockReservationRow = Selectable<StockReservations>;

function lockStock(trx: Kysely<DB>, storeId: string, partId: string) {
  return trx.selectFrom('stock').selectAll().where('storeId', '=', storeId).where('partId', '=', partId).forUpdate().executeTakeFirst();
}

/** Holds `quantity` more for the work order; InsufficientStockError when not that much is available. */
export async function reserveStock(
  trx: Kysely<DB>,
  r: { territoryId: string; storeId: string; partId: string; workOrderId: string; quantity: number; createdBy: string },
): Promise<{ reservation: StockReservationRow; stock: StockRow }> {
  const current = await lockStock(trx, r.storeId, r.partId);
  const available = current ? current.onHand - current.reserved : 0;
  if (!current || available < r.quantity) throw new InsufficientStockError(Math.max(0, available), r.quantity);
  const stock = await trx
    .updateTable('stock')
    .set({ reserved: sql`reserved + ${r.quantity}`, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('storeId', '=', r.storeId)
    .where('partId', '=', r.partId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const reservation = await trx
    .insertInto('stockReservations')
    .values({ territoryId: r.territoryId, storeId: r.storeId, partId: r.partId, workOrderId: r.workOrderId, quantity: r.quantity, createdBy: r.createdBy })
    .onConflict((oc) =>
      oc.columns(['workOrderId', 'storeId', 'partId']).where('state', '=', 'active').doUpdateSet({ quantity: sql`stock_reservations.quantity + excluded.quantity` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return { reservation, stock };
}

/**
 * Before an issue for a work order: takes up to `quantity` from its active reservation of
 * (store, part) out of `reserved`, so that the issue may use it. Returns the quantity taken.
 */
export async function consumeReservation(trx: Kysely<DB>, workOrderId: string, storeId: string, partId: string, quantity: number): Promise<number> {
  await lockStock(trx, storeId, partId);
  const active = await trx
    .selectFrom('stockReservations').selectAll()
    .where('workOrderId', '=', workOrderId).where('storeId', '=', storeId).where('partId', '=', partId).where('state', '=', 'active')
    .forUpdate()
    .executeTakeFirst();
  if (!active) return 0;
  const used = Math.min(active.quantity, quantity);
  const left = active.quantity - used;
  await trx
    .updateTable('stockReservations')
    .set(left === 0 ? { quantity: 0, state: 'used', closedAt: sql`now()` } : { quantity: left })
    .where('id', '=', active.id)
    .execute();
  await trx.updateTable('stock').set({ reserved: sql`reserved - ${used}`, updatedAt: sql`now()` }).where('storeId', '=', storeId).where('partId', '=', partId).execute();
  return used;
}

/**
 * Releases the active reservations of the given work orders (all of them, or the one
 * `reservationId`): their quantity leaves `stock.reserved`. Set-based, for the
 * cancellation of any number of work orders. Returns the reservations released.
 */
export async function releaseReservations(trx: Kysely<DB>, workOrderIds: readonly string[], reservationId?: string): Promise<StockReservationRow[]> {
  if (workOrderIds.length === 0) return [];
  // Lock the stock rows first, in one order, as the other stock writes do.
  let pending = trx
    .selectFrom('stockReservations').select(['storeId', 'partId'])
    .where('workOrderId', 'in', workOrderIds).where('state', '=', 'active');
  if (reservationId) pending = pending.where('id', '=', reservationId);
  const keys = await pending.execute();
  if (keys.length === 0) return [];
  await trx
    .selectFrom('stock').select('storeId')
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('storeId', '=', k.storeId), eb('partId', '=', k.partId)]))))
    .orderBy('storeId').orderBy('partId')
    .forUpdate()
    .execute();
  let update = trx
    .updateTable('stockReservations')
    .set({ state: 'released', closedAt: sql`now()` })
    .where('workOrderId', 'in', workOrderIds)
    .where('state', '=', 'active');
  if (reservationId) update = update.where('id', '=', reservationId);
  const released = await update.returningAll().execute();
  const byStock = new Map<string, { storeId: string; partId: string; quantity: number }>();
  for (const r of released) {
    const key = `${r.storeId}/${r.partId}`;
    const sum = byStock.get(key) ?? { storeId: r.storeId, partId: r.partId, quantity: 0 };
    sum.quantity += r.quantity;
    byStock.set(key, sum);
  }
  for (const s of byStock.values()) {
    await trx.updateTable('stock').set({ reserved: sql`reserved - ${s.quantity}`, updatedAt: sql`now()` }).where('storeId', '=', s.storeId).where('partId', '=', s.partId).execute();
  }
  return released;
}

export function reservationsOf(db: Kysely<DB>, workOrderId: string) {
  return db.selectFrom('stockReservations').selectAll().where('workOrderId', '=', workOrderId).orderBy('createdAt').orderBy('id').execute();
}
