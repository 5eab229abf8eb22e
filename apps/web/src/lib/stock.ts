import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { StockLevel, StockMovementCreate } from '@gmao/contracts';
import type { StockListParams } from '../api/stock-endpoints.ts';
import { parseEuros } from './format.ts';
import { ALL_SITES, queryValue } from './url-query.ts';

/** The stock list's filters, as the page edits them and the URL carries them. */
export interface StockFilters {
  q: string;
  /** '' for every site of the territory. */
  siteId: string;
  /** '' for every store (of the site). */
  storeId: string;
  belowMinimum: boolean;
}

/** Reads the filters from the URL; no site means the current one, `siteId=all` the whole territory. */
export function stockFiltersFromQuery(query: LocationQuery, currentSiteId: string | null): StockFilters {
  const site = queryValue(query.siteId);
  return {
    q: queryValue(query.q),
    siteId: site === ALL_SITES ? '' : site || (currentSiteId ?? ''),
    storeId: queryValue(query.storeId),
    belowMinimum: queryValue(query.belowMinimum) === 'true',
  };
}

/** The URL query of a view: always names the site, so that a shared link shows the same list. */
export function stockQueryFromFilters(f: StockFilters): LocationQueryRaw {
  const query: Record<string, string> = { siteId: f.siteId || ALL_SITES };
  if (f.q.trim()) query.q = f.q.trim();
  if (f.storeId) query.storeId = f.storeId;
  if (f.belowMinimum) query.belowMinimum = 'true';
  return query;
}

/** The filters as GET /stock parameters. */
export function stockListParams(f: StockFilters): StockListParams {
  return {
    q: f.q.trim() || undefined,
    siteId: f.siteId || undefined,
    storeId: f.storeId || undefined,
    belowMinimum: f.belowMinimum || undefined,
  };
}

/** A stock row with the key the keyset list needs (a row is one part in one store). */
export type StockRow = StockLevel & { id: string };

export function stockRowId(level: Pick<StockLevel, 'storeId' | 'partId'>): string {
  return `${level.storeId}:${level.partId}`;
}

export function withRowId(level: StockLevel): StockRow {
  return { ...level, id: stockRowId(level) };
}

export function isBelowMinimum(level: Pick<StockLevel, 'onHand' | 'minimum'>): boolean {
  return level.onHand < level.minimum;
}

/**
 * Reads a quantity typed by the user: a whole number, possibly signed, spaces allowed
 * ("1 200"). Empty → null; anything else → NaN.
 */
export function parseQuantity(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return null;
  if (!/^[-+]?\d+$/.test(compact)) return Number.NaN;
  return Number(compact);
}

/** What an inventory count changes: the signed adjustment counted − on hand (0: nothing to record). */
export function countAdjustment(counted: number, onHand: number): number {
  return counted - onHand;
}

/** The typed values of the movement forms, before they are checked by the contract. */
export interface MovementDraft {
  quantity: string;
  /** Receipt: unit cost in euros ("12,50"). */
  unitCost?: string;
  supplier?: string;
  purchaseOrderReference?: string;
  reason?: string;
  workOrderId?: string;
}

const text = (s: string | undefined) => {
  const v = (s ?? '').trim();
  return v === '' ? undefined : v;
};

/** A number the contract refuses with its own message when the text is not one (NaN → undefined → required). */
const numberOrUndefined = (n: number | null) => (n === null || Number.isNaN(n) ? undefined : n);

/**
 * The body of POST /stock/movements for a receipt, an issue or a return: the quantity as a
 * whole number, the unit cost typed in euros as cents. Values that cannot be read are left
 * out, so that the contract's validation names the field. `invalid` lists the fields typed
 * but unreadable (e.g. "12,345 €").
 */
export function movementBody(
  type: 'receipt' | 'issue' | 'return',
  key: { storeId: string; partId: string },
  draft: MovementDraft,
): { body: Partial<StockMovementCreate> & { type: StockMovementCreate['type'] }; invalid: string[] } {
  const invalid: string[] = [];
  const quantity = parseQuantity(draft.quantity);
  if (quantity !== null && Number.isNaN(quantity)) invalid.push('quantity');
  const body: Partial<StockMovementCreate> & { type: StockMovementCreate['type'] } = {
    type, storeId: key.storeId, partId: key.partId, quantity: numberOrUndefined(quantity),
  };
  if (type === 'receipt') {
    const cents = parseEuros(draft.unitCost ?? '');
    if (cents !== null && Number.isNaN(cents)) invalid.push('unitCostCents');
    body.unitCostCents = numberOrUndefined(cents);
    body.supplier = text(draft.supplier);
    body.purchaseOrderReference = text(draft.purchaseOrderReference);
  } else {
    body.workOrderId = text(draft.workOrderId);
  }
  body.reason = text(draft.reason);
  return { body, invalid };
}

/**
 * The body of an inventory count: the counted quantity itself (`countedQuantity`); the API
 * computes the adjustment (counted − on hand) under the stock row's lock, so that a movement
 * committed since the page was read is not undone. `unchanged` when the count equals the on
 * hand shown (nothing to record; the API would answer 409 count_matches_stock).
 */
export function countBody(
  key: { storeId: string; partId: string },
  onHand: number,
  draft: { counted: string; reason: string },
): { body: Partial<StockMovementCreate> & { type: 'adjustment' }; invalid: string[]; unchanged: boolean } {
  const counted = parseQuantity(draft.counted);
  const invalid = counted !== null && (Number.isNaN(counted) || counted < 0) ? ['countedQuantity'] : [];
  const readable = counted !== null && invalid.length === 0;
  return {
    body: { type: 'adjustment', storeId: key.storeId, partId: key.partId, countedQuantity: readable ? counted : undefined, reason: text(draft.reason) },
    invalid,
    unchanged: readable && countAdjustment(counted, onHand) === 0,
  };
}

/** A signed quantity as the ledger shows it: "+5", "−3" (a true minus sign). */
export function signedQuantity(delta: number, locale: string): string {
  const n = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB').format(Math.abs(delta));
  return delta > 0 ? `+${n}` : delta < 0 ? `\u2212${n}` : n;
}

/** A distance in km as people read it ("12 km", "3,4 km"); null when the site has no coordinates. */
export function formatDistance(km: number | null, locale: string): string | null {
  if (km === null) return null;
  return `${new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: km < 10 ? 1 : 0 }).format(km)} km`;
}
