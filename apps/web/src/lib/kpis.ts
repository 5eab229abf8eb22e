import { KPI_KEYS, type KpiIndicator, type KpiKey } from '@gmao/contracts';
import { addDays, addMonths } from '@gmao/domain';

/**
 * The dashboards' pure helpers (issue 15): the six indicators' values and their numerator ÷
 * denominator as words can check them, the default period, the months of a statement, and the
 * technician's work sorted into overdue / today / this week. No Vue state: unit-tested beside.
 */

export { KPI_KEYS };

/** How an indicator's value reads: a share (0–1 shown as %), hours, cents a device-year, FTE per 1,000 devices. */
export type KpiUnit = 'percent' | 'hours' | 'money' | 'per1000';

export const KPI_UNITS: Record<KpiKey, KpiUnit> = {
  availability: 'percent',
  mttr: 'hours',
  pmCompliance: 'percent',
  costPerDevice: 'money',
  techniciansPer1000: 'per1000',
  subcontractedShare: 'percent',
};

/** Whether a higher value is better (the comparison site vs territory says « better » / « worse » with it). */
export const KPI_HIGHER_IS_BETTER: Record<KpiKey, boolean> = {
  availability: true,
  mttr: false,
  pmCompliance: true,
  costPerDevice: false,
  techniciansPer1000: true,
  subcontractedShare: false,
};

/** What stands for a missing value (denominator 0). */
export const NO_VALUE = '—';

const intlLocale = (locale: string) => (locale === 'fr' ? 'fr-FR' : 'en-GB');
const numberCache = new Map<string, Intl.NumberFormat>();

/** A number with the locale's separators, between `min` and `max` decimals. */
export function formatNumber(n: number, locale: string, max = 1, min = 0): string {
  const key = `${locale}|${min}|${max}`;
  let format = numberCache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: min, maximumFractionDigits: max });
    numberCache.set(key, format);
  }
  return format.format(n);
}

/** Euros from cents, without cents (dashboards read orders of magnitude). */
export function formatEuros(cents: number, locale: string): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(cents / 100);
}

/**
 * An indicator's value in its unit: « 99,2 % », « 12,5 h », « 1 234 € », « 2,4 »; « — » without
 * a value. Shares keep one decimal (an availability of 99.2 % is not 99 %).
 */
export function formatKpiValue(key: KpiKey, value: number | null, locale: string): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  switch (KPI_UNITS[key]) {
    case 'percent':
      return `${formatNumber(value * 100, locale, 1)}${locale === 'fr' ? '\u00a0%' : '%'}`;
    case 'hours':
      return `${formatNumber(value, locale, 1)}\u00a0h`;
    case 'money':
      return formatEuros(value, locale);
    case 'per1000':
      return formatNumber(value, locale, 2);
  }
}

/**
 * The numerator and the denominator as numbers to read (the words of their units are the
 * catalogue's): minutes and work orders whole, hours and device-years with one decimal,
 * cents as euros, FTE and thousands of devices with two.
 */
export function formatKpiFraction(key: KpiKey, k: Pick<KpiIndicator, 'numerator' | 'denominator'>, locale: string): { numerator: string; denominator: string } {
  const whole = (n: number) => formatNumber(n, locale, 0);
  switch (key) {
    case 'availability':
      return { numerator: whole(k.numerator), denominator: whole(k.denominator) };
    case 'mttr':
      return { numerator: formatNumber(k.numerator, locale, 1), denominator: whole(k.denominator) };
    case 'pmCompliance':
    case 'subcontractedShare':
      return { numerator: whole(k.numerator), denominator: whole(k.denominator) };
    case 'costPerDevice':
      return { numerator: formatEuros(k.numerator, locale), denominator: formatNumber(k.denominator, locale, 1) };
    case 'techniciansPer1000':
      return { numerator: formatNumber(k.numerator, locale, 2), denominator: formatNumber(k.denominator, locale, 2) };
  }
}

/** The value a chart draws: shares in %, money in euros, rounded as the table shows them; null stays a gap. */
export function chartValue(key: KpiKey, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  switch (KPI_UNITS[key]) {
    case 'percent':
      return Math.round(value * 1000) / 10;
    case 'money':
      return Math.round(value / 100);
    case 'hours':
      return Math.round(value * 10) / 10;
    case 'per1000':
      return Math.round(value * 100) / 100;
  }
}

/**
 * How a site stands against the territory on one indicator: 'better', 'worse', 'same' (within
 * half a unit of the last digit shown), or null when either has no value.
 */
export function compareToTerritory(key: KpiKey, site: number | null, territory: number | null): 'better' | 'worse' | 'same' | null {
  if (site === null || territory === null) return null;
  const a = chartValue(key, site);
  const b = chartValue(key, territory);
  if (a === null || b === null || a === b) return 'same';
  return (a > b) === KPI_HIGHER_IS_BETTER[key] ? 'better' : 'worse';
}

/**
 * The default period: the last 12 months, whole months from the first day of the month 11
 * months ago to today (12 monthly points, the current one partial).
 */
export function defaultKpiPeriod(today: string): { from: string; to: string } {
  return { from: `${addMonths(today, -11).slice(0, 7)}-01`, to: today };
}

/** The last month that has ended ('YYYY-MM'), whose statement the site manager downloads. */
export function lastEndedMonth(today: string): string {
  return addMonths(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
}

/** The months from `from` to `to` ('YYYY-MM', both included). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m.slice(0, 7) <= to.slice(0, 7) && out.length < 120; m = addMonths(m, 1)) out.push(m.slice(0, 7));
  return out;
}

/** A month ('YYYY-MM') as words read it: « nov. 2026 » / « Nov 2026 »; `long` spells the month out. */
export function formatMonth(month: string, locale: string, long = false): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone: 'UTC', month: long ? 'long' : 'short', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** The API path of a month's statement as CSV. */
export function statementCsvPath(month: string): string {
  return `/cost-statements/${month}.csv`;
}

/* ---- The technician's work (home page) ---------------------------------------------------- */

/** Monday of the week of a day (yyyy-mm-dd). */
export function mondayOfWeek(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

export interface MyWorkItem {
  /** The day the work is due (Europe/Paris), null when it has none. */
  dueDay: string | null;
  /** Past its due date now (the API's or the card's rule). */
  overdue: boolean;
}

/**
 * The technician's open work sorted for the home page: overdue first (whatever its day), then
 * due today, then due later this week (up to Sunday); the rest (later, or no due date) is not
 * shown there. Each item is in one group only; the input order (priority, due date) is kept.
 */
export function groupMyWork<T extends MyWorkItem>(items: readonly T[], today: string): { overdue: T[]; today: T[]; week: T[] } {
  const sunday = addDays(mondayOfWeek(today), 6);
  const groups = { overdue: [] as T[], today: [] as T[], week: [] as T[] };
  for (const item of items) {
    if (item.overdue || (item.dueDay !== null && item.dueDay < today)) groups.overdue.push(item);
    else if (item.dueDay === today) groups.today.push(item);
    else if (item.dueDay !== null && item.dueDay > today && item.dueDay <= sunday) groups.week.push(item);
  }
  return groups;
}

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });

/**
 * The day a work order is due, Europe/Paris: a planned one's due date, else the day of the due
 * date that matters now (response or repair, the card's `nextDue()`), else null.
 */
export function dueDayOf(dueDate: string | null, nextDueAt: string | null): string | null {
  if (dueDate) return dueDate;
  if (!nextDueAt) return null;
  const ms = Date.parse(nextDueAt);
  return Number.isNaN(ms) ? null : parisDay.format(new Date(ms));
}
