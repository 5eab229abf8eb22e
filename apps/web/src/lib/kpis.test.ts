import { describe, expect, it } from 'vitest';
import {
  chartValue,
  compareToTerritory,
  defaultKpiPeriod,
  dueDayOf,
  formatKpiFraction,
  formatKpiValue,
  formatMonth,
  groupMyWork,
  lastEndedMonth,
  mondayOfWeek,
  monthsBetween,
  statementCsvPath,
} from './kpis.ts';

const nb = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatKpiValue', () => {
  it('writes each indicator in its unit, in French and in English', () => {
    expect(nb(formatKpiValue('availability', 0.99234, 'fr'))).toBe('99,2 %');
    expect(formatKpiValue('availability', 0.99234, 'en')).toBe('99.2%');
    expect(nb(formatKpiValue('mttr', 12.46, 'fr'))).toBe('12,5 h');
    expect(nb(formatKpiValue('costPerDevice', 123_456, 'fr'))).toBe('1 235 €');
    expect(formatKpiValue('costPerDevice', 123_456, 'en')).toBe('€1,235');
    expect(nb(formatKpiValue('techniciansPer1000', 2.345, 'fr'))).toBe('2,35');
    expect(nb(formatKpiValue('subcontractedShare', 0.125, 'fr'))).toBe('12,5 %');
    expect(nb(formatKpiValue('pmCompliance', 1, 'fr'))).toBe('100 %');
  });

  it('says « — » when there is no value', () => {
    expect(formatKpiValue('mttr', null, 'fr')).toBe('—');
    expect(formatKpiValue('availability', Number.NaN, 'en')).toBe('—');
  });
});

describe('formatKpiFraction', () => {
  it('gives numerator and denominator so that the value can be checked', () => {
    expect(formatKpiFraction('availability', { numerator: 1_234_567, denominator: 1_240_000 }, 'fr')).toEqual({ numerator: nbsp('1 234 567'), denominator: nbsp('1 240 000') });
    expect(formatKpiFraction('pmCompliance', { numerator: 46, denominator: 50 }, 'en')).toEqual({ numerator: '46', denominator: '50' });
    expect(formatKpiFraction('mttr', { numerator: 250.25, denominator: 20 }, 'en')).toEqual({ numerator: '250.3', denominator: '20' });
    expect(formatKpiFraction('costPerDevice', { numerator: 1_000_000, denominator: 12.345 }, 'en')).toEqual({ numerator: '€10,000', denominator: '12.3' });
    expect(formatKpiFraction('techniciansPer1000', { numerator: 3.5, denominator: 1.456 }, 'en')).toEqual({ numerator: '3.5', denominator: '1.46' });
  });
});

function nbsp(s: string): string {
  return new Intl.NumberFormat('fr-FR').format(Number(s.replace(/ /g, '')));
}

describe('chartValue and compareToTerritory', () => {
  it('draws shares in %, money in euros, and keeps gaps', () => {
    expect(chartValue('availability', 0.98765)).toBe(98.8);
    expect(chartValue('costPerDevice', 123_456)).toBe(1235);
    expect(chartValue('mttr', 3.14159)).toBe(3.1);
    expect(chartValue('techniciansPer1000', 2.345)).toBe(2.35);
    expect(chartValue('mttr', null)).toBeNull();
  });

  it('says better or worse with the indicator’s direction', () => {
    expect(compareToTerritory('availability', 0.99, 0.95)).toBe('better');
    expect(compareToTerritory('mttr', 10, 5)).toBe('worse');
    expect(compareToTerritory('costPerDevice', 10_000, 20_000)).toBe('better');
    expect(compareToTerritory('subcontractedShare', 0.3, 0.2)).toBe('worse');
    expect(compareToTerritory('pmCompliance', 0.9001, 0.9004)).toBe('same');
    expect(compareToTerritory('pmCompliance', null, 0.9)).toBeNull();
  });
});

describe('periods and months', () => {
  it('defaults to the last 12 months, whole months to today', () => {
    expect(defaultKpiPeriod('2026-12-01')).toEqual({ from: '2026-01-01', to: '2026-12-01' });
    expect(defaultKpiPeriod('2026-03-31')).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(monthsBetween(defaultKpiPeriod('2026-03-31').from, '2026-03-31')).toHaveLength(12);
  });

  it('names the last ended month and its statement', () => {
    expect(lastEndedMonth('2026-12-01')).toBe('2026-11');
    expect(lastEndedMonth('2026-01-15')).toBe('2025-12');
    expect(statementCsvPath('2026-11')).toBe('/cost-statements/2026-11.csv');
  });

  it('lists months across a year', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02-01', '2026-01-01')).toEqual([]);
  });

  it('writes a month in the reader’s language', () => {
    expect(formatMonth('2026-11', 'fr')).toBe('nov. 2026');
    expect(formatMonth('2026-11', 'en', true)).toBe('November 2026');
  });
});

describe('the technician’s week', () => {
  it('starts on Monday', () => {
    expect(mondayOfWeek('2026-12-01')).toBe('2026-11-30');
    expect(mondayOfWeek('2026-12-06')).toBe('2026-11-30');
    expect(mondayOfWeek('2026-11-30')).toBe('2026-11-30');
  });

  it('sorts work into overdue, today and the rest of this week, once each', () => {
    const items = [
      { id: 'late', dueDay: '2026-11-28', overdue: false },
      { id: 'flagged', dueDay: '2026-12-01', overdue: true },
      { id: 'today', dueDay: '2026-12-01', overdue: false },
      { id: 'sunday', dueDay: '2026-12-06', overdue: false },
      { id: 'next-week', dueDay: '2026-12-07', overdue: false },
      { id: 'none', dueDay: null, overdue: false },
    ];
    const g = groupMyWork(items, '2026-12-01');
    expect(g.overdue.map((i) => i.id)).toEqual(['late', 'flagged']);
    expect(g.today.map((i) => i.id)).toEqual(['today']);
    expect(g.week.map((i) => i.id)).toEqual(['sunday']);
  });

  it('reads the due day in Paris', () => {
    expect(dueDayOf('2026-12-03', '2026-12-01T10:00:00Z')).toBe('2026-12-03');
    // 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
    expect(dueDayOf(null, '2026-11-30T23:30:00Z')).toBe('2026-12-01');
    expect(dueDayOf(null, null)).toBeNull();
  });
});
