/**
 * Stock rules (issue 12): movement types and their sign, the weighted average unit cost,
 * the distance between sites. Pure: no I/O.
 */

export const STOCK_MOVEMENT_TYPES = ['receipt', 'issue', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'harvest'] as const;
export type StockMovementType = (typeof STOCK_MOVEMENT_TYPES)[number];

/** The units a part of the catalogue is counted in. */
export const PART_UNITS = ['piece', 'box', 'metre', 'litre', 'kit', 'pack'] as const;
export type PartUnit = (typeof PART_UNITS)[number];

/** The movements a user records directly through `POST /stock/movements`. */
export const MANUAL_MOVEMENT_TYPES = ['receipt', 'issue', 'return', 'adjustment'] as const;
export type ManualMovementType = (typeof MANUAL_MOVEMENT_TYPES)[number];

/** Largest quantity of one movement (and of an adjustment's absolute value). */
export const MAX_MOVEMENT_QUANTITY = 100_000;

/** Movements that take stock out: their delta is minus the quantity. */
const OUTGOING: ReadonlySet<StockMovementType> = new Set(['issue', 'transfer_out']);

/**
 * The signed effect of a movement on on hand. `quantity` is positive for every type but an
 * adjustment, whose quantity is already signed (found more: positive; found fewer: negative).
 * Throws a RangeError when the quantity does not fit the type (callers validate first).
 */
export function movementDelta(type: StockMovementType, quantity: number): number {
  if (!Number.isInteger(quantity)) throw new RangeError('quantity must be an integer');
  if (type === 'adjustment') {
    if (quantity === 0) throw new RangeError('an adjustment changes the quantity');
    return quantity;
  }
  if (quantity <= 0) throw new RangeError('quantity must be positive');
  return OUTGOING.has(type) ? -quantity : quantity;
}

/** Whether a movement draws on the available stock (on hand minus reserved), not only on on hand. */
export function drawsOnAvailable(type: StockMovementType): boolean {
  return type === 'issue' || type === 'transfer_out';
}

/**
 * The weighted average unit cost after stock comes in (receipt, transfer in, harvest with a
 * value): (on hand × average + quantity × unit cost) / (on hand + quantity), rounded to the
 * cent. Stock that was empty takes the incoming cost; an incoming line without a cost (null)
 * leaves the average unchanged. Outgoing movements never change the average.
 */
export function weightedAverageCost(onHand: number, averageCents: number, quantity: number, unitCostCents: number | null): number {
  if (unitCostCents === null || quantity <= 0) return averageCents;
  const before = Math.max(0, onHand);
  if (before === 0) return unitCostCents;
  return Math.round((before * averageCents + quantity * unitCostCents) / (before + quantity));
}

/** Great-circle distance in kilometres (haversine, mean Earth radius 6371 km), rounded to 0.1 km; null when a coordinate is unknown. */
export function distanceKm(
  from: { latitude: number | null; longitude: number | null } | null | undefined,
  to: { latitude: number | null; longitude: number | null },
): number | null {
  if (!from || from.latitude === null || from.longitude === null || to.latitude === null || to.longitude === null) return null;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(to.latitude - from.latitude);
  const dLon = rad(to.longitude - from.longitude);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(from.latitude)) * Math.cos(rad(to.latitude)) * Math.sin(dLon / 2) ** 2;
  const km = 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
  return Math.round(km * 10) / 10;
}

/** Sorts by distance, nearest first; unknown distances last; ties by the given key. */
export function nearestFirst<T extends { distanceKm: number | null }>(items: readonly T[], tieKey: (t: T) => string): T[] {
  return [...items].sort((a, b) => {
    if (a.distanceKm !== b.distanceKm) {
      if (a.distanceKm === null) return 1;
      if (b.distanceKm === null) return -1;
      return a.distanceKm - b.distanceKm;
    }
    return tieKey(a).localeCompare(tieKey(b));
  });
}
