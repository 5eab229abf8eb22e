import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, Locations } from '@gmao/db';

export type LocationRow = Selectable<Locations>;

export function locationsOfSite(db: Kysely<DB>, siteId: string): Promise<LocationRow[]> {
  return db.selectFrom('locations').selectAll().where('siteId', '=', siteId).execute();
}

export function findLocation(db: Kysely<DB>, territoryId: string, id: string): Promise<LocationRow | undefined> {
  return db.selectFrom('locations').selectAll().where('territoryId', '=', territoryId).where('id', '=', id).executeTakeFirst();
}

/** Codes from the building down to this location, joined by " › ". */
export async function pathOf(db: Kysely<DB>, id: string): Promise<string> {
  const r = await sql<{ path: string | null }>`
    with recursive up as (
      select id, parent_id, code, 0 as lvl from locations where id = ${id}
      union all
      select l.id, l.parent_id, l.code, up.lvl + 1 from locations l join up on l.id = up.parent_id where up.lvl < 10
    )
    select string_agg(code, ' › ' order by lvl desc) as path from up`.execute(db);
  return r.rows[0]?.path ?? '';
}

export function insertLocation(
  db: Kysely<DB>,
  values: Pick<LocationRow, 'territoryId' | 'siteId' | 'parentId' | 'kind' | 'code' | 'label'>,
): Promise<LocationRow> {
  return db.insertInto('locations').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateLocation(
  db: Kysely<DB>,
  id: string,
  version: number,
  patch: Partial<Pick<LocationRow, 'code' | 'label' | 'parentId'>>,
): Promise<LocationRow | undefined> {
  return db
    .updateTable('locations')
    .set({ ...patch, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Devices keep their location's codes and labels in their search text: recompute it
 * (the equipment trigger does) for every device in the location's subtree.
 */
export async function refreshEquipmentSearchText(db: Kysely<DB>, locationId: string): Promise<void> {
  await sql`
    with recursive down as (
      select id from locations where id = ${locationId}
      union all
      select l.id from locations l join down on l.parent_id = down.id
    )
    update equipment set search_text = '' where location_id in (select id from down)`.execute(db);
}
