import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONVENTION, checkConventionVersion, contractMonthlyCosts, conventionOn, postingMonth, priceLabour, priceTravel, splitByLargestRemainder,
  splitContractMonth, withAppliesTo, type ConventionTerms,
} from '../index.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const SITES = new Set([A, B, C]);

const convention = (o: Partial<ConventionTerms> = {}): ConventionTerms => ({
  ...DEFAULT_CONVENTION, id: 'v1', appliesFrom: '2026-01-01', technicianHourlyRateCents: 4500, engineerHourlyRateCents: 6000,
  travelCentsPerMinute: 50, travelCentsPerKm: 40, overheadPercent: 8, ...o,
});

describe('checkConventionVersion', () => {
  it('requires fixed shares with the fixed_shares split', () => {
    expect(checkConventionVersion({ contractSplit: 'fixed_shares', fixedShares: null }, SITES)?.code).toBe('cost_convention_fixed_shares_required');
    expect(checkConventionVersion({ contractSplit: 'fixed_shares', fixedShares: [] }, SITES)?.code).toBe('cost_convention_fixed_shares_required');
  });
  it('refuses shares with another split', () => {
    expect(checkConventionVersion({ contractSplit: 'devices', fixedShares: [{ siteId: A, percent: 100 }] }, SITES)?.code).toBe('cost_convention_fixed_shares_unexpected');
    expect(checkConventionVersion({ contractSplit: 'devices', fixedShares: null }, SITES)).toBeNull();
    expect(checkConventionVersion({ contractSplit: 'acquisition_value' }, SITES)).toBeNull();
  });
  it('wants shares summing to exactly 100, two decimals at most', () => {
    const ok = [{ siteId: A, percent: 33.33 }, { siteId: B, percent: 33.33 }, { siteId: C, percent: 33.34 }];
    expect(checkConventionVersion({ contractSplit: 'fixed_shares', fixedShares: ok }, SITES)).toBeNull();
    expect(checkConventionVersion({ contractSplit: 'fixed_shares', fixedShares: [{ siteId: A, percent: 60 }, { siteId: B, percent: 39.99 }] }, SITES)?.code)
      .toBe('cost_convention_fixed_shares_not_100');
    expect(checkConventionVersion({ contractSplit: 'fixed_shares', fixedShares: [{ siteId: A, percent: 50.005 }, { siteId: B, percent: 49.995 }] }, SITES)?.code)
      .toBe('cost_convention_fixed_shares_not_100');
  });
  it('wants each share at a site of the territory, once', () => {
    const other = '00000000-0000-4000-8000-0000000000ff';
    const unknown = checkConventionVersion({ contractSplit: 'fixed_shares', fixedShares: [{ siteId: A, percent: 50 }, { siteId: other, percent: 50 }] }, SITES);
    expect(unknown).toMatchObject({ code: 'cost_convention_fixed_shares_unknown_site', path: 'body.fixedShares.1.siteId' });
    const twice = checkConventionVersion({ contractSplit: 'fixed_shares', fixedShares: [{ siteId: A, percent: 50 }, { siteId: A, percent: 50 }] }, SITES);
    expect(twice).toMatchObject({ code: 'cost_convention_fixed_shares_duplicate_site', path: 'body.fixedShares.1.siteId' });
  });
});

describe('the version in force', () => {
  const versions = [{ id: 'b', appliesFrom: '2026-03-01' }, { id: 'a', appliesFrom: '2026-01-01' }, { id: 'c', appliesFrom: '2026-06-15' }];
  it('is the latest applying from the day or before, none before the first', () => {
    expect(conventionOn(versions, '2025-12-31')).toBeNull();
    expect(conventionOn(versions, '2026-01-01')?.id).toBe('a');
    expect(conventionOn(versions, '2026-02-28')?.id).toBe('a');
    expect(conventionOn(versions, '2026-03-01')?.id).toBe('b');
    expect(conventionOn(versions, '2026-06-14')?.id).toBe('b');
    expect(conventionOn(versions, '2027-01-01')?.id).toBe('c');
  });
  it('lists versions newest first, each until the day before the next', () => {
    expect(withAppliesTo(versions).map((v) => [v.id, v.appliesTo])).toEqual([['c', null], ['b', '2026-06-14'], ['a', '2026-02-28']]);
  });
});

describe('labour and travel', () => {
  it('prices minutes at the role rate with the overhead, to the cent', () => {
    // 90 min × 45 €/h = 67.50 € × 1.08 = 72.90 €
    expect(priceLabour(convention(), 'technician', 90)).toEqual({ amountCents: 7290, quantity: 90, unitCostCents: 4500 });
    // 50 min × 60 €/h = 50 € × 1.08 = 54 €
    expect(priceLabour(convention(), 'engineer', 50).amountCents).toBe(5400);
    // 7 min × 45 €/h = 5.25 € × 1.085 = 5.69625 → 5.70 €
    expect(priceLabour(convention({ overheadPercent: 8.5 }), 'technician', 7).amountCents).toBe(570);
    // Defaults: 45 €/h, no overhead.
    expect(priceLabour(DEFAULT_CONVENTION, 'engineer', 60).amountCents).toBe(4500);
  });
  it('prices travel per minute with the overhead; nothing without travel minutes', () => {
    expect(priceTravel(convention(), 35, null, null)).toEqual({ amountCents: 1890, quantity: 35, unitCostCents: 50 }); // 35 × 0.50 × 1.08
    expect(priceTravel(convention(), 0, null, null)).toBeNull();
    expect(priceTravel(DEFAULT_CONVENTION, 35, null, null)).toBeNull();
  });
  it('prices travel per km there and back between the sites, none without coordinates', () => {
    const lyon = { latitude: 45.764, longitude: 4.8357 };
    const vienne = { latitude: 45.5256, longitude: 4.8746 };
    const t = priceTravel(convention({ travelMode: 'per_km' }), 20, lyon, vienne)!;
    // 26.7 km one way → 53.4 km × 0.40 € × 1.08 = 23.0688 €
    expect(t.quantity).toBeCloseTo(53.4, 5);
    expect(t.amountCents).toBe(2307);
    expect(priceTravel(convention({ travelMode: 'per_km' }), 20, lyon, { latitude: null, longitude: null })).toBeNull();
    expect(priceTravel(convention({ travelMode: 'per_km' }), 0, lyon, vienne)).toBeNull();
  });
});

describe('a contract per month', () => {
  it('spreads the total over the days and the months sum exactly to it', () => {
    const months = contractMonthlyCosts({ startsOn: '2026-01-15', endsOn: '2027-01-14', totalCostCents: 1_000_001 });
    expect(months).toHaveLength(13);
    expect(months.reduce((s, m) => s + m.costCents, 0)).toBe(1_000_001);
    expect(months[0]).toMatchObject({ month: '2026-01-01', days: 17 });
    expect(months[0]!.costCents).toBe(Math.round((1_000_001 * 17) / 365));
    expect(months.at(-1)).toMatchObject({ month: '2027-01-01', days: 14 });
  });
  it('stops at the given month', () => {
    const months = contractMonthlyCosts({ startsOn: '2026-01-01', endsOn: '2026-12-31', totalCostCents: 365_00 }, '2026-03-01');
    expect(months.map((m) => [m.month, m.costCents])).toEqual([['2026-01-01', 3100], ['2026-02-01', 2800], ['2026-03-01', 3100]]);
  });
});

describe('the split of a month between covered sites', () => {
  const covered = [
    { siteId: B, devices: 1, acquisitionValueCents: 0 },
    { siteId: A, devices: 2, acquisitionValueCents: 300_000 },
    { siteId: C, devices: 0, acquisitionValueCents: 0 },
  ];
  it('by devices, the shares summing exactly to the cost (largest remainder)', () => {
    expect(splitContractMonth(100, covered, 'devices', null)).toEqual([{ siteId: A, cents: 67, basisPoints: 6667 }, { siteId: B, cents: 33, basisPoints: 3333 }]);
    const three = splitContractMonth(100, [{ siteId: A, devices: 1, acquisitionValueCents: 0 }, { siteId: B, devices: 1, acquisitionValueCents: 0 }, { siteId: C, devices: 1, acquisitionValueCents: 0 }], 'devices', null);
    expect(three.map((s) => s.cents)).toEqual([34, 33, 33]);
  });
  it('by acquisition value, by devices when no value is known', () => {
    expect(splitContractMonth(1000, covered, 'acquisition_value', null).map((s) => s.cents)).toEqual([1000, 0]);
    const none = covered.map((c) => ({ ...c, acquisitionValueCents: 0 }));
    expect(splitContractMonth(1000, none, 'acquisition_value', null).map((s) => s.cents)).toEqual([667, 333]);
  });
  it('by fixed shares renormalised over the covered sites', () => {
    const shares = [{ siteId: A, percent: 50 }, { siteId: B, percent: 25 }, { siteId: C, percent: 25 }];
    // A and B covered: 50 : 25 → 2/3, 1/3.
    expect(splitContractMonth(900, covered, 'fixed_shares', shares).map((s) => s.cents)).toEqual([600, 300]);
    // A covered site without a share weighs 0.
    expect(splitContractMonth(900, covered, 'fixed_shares', [{ siteId: A, percent: 100 }]).map((s) => s.cents)).toEqual([900, 0]);
  });
  it('stays exact with huge amounts and weights', () => {
    const big = splitByLargestRemainder(99_999_999_999, [{ key: 'x', weight: 99_999_999_997 }, { key: 'y', weight: 1 }, { key: 'z', weight: 1 }])!;
    expect(big.reduce((s, p) => s + p.cents, 0)).toBe(99_999_999_999);
    expect(splitByLargestRemainder(10, [{ key: 'x', weight: 0 }])).toBeNull();
  });
});

describe('the month a line goes in', () => {
  it('is the source month when open, else the first open month after it', () => {
    expect(postingMonth('2026-03-17', new Set())).toBe('2026-03-01');
    expect(postingMonth('2026-03-17', new Set(['2026-03-01', '2026-04-01']))).toBe('2026-05-01');
    expect(postingMonth('2026-12-02', new Set(['2026-12-01']))).toBe('2027-01-01');
    expect(postingMonth('2026-03-01', new Set(['2026-02-01', '2026-04-01']))).toBe('2026-03-01');
  });
});
