import { sql, type Kysely, type Selectable } from 'kysely';
import { likePattern } from '../../lib/sql.js';
import type { DB, Users } from '@gmao/db';
import type { RoleName } from '@gmao/domain';

export type UserRow = Omit<Selectable<Users>, 'passwordHash' | 'weeklyHours' | 'fte'> & { homeSiteName: string | null; weeklyHours: number; fte: number };

const userColumns = [
  'u.id', 'u.territoryId', 'u.email', 'u.fullName', 'u.homeSiteId', 'u.active', 'u.deactivatedAt',
  'u.version', 'u.createdAt', 'u.updatedAt', 's.name as homeSiteName',
  // numeric(4,1): exact, read as a number.
  sql<number>`u.weekly_hours::float8`.as('weeklyHours'),
  sql<number>`u.fte::float8`.as('fte'),
] as const;

export function listUsers(
  db: Kysely<DB>,
  territoryId: string,
  opts: { q?: string; siteId?: string; role?: RoleName; active?: boolean; after?: [string, string]; limit: number },
): Promise<UserRow[]> {
  let query = db
    .selectFrom('users as u')
    .leftJoin('sites as s', 's.id', 'u.homeSiteId')
    .select(userColumns)
    .where('u.territoryId', '=', territoryId);
  if (opts.q) {
    const like = likePattern(opts.q);
    query = query.where((eb) => eb.or([eb('u.fullName', 'ilike', like), eb('u.email', 'ilike', like)]));
  }
  if (opts.active !== undefined) query = query.where('u.active', '=', opts.active);
  if (opts.siteId || opts.role) {
    query = query.where((eb) => {
      let grants = eb.selectFrom('roleGrants as g').select(sql`1`.as('one')).whereRef('g.userId', '=', 'u.id');
      if (opts.siteId) grants = grants.where('g.siteId', '=', opts.siteId);
      if (opts.role) grants = grants.where('g.role', '=', opts.role);
      const hasGrant = eb.exists(grants);
      // Without a role filter, a site also lists the people whose home it is.
      return opts.siteId && !opts.role ? eb.or([hasGrant, eb('u.homeSiteId', '=', opts.siteId)]) : hasGrant;
    });
  }
  if (opts.after) {
    const [name, id] = opts.after;
    query = query.where((eb) => eb(eb.refTuple('u.fullName', 'u.id'), '>', eb.tuple(name, id)));
  }
  return query.orderBy('u.fullName').orderBy('u.id').limit(opts.limit).execute();
}

export function findUser(db: Kysely<DB>, territoryId: string, id: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users as u')
    .leftJoin('sites as s', 's.id', 'u.homeSiteId')
    .select(userColumns)
    .where('u.territoryId', '=', territoryId)
    .where('u.id', '=', id)
    .executeTakeFirst();
}

/** The user, its row locked until the transaction ends (concurrent updates compare the version in turn). */
export async function findUserForUpdate(db: Kysely<DB>, territoryId: string, id: string): Promise<UserRow | undefined> {
  await db.selectFrom('users').select('id').where('territoryId', '=', territoryId).where('id', '=', id).forUpdate().execute();
  return findUser(db, territoryId, id);
}

export async function insertUser(
  db: Kysely<DB>,
  values: { territoryId: string; email: string; fullName: string; homeSiteId: string | null; passwordHash: string },
): Promise<string> {
  const r = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function setActive(db: Kysely<DB>, id: string, active: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({
      active,
      deactivatedAt: active ? null : sql`now()`,
      version: sql`version + 1`,
      updatedAt: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export function insertGrant(
  db: Kysely<DB>,
  values: { territoryId: string; userId: string; siteId: string | null; role: RoleName; grantedBy: string },
): Promise<{ id: string }> {
  return db.insertInto('roleGrants').values(values).returning('id').executeTakeFirstOrThrow();
}

export function findGrant(db: Kysely<DB>, userId: string, grantId: string) {
  return db
    .selectFrom('roleGrants')
    .select(['id', 'userId', 'siteId', 'role', 'territoryId'])
    .where('id', '=', grantId)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

export async function deleteGrant(db: Kysely<DB>, grantId: string): Promise<void> {
  await db.deleteFrom('roleGrants').where('id', '=', grantId).execute();
}

export async function countActiveAdmins(db: Kysely<DB>, territoryId: string): Promise<number> {
  const r = await db
    .selectFrom('roleGrants as g')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('g.territoryId', '=', territoryId)
    .where('g.role', '=', 'territory_admin')
    .where('u.active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function sitesInTerritory(db: Kysely<DB>, territoryId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('sites').select('id').where('territoryId', '=', territoryId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** A user's settings (weekly hours, FTE); the version moves on. */
export async function updateUser(db: Kysely<DB>, id: string, edit: { weeklyHours?: number; fte?: number }): Promise<void> {
  await db.updateTable('users').set({ ...edit, version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', id).execute();
}
