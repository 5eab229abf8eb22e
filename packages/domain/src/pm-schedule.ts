/**
 * Preventive maintenance: the pure rules of a maintenance plan's schedule (issue 13).
 *
 * Dates are calendar days of Europe/Paris written 'YYYY-MM-DD'. They are counted as
 * dates, never as instants: a daylight-saving change cannot move a due date by a day.
 * The same rules are written in SQL by migration 20261204T090000_maintenance_plans.sql
 * (pm_occurrence, pm_next_occurrence), which the generator uses set-based; an
 * integration test checks that both agree.
 */

export const PM_WORK_ORDER_TYPES = ['preventive', 'quality_control', 'electrical_safety'] as const;
export type PmWorkOrderType = (typeof PM_WORK_ORDER_TYPES)[number];
export const PM_TRIGGERS = ['calendar', 'meter'] as const;
export type PmTrigger = (typeof PM_TRIGGERS)[number];
export const PM_CALENDAR_UNITS = ['days', 'weeks', 'months', 'years'] as const;
export type PmCalendarUnit = (typeof PM_CALENDAR_UNITS)[number];
export const PM_METER_UNITS = ['hours', 'cycles'] as const;
export type PmMeterUnit = (typeof PM_METER_UNITS)[number];
export const PM_UNITS = [...PM_CALENDAR_UNITS, ...PM_METER_UNITS] as const;
export type PmUnit = (typeof PM_UNITS)[number];
export const PM_BASES = ['fixed', 'completion'] as const;
export type PmBase = (typeof PM_BASES)[number];
export const PM_PERFORMERS = ['internal', 'vendor'] as const;
export type PmPerformer = (typeof PM_PERFORMERS)[number];

/** Limits of a plan's numbers (also the database's checks). */
export const PM_LIMITS = { everyMax: 100_000, toleranceDaysMax: 365, leadTimeDaysMax: 365, estimatedMinutesMax: 10_000 } as const;

/** A calendar unit from text (e.g. a database column); RangeError otherwise. */
export function pmCalendarUnits(unit: string): PmCalendarUnit {
  if (!(PM_CALENDAR_UNITS as readonly string[]).includes(unit)) throw new RangeError(`not a calendar unit: ${unit}`);
  return unit as PmCalendarUnit;
}

/**
 * The longest interval of a calendar plan, per unit: a hundred years. Beyond it a due date
 * leaves the four-digit years every date of the product is written with (100,000 years
 * after the anchor), and no device lives that long.
 */
export const PM_CALENDAR_EVERY_MAX: Record<PmCalendarUnit, number> = { days: 36_500, weeks: 5_200, months: 1_200, years: 100 };

/** Whether `every` units is an interval a plan may have (calendar units: a hundred years at most). */
export function everyFitsUnit(every: number, unit: PmUnit): boolean {
  const max = (PM_CALENDAR_UNITS as readonly string[]).includes(unit) ? PM_CALENDAR_EVERY_MAX[unit as PmCalendarUnit] : PM_LIMITS.everyMax;
  return every <= max;
}

/** Whether a unit belongs to a trigger: calendar → days…years, meter → hours or cycles. */
export function unitFitsTrigger(trigger: PmTrigger, unit: PmUnit): boolean {
  return trigger === 'calendar' ? (PM_CALENDAR_UNITS as readonly string[]).includes(unit) : (PM_METER_UNITS as readonly string[]).includes(unit);
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' day (UTC arithmetic on a date: no time zone involved). */
function toDayNumber(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}
function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return fromDayNumber(toDayNumber(day) + days);
}

/** Days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * `months` months after `day`, the day of month clamped to the month's end (31 January + 1
 * month = 28 or 29 February), as PostgreSQL's `date + interval 'n months'`.
 */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const dd = Math.min(d, daysInMonth(year, month0));
  return `${String(year).padStart(4, '0')}-${String(month0 + 1).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

/** `count` calendar units after `day` (months and years clamp at month ends). */
export function addCalendar(day: string, count: number, unit: PmCalendarUnit): string {
  switch (unit) {
    case 'days':
      return addDays(day, count);
    case 'weeks':
      return addDays(day, 7 * count);
    case 'months':
      return addMonths(day, count);
    case 'years':
      return addMonths(day, 12 * count);
  }
}

/**
 * The k-th occurrence of a fixed schedule: anchor + k × every units, always computed from
 * the anchor (31 January monthly: 28/29 February, then 31 March again), never chained.
 */
export function occurrence(anchor: string, every: number, unit: PmCalendarUnit, k: number): string {
  return addCalendar(anchor, k * every, unit);
}

/** The first occurrence of a fixed schedule strictly after `after` (the anchor when `after` is before it). */
export function nextOccurrenceAfter(anchor: string, every: number, unit: PmCalendarUnit, after: string): string {
  if (after < anchor) return anchor;
  let k0: number;
  if (unit === 'days' || unit === 'weeks') {
    const step = unit === 'days' ? every : 7 * every;
    k0 = Math.floor(daysBetween(anchor, after) / step);
  } else {
    const step = unit === 'months' ? every : 12 * every;
    const [ay, am] = anchor.split('-').map(Number) as [number, number];
    const [by, bm] = after.split('-').map(Number) as [number, number];
    k0 = Math.floor(((by - ay) * 12 + (bm - am)) / step);
  }
  const first = occurrence(anchor, every, unit, k0);
  return first > after ? first : occurrence(anchor, every, unit, k0 + 1);
}

/** The first occurrence of a fixed schedule on or after `day`. */
export function occurrenceOnOrAfter(anchor: string, every: number, unit: PmCalendarUnit, day: string): string {
  return nextOccurrenceAfter(anchor, every, unit, addDays(day, -1));
}

export interface CalendarSchedule {
  base: PmBase;
  every: number;
  unit: PmCalendarUnit;
  anchorDate: string;
}

/** What happened to the last occurrence of a (plan, device) pair, if anything. */
export interface LastOccurrence {
  /** Its due date. */
  dueDate: string;
  /** The day it was completed (Europe/Paris); null when it was cancelled. */
  completedOn: string | null;
}

/**
 * The next due date of a calendar plan on a device.
 * - Nothing done yet: the first occurrence on or after `firstFrom` (the day the pair
 *   appeared; the anchor when later) — a plan does not create a backlog of the past.
 * - Base "fixed": the occurrence after the last one's due date, whenever it was done.
 * - Base "completion": every units after the day it was completed; a cancelled one (not
 *   done) counts from its due date, so that the next occurrence still comes.
 */
export function nextCalendarDue(s: CalendarSchedule, last: LastOccurrence | null, firstFrom: string): string {
  if (!last) {
    if (firstFrom <= s.anchorDate) return s.anchorDate;
    return s.base === 'fixed' ? occurrenceOnOrAfter(s.anchorDate, s.every, s.unit, firstFrom) : firstFrom;
  }
  if (s.base === 'fixed') return nextOccurrenceAfter(s.anchorDate, s.every, s.unit, last.dueDate);
  return addCalendar(last.completedOn ?? last.dueDate, s.every, s.unit);
}

export interface ToleranceWindow {
  from: string;
  to: string;
}

/** The days within which a due occurrence counts as done on time: due − before … due + after. */
export function toleranceWindow(dueDate: string, daysBefore: number, daysAfter: number): ToleranceWindow {
  return { from: addDays(dueDate, -daysBefore), to: addDays(dueDate, daysAfter) };
}

export function withinTolerance(day: string, w: ToleranceWindow): boolean {
  return day >= w.from && day <= w.to;
}

/** Whether a work order is created today for an occurrence due on `dueDate`: today ≥ due − lead time. */
export function withinLeadTime(dueDate: string, today: string, leadTimeDays: number): boolean {
  return daysBetween(today, dueDate) <= leadTimeDays;
}

/** Whether an occurrence not completed is overdue: its due date has passed (Europe/Paris). */
export function isOverdue(dueDate: string, today: string): boolean {
  return today > dueDate;
}

const parisDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day of an instant in Europe/Paris ('YYYY-MM-DD'). */
export function parisDay(instant: Date): string {
  return parisDayFormat.format(instant);
}

// ---- Meters ------------------------------------------------------------------------

export interface MeterReading {
  value: number;
  /** The instant it was read. */
  readAt: Date;
}

/**
 * The meter value at which the next occurrence falls due: every units after the reading
 * at the last completion, or after the baseline (the last reading on or before the anchor
 * date, 0 when none) when nothing was done yet.
 */
export function nextMeterDue(every: number, lastCompletionValue: number | null, baseline: number | null): number {
  return (lastCompletionValue ?? baseline ?? 0) + every;
}

/** Beyond this many days ahead, a meter's due date is not estimated. */
export const METER_ESTIMATE_MAX_DAYS = 36_500;

/** How many days of readings the usage rate looks back over. */
export const METER_RATE_WINDOW_DAYS = 90;

/**
 * The recent usage per day from the readings (the latest one and the oldest within the
 * window before it); null when fewer than two readings, less than a day apart, or a meter
 * that did not move (or went back: a replaced counter).
 */
export function meterRatePerDay(readings: readonly MeterReading[]): number | null {
  if (readings.length < 2) return null;
  const sorted = [...readings].sort((a, b) => a.readAt.getTime() - b.readAt.getTime());
  const last = sorted[sorted.length - 1]!;
  const since = last.readAt.getTime() - METER_RATE_WINDOW_DAYS * DAY_MS;
  const first = sorted.find((r) => r.readAt.getTime() >= since && r !== last);
  if (!first) return null;
  const days = (last.readAt.getTime() - first.readAt.getTime()) / DAY_MS;
  const delta = last.value - first.value;
  if (days < 1 || delta <= 0) return null;
  return delta / days;
}

/**
 * The estimated day the meter reaches `dueValue`: today when it already has, else the day
 * of the last reading plus the remaining usage at the recent rate; null when no rate can
 * be told, or beyond METER_ESTIMATE_MAX_DAYS (the work order then comes when a reading reaches the due value).
 */
export function estimatedMeterDueDate(dueValue: number, readings: readonly MeterReading[]): string | null {
  if (readings.length === 0) return null;
  const last = [...readings].sort((a, b) => a.readAt.getTime() - b.readAt.getTime())[readings.length - 1]!;
  const lastDay = parisDay(last.readAt);
  if (last.value >= dueValue) return lastDay;
  const rate = meterRatePerDay(readings);
  if (rate === null) return null;
  const days = Math.ceil((dueValue - last.value) / rate);
  return days > METER_ESTIMATE_MAX_DAYS ? null : addDays(lastDay, days);
}

// ---- Which plan applies ------------------------------------------------------------

export interface PlanScope {
  id: string;
  equipmentId: string | null;
  modelId: string | null;
  categoryId: string | null;
  workOrderType: PmWorkOrderType;
  active: boolean;
}

export interface DeviceScope {
  id: string;
  modelId: string | null;
  /** The category of the device's model (null without a model). */
  categoryId: string | null;
}

/** 3: the device's own plan, 2: its model's, 1: its category's, 0: not for this device. */
export function planSpecificity(plan: PlanScope, device: DeviceScope): number {
  if (plan.equipmentId !== null) return plan.equipmentId === device.id ? 3 : 0;
  if (plan.modelId !== null) return plan.modelId === device.modelId ? 2 : 0;
  if (plan.categoryId !== null) return plan.categoryId === device.categoryId ? 1 : 0;
  return 0;
}

/**
 * The plans that apply to a device: per work-order type, the most specific active plan
 * (device > model > category) wins and hides the others of that type; a plan the device
 * opted out of does not apply (and hides nothing: the next most specific one applies).
 * Ties at one level: every plan of that level applies (two device plans of one type are
 * two obligations).
 */
export function applicablePlans<P extends PlanScope>(plans: readonly P[], device: DeviceScope, optedOut: ReadonlySet<string>): P[] {
  const best = new Map<PmWorkOrderType, number>();
  const candidates = plans
    .filter((p) => p.active && !optedOut.has(p.id))
    .map((p) => ({ p, s: planSpecificity(p, device) }))
    .filter((c) => c.s > 0);
  for (const c of candidates) best.set(c.p.workOrderType, Math.max(best.get(c.p.workOrderType) ?? 0, c.s));
  return candidates.filter((c) => c.s === best.get(c.p.workOrderType)).map((c) => c.p);
}

/** Device statuses that get no planned work (in stock before commissioning, decommissioned). A pending decommission is checked apart. */
export const PM_EXCLUDED_STATUSES = ['in_stock', 'decommissioned'] as const;
