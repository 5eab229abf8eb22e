import { addDays, daysBetween } from '../pm-schedule.js';

/**
 * Europe/Paris day arithmetic of the indicators (ADR 0022). Days are 'YYYY-MM-DD'; a day
 * runs from its Paris midnight to the next one (23, 24 or 25 hours).
 */
export const KPI_TIME_ZONE = 'Europe/Paris';

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: KPI_TIME_ZONE, timeZoneName: 'longOffset' });

/** The offset of Europe/Paris from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function parisOffsetMinutes(instant: Date): number {
  const name = offsetFormat.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instant a Europe/Paris day starts (its local midnight). */
export function parisDayStart(day: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Midnight is never inside a DST jump in Europe/Paris (they happen at 02:00 and 03:00).
  let guess = utcMidnight - parisOffsetMinutes(new Date(utcMidnight)) * 60_000;
  guess = utcMidnight - parisOffsetMinutes(new Date(guess)) * 60_000;
  return new Date(guess);
}

/** The bounds of a Europe/Paris day: [start, end). */
export function parisDayBounds(day: string): { start: Date; end: Date } {
  return { start: parisDayStart(day), end: parisDayStart(addDays(day, 1)) };
}

/** The minutes of a Europe/Paris day: 1440, or 1380 and 1500 on the days the clocks change. */
export function parisDayMinutes(day: string): number {
  const { start, end } = parisDayBounds(day);
  return (end.getTime() - start.getTime()) / 60_000;
}

/** The days of [from, to], both included (empty when from > to). */
export function daysOf(from: string, to: string): string[] {
  const n = daysBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(from, i));
}

/** The number of days of [from, to], both included. */
export function dayCount(from: string, to: string): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

/** The months [from, to] touches, each with the part of the period inside it ('YYYY-MM'). */
export function monthsOf(from: string, to: string): { month: string; from: string; to: string }[] {
  const out: { month: string; from: string; to: string }[] = [];
  let start = from;
  while (start <= to) {
    const month = start.slice(0, 7);
    const [y, m] = month.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const end = addDays(next, -1) < to ? addDays(next, -1) : to;
    out.push({ month, from: start, to: end });
    start = next;
  }
  return out;
}

