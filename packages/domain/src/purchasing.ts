/**
 * Grouped purchasing across the territory (issue 12, ADR 0014): how much each store needs,
 * what a line costs, how a receipt is split back into the stores, and the order's state.
 * Pure: no I/O.
 */

/** ordered → partially_received → received; ordered → cancelled (nothing received); partially_received → closed (the rest will not come). */
export const GROUPED_ORDER_STATES = ['ordered', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export type GroupedOrderState = (typeof GROUPED_ORDER_STATES)[number];

/** Largest quantity of one store's allocation (as a stock movement's). */
export const MAX_ALLOCATION_QUANTITY = 100_000;

/** A store's stock of a part, as the proposal reads it. */
export interface StoreNeedInput {
  onHand: number;
  minimum: number;
  maximum: number | null;
  /** Ordered on open grouped orders for this store and part and not yet received. */
  onOrder: number;
  /** Coming from another site: transfers approved (not yet shipped) or shipped, to this store. */
  inTransit: number;
}

/**
 * The quantity to order for a store below its minimum: up to its maximum (its minimum when it
 * has none), less what is already on order or on its way. 0 when the store is not below its
 * minimum, or when what is coming already covers it; never above MAX_ALLOCATION_QUANTITY.
 */
export function quantityToOrder(s: StoreNeedInput): number {
  if (s.onHand >= s.minimum) return 0;
  const target = s.maximum ?? s.minimum;
  const need = target - s.onHand - Math.max(0, s.onOrder) - Math.max(0, s.inTransit);
  return Math.min(MAX_ALLOCATION_QUANTITY, Math.max(0, need));
}

export type UnitCostSource = 'last' | 'average' | 'none';

/**
 * The unit cost proposed for a part: its last purchase cost (the catalogue's last unit cost,
 * which every receipt updates), else the mean of the needing stores' weighted average costs
 * (those that have one, i.e. above 0), rounded to the cent, else 0 (the buyer fills it in).
 */
export function proposedUnitCost(lastUnitCostCents: number | null, storeAverageCents: readonly number[]): { cents: number; source: UnitCostSource } {
  if (lastUnitCostCents !== null) return { cents: lastUnitCostCents, source: 'last' };
  const known = storeAverageCents.filter((c) => c > 0);
  if (known.length === 0) return { cents: 0, source: 'none' };
  return { cents: Math.round(known.reduce((a, b) => a + b, 0) / known.length), source: 'average' };
}

/** One store's share of a line when parts arrive. */
export interface ReceiptAllocationInput {
  /** Identifies the allocation (store or allocation id). */
  key: string;
  /** Ordered and not yet received. */
  remaining: number;
  /** The store's on hand and minimum now (before this receipt). */
  onHand: number;
  minimum: number;
}

export type SplitResult = { split: Map<string, number> } | { error: 'over_receipt'; remaining: number };

/**
 * Splits `quantity` parts that arrived for one line between its stores, never giving a store
 * more than it still awaits:
 * - everything awaited arrived: each store gets its remaining quantity;
 * - fewer arrived: the stores furthest below their minimum are filled first ("water-filling"
 *   on the shortfall minimum − on hand): each unit goes to the store with the largest
 *   shortfall after what it has been given so far, among those still awaiting parts; ties go
 *   to the store awaiting more, then to the smaller key (stable);
 * - more than awaited: refused (`over_receipt`), nothing is split.
 * Computed by levels, not unit by unit, so that 100,000 parts over 50 stores cost nothing.
 */
export function splitReceipt(quantity: number, allocations: readonly ReceiptAllocationInput[]): SplitResult {
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError('quantity must be a non-negative integer');
  const items = allocations.map((a) => ({ ...a, remaining: Math.max(0, a.remaining), shortfall: a.minimum - a.onHand }));
  const totalRemaining = items.reduce((n, a) => n + a.remaining, 0);
  if (quantity > totalRemaining) return { error: 'over_receipt', remaining: totalRemaining };
  const split = new Map<string, number>(items.map((a) => [a.key, 0]));
  if (quantity === 0) return { split };
  if (quantity === totalRemaining) {
    for (const a of items) split.set(a.key, a.remaining);
    return { split };
  }
  // g(L): what each store gets when every store is filled up to the level L of shortfall left.
  const given = (level: number, a: (typeof items)[number]) => Math.min(a.remaining, Math.max(0, a.shortfall - level));
  const total = (level: number) => items.reduce((n, a) => n + given(level, a), 0);
  // The smallest level whose total fits: total(low) = everything awaited > quantity, total(high) = 0.
  let low = Math.min(...items.map((a) => a.shortfall - a.remaining)) - 1;
  let high = Math.max(...items.map((a) => a.shortfall));
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (total(mid) <= quantity) high = mid;
    else low = mid;
  }
  const level = high;
  for (const a of items) split.set(a.key, given(level, a));
  // The units left go one each to the stores that reach the level next (shortfall − given = level).
  let left = quantity - total(level);
  const next = items
    .filter((a) => given(level - 1, a) > given(level, a))
    .sort((a, b) => b.remaining - a.remaining || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const a of next) {
    if (left === 0) break;
    split.set(a.key, split.get(a.key)! + 1);
    left--;
  }
  return { split };
}

/** The state of an open order after a receipt, from its allocations' ordered and received quantities. */
export function groupedOrderState(allocations: readonly { ordered: number; received: number }[]): 'ordered' | 'partially_received' | 'received' {
  const received = allocations.reduce((n, a) => n + a.received, 0);
  if (received === 0) return 'ordered';
  return allocations.every((a) => a.received >= a.ordered) ? 'received' : 'partially_received';
}

/** An order is cancelled only before anything was received (the parts received are on the ledger). */
export function mayCancelGroupedOrder(state: GroupedOrderState): boolean {
  return state === 'ordered';
}

/** An order receives parts while something is still awaited. */
export function mayReceiveGroupedOrder(state: GroupedOrderState): boolean {
  return state === 'ordered' || state === 'partially_received';
}

/**
 * A partially received order is closed when the rest will not come (out of stock at the
 * supplier, line discontinued): what was received stays, the remainder is no longer awaited
 * (nor subtracted by the proposal), and the order receives nothing more.
 */
export function mayCloseGroupedOrder(state: GroupedOrderState): boolean {
  return state === 'partially_received';
}
