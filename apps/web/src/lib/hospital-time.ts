import { TIME_ZONE } from './format.ts';

/**
 * Dates and times typed in the SPA are wall-clock time of the hospitals' time zone, the one
 * every date is shown in, whatever the browser's: `<input type="datetime-local">` values
 * ("2026-03-14T09:30") and due dates ("2026-03-14", the end of that day). They are sent as
 * ISO 8601 timestamps with the zone's offset of that moment (+01:00 in winter, +02:00 in summer).
 */

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallClockAt(ms: number): WallClock {
  const parts: Record<string, number> = {};
  for (const p of partsFormat.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0 };
}

/** Minutes the hospitals' time zone is ahead of UTC at that instant (60 or 120 in France). */
function offsetMinutesAt(ms: number): number {
  const minute = Math.floor(ms / 60_000) * 60_000;
  const w = wallClockAt(minute);
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - minute) / 60_000);
}

/**
 * The zone's offset of the instant a wall-clock time denotes, given as if that time were UTC
 * (`Date.UTC(year, month - 1, day, hour, minute)`): a first guess, checked again around DST changes.
 */
function offsetOfWallClock(wall: number): number {
  const offset = offsetMinutesAt(wall - offsetMinutesAt(wall) * 60_000);
  return offsetMinutesAt(wall - offset * 60_000);
}

const pad = (n: number, size = 2) => String(Math.abs(n)).padStart(size, '0');

/** An offset in minutes as ISO 8601 writes it: 120 → "+02:00". */
function isoOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * A datetime-local value as an ISO 8601 timestamp with the zone's offset, e.g.
 * "2026-07-14T09:30" → "2026-07-14T09:30:00+02:00". Null when the value is not a date and time.
 */
export function wallClockToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${isoOffset(offsetOfWallClock(wall))}`;
}

/** The wall-clock time of an instant, as a datetime-local value ("2026-07-14T09:30"). */
export function wallClockOf(ms: number = Date.now()): string {
  const w = wallClockAt(ms);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * A due date typed as yyyy-mm-dd: the end of that day (23:59) in the hospitals' time zone,
 * as an ISO timestamp with its offset, e.g. "2026-03-10T23:59:00+01:00". '' → null;
 * anything else that is not a real date → undefined.
 */
export function dueDateToIso(date: string): string | null | undefined {
  if (date.trim() === '') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wall = Date.UTC(y, m - 1, d, 23, 59, 0);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  return `${match[1]}-${match[2]}-${match[3]}T23:59:00${isoOffset(offsetOfWallClock(wall))}`;
}
