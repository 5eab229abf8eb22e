import { sql, type Kysely } from 'kysely';
import type { DB } from '../generated/db.js';

/**
 * Deletes refresh tokens that can no longer be used: expired for more than `graceDays`
 * (kept a little so that reuse of a just-expired token is still recognised). Set-based and
 * idempotent: running it twice removes nothing more.
 */
export async function purgeExpiredRefreshTokens(db: Kysely<DB>, graceDays = 1): Promise<number> {
  // Rows referenced by replaced_by are set null by the foreign key, so order does not matter.
  const result = await db
    .deleteFrom('refreshTokens')
    .where('expiresAt', '<', sql<Date>`now() - make_interval(days => ${graceDays})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
