import { describe, expect, it } from 'vitest';
import {
  addCalendar, addMonths, applicablePlans, estimatedMeterDueDate, isOverdue, meterRatePerDay, nextCalendarDue, nextMeterDue,
  nextOccurrenceAfter, occurrence, occurrenceOnOrAfter, parisDay, planSpecificity, toleranceWindow, unitFitsTrigger, everyFitsUnit, withinLeadTime,
  withinTolerance, type PlanScope,
} from './pm-schedule.js';

describe('calendar arithmetic', () => {
  it('clamps month ends and comes back to the 31st when computed from the anchor', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(occurrence('2025-01-31', 1, 'months', 2)).toBe('2025-03-31');
    expect(occurrence('2025-01-31', 1, 'months', 3)).toBe('2025-04-30');
    expect(occurrence('2025-01-31', 1, 'months', 12)).toBe('2026-01-31');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-03-15', -3)).toBe('2024-12-15');
  });
  it('handles leap years (29 February yearly)', () => {
    expect(occurrence('2024-02-29', 1, 'years', 1)).toBe('2025-02-28');
    expect(occurrence('2024-02-29', 1, 'years', 4)).toBe('2028-02-29');
    expect(occurrence('2024-02-29', 2, 'years', 2)).toBe('2028-02-29');
    expect(addCalendar('2024-02-28', 1, 'days')).toBe('2024-02-29');
    expect(addCalendar('2023-02-28', 1, 'days')).toBe('2023-03-01');
    expect(addCalendar('2100-02-28', 1, 'days')).toBe('2100-03-01');
    expect(addCalendar('2000-02-28', 1, 'days')).toBe('2000-02-29');
  });
  it('counts weeks and days across daylight-saving changes without moving a day', () => {
    // Europe/Paris: summer time from 2026-03-29, winter time from 2026-10-25.
    expect(addCalendar('2026-03-28', 1, 'days')).toBe('2026-03-29');
    expect(addCalendar('2026-03-28', 1, 'weeks')).toBe('2026-04-04');
    expect(addCalendar('2026-10-24', 2, 'days')).toBe('2026-10-26');
    expect(occurrence('2026-01-05', 1, 'weeks', 12)).toBe('2026-03-30');
    expect(occurrence('2026-01-05', 1, 'weeks', 42)).toBe('2026-10-26');
  });
  it('tells the Paris day of an instant, DST included', () => {
    expect(parisDay(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29'); // 00:30 CET
    expect(parisDay(new Date('2026-03-29T21:59:00Z'))).toBe('2026-03-29'); // 23:59 CEST
    expect(parisDay(new Date('2026-03-29T22:00:00Z'))).toBe('2026-03-30'); // 00:00 CEST
    expect(parisDay(new Date('2026-10-25T22:59:00Z'))).toBe('2026-10-25'); // 23:59 CET
    expect(parisDay(new Date('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
    expect(parisDay(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });
});

describe('fixed schedules', () => {
  it('finds the first occurrence strictly after a day', () => {
    expect(nextOccurrenceAfter('2025-01-31', 1, 'months', '2025-01-31')).toBe('2025-02-28');
    expect(nextOccurrenceAfter('2025-01-31', 1, 'months', '2025-02-28')).toBe('2025-03-31');
    expect(nextOccurrenceAfter('2025-01-31', 1, 'months', '2025-03-01')).toBe('2025-03-31');
    expect(nextOccurrenceAfter('2025-01-31', 3, 'months', '2025-12-01')).toBe('2026-01-31');
    expect(nextOccurrenceAfter('2025-01-01', 10, 'days', '2025-01-10')).toBe('2025-01-11');
    expect(nextOccurrenceAfter('2025-01-01', 10, 'days', '2025-01-11')).toBe('2025-01-21');
    expect(nextOccurrenceAfter('2025-01-06', 2, 'weeks', '2025-01-20')).toBe('2025-02-03');
    expect(nextOccurrenceAfter('2024-02-29', 1, 'years', '2025-06-01')).toBe('2026-02-28');
    expect(nextOccurrenceAfter('2026-05-01', 1, 'months', '2025-01-01')).toBe('2026-05-01');
  });
  it('agrees with stepping occurrences one by one', () => {
    for (const [anchor, every, unit] of [['2024-01-31', 1, 'months'], ['2024-02-29', 1, 'years'], ['2024-08-31', 6, 'months'], ['2024-03-01', 3, 'weeks'], ['2024-03-01', 45, 'days']] as const) {
      const occ = Array.from({ length: 400 }, (_, k) => occurrence(anchor, every, unit, k));
      for (let d = 0; d < 900; d += 7) {
        const day = addCalendar(anchor, d - 20, 'days');
        expect(nextOccurrenceAfter(anchor, every, unit, day)).toBe(occ.find((o) => o > day));
        expect(occurrenceOnOrAfter(anchor, every, unit, day)).toBe(occ.find((o) => o >= day));
      }
    }
  });
  it('plans the next due date from the anchor, whenever the last one was done', () => {
    const s = { base: 'fixed' as const, every: 1, unit: 'months' as const, anchorDate: '2026-01-31' };
    expect(nextCalendarDue(s, null, '2026-01-10')).toBe('2026-01-31');
    expect(nextCalendarDue(s, null, '2026-03-05')).toBe('2026-03-31');
    expect(nextCalendarDue(s, { dueDate: '2026-02-28', completedOn: '2026-03-20' }, '2026-01-10')).toBe('2026-03-31');
    expect(nextCalendarDue(s, { dueDate: '2026-03-31', completedOn: null }, '2026-01-10')).toBe('2026-04-30');
  });
  it('counts from the completion day on base "completion"; from the due date when cancelled', () => {
    const s = { base: 'completion' as const, every: 6, unit: 'months' as const, anchorDate: '2026-01-15' };
    expect(nextCalendarDue(s, null, '2026-01-10')).toBe('2026-01-15');
    expect(nextCalendarDue(s, null, '2026-02-01')).toBe('2026-02-01');
    expect(nextCalendarDue(s, { dueDate: '2026-01-15', completedOn: '2026-02-20' }, '2026-01-10')).toBe('2026-08-20');
    expect(nextCalendarDue(s, { dueDate: '2026-01-15', completedOn: null }, '2026-01-10')).toBe('2026-07-15');
    expect(nextCalendarDue({ ...s, every: 1, unit: 'months' }, { dueDate: '2026-01-15', completedOn: '2026-01-31' }, '2026-01-01')).toBe('2026-02-28');
  });
});

describe('tolerance, lead time, overdue', () => {
  it('opens the tolerance window around the due date', () => {
    const w = toleranceWindow('2026-03-01', 7, 14);
    expect(w).toEqual({ from: '2026-02-22', to: '2026-03-15' });
    expect(withinTolerance('2026-02-22', w)).toBe(true);
    expect(withinTolerance('2026-02-21', w)).toBe(false);
    expect(withinTolerance('2026-03-15', w)).toBe(true);
    expect(withinTolerance('2026-03-16', w)).toBe(false);
    expect(toleranceWindow('2024-03-01', 1, 0)).toEqual({ from: '2024-02-29', to: '2024-03-01' });
  });
  it('creates a work order when the due date is within the lead time', () => {
    expect(withinLeadTime('2026-03-30', '2026-03-16', 14)).toBe(true);
    expect(withinLeadTime('2026-03-31', '2026-03-16', 14)).toBe(false);
    expect(withinLeadTime('2026-03-01', '2026-03-16', 0)).toBe(true);
    expect(withinLeadTime('2026-03-29', '2026-03-28', 0)).toBe(false);
  });
  it('is overdue the day after the due date', () => {
    expect(isOverdue('2026-03-29', '2026-03-29')).toBe(false);
    expect(isOverdue('2026-03-29', '2026-03-30')).toBe(true);
  });
});

describe('meters', () => {
  const r = (value: number, at: string) => ({ value, readAt: new Date(at) });
  it('is due every N units after the last completion, or after the baseline', () => {
    expect(nextMeterDue(500, 1200, 100)).toBe(1700);
    expect(nextMeterDue(500, null, 100)).toBe(600);
    expect(nextMeterDue(500, null, null)).toBe(500);
  });
  it('estimates the usage rate from recent readings', () => {
    expect(meterRatePerDay([r(100, '2026-01-01T08:00:00Z')])).toBeNull();
    expect(meterRatePerDay([r(100, '2026-01-01T08:00:00Z'), r(100, '2026-01-11T08:00:00Z')])).toBeNull();
    expect(meterRatePerDay([r(100, '2026-01-01T08:00:00Z'), r(200, '2026-01-11T08:00:00Z')])).toBe(10);
    // Only the last 90 days count.
    expect(meterRatePerDay([r(0, '2025-01-01T08:00:00Z'), r(100, '2026-01-01T08:00:00Z'), r(300, '2026-01-11T08:00:00Z')])).toBe(20);
  });
  it('estimates the day the meter reaches its due value', () => {
    const readings = [r(100, '2026-01-01T08:00:00Z'), r(200, '2026-01-11T08:00:00Z')];
    expect(estimatedMeterDueDate(250, readings)).toBe('2026-01-16');
    expect(estimatedMeterDueDate(255, readings)).toBe('2026-01-17');
    expect(estimatedMeterDueDate(150, readings)).toBe('2026-01-11');
    expect(estimatedMeterDueDate(250, [readings[0]!])).toBeNull();
    expect(estimatedMeterDueDate(50, [readings[0]!])).toBe('2026-01-01');
    expect(estimatedMeterDueDate(50, [])).toBeNull();
    // 10 a day: 365,000 days away is too far to tell.
    expect(estimatedMeterDueDate(200 + 10 * 36_501, readings)).toBeNull();
  });
});

describe('which plan applies', () => {
  const device = { id: 'd1', modelId: 'm1', categoryId: 'c1' };
  const plan = (id: string, scope: Partial<PlanScope>, type: PlanScope['workOrderType'] = 'preventive'): PlanScope => ({
    id, equipmentId: null, modelId: null, categoryId: null, workOrderType: type, active: true, ...scope,
  });
  it('ranks device > model > category', () => {
    expect(planSpecificity(plan('a', { equipmentId: 'd1' }), device)).toBe(3);
    expect(planSpecificity(plan('a', { modelId: 'm1' }), device)).toBe(2);
    expect(planSpecificity(plan('a', { categoryId: 'c1' }), device)).toBe(1);
    expect(planSpecificity(plan('a', { categoryId: 'c2' }), device)).toBe(0);
    expect(planSpecificity(plan('a', { equipmentId: 'd2' }), device)).toBe(0);
  });
  it('keeps the most specific plan per work-order type, skipping opt-outs and inactive plans', () => {
    const plans = [plan('cat', { categoryId: 'c1' }), plan('model', { modelId: 'm1' }), plan('dev', { equipmentId: 'd1' }), plan('es', { categoryId: 'c1' }, 'electrical_safety')];
    expect(applicablePlans(plans, device, new Set()).map((p) => p.id)).toEqual(['dev', 'es']);
    expect(applicablePlans(plans, device, new Set(['dev'])).map((p) => p.id)).toEqual(['model', 'es']);
    expect(applicablePlans(plans, device, new Set(['dev', 'model', 'es'])).map((p) => p.id)).toEqual(['cat']);
    expect(applicablePlans([{ ...plans[2]!, active: false }, plans[1]!], device, new Set()).map((p) => p.id)).toEqual(['model']);
  });
  it('checks units against triggers', () => {
    expect(unitFitsTrigger('calendar', 'months')).toBe(true);
    expect(unitFitsTrigger('calendar', 'hours')).toBe(false);
    expect(unitFitsTrigger('meter', 'cycles')).toBe(true);
    expect(unitFitsTrigger('meter', 'days')).toBe(false);
  });
  it('caps calendar intervals at a hundred years, meters at the general limit', () => {
    expect(everyFitsUnit(100, 'years')).toBe(true);
    expect(everyFitsUnit(101, 'years')).toBe(false);
    expect(everyFitsUnit(1200, 'months')).toBe(true);
    expect(everyFitsUnit(1201, 'months')).toBe(false);
    expect(everyFitsUnit(36_500, 'days')).toBe(true);
    expect(everyFitsUnit(100_000, 'days')).toBe(false);
    expect(everyFitsUnit(100_000, 'hours')).toBe(true);
  });
});
