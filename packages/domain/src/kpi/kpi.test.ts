import { describe, expect, it } from 'vitest';
import {
  activeIntervals, addKpiSums, availability, costOfServiceRatio, costPerDevice, daysOf, deviceDayMinutes, doneDay, doneOnlyByVendors, doneWithinTolerance, EMPTY_KPI_SUMS,
  failureDay, histogramPercentileHours, maintenanceCostCents, mtbf, mttr, monthsOf, nearestRankPercentile, parisDayBounds, parisDayMinutes, pmCompliance, repairBucket,
  restoration, subcontractedShare, techniciansPer1000, vendorCostShare, type Interval, type KpiWorkOrder,
} from '../index.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-06-01T00:00:00Z');
/** Σ of a device's minutes over the days of a period. */
function period(active: Interval[], downs: Interval[], from: string, to: string, now = NOW) {
  return daysOf(from, to).reduce(
    (s, d) => {
      const m = deviceDayMinutes(active, downs, d, now);
      return { activeMinutes: s.activeMinutes + m.activeMinutes, downMinutes: s.downMinutes + m.downMinutes };
    },
    { activeMinutes: 0, downMinutes: 0 },
  );
}
const alwaysActive: Interval[] = [{ start: at('2025-01-01T00:00:00Z'), end: null }];
const corrective = (o: Partial<KpiWorkOrder>): KpiWorkOrder => ({
  type: 'corrective', state: 'closed', deviceOutOfService: true, requestedAt: at('2026-02-01T09:00:00Z'),
  downtimeStartedAt: null, downtimeEndedAt: null, completedAt: null, ...o,
});

describe('Europe/Paris days', () => {
  it('starts a day at Paris midnight, 23 or 25 hours on the days the clocks change', () => {
    expect(parisDayBounds('2026-01-15').start.toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(parisDayBounds('2026-07-15').start.toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(parisDayMinutes('2026-03-29')).toBe(1380);
    expect(parisDayMinutes('2026-10-25')).toBe(1500);
    expect(parisDayMinutes('2026-02-01')).toBe(1440);
  });
  it('cuts a period into its months', () => {
    expect(monthsOf('2026-01-20', '2026-03-05')).toEqual([
      { month: '2026-01', from: '2026-01-20', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-05' },
    ]);
    expect(daysOf('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

describe('availability', () => {
  it('counts only the part inside the period of a device down across the period’s start', () => {
    // Down from 30 January 20:00 to 1 February 10:00 (Paris, UTC+1); period: February.
    const down = [{ start: at('2026-01-30T19:00:00Z'), end: at('2026-02-01T09:00:00Z') }];
    const m = period(alwaysActive, down, '2026-02-01', '2026-02-28');
    expect(m).toEqual({ activeMinutes: 28 * 1440, downMinutes: 600 });
    const a = availability(m.activeMinutes, m.downMinutes, 28);
    expect(a).toEqual({ value: (40320 - 600) / 40320, numerator: 39720, denominator: 40320, records: 28 });
  });

  it('counts a failure restored after the period ends up to the period’s end, and its repair in the period it was restored', () => {
    const wo = corrective({ requestedAt: at('2026-02-27T09:00:00Z'), downtimeStartedAt: at('2026-02-27T09:00:00Z'), downtimeEndedAt: at('2026-03-03T09:00:00Z') });
    const feb = period(alwaysActive, [{ start: wo.downtimeStartedAt!, end: wo.downtimeEndedAt }], '2026-02-01', '2026-02-28');
    expect(feb.downMinutes).toBe(14 * 60 + 24 * 60); // 27 Feb 10:00 → 1 March 00:00
    expect(failureDay(wo)).toBe('2026-02-27');
    expect(restoration(wo)).toEqual({ day: '2026-03-03', minutes: 4 * 1440 });
    // February has the failure, not the repair: no MTTR; March has it.
    expect(mttr({ repairs: 0, repairMinutes: 0 })).toEqual({ value: null, numerator: 0, denominator: 0, records: 0 });
    expect(mttr({ repairs: 1, repairMinutes: 4 * 1440 })).toEqual({ value: 96, numerator: 96, denominator: 1, records: 1 });
  });

  it('stops counting a device decommissioned mid-period, and never counts its downtime after', () => {
    const active = activeIntervals(at('2025-06-01T00:00:00Z'), 'decommissioned', [
      { at: at('2025-06-01T00:00:00Z'), fromStatus: null, toStatus: 'in_service' },
      { at: at('2026-02-15T11:00:00Z'), fromStatus: 'in_service', toStatus: 'decommissioned' },
    ]);
    const down = [{ start: at('2026-02-15T10:00:00Z'), end: null }]; // down from 11:00, never restored
    const m = period(active, down, '2026-02-01', '2026-02-28');
    expect(m.activeMinutes).toBe(14 * 1440 + 12 * 60);
    expect(m.downMinutes).toBe(60);
  });

  it('counts overlapping downtimes of one device once, and a device in stock not at all', () => {
    const downs = [
      { start: at('2026-02-10T09:00:00Z'), end: at('2026-02-10T11:00:00Z') },
      { start: at('2026-02-10T10:00:00Z'), end: at('2026-02-10T12:00:00Z') },
    ];
    expect(period(alwaysActive, downs, '2026-02-10', '2026-02-10').downMinutes).toBe(180);
    const inStock = activeIntervals(at('2026-01-01T00:00:00Z'), 'in_stock', []);
    expect(period(inStock, downs, '2026-02-10', '2026-02-10')).toEqual({ activeMinutes: 0, downMinutes: 0 });
  });
});

describe('MTTR, MTBF and the reopened work order', () => {
  it('keeps the first restoration of a reopened work order and counts it done only when completed again', () => {
    const restoredAt = at('2026-02-03T09:00:00Z');
    const reopened = corrective({ state: 'in_progress', downtimeStartedAt: at('2026-02-01T09:00:00Z'), downtimeEndedAt: restoredAt, completedAt: null });
    expect(restoration(reopened)).toEqual({ day: '2026-02-03', minutes: 2 * 1440 });
    expect(doneDay(reopened)).toBeNull();
    const again = { ...reopened, state: 'completed', completedAt: at('2026-02-05T15:00:00Z') };
    expect(restoration(again)).toEqual({ day: '2026-02-03', minutes: 2 * 1440 });
    expect(doneDay(again)).toBe('2026-02-05');
    expect(restoration({ ...again, state: 'cancelled' })).toBeNull();
    expect(restoration({ ...again, type: 'preventive' })).toBeNull();
  });

  it('gives MTBF as in-service hours per failure', () => {
    expect(mtbf({ activeMinutes: 30 * 1440, downMinutes: 1440, failures: 2 })).toEqual({ value: 348, numerator: 696, denominator: 2, records: 2 });
    expect(mtbf({ activeMinutes: 100, downMinutes: 0, failures: 0 }).value).toBeNull();
  });

  it('reads percentiles from the histogram within 0.5 % of the exact ones', () => {
    const minutes = [3, 45, 61, 120, 240, 600, 1440, 2000, 5000, 30000, 0.5];
    const buckets = new Map<number, number>();
    for (const m of minutes) buckets.set(repairBucket(m), (buckets.get(repairBucket(m)) ?? 0) + 1);
    const hist = [...buckets].map(([bucket, repairs]) => ({ bucket, repairs }));
    for (const p of [0.5, 0.9]) {
      const exact = nearestRankPercentile(minutes, p)! / 60;
      const read = histogramPercentileHours(hist, p)!;
      expect(Math.abs(read - exact) / exact).toBeLessThanOrEqual(0.005);
    }
    expect(nearestRankPercentile(minutes, 0.5)).toBe(240);
    expect(histogramPercentileHours([], 0.5)).toBeNull();
  });
});

describe('planned maintenance done', () => {
  const planned = (completedAt: string | null, state = 'completed'): KpiWorkOrder => ({
    type: 'preventive', state, deviceOutOfService: false, requestedAt: at('2026-01-31T00:00:00Z'), downtimeStartedAt: null, downtimeEndedAt: null,
    completedAt: completedAt ? at(completedAt) : null, planId: 'p', dueDate: '2026-02-10', windowStart: '2026-02-07', windowEnd: '2026-02-14',
  });
  it('counts a plan’s work done on a Paris day of its tolerance window', () => {
    expect(doneWithinTolerance(planned('2026-02-14T22:30:00Z'))).toBe(true); // 14 Feb 23:30 Paris
    expect(doneWithinTolerance(planned('2026-02-14T23:30:00Z'))).toBe(false); // 15 Feb 00:30 Paris
    expect(doneWithinTolerance(planned('2026-02-06T23:30:00Z'))).toBe(true); // 7 Feb 00:30 Paris
    expect(doneWithinTolerance(planned(null, 'cancelled'))).toBe(false);
    // Four due: two within, one late, one cancelled (a cancelled obligation stays due).
    expect(pmCompliance(4, 2)).toEqual({ value: 0.5, numerator: 2, denominator: 4, records: 4 });
    expect(pmCompliance(0, 0).value).toBeNull();
  });
});

describe('cost, technicians and subcontracting', () => {
  const sums = { ...EMPTY_KPI_SUMS, labourMinutes: 600, labourCents: 45_000, labourRecords: 4, partsCents: 10_000, partsRecords: 2, vendorCents: 50_000,
    vendorRecords: 1, deviceDays: 365 * 2, acquisitionCentsDays: 365 * 1_000_000, closed: 10, closedVendorOnly: 3 };
  it('annualises the cost over device-years, labour as priced in the rollups', () => {
    // 10 h at 45 € + 100 € + 500 € = 1,050 € over 2 device-years.
    expect(costPerDevice(sums)).toEqual({ value: 52_500, numerator: 105_000, denominator: 2, records: 7 });
    expect(costOfServiceRatio(sums)).toEqual({ value: 0.105, numerator: 105_000, denominator: 1_000_000, records: 7 });
    expect(vendorCostShare(sums).value).toBeCloseTo(50_000 / 105_000, 12);
    expect(costPerDevice(EMPTY_KPI_SUMS).value).toBeNull();
  });
  it('adds the contracts prorated over the period, their fractions of a cent rounded once', () => {
    // A contract of 3,650 € over 365 days: 10 € a day, a third of it on this scope for 30 days = 100 €.
    const withContract = addKpiSums(sums, { contractCents: (30 * 1000) / 3 });
    expect(maintenanceCostCents(withContract)).toBe(105_000 + 10_000);
    expect(costPerDevice(withContract).numerator).toBe(115_000);
    // Summed over days, fractions round once: three days of 33.3333… cents give 100 cents, not 99.
    const days = [1, 2, 3].reduce((a) => addKpiSums(a, { contractCents: 100 / 3 }), EMPTY_KPI_SUMS);
    expect(maintenanceCostCents(days)).toBe(100);
    // The vendors' share is of the whole cost, contracts included in the denominator.
    expect(vendorCostShare(withContract).denominator).toBe(115_000);
  });
  it('gives technicians per 1,000 average active devices, and the share done only by vendors', () => {
    // 2.5 FTE, 500 devices on average over 30 days.
    expect(techniciansPer1000(2.5, 3, 500 * 30, 30)).toEqual({ value: 5, numerator: 2.5, denominator: 0.5, records: 3 });
    expect(techniciansPer1000(1, 1, 0, 0).value).toBeNull();
    expect(subcontractedShare(sums)).toEqual({ value: 0.3, numerator: 3, denominator: 10, records: 10 });
    expect(doneOnlyByVendors({ performedBy: 'internal' }, 0, 1)).toBe(true);
    expect(doneOnlyByVendors({ performedBy: 'internal' }, 1, 1)).toBe(false);
    expect(doneOnlyByVendors({ performedBy: 'vendor' }, 0, 0)).toBe(true);
    expect(doneOnlyByVendors({ performedBy: 'internal' }, 0, 0)).toBe(false);
  });
});
