import { describe, expect, it } from 'vitest';
import {
  anchorOf, calendarPeriod, defaultCompliancePeriod, defaultWorkloadPeriod, formatMinutes, formatRate, isDay, isoWeekNumber, itemsByDay,
  lendingHints, mayDropOn, mondayOf, monthGrid, shiftAnchor, weekdayIndex, withinWindow, workloadTone,
} from './pm-planning.ts';

describe('calendar periods (Monday-first weeks)', () => {
  it('finds the Monday of a week, across months and years', () => {
    expect(weekdayIndex('2026-11-30')).toBe(0); // a Monday
    expect(weekdayIndex('2026-12-06')).toBe(6); // a Sunday
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
  });

  it('a month view covers the month’s whole weeks; a week view Monday to Sunday', () => {
    expect(calendarPeriod('month', '2026-11-17')).toEqual({ from: '2026-10-26', to: '2026-12-06' });
    expect(calendarPeriod('month', '2027-02-10')).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(calendarPeriod('week', '2026-12-03')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
  });

  it('anchors and moves by month or week', () => {
    expect(anchorOf('month', '2026-11-17')).toBe('2026-11-01');
    expect(anchorOf('week', '2026-11-17')).toBe('2026-11-16');
    expect(shiftAnchor('month', '2026-01-31', 1)).toBe('2026-02-01');
    expect(shiftAnchor('month', '2026-01-15', -1)).toBe('2025-12-01');
    expect(shiftAnchor('week', '2026-12-31', 1)).toBe('2027-01-04');
  });

  it('places the days in a month grid of whole weeks, marking the days of the month', () => {
    const grid = monthGrid('2026-11-05');
    expect(grid).toHaveLength(6);
    expect(grid.every((w) => w.length === 7)).toBe(true);
    expect(grid[0]![0]).toEqual({ date: '2026-10-26', inMonth: false });
    expect(grid[0]![6]).toEqual({ date: '2026-11-01', inMonth: true });
    expect(grid[5]![0]).toEqual({ date: '2026-11-30', inMonth: true });
    expect(grid[5]![1]).toEqual({ date: '2026-12-01', inMonth: false });
    // February 2027 starts on a Monday and has 28 days: exactly four weeks.
    expect(monthGrid('2027-02-01')).toHaveLength(4);
  });

  it('checks days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('')).toBe(false);
    expect(isoWeekNumber('2026-11-30')).toBe(49);
    expect(isoWeekNumber('2027-01-01')).toBe(53);
    expect(isoWeekNumber('2026-01-01')).toBe(1);
  });
});

const item = (over: Record<string, unknown> = {}) => ({
  key: 'k1',
  workOrder: { id: 'wo', number: 'BT-1', state: 'assigned' as const, version: 1 },
  equipment: { id: 'e', inventoryNumber: 'CHU-2', label: 'Pousse-seringue' },
  plannedDate: '2026-12-03',
  windowStart: '2026-12-01',
  windowEnd: '2026-12-05',
  canReschedule: true,
  ...over,
});

describe('calendar items', () => {
  it('groups items by planned day, by inventory number', () => {
    const byDay = itemsByDay([
      item({ key: 'b' }),
      item({ key: 'a', equipment: { id: 'e1', inventoryNumber: 'CHU-1', label: 'x' } }),
      item({ key: 'c', plannedDate: '2026-12-04' }),
    ]);
    expect(byDay.get('2026-12-03')!.map((i) => i.key)).toEqual(['a', 'b']);
    expect(byDay.get('2026-12-04')!.map((i) => i.key)).toEqual(['c']);
  });

  it('a drop is accepted on another day of the window, for a work order the reader may move', () => {
    expect(mayDropOn(item(), '2026-12-01')).toBe(true);
    expect(mayDropOn(item(), '2026-12-05')).toBe(true);
    expect(mayDropOn(item(), '2026-12-03')).toBe(false); // its day already
    expect(mayDropOn(item(), '2026-12-06')).toBe(false);
    expect(mayDropOn(item(), '2026-11-30')).toBe(false);
    expect(mayDropOn(item({ canReschedule: false }), '2026-12-02')).toBe(false);
    expect(mayDropOn(item({ workOrder: null }), '2026-12-02')).toBe(false);
    expect(withinWindow(item(), '2026-12-05')).toBe(true);
    expect(withinWindow(item(), '2026-12-06')).toBe(false);
    expect(withinWindow(item(), 'demain')).toBe(false);
  });
});

describe('figures in words', () => {
  it('writes hours as people read them', () => {
    expect(formatMinutes(210, 'fr')).toBe('3 h 30');
    expect(formatMinutes(125, 'fr')).toBe('2 h 05');
    expect(formatMinutes(120, 'fr')).toBe('2 h');
    expect(formatMinutes(45, 'fr')).toBe('45 min');
    expect(formatMinutes(0, 'fr')).toBe('0 h');
    expect(formatMinutes(210, 'en')).toBe('3 h 30 min');
  });

  it('writes a rate with its figures', () => {
    expect(formatRate({ rate: 46 / 50, doneWithinTolerance: 46, due: 50 }, 'fr')).toBe('92\u00a0% — 46 / 50');
    expect(formatRate({ rate: 46 / 50, doneWithinTolerance: 46, due: 50 }, 'en')).toBe('92% — 46 / 50');
    expect(formatRate({ rate: null, doneWithinTolerance: 0, due: 0 }, 'fr')).toBe('—');
  });

  it('default periods: 8 weeks from this Monday; the last 12 months to today', () => {
    expect(defaultWorkloadPeriod('2026-12-02')).toEqual({ from: '2026-11-30', to: '2027-01-24' });
    expect(defaultCompliancePeriod('2026-11-30')).toEqual({ from: '2025-12-01', to: '2026-11-30' });
  });
});

describe('workload', () => {
  const week = (over: Record<string, unknown>) => ({
    weekStart: '2026-11-30', dueMinutes: 0, count: 0, unestimated: 0, capacityMinutes: 2100, load: 0, overloaded: false, spareMinutes: 2100, ...over,
  });

  it('tones: overloaded, room to spare, in between, nothing', () => {
    expect(workloadTone(week({ dueMinutes: 60, capacityMinutes: 0, load: null, overloaded: true, spareMinutes: 0 }))).toBe('overloaded');
    expect(workloadTone(week({ dueMinutes: 600, load: 600 / 2100, spareMinutes: 1500 }))).toBe('spare');
    expect(workloadTone(week({ dueMinutes: 1800, load: 1800 / 2100, spareMinutes: 300 }))).toBe('normal');
    expect(workloadTone(week({ capacityMinutes: 0, load: null, spareMinutes: 0 }))).toBe('idle');
  });

  it('names, for each overloaded week, the sites with room to lend work to', () => {
    const site = (id: string, weeks: ReturnType<typeof week>[]) => ({ site: { id, name: id.toUpperCase() }, technicians: 1, weeklyCapacityMinutes: 2100, weeks });
    const hints = lendingHints({
      weeks: ['2026-11-30', '2026-12-07'],
      sites: [
        site('ch2', [week({ dueMinutes: 90, capacityMinutes: 0, load: null, overloaded: true, spareMinutes: 0 }), week({ weekStart: '2026-12-07' })]),
        site('chu', [week({ dueMinutes: 300, load: 300 / 2100, spareMinutes: 1800 }), week({ weekStart: '2026-12-07' })]),
        site('ch1', [week({ dueMinutes: 1200, load: 1200 / 2100, spareMinutes: 900 }), week({ weekStart: '2026-12-07' })]),
      ],
    });
    expect(hints).toEqual([
      { weekStart: '2026-11-30', overloaded: [{ id: 'ch2', name: 'CH2', overMinutes: 90 }], spare: [{ id: 'chu', name: 'CHU', spareMinutes: 1800 }] },
    ]);
  });
});
