import type { PmCalendarItem, PmComplianceFigures, PmWorkload } from '@gmao/contracts';
import { addDays, addMonths, daysBetween } from '@gmao/domain';

/**
 * Pure helpers of the engineer's planning views (issue 13): the calendar's periods and grid
 * (weeks start on Monday, ISO; days are Europe/Paris calendar days written yyyy-mm-dd), hours
 * as people read them, the workload's and the compliance's figures.
 */

export const CALENDAR_VIEWS = ['month', 'week'] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar day (yyyy-mm-dd). */
export function isDay(text: string): boolean {
  const m = DAY_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Day of the week, Monday 0 … Sunday 6. */
export function weekdayIndex(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The Monday of the (ISO) week holding the day. */
export function mondayOf(day: string): string {
  return addDays(day, -weekdayIndex(day));
}

/** The first day of the day's month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The last day of the day's month. */
export function monthEnd(day: string): string {
  return addDays(addMonths(monthStart(day), 1), -1);
}

/** The days from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const n = daysBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(from, i));
}

/** The period a view shows around a day: the month's whole weeks (Monday … Sunday), or the day's week. */
export function calendarPeriod(view: CalendarView, day: string): { from: string; to: string } {
  if (view === 'week') {
    const from = mondayOf(day);
    return { from, to: addDays(from, 6) };
  }
  const from = mondayOf(monthStart(day));
  return { from, to: addDays(mondayOf(monthEnd(day)), 6) };
}

/** The day a view is anchored on, normalised: the month's first day, or the week's Monday. */
export function anchorOf(view: CalendarView, day: string): string {
  return view === 'month' ? monthStart(day) : mondayOf(day);
}

/** The previous (−1) or next (+1) month or week. */
export function shiftAnchor(view: CalendarView, day: string, step: number): string {
  return view === 'month' ? addMonths(monthStart(day), step) : addDays(mondayOf(day), 7 * step);
}

export interface MonthCell {
  date: string;
  /** The day belongs to the month shown (the grid's first and last weeks hold days of the months around). */
  inMonth: boolean;
}

/** The month's grid: its whole weeks, Monday first, 4 to 6 rows of 7 days. */
export function monthGrid(day: string): MonthCell[][] {
  const { from, to } = calendarPeriod('month', day);
  const month = day.slice(0, 7);
  const weeks: MonthCell[][] = [];
  for (const [i, date] of daysFrom(from, to).entries()) {
    if (i % 7 === 0) weeks.push([]);
    weeks[weeks.length - 1]!.push({ date, inMonth: date.slice(0, 7) === month });
  }
  return weeks;
}

/** The items of each planned day, by device inventory number within a day. */
export function itemsByDay<T extends Pick<PmCalendarItem, 'plannedDate' | 'equipment' | 'key'>>(items: readonly T[]): Map<string, T[]> {
  const byDay = new Map<string, T[]>();
  for (const item of items) {
    const list = byDay.get(item.plannedDate);
    if (list) list.push(item);
    else byDay.set(item.plannedDate, [item]);
  }
  for (const list of byDay.values()) {
    list.sort((a, b) => a.equipment.inventoryNumber.localeCompare(b.equipment.inventoryNumber, 'fr') || a.key.localeCompare(b.key));
  }
  return byDay;
}

/** Whether an item may be dropped on a day: a generated work order the reader may move, to another day of its window. */
export function mayDropOn(item: Pick<PmCalendarItem, 'workOrder' | 'canReschedule' | 'windowStart' | 'windowEnd' | 'plannedDate'>, day: string): boolean {
  return item.workOrder !== null && item.canReschedule && day >= item.windowStart && day <= item.windowEnd && day !== item.plannedDate;
}

/** Whether a day typed in the move form is within the item's window. */
export function withinWindow(item: Pick<PmCalendarItem, 'windowStart' | 'windowEnd'>, day: string): boolean {
  return isDay(day) && day >= item.windowStart && day <= item.windowEnd;
}

/** Minutes as people read a duration: « 3 h 30 », « 2 h », « 45 min », « 0 h » (English: "3 h 30 min"). */
export function formatMinutes(minutes: number, locale: string): string {
  const total = Math.max(0, Math.round(minutes));
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (total === 0) return '0 h';
  if (h === 0) return `${m} min`;
  if (m === 0) return `${h} h`;
  return locale === 'fr' ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h ${m} min`;
}

/** A ratio as a whole percentage: 0.923 → « 92 % » (fr, a no-break space) / "92%" (en). */
export function formatPercent(ratio: number, locale: string): string {
  const n = Math.round(ratio * 100);
  return locale === 'fr' ? `${n}\u00a0%` : `${n}%`;
}

/** A compliance rate with its figures: « 92 % — 46 / 50 »; « — » when nothing was due. */
export function formatRate(f: Pick<PmComplianceFigures, 'rate' | 'doneWithinTolerance' | 'due'>, locale: string): string {
  if (f.rate === null || f.due === 0) return '—';
  return `${formatPercent(f.rate, locale)} — ${f.doneWithinTolerance} / ${f.due}`;
}

/** The ISO week number of a day (1 … 53). */
export function isoWeekNumber(day: string): number {
  const thursday = addDays(mondayOf(day), 3);
  const jan1 = `${thursday.slice(0, 4)}-01-01`;
  return Math.floor(daysBetween(jan1, thursday) / 7) + 1;
}

/** The workload's default period: this week and the 7 next (8 weeks, Monday … Sunday). */
export function defaultWorkloadPeriod(today: string, weeks = 8): { from: string; to: string } {
  const from = mondayOf(today);
  return { from, to: addDays(from, 7 * weeks - 1) };
}

/** The compliance's default period: the last 12 months up to today. */
export function defaultCompliancePeriod(today: string): { from: string; to: string } {
  return { from: addDays(addMonths(today, -12), 1), to: today };
}

export type WorkloadTone = 'overloaded' | 'spare' | 'normal' | 'idle';

/** Below this load a week with capacity has room to take work from another site. */
export const SPARE_LOAD = 0.5;

/** How a week of a site stands: overloaded, with room to spare (load ≤ 50 %), in between, or with nothing due and no capacity. */
export function workloadTone(w: PmWorkload['sites'][number]['weeks'][number]): WorkloadTone {
  if (w.overloaded) return 'overloaded';
  if (w.capacityMinutes <= 0) return 'idle';
  return (w.load ?? 0) <= SPARE_LOAD ? 'spare' : 'normal';
}

export interface LendingHint {
  weekStart: string;
  overloaded: { id: string; name: string; overMinutes: number }[];
  spare: { id: string; name: string; spareMinutes: number }[];
}

/**
 * For each week where some site is overloaded, the sites with room to spare that week (most
 * room first): where work could be lent. Weeks with no site to lend to are kept (nobody has room).
 */
export function lendingHints(workload: Pick<PmWorkload, 'weeks' | 'sites'>): LendingHint[] {
  const hints: LendingHint[] = [];
  for (const weekStart of workload.weeks) {
    const overloaded: LendingHint['overloaded'] = [];
    const spare: LendingHint['spare'] = [];
    for (const s of workload.sites) {
      const w = s.weeks.find((x) => x.weekStart === weekStart);
      if (!w) continue;
      if (w.overloaded) overloaded.push({ ...s.site, overMinutes: Math.max(0, w.dueMinutes - w.capacityMinutes) });
      else if (workloadTone(w) === 'spare') spare.push({ ...s.site, spareMinutes: w.spareMinutes });
    }
    if (overloaded.length > 0) hints.push({ weekStart, overloaded, spare: spare.sort((a, b) => b.spareMinutes - a.spareMinutes) });
  }
  return hints;
}

// ---- Days in words ---------------------------------------------------------------------------

const intlLocale = (locale: string) => (locale === 'fr' ? 'fr-FR' : 'en-GB');
const formats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(locale: string, kind: 'long' | 'weekday' | 'month' | 'dayMonth'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = {
      long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const,
      weekday: { weekday: 'short' } as const,
      month: { month: 'long', year: 'numeric' } as const,
      dayMonth: { weekday: 'short', day: 'numeric', month: 'short' } as const,
    }[kind];
    f = new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone: 'UTC' });
    formats.set(key, f);
  }
  return f;
}
const utc = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};

/** « jeudi 3 décembre 2026 ». */
export function longDay(day: string, locale: string): string {
  return dayFormat(locale, 'long').format(utc(day));
}
/** « jeu. 3 déc. ». */
export function shortDay(day: string, locale: string): string {
  return dayFormat(locale, 'dayMonth').format(utc(day));
}
/** « lun. » … « dim. », Monday first. */
export function weekdayNames(locale: string): string[] {
  return daysFrom('2026-11-30', '2026-12-06').map((d) => dayFormat(locale, 'weekday').format(utc(d)));
}
/** « novembre 2026 », capitalised. */
export function monthTitle(day: string, locale: string): string {
  const text = dayFormat(locale, 'month').format(utc(monthStart(day)));
  return text.charAt(0).toUpperCase() + text.slice(1);
}
