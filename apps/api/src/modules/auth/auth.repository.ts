import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import type { Grant, RoleName } from '@gmao/domain';

export interface UserAuthRow {
  id: string;
  territoryId: string;
  email: string;
  fullName: string;
  homeSiteId: string | null;
  passwordHash: string;
  active: boolean;
}

export function findUserByEmail(db: Kysely<DB>, email: string): Promise<UserAuthRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'territoryId', 'email', 'fullName', 'homeSiteId', 'passwordHash', 'active'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
}

export function findUserById(db: Kysely<DB>, id: string): Promise<UserAuthRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'territoryId', 'email', 'fullName', 'homeSiteId', 'passwordHash', 'active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface GrantRow {
  id: string;
  role: RoleName;
  siteId: string | null;
  siteName: string | null;
  siteShortCode: string | null;
}

export async function grantsOfUsers(db: Kysely<DB>, userIds: readonly string[]): Promise<Map<string, GrantRow[]>> {
  const out = new Map<string, GrantRow[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('roleGrants as g')
    .leftJoin('sites as s', 's.id', 'g.siteId')
    .select(['g.id', 'g.userId', 'g.role', 'g.siteId', 's.name as siteName', 's.shortCode as siteShortCode'])
    .where('g.userId', 'in', userIds)
    .orderBy('s.name')
    .orderBy('g.role')
    .execute();
  for (const { userId, ...g } of rows) out.get(userId)?.push({ ...g, role: g.role as RoleName });
  return out;
}

/** Who a request acts as, and what GET /me shows of them. */
export interface LoadedPrincipal {
  territoryId: string;
  grants: Grant[];
  me: MeRow;
}

/** The principal of an active user in one query (findMe): null when unknown or deactivated. */
export async function loadPrincipal(db: Kysely<DB>, userId: string): Promise<LoadedPrincipal | null> {
  const me = await findMe(db, userId);
  if (!me || !me.active) return null;
  return { territoryId: me.territory.id, grants: me.roles.map((g) => ({ role: g.role, siteId: g.siteId })), me };
}

export interface MeRow {
  id: string;
  active: boolean;
  email: string;
  fullName: string;
  territory: { id: string; name: string };
  homeSite: { id: string; name: string; shortCode: string } | null;
  roles: GrantRow[];
}

/** The signed-in user as GET /me shows them, in one statement: territory, home site, roles per site. */
export async function findMe(db: Kysely<DB>, userId: string): Promise<MeRow | undefined> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('territories as t', 't.id', 'u.territoryId')
    .leftJoin('sites as h', 'h.id', 'u.homeSiteId')
    .select((eb) => [
      'u.id', 'u.active', 'u.email', 'u.fullName', 't.id as territoryId', 't.name as territoryName',
      'h.id as homeSiteId', 'h.name as homeSiteName', 'h.shortCode as homeSiteShortCode',
      // Keys written out: the CamelCasePlugin leaves the keys of nested JSON as they are.
      eb
        .selectFrom('roleGrants as g')
        .leftJoin('sites as s', 's.id', 'g.siteId')
        .select(sql<GrantRow[]>`coalesce(json_agg(json_build_object(
          'id', g.id, 'role', g.role, 'siteId', g.site_id, 'siteName', s.name, 'siteShortCode', s.short_code
        ) order by s.name, g.role), '[]')`.as('roles'))
        .whereRef('g.userId', '=', 'u.id')
        .as('roles'),
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id, active: row.active, email: row.email, fullName: row.fullName,
    territory: { id: row.territoryId, name: row.territoryName },
    homeSite: row.homeSiteId && row.homeSiteName !== null && row.homeSiteShortCode !== null
      ? { id: row.homeSiteId, name: row.homeSiteName, shortCode: row.homeSiteShortCode }
      : null,
    roles: (row.roles ?? []).map((g) => ({ ...g, role: g.role as RoleName })),
  };
}

export interface RefreshTokenRow {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export async function insertRefreshToken(
  db: Kysely<DB>,
  row: { userId: string; familyId: string; tokenHash: string; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<string> {
  const r = await db.insertInto('refreshTokens').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Marks a live token as used, atomically: only one of two concurrent refreshes wins. */
export function claimRefreshToken(db: Kysely<DB>, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return db
    .updateTable('refreshTokens')
    .set({ usedAt: sql`now()` })
    .where('tokenHash', '=', tokenHash)
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .returning(['id', 'userId', 'familyId', 'expiresAt', 'usedAt', 'revokedAt'])
    .executeTakeFirst();
}

export function findRefreshToken(db: Kysely<DB>, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return db
    .selectFrom('refreshTokens')
    .select(['id', 'userId', 'familyId', 'expiresAt', 'usedAt', 'revokedAt'])
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

export interface SuccessorRow {
  id: string;
  tokenHash: string;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/**
 * The token that replaced a used one, when the used one was used less than `graceSeconds`
 * ago (by the database's clock) and neither is revoked, used or expired: a concurrent
 * refresh of the same token may then get the same successor.
 */
export function findFreshSuccessor(db: Kysely<DB>, usedTokenId: string, graceSeconds: number): Promise<SuccessorRow | undefined> {
  return db
    .selectFrom('refreshTokens as used')
    .innerJoin('refreshTokens as next', 'next.id', 'used.replacedBy')
    .select(['next.id', 'next.tokenHash', 'next.expiresAt', 'next.userAgent', 'next.ip'])
    .where('used.id', '=', usedTokenId)
    .where('used.revokedAt', 'is', null)
    .where('used.usedAt', '>', sql<Date>`now() - make_interval(secs => ${graceSeconds})`)
    .where('next.usedAt', 'is', null)
    .where('next.revokedAt', 'is', null)
    .where('next.expiresAt', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export async function setReplacedBy(db: Kysely<DB>, id: string, replacedBy: string): Promise<void> {
  await db.updateTable('refreshTokens').set({ replacedBy }).where('id', '=', id).execute();
}

export async function revokeFamily(db: Kysely<DB>, familyId: string): Promise<number> {
  const r = await db
    .updateTable('refreshTokens')
    .set({ revokedAt: sql`now()` })
    .where('familyId', '=', familyId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function revokeAllOfUser(db: Kysely<DB>, userId: string): Promise<number> {
  const r = await db
    .updateTable('refreshTokens')
    .set({ revokedAt: sql`now()` })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
