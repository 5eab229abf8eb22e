import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/** The planning views' own reads (the occurrences and compliance queries live in packages/db/src/pm). */

/** The sites of the territory (or the one asked, when it is of the territory), by name. */
export function planningSites(db: Kysely<DB>, territoryId: string, siteId?: string): Promise<{ id: string; name: string }[]> {
  let q = db.selectFrom('sites').select(['id', 'name']).where('territoryId', '=', territoryId);
  if (siteId) q = q.where('id', '=', siteId);
  return q.orderBy('name').orderBy('id').execute();
}
