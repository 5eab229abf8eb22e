import { sql, type Kysely, type Selectable } from 'kysely';
import { likePattern } from '../../lib/sql.js';
import type { DB, Sites } from '@gmao/db';

export type SiteRow = Selectable<Sites>;

export function listSites(
  db: Kysely<DB>,
  territoryId: string,
  opts: { q?: string; after?: [string, string]; limit: number },
): Promise<SiteRow[]> {
  let query = db.selectFrom('sites').selectAll().where('territoryId', '=', territoryId);
  if (opts.q) {
    const like = likePattern(opts.q);
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', like),
        eb('shortCode', 'ilike', like),
        eb('city', 'ilike', like),
        eb('finess', 'ilike', like),
      ]),
    );
  }
  if (opts.after) {
    const [name, id] = opts.after;
    query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(name, id)));
  }
  return query.orderBy('name').orderBy('id').limit(opts.limit).execute();
}

export function findSite(db: Kysely<DB>, territoryId: string, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('territoryId', '=', territoryId).where('id', '=', id).executeTakeFirst();
}

export type SiteValues = Omit<SiteRow, 'id' | 'territoryId' | 'version' | 'createdAt' | 'updatedAt'>;

export function insertSite(db: Kysely<DB>, territoryId: string, values: SiteValues): Promise<SiteRow> {
  return db.insertInto('sites').values({ ...values, territoryId }).returningAll().executeTakeFirstOrThrow();
}

/** Updates only if the version still matches; undefined means someone changed it first. */
export function updateSite(
  db: Kysely<DB>,
  id: string,
  version: number,
  patch: Partial<SiteValues>,
): Promise<SiteRow | undefined> {
  return db
    .updateTable('sites')
    .set({ ...patch, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}
