import type { Equipment } from '@gmao/contracts';
import { ApiError } from '../api/client.ts';
import { equipmentApi } from '../api/endpoints.ts';

/** What a scanned or typed code leads to (GET /equipment/lookup). */
export type LookupOutcome =
  | { kind: 'one'; device: Equipment }
  | { kind: 'many'; devices: Equipment[] }
  /** 404: no device has this code; `detail` is the API's sentence. */
  | { kind: 'not-found'; detail: string | null }
  /** 400: the code is malformed; `detail` says what is wrong with it, in the reader's language. */
  | { kind: 'invalid'; detail: string | null }
  | { kind: 'error'; error: unknown };

/** Asks the API which devices a code designates: label URL, inventory number or GS1 UDI, sent as read. */
export async function lookupCode(code: string, locale = 'fr'): Promise<LookupOutcome> {
  try {
    const { items } = await equipmentApi.lookup(code);
    if (items.length === 1 && items[0]) return { kind: 'one', device: items[0] };
    if (items.length === 0) return { kind: 'not-found', detail: null };
    return { kind: 'many', devices: items };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { kind: 'not-found', detail: error.problem.detail ?? null };
    if (error instanceof ApiError && error.status === 400) {
      // The parser and its GS1 table are fetched only when a code is refused; the API's French if they cannot be.
      const detail = error.problem.detail ?? null;
      const localised = await import('./invalid-code.ts').then((m) => m.invalidCodeDetail(code, detail, locale), () => detail);
      return { kind: 'invalid', detail: localised };
    }
    return { kind: 'error', error };
  }
}
