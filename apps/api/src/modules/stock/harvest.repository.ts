import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/** Parts harvested from decommissioned devices (issue 12). Kysely only. */

export function findDevice(db: Kysely<DB>, territoryId: string, id: string) {
  return db
    .selectFrom('equipment')
    .select(['id', 'siteId', 'status', 'decommissionReason', 'inventoryNumber'])
    .where('territoryId', '=', territoryId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The active parts among the ids, of the territory. */
export function activeParts(db: Kysely<DB>, territoryId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('parts').select(['id']).where('territoryId', '=', territoryId).where('id', 'in', ids).where('active', '=', true).execute();
}
