import type { Part, PartUsed as PartUsedSchema, StockAvailability, StockMovement, StockTransfer } from '@gmao/contracts';
import type { z } from 'zod';
import { isTransferClosed } from '@gmao/domain';

/** A line of the work order's parts (a stock line has its part and store; a free-text line none). */
export type PartUsed = z.infer<typeof PartUsedSchema>;

/**
 * The work order's « Pièces » section (issue 12): the parts that fit the device with where
 * they are, what was issued and what may be given back. Pure: no Vue state.
 */

export interface PartOffer {
  part: Pick<Part, 'id' | 'reference' | 'description' | 'unit'>;
  /** Stores of the work order's site holding some, most available first. */
  local: StockAvailability[];
  /** Stores of other sites with some available, nearest first (unknown distance last). */
  remote: StockAvailability[];
  /** Units available on the work order's site. */
  localAvailable: number;
}

function byDistance(a: StockAvailability, b: StockAvailability): number {
  const da = a.distanceKm ?? Number.POSITIVE_INFINITY;
  const db = b.distanceKm ?? Number.POSITIVE_INFINITY;
  return da - db || a.siteName.localeCompare(b.siteName, 'fr') || a.storeName.localeCompare(b.storeName, 'fr');
}

/**
 * Each compatible part with its local stores (the work order's site, even empty ones: the
 * user sees there is none) and the other sites' stores that have some available. Order:
 * parts available on the site, then those found elsewhere, then the rest, by reference.
 */
export function partOffers(parts: PartOffer['part'][], availability: StockAvailability[], siteId: string): PartOffer[] {
  const offers = parts.map((part): PartOffer => {
    const rows = availability.filter((a) => a.partId === part.id);
    const local = rows.filter((a) => a.siteId === siteId).sort((a, b) => b.available - a.available || a.storeName.localeCompare(b.storeName, 'fr'));
    const remote = rows.filter((a) => a.siteId !== siteId && a.available > 0).sort(byDistance);
    return { part, local, remote, localAvailable: local.reduce((n, a) => n + Math.max(0, a.available), 0) };
  });
  const rank = (o: PartOffer) => (o.localAvailable > 0 ? 0 : o.remote.length > 0 ? 1 : 2);
  return offers.sort((a, b) => rank(a) - rank(b) || a.part.reference.localeCompare(b.part.reference, 'fr'));
}

/** Matches a part on its reference or description, ignoring case and accents. */
export function matchesPart(part: Pick<Part, 'reference' | 'description'>, q: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  const needle = fold(q.trim());
  return needle === '' || fold(`${part.reference} ${part.description}`).includes(needle);
}

const key = (storeId: string, partId: string) => `${storeId}/${partId}`;

/**
 * What is still issued to the work order per (store, part): its issues minus its returns, from
 * the ledger (the API refuses to give back more: 409 return_exceeds_issued).
 */
export function netIssued(movements: Pick<StockMovement, 'type' | 'storeId' | 'partId' | 'quantity'>[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const m of movements) {
    const sign = m.type === 'issue' ? 1 : m.type === 'return' ? -1 : 0;
    if (sign !== 0) net.set(key(m.storeId, m.partId), (net.get(key(m.storeId, m.partId)) ?? 0) + sign * m.quantity);
  }
  return net;
}

export interface IssuedGroup {
  storeId: string;
  partId: string;
  /** The lines recorded on the work order for this (store, part), oldest first. */
  lines: PartUsed[];
  issued: number;
  /** Still on the work order (issued − returned). */
  net: number;
}

/** The stock lines of the work order grouped per (store, part), with what may still be returned. */
export function issuedGroups(lines: PartUsed[], net: Map<string, number>): IssuedGroup[] {
  const groups = new Map<string, IssuedGroup>();
  for (const line of lines) {
    if (!line.partId || !line.storeId) continue;
    const k = key(line.storeId, line.partId);
    const g = groups.get(k) ?? { storeId: line.storeId, partId: line.partId, lines: [], issued: 0, net: 0 };
    g.lines.push(line);
    g.issued += line.quantity;
    groups.set(k, g);
  }
  for (const [k, g] of groups) g.net = Math.max(0, net.get(k) ?? g.issued);
  return [...groups.values()];
}

/** Free-text lines (bought on the spot, or recorded before the stock existed). */
export function freeTextLines(lines: PartUsed[]): PartUsed[] {
  return lines.filter((l) => !l.partId);
}

/** The work order's transfers still under way first, then the closed ones; newest first in each. */
export function sortWorkOrderTransfers<T extends Pick<StockTransfer, 'state' | 'requested'>>(transfers: T[]): T[] {
  return [...transfers].sort((a, b) => Number(isTransferClosed(a.state)) - Number(isTransferClosed(b.state)) || b.requested.at.localeCompare(a.requested.at));
}

/** A quantity typed in a field: a whole number from 1 to max, or null. */
export function parseQuantity(raw: unknown, max = 100_000): number | null {
  const text = String(raw ?? '').trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= max ? n : null;
}
