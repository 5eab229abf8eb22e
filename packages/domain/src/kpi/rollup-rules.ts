import { parisDay } from '../pm-schedule.js';
import { parisDayBounds } from './paris-days.js';

/**
 * How raw records become the figures of one day (ADR 0022): the rules the rollup SQL of
 * packages/db/src/kpi/kpi-rollups.ts applies set-based, written here once for the unit
 * tests and for whoever checks a figure by hand.
 */

/** Statuses in which a device is in the active inventory (not in stock, not decommissioned). */
export const ACTIVE_EQUIPMENT_STATUSES = ['in_service', 'out_of_service', 'under_maintenance', 'on_loan'] as const;

export function isActiveStatus(status: string): boolean {
  return (ACTIVE_EQUIPMENT_STATUSES as readonly string[]).includes(status);
}

/** An interval of time [start, end); end null: still running. */
export interface Interval {
  start: Date;
  end: Date | null;
}

export interface StatusEvent {
  at: Date;
  fromStatus: string | null;
  toStatus: string;
}

/**
 * The intervals a device was in the active inventory, from its status history: before its
 * first status event, the status that event left (from its creation); then each event's new
 * status until the next one. Without any event, its current status since its creation.
 */
export function activeIntervals(createdAt: Date, currentStatus: string, events: readonly StatusEvent[]): Interval[] {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const segments: { start: Date; end: Date | null; status: string }[] = [];
  if (sorted.length === 0) segments.push({ start: createdAt, end: null, status: currentStatus });
  else {
    const first = sorted[0]!;
    if (first.fromStatus && first.at > createdAt) segments.push({ start: createdAt, end: first.at, status: first.fromStatus });
    sorted.forEach((e, i) => segments.push({ start: e.at, end: sorted[i + 1]?.at ?? null, status: e.toStatus }));
  }
  return segments.filter((s) => isActiveStatus(s.status) && (s.end === null || s.end > s.start)).map(({ start, end }) => ({ start, end }));
}

/** The union of intervals (open ones end at `now`), sorted and disjoint. */
export function unionIntervals(intervals: readonly Interval[], now: Date): { start: number; end: number }[] {
  const spans = intervals
    .map((i) => ({ start: i.start.getTime(), end: Math.max(i.start.getTime(), (i.end ?? now).getTime()) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

function overlapMs(a: readonly { start: number; end: number }[], b: readonly { start: number; end: number }[]): number {
  let total = 0;
  for (const x of a) for (const y of b) total += Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start));
  return total;
}

function intersect(a: readonly { start: number; end: number }[], b: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const x of a) for (const y of b) {
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/**
 * A device's minutes on one Europe/Paris day: active (in the active inventory) and down
 * (inside the union of its work orders' downtimes, while active). A downtime still open
 * runs until `now`; a day after `now` counts nothing.
 */
export function deviceDayMinutes(active: readonly Interval[], downtimes: readonly Interval[], day: string, now: Date): { activeMinutes: number; downMinutes: number } {
  const { start, end } = parisDayBounds(day);
  const dayWindow = [{ start: start.getTime(), end: Math.min(end.getTime(), Math.max(start.getTime(), now.getTime())) }];
  // Active intervals still open run to the end of the day asked (inventory is a state, not an event).
  const act = intersect(unionIntervals(active, end), dayWindow);
  const down = intersect(unionIntervals(downtimes, now), act);
  return { activeMinutes: overlapMs(act, dayWindow) / 60_000, downMinutes: overlapMs(down, dayWindow) / 60_000 };
}

export interface KpiWorkOrder {
  type: string;
  state: string;
  deviceOutOfService: boolean;
  requestedAt: Date;
  downtimeStartedAt: Date | null;
  downtimeEndedAt: Date | null;
  completedAt: Date | null;
  performedBy?: 'internal' | 'vendor';
  planId?: string | null;
  dueDate?: string | null;
  windowStart?: string | null;
  windowEnd?: string | null;
}

/** A failure (MTBF): a corrective work order that took the device out of service, not cancelled; on the day it was reported. */
export function failureDay(w: KpiWorkOrder): string | null {
  return w.type === 'corrective' && w.deviceOutOfService && w.state !== 'cancelled' ? parisDay(w.requestedAt) : null;
}

/**
 * A repair (MTTR): a failure whose downtime ended. Restored at = the end of its downtime (the
 * device back in service; a work order reopened afterwards keeps it: reopening does not put
 * the device down again), reported at = when it was requested. Counted on the day it was restored.
 */
export function restoration(w: KpiWorkOrder): { day: string; minutes: number } | null {
  if (failureDay(w) === null || !w.downtimeEndedAt) return null;
  return { day: parisDay(w.downtimeEndedAt), minutes: Math.max(0, w.downtimeEndedAt.getTime() - w.requestedAt.getTime()) / 60_000 };
}

/** Done: completed or closed; on the day of its (last) completion. A reopened work order is not done until completed again. */
export function doneDay(w: KpiWorkOrder): string | null {
  return (w.state === 'completed' || w.state === 'closed') && w.completedAt ? parisDay(w.completedAt) : null;
}

/** Planned work done within its tolerance: done on a Europe/Paris day of the window copied at generation (pm-compliance.ts's rule). */
export function doneWithinTolerance(w: KpiWorkOrder): boolean {
  const day = doneDay(w);
  if (!day || !w.dueDate) return false;
  return day >= (w.windowStart ?? w.dueDate) && day <= (w.windowEnd ?? w.dueDate);
}

/** Done only by vendors: at least one vendor intervention (or a vendor's planned visit) and no internal labour recorded. */
export function doneOnlyByVendors(w: Pick<KpiWorkOrder, 'performedBy'>, labourLines: number, vendorLines: number): boolean {
  return labourLines === 0 && (vendorLines > 0 || w.performedBy === 'vendor');
}
