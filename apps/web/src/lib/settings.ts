/** Pure helpers of the work-order settings page: durations, decimals, checklist item keys. */

export const MINUTES_PER_HOUR = 60;
export const MINUTES_PER_DAY = 24 * 60;

export type DurationUnit = 'hours' | 'days';

/** A delay as the form shows it: a number of hours or of days. */
export interface Duration {
  value: number;
  unit: DurationUnit;
}

/**
 * The clearest unit for a delay stored in minutes: whole days from one day up
 * (2 880 → 2 days), hours otherwise (240 → 4 h, 30 → 0.5 h, 36 h stays 36 h).
 */
export function minutesToDuration(minutes: number): Duration {
  if (minutes >= MINUTES_PER_DAY && minutes % MINUTES_PER_DAY === 0) return { value: minutes / MINUTES_PER_DAY, unit: 'days' };
  return { value: Math.round((minutes / MINUTES_PER_HOUR) * 100) / 100, unit: 'hours' };
}

/** Hours or days as minutes, rounded to the minute. */
export function durationToMinutes(value: number, unit: DurationUnit): number {
  return Math.round(value * (unit === 'days' ? MINUTES_PER_DAY : MINUTES_PER_HOUR));
}

/** Keys of template items: lowercase letters, digits, `_` or `-`, 60 characters at most. */
export const ITEM_KEY_MAX = 60;
const ITEM_KEY = /^[a-z0-9][a-z0-9_-]{0,59}$/;

/**
 * The key of a new checklist item, from its label: lowercase ASCII without accents, words
 * joined by `_` ("Courant de fuite (CF)" → "courant_de_fuite_cf"), made unique among
 * `taken` with a suffix (`_2`, `_3`…). A label without letters or digits gives "point".
 */
export function itemKeyFromLabel(label: string, taken: Iterable<string> = []): string {
  const used = new Set(taken);
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[œŒ]/g, 'oe')
      .replace(/[æÆ]/g, 'ae')
      .replace(/ß/g, 'ss')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, ITEM_KEY_MAX)
      .replace(/_+$/, '') || 'point';
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `_${n}`;
    const candidate = `${base.slice(0, ITEM_KEY_MAX - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Whether a key follows the contract's pattern. */
export function isItemKey(key: string): boolean {
  return ITEM_KEY.test(key);
}

/** A template's code: lowercase letters, digits and dashes, 2 to 40 characters. */
export function isTemplateCode(code: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,39}$/.test(code);
}

/** A code suggested from a name ("Classe II — CF" → "classe-ii-cf"), for the creation form. */
export function templateCodeFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** Moves the element at `from` by `delta` places; a move past either end changes nothing. */
export function moved<T>(list: readonly T[], from: number, delta: number): T[] {
  const to = from + delta;
  const out = [...list];
  if (from < 0 || from >= list.length || to < 0 || to >= list.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}
