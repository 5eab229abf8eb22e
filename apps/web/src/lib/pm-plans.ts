import { PM_CALENDAR_UNITS, PM_METER_UNITS, type PmTrigger, type PmUnit } from '@gmao/domain';

/** Pure helpers of the maintenance plans' pages (issue 13). */

/** The units a trigger takes: calendar → days…years, meter → hours or cycles. */
export function unitsFor(trigger: PmTrigger): readonly PmUnit[] {
  return trigger === 'calendar' ? PM_CALENDAR_UNITS : PM_METER_UNITS;
}

/** The unit kept when the trigger changes: the same when it fits, else the trigger's usual one. */
export function unitAfterTrigger(trigger: PmTrigger, unit: PmUnit): PmUnit {
  if ((unitsFor(trigger) as readonly string[]).includes(unit)) return unit;
  return trigger === 'calendar' ? 'months' : 'hours';
}

/** What a plan applies to. */
export type PlanTargetKind = 'model' | 'category' | 'device';
export function planTargetKind(p: { equipmentId: string | null; modelId: string | null; categoryId: string | null }): PlanTargetKind {
  return p.equipmentId ? 'device' : p.modelId ? 'model' : 'category';
}

/** Minutes as hours and minutes (for « soit 1 h 30 »). */
export function hoursAndMinutes(minutes: number): { h: number; m: number } {
  const whole = Math.max(0, Math.round(minutes));
  return { h: Math.floor(whole / 60), m: whole % 60 };
}

/**
 * A number field's value for the API: a whole number, or null when left empty (the contract then
 * says whether it may be); text that is not a number stays as it is, for the contract to refuse.
 */
export function wholeOrNull(value: string | number | null | undefined): number | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = value.trim();
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** A `datetime-local` value (the browser's time zone) as an instant, or undefined when empty or unreadable. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Now, as a `datetime-local` value in the browser's time zone (minutes). */
export function nowLocalInput(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}
