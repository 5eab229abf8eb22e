import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  groupedOrderState, mayCancelGroupedOrder, mayCloseGroupedOrder, mayReceiveGroupedOrder, proposedUnitCost, quantityToOrder, splitReceipt, type ReceiptAllocationInput,
} from './purchasing.js';

describe('quantityToOrder', () => {
  it('orders up to the maximum, else the minimum', () => {
    expect(quantityToOrder({ onHand: 2, minimum: 5, maximum: 10, onOrder: 0, inTransit: 0 })).toBe(8);
    expect(quantityToOrder({ onHand: 2, minimum: 5, maximum: null, onOrder: 0, inTransit: 0 })).toBe(3);
  });
  it('subtracts what is on order and in transit', () => {
    expect(quantityToOrder({ onHand: 2, minimum: 5, maximum: 10, onOrder: 3, inTransit: 1 })).toBe(4);
    expect(quantityToOrder({ onHand: 2, minimum: 5, maximum: 10, onOrder: 6, inTransit: 4 })).toBe(0);
  });
  it('orders nothing for a store at or above its minimum', () => {
    expect(quantityToOrder({ onHand: 5, minimum: 5, maximum: 10, onOrder: 0, inTransit: 0 })).toBe(0);
    expect(quantityToOrder({ onHand: 0, minimum: 0, maximum: null, onOrder: 0, inTransit: 0 })).toBe(0);
  });
  it('never goes above one movement', () => {
    expect(quantityToOrder({ onHand: 0, minimum: 500_000, maximum: null, onOrder: 0, inTransit: 0 })).toBe(100_000);
  });
});

describe('proposedUnitCost', () => {
  it('takes the last purchase cost first', () => {
    expect(proposedUnitCost(1250, [900])).toEqual({ cents: 1250, source: 'last' });
    expect(proposedUnitCost(0, [900])).toEqual({ cents: 0, source: 'last' });
  });
  it('else the mean of the stores’ known averages, rounded to the cent', () => {
    expect(proposedUnitCost(null, [1000, 0, 1001])).toEqual({ cents: 1001, source: 'average' });
  });
  it('else nothing known', () => {
    expect(proposedUnitCost(null, [0, 0])).toEqual({ cents: 0, source: 'none' });
    expect(proposedUnitCost(null, [])).toEqual({ cents: 0, source: 'none' });
  });
});

const alloc = (key: string, remaining: number, onHand: number, minimum: number): ReceiptAllocationInput => ({ key, remaining, onHand, minimum });
const asObject = (r: ReturnType<typeof splitReceipt>) => ('split' in r ? Object.fromEntries(r.split) : r);

describe('splitReceipt', () => {
  const stores = [alloc('a', 6, 4, 5), alloc('b', 8, 0, 6), alloc('c', 3, 1, 3)];

  it('gives each store what it awaits when everything arrives', () => {
    expect(asObject(splitReceipt(17, stores))).toEqual({ a: 6, b: 8, c: 3 });
  });
  it('refuses more than awaited', () => {
    expect(splitReceipt(18, stores)).toEqual({ error: 'over_receipt', remaining: 17 });
  });
  it('fills the stores furthest below their minimum first', () => {
    // Shortfalls a 1, b 6, c 2: b first, down to c's level, then b and c, then all three.
    expect(asObject(splitReceipt(4, stores))).toEqual({ a: 0, b: 4, c: 0 });
    expect(asObject(splitReceipt(5, stores))).toEqual({ a: 0, b: 5, c: 0 });
    expect(asObject(splitReceipt(6, stores))).toEqual({ a: 0, b: 5, c: 1 });
    expect(asObject(splitReceipt(8, stores))).toEqual({ a: 1, b: 6, c: 1 });
    expect(asObject(splitReceipt(0, stores))).toEqual({ a: 0, b: 0, c: 0 });
  });
  it('then keeps levelling above the minimum, within what each store awaits', () => {
    expect(asObject(splitReceipt(14, stores))).toEqual({ a: 3, b: 8, c: 3 });
  });
  it('breaks ties by the larger awaited quantity, then by key', () => {
    expect(asObject(splitReceipt(1, [alloc('x', 2, 0, 3), alloc('y', 5, 0, 3)]))).toEqual({ x: 0, y: 1 });
    expect(asObject(splitReceipt(1, [alloc('y', 2, 0, 3), alloc('x', 2, 0, 3)]))).toEqual({ x: 1, y: 0 });
  });

  it('always splits exactly what arrived, within each store’s remaining, and favours the neediest (property)', () => {
    const store = fc.record({ remaining: fc.integer({ min: 0, max: 60 }), onHand: fc.integer({ min: 0, max: 40 }), minimum: fc.integer({ min: 0, max: 40 }) });
    fc.assert(fc.property(fc.array(store, { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (raw, share) => {
      const list = raw.map((s, i) => alloc(`s${i}`, s.remaining, s.onHand, s.minimum));
      const total = list.reduce((n, a) => n + a.remaining, 0);
      const quantity = Math.floor(total * share);
      const r = splitReceipt(quantity, list);
      if (!('split' in r)) return false;
      const given = (a: ReceiptAllocationInput) => r.split.get(a.key)!;
      const after = (a: ReceiptAllocationInput) => a.minimum - a.onHand - given(a);
      if (list.some((a) => given(a) < 0 || given(a) > a.remaining)) return false;
      if (list.reduce((n, a) => n + given(a), 0) !== quantity) return false;
      // Water-filling: a store still awaiting parts is never left further below its minimum
      // than a store that was given some, by more than one unit.
      return list.every((a) => given(a) === a.remaining || list.every((b) => given(b) === 0 || after(a) <= after(b) + 1));
    }));
  });
});

describe('grouped order states', () => {
  it('follows what was received', () => {
    expect(groupedOrderState([{ ordered: 3, received: 0 }, { ordered: 2, received: 0 }])).toBe('ordered');
    expect(groupedOrderState([{ ordered: 3, received: 3 }, { ordered: 2, received: 0 }])).toBe('partially_received');
    expect(groupedOrderState([{ ordered: 3, received: 3 }, { ordered: 2, received: 2 }])).toBe('received');
  });
  it('cancels only before any receipt, receives while something is awaited', () => {
    expect(mayCancelGroupedOrder('ordered')).toBe(true);
    for (const s of ['partially_received', 'received', 'closed', 'cancelled'] as const) expect(mayCancelGroupedOrder(s)).toBe(false);
    expect(mayReceiveGroupedOrder('ordered')).toBe(true);
    expect(mayReceiveGroupedOrder('partially_received')).toBe(true);
    for (const s of ['received', 'closed', 'cancelled'] as const) expect(mayReceiveGroupedOrder(s)).toBe(false);
  });
  it('closes the rest of a partially received order only', () => {
    expect(mayCloseGroupedOrder('partially_received')).toBe(true);
    for (const s of ['ordered', 'received', 'closed', 'cancelled'] as const) expect(mayCloseGroupedOrder(s)).toBe(false);
  });
});
