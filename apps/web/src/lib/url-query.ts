import type { LocationQuery } from 'vue-router';

/**
 * Reading list filters from the URL (inventory, backlog, new work order): one home for the
 * helpers each list used to write for itself.
 */

/** The URL's siteId for "every site" (an absent siteId means "my current site"). */
export const ALL_SITES = 'all';

/** A query parameter as one trimmed text: the first value if repeated, '' if absent. */
export function queryValue(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.trim() : '';
}

/** The value if it is one of `allowed`, else '' (unknown values in a URL are dropped). */
export function oneOf<T extends string>(allowed: readonly T[], value: string): T | '' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The value if it reads as an id (a UUID), else '' (a malformed id in a URL is dropped). */
export function idValue(value: string): string {
  return UUID.test(value) ? value : '';
}
