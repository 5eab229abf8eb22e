import { conflict } from './problem.js';
import { pgConstraint, pgErrorCode } from './http.js';

/** Maps a unique violation of a known constraint to a 409 naming the field; rethrows anything else. */
export function rethrowUnique(err: unknown, known: Record<string, { path: string; message: string }>): never {
  if (pgErrorCode(err) === '23505') {
    const constraint = pgConstraint(err) ?? '';
    const hit = known[constraint] ?? Object.entries(known).find(([k]) => String((err as Error).message).includes(k))?.[1];
    if (hit) throw conflict(hit.message, 'duplicate', [hit]);
    throw conflict('Cette valeur existe déjà.', 'duplicate');
  }
  throw err;
}
