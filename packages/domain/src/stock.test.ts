import { describe, expect, it } from 'vitest';
import { distanceKm, drawsOnAvailable, movementDelta, nearestFirst, weightedAverageCost } from './stock.js';

describe('movement deltas', () => {
  it('takes stock out for issues and transfers out, in for the rest', () => {
    expect(movementDelta('issue', 3)).toBe(-3);
    expect(movementDelta('transfer_out', 2)).toBe(-2);
    expect(movementDelta('receipt', 5)).toBe(5);
    expect(movementDelta('return', 1)).toBe(1);
    expect(movementDelta('transfer_in', 4)).toBe(4);
    expect(movementDelta('harvest', 2)).toBe(2);
  });
  it("keeps an adjustment's sign and refuses a zero adjustment", () => {
    expect(movementDelta('adjustment', -4)).toBe(-4);
    expect(movementDelta('adjustment', 7)).toBe(7);
    expect(() => movementDelta('adjustment', 0)).toThrow(RangeError);
  });
  it('refuses non-positive or fractional quantities for other types', () => {
    expect(() => movementDelta('issue', 0)).toThrow(RangeError);
    expect(() => movementDelta('receipt', -2)).toThrow(RangeError);
    expect(() => movementDelta('receipt', 1.5)).toThrow(RangeError);
  });
  it('issues draw on the available stock, adjustments on on hand only', () => {
    expect(drawsOnAvailable('issue')).toBe(true);
    expect(drawsOnAvailable('adjustment')).toBe(false);
  });
});

describe('weighted average unit cost', () => {
  it('weights the incoming cost by quantity', () => {
    // 10 at 10.00 € + 30 at 14.00 € → 13.00 €
    expect(weightedAverageCost(10, 1000, 30, 1400)).toBe(1300);
  });
  it('rounds to the cent', () => {
    // (1 × 100 + 2 × 101) / 3 = 100.67
    expect(weightedAverageCost(1, 100, 2, 101)).toBe(101);
    expect(weightedAverageCost(2, 100, 1, 101)).toBe(100);
  });
  it('takes the incoming cost when the shelf was empty', () => {
    expect(weightedAverageCost(0, 5000, 4, 1200)).toBe(1200);
  });
  it('leaves the average unchanged without a cost', () => {
    expect(weightedAverageCost(5, 1200, 4, null)).toBe(1200);
  });
});

describe('distances', () => {
  it('computes Lille–Arras by haversine (about 45 km)', () => {
    const d = distanceKm({ latitude: 50.6292, longitude: 3.0573 }, { latitude: 50.2910, longitude: 2.7775 });
    expect(d).toBeGreaterThan(40);
    expect(d).toBeLessThan(50);
  });
  it('is null when a coordinate is unknown, zero on the same site', () => {
    expect(distanceKm({ latitude: null, longitude: 3 }, { latitude: 50, longitude: 3 })).toBeNull();
    expect(distanceKm(null, { latitude: 50, longitude: 3 })).toBeNull();
    expect(distanceKm({ latitude: 50, longitude: 3 }, { latitude: 50, longitude: 3 })).toBe(0);
  });
  it('sorts nearest first, unknown last', () => {
    const sorted = nearestFirst([{ id: 'c', distanceKm: null }, { id: 'b', distanceKm: 12 }, { id: 'a', distanceKm: 3 }], (x) => x.id);
    expect(sorted.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});
