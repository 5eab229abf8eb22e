import { describe, expect, it } from 'vitest';
import type { StockAvailability } from '@gmao/contracts';
import {
  freeTextLines, issuedGroups, matchesPart, netIssued, parseQuantity, partOffers, sortWorkOrderTransfers, type PartUsed,
} from './work-order-parts.ts';

const HERE = 'site-here';
const part = (id: string, reference: string) => ({ id, reference, description: `Pièce ${reference}`, unit: 'piece' as const });
const avail = (partId: string, storeId: string, siteId: string, available: number, distanceKm: number | null = null): StockAvailability => ({
  storeId, storeName: `Magasin ${storeId}`, siteId, siteName: `Site ${siteId}`, partId, partReference: partId, partDescription: '',
  onHand: available, reserved: 0, available, distanceKm,
});

describe('partOffers', () => {
  it('splits each part between the work order’s site and the other sites, nearest first, and ranks what is at hand first', () => {
    const offers = partOffers(
      [part('a', 'BAT-2'), part('b', 'BAT-1'), part('c', 'CAP-1')],
      [
        avail('a', 's1', HERE, 0), avail('a', 'far', 'x', 4, 80), avail('a', 'near', 'y', 1, 12.5), avail('a', 'unknown', 'z', 2, null), avail('a', 'empty', 'w', 0, 3),
        avail('b', 's1', HERE, 2), avail('b', 's2', HERE, 5), avail('b', 'far', 'x', 1, 80),
      ],
      HERE,
    );
    expect(offers.map((o) => o.part.reference)).toEqual(['BAT-1', 'BAT-2', 'CAP-1']);
    const [b, a, c] = offers;
    expect(b!.local.map((s) => s.storeId)).toEqual(['s2', 's1']);
    expect(b!.localAvailable).toBe(7);
    expect(a!.localAvailable).toBe(0);
    expect(a!.local.map((s) => s.storeId)).toEqual(['s1']);
    expect(a!.remote.map((s) => s.storeId)).toEqual(['near', 'far', 'unknown']);
    expect(c).toMatchObject({ local: [], remote: [], localAvailable: 0 });
  });

  it('filters on reference or description, ignoring case and accents', () => {
    const p = { reference: 'SPO2-ADU', description: 'Capteur SpO₂ réutilisable' };
    expect(matchesPart(p, 'reutilisable')).toBe(true);
    expect(matchesPart(p, 'spo2-adu')).toBe(true);
    expect(matchesPart(p, ' ')).toBe(true);
    expect(matchesPart(p, 'batterie')).toBe(false);
  });
});

describe('what was issued and may be returned', () => {
  const line = (id: string, partId: string | null, storeId: string | null, quantity: number): PartUsed => ({
    id, reference: partId ?? 'LIBRE', description: '', quantity, recordedAt: `2026-11-30T10:0${id}:00.000Z`, partId, storeId, movementId: partId ? 1 : null,
  });
  it('nets issues and returns per store and part from the ledger', () => {
    const net = netIssued([
      { type: 'issue', storeId: 's1', partId: 'a', quantity: 3 }, { type: 'return', storeId: 's1', partId: 'a', quantity: 1 },
      { type: 'issue', storeId: 's2', partId: 'a', quantity: 2 }, { type: 'receipt', storeId: 's1', partId: 'a', quantity: 9 },
    ]);
    expect(Object.fromEntries(net)).toEqual({ 's1/a': 2, 's2/a': 2 });
  });
  it('groups the stock lines per store and part and keeps free-text lines apart', () => {
    const lines = [line('1', 'a', 's1', 2), line('2', null, null, 1), line('3', 'a', 's1', 1), line('4', 'b', 's1', 1)];
    const groups = issuedGroups(lines, new Map([['s1/a', 1]]));
    expect(groups.map((g) => [g.partId, g.issued, g.net, g.lines.length])).toEqual([['a', 3, 1, 2], ['b', 1, 1, 1]]);
    expect(freeTextLines(lines).map((l) => l.id)).toEqual(['2']);
  });
});

describe('helpers', () => {
  it('lists the transfers under way first, newest first', () => {
    const x = (state: 'requested' | 'shipped' | 'received' | 'cancelled', at: string) => ({ state, requested: { by: 'u', at } });
    const sorted = sortWorkOrderTransfers([x('received', '2026-11-30T12:00:00Z'), x('requested', '2026-11-29T12:00:00Z'), x('shipped', '2026-11-30T09:00:00Z'), x('cancelled', '2026-11-28T09:00:00Z')]);
    expect(sorted.map((t) => t.state)).toEqual(['shipped', 'requested', 'received', 'cancelled']);
  });
  it('reads a whole quantity within bounds', () => {
    expect(parseQuantity('3')).toBe(3);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity(' 4 ', 4)).toBe(4);
    expect(parseQuantity('5', 4)).toBeNull();
    expect(parseQuantity('0')).toBeNull();
    expect(parseQuantity('1.5')).toBeNull();
    expect(parseQuantity('')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
  });
});
