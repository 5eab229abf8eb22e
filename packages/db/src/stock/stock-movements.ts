import { sql, type Kysely, type Selectable } from 'kysely';
import { drawsOnAvailable, movementDelta, weightedAverageCost, type StockMovementType } from '@gmao/domain';
import type { DB, Stock, StockMovements } from '../generated/db.js';
import { consumeReservation } from './stock-reservations.js';

/**
 * The one write that changes stock (issue 12), shared by the API and the worker: the stock
 * row of (store, part) and its ledger row change together, in the caller's transaction.
 * The row is locked (`SELECT … FOR UPDATE`) before the new quantity is checked, so that
 * concurrent movements, from any number of processes, queue on PostgreSQL and never take
 * stock below zero; the table's CHECK constraints are the last guard.
 */

export type StockRow = Selectable<Stock>;
export type StockMovementRow = Selectable<StockMovements>;

/** The store is closed (inactive): nothing moves in or out of it. Nothing was written. */
export class StoreInactiveError extends Error {
  constructor(public readonly storeId: string) {
    super(`store ${storeId} is closed`);
    this.name = 'StoreInactiveError';
  }
}

/** An inventory count that finds what the books say: nothing to adjust, nothing written. */
export class CountMatchesStockError extends Error {
  constructor(public readonly onHand: number) {
    super(`the count matches the stock (${onHand})`);
    this.name = 'CountMatchesStockError';
  }
}

/** Not enough stock for the movement: nothing was written. */
export class InsufficientStockError extends Error {
  constructor(
    /** What the movement could take: available (on hand minus reserved) for an issue, on hand otherwise. */
    public readonly available: number,
    public readonly requested: number,
  ) {
    super(`insufficient stock: ${requested} requested, ${available} available`);
    this.name = 'InsufficientStockError';
  }
}

export interface StockMovementInput {
  territoryId: string;
  storeId: string;
  /** The store's site (the stock row carries it for lists by site). */
  siteId: string;
  partId: string;
  type: StockMovementType;
  /**
   * Positive, except an adjustment's, which is signed. An adjustment may instead give
   * `countedQuantity`: its delta (counted − on hand) is then computed under the row lock.
   */
  quantity: number;
  /** An inventory count: what is on the shelf (adjustments only). */
  countedQuantity?: number;
  unitCostCents?: number | null;
  workOrderId?: string | null;
  /** A harvest's decommissioned device. */
  equipmentId?: string | null;
  supplier?: string | null;
  purchaseOrderReference?: string | null;
  reason?: string | null;
  createdBy: string;
}

/**
 * Must run inside a transaction (`db.transaction().execute(trx => applyStockMovement(trx, …))`).
 * Locks, in this order, the store (shared: a store being closed waits, or is seen closed) and
 * the stock row; a receipt's cost becomes the part's last cost only through
 * `recordLastUnitCosts`, called once at the end of the caller's transaction, so that parts
 * rows are always locked after every stock row (no deadlock between receipts).
 */
export async function applyStockMovement(
  trx: Kysely<DB>,
  m: StockMovementInput,
): Promise<{ movement: StockMovementRow; stock: StockRow }> {
  const store = await trx.selectFrom('stores').select('active').where('id', '=', m.storeId).forShare().executeTakeFirst();
  if (!store?.active) throw new StoreInactiveError(m.storeId);
  const counting = m.type === 'adjustment' && m.countedQuantity !== undefined;
  let delta = counting ? 0 : movementDelta(m.type, m.quantity);
  if (delta > 0 || counting) {
    // Stock coming into a pair never seen before starts from an empty row.
    await trx
      .insertInto('stock')
      .values({ storeId: m.storeId, partId: m.partId, territoryId: m.territoryId, siteId: m.siteId })
      .onConflict((oc) => oc.columns(['storeId', 'partId']).doNothing())
      .execute();
  }
  const current = await trx
    .selectFrom('stock')
    .selectAll()
    .where('storeId', '=', m.storeId)
    .where('partId', '=', m.partId)
    .forUpdate()
    .executeTakeFirst();
  const onHand = current?.onHand ?? 0;
  const reserved = current?.reserved ?? 0;
  if (counting) {
    delta = m.countedQuantity! - onHand;
    if (delta === 0) throw new CountMatchesStockError(onHand);
  }
  const quantity = counting ? delta : m.quantity;
  // Reserved units stay: an issue, a transfer out or a count that finds fewer parts takes
  // only what is not reserved (release a reservation first).
  const usable = drawsOnAvailable(m.type) || delta < 0 ? onHand - reserved : onHand;
  if (!current || usable + Math.min(0, delta) < 0) throw new InsufficientStockError(Math.max(0, usable), -delta);

  const unitCostCents = m.unitCostCents ?? null;
  const averageUnitCostCents = delta > 0 && m.type !== 'return'
    ? weightedAverageCost(onHand, current.averageUnitCostCents, delta, unitCostCents)
    : current.averageUnitCostCents;
  const stock = await trx
    .updateTable('stock')
    .set({
      onHand: sql`on_hand + ${delta}`,
      averageUnitCostCents,
      version: sql`version + 1`,
      updatedAt: sql`now()`,
    })
    .where('storeId', '=', m.storeId)
    .where('partId', '=', m.partId)
    .returningAll()
    .executeTakeFirstOrThrow();

  const movement = await trx
    .insertInto('stockMovements')
    .values({
      territoryId: m.territoryId,
      storeId: m.storeId,
      partId: m.partId,
      type: m.type,
      delta,
      quantity,
      // What comes in from outside carries its own cost; what leaves, or comes back from a
      // work order, is valued at the store's average.
      unitCostCents: unitCostCents ?? (delta < 0 || m.type === 'return' ? current.averageUnitCostCents : null),
      workOrderId: m.workOrderId ?? null,
      equipmentId: m.equipmentId ?? null,
      supplier: m.supplier ?? null,
      purchaseOrderReference: m.purchaseOrderReference ?? null,
      countedQuantity: m.type === 'adjustment' ? stock.onHand : null,
      reason: m.reason ?? null,
      createdBy: m.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  return { movement, stock };
}

/**
 * The parts' last purchase cost after receipts, at the end of the caller's transaction (after
 * every stock row it locks), in part order. A receipt at 0 (a free sample, a line nobody
 * priced) leaves the last cost as it was.
 */
export async function recordLastUnitCosts(trx: Kysely<DB>, receipts: readonly { partId: string; unitCostCents: number | null | undefined }[]): Promise<void> {
  const last = new Map<string, number>();
  for (const r of receipts) if (r.unitCostCents != null && r.unitCostCents > 0) last.set(r.partId, r.unitCostCents);
  for (const partId of [...last.keys()].sort()) {
    await trx.updateTable('parts').set({ lastUnitCostCents: last.get(partId)!, updatedAt: sql`now()` }).where('id', '=', partId).execute();
  }
}

/**
 * A part of the catalogue used on a work order: the issue from the store and the work
 * order's part line (with its reference and description copied, so that the line reads
 * the same if the catalogue changes) in the caller's transaction.
 */
export async function issuePartToWorkOrder(
  trx: Kysely<DB>,
  p: { territoryId: string; siteId: string; storeId: string; partId: string; workOrderId: string; quantity: number; recordedBy: string },
): Promise<{ movement: StockMovementRow; stock: StockRow; lineId: string }> {
  // What the work order reserved in this store is its own: the issue uses it first.
  await consumeReservation(trx, p.workOrderId, p.storeId, p.partId, p.quantity);
  const { movement, stock } = await applyStockMovement(trx, {
    territoryId: p.territoryId, storeId: p.storeId, siteId: p.siteId, partId: p.partId, type: 'issue', quantity: p.quantity,
    workOrderId: p.workOrderId, createdBy: p.recordedBy,
  });
  const part = await trx.selectFrom('parts').select(['reference', 'description']).where('id', '=', p.partId).executeTakeFirstOrThrow();
  const line = await trx
    .insertInto('workOrderParts')
    .values({
      workOrderId: p.workOrderId, reference: part.reference, description: part.description, quantity: p.quantity,
      recordedBy: p.recordedBy, partId: p.partId, storeId: p.storeId, movementId: movement.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { movement, stock, lineId: line.id };
}
