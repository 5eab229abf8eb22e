import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, Skills, UserSkills } from '@gmao/db';
import { SKILL_HOLDER_ROLES, type SkillCategory } from '@gmao/domain';

/** Competency map (issue 14): the skill catalogue, people's skills and their history, matrix and coverage reads. */

export type SkillRow = Selectable<Skills>;
export type UserSkillRow = Selectable<UserSkills>;

export function listSkills(
  db: Kysely<DB>,
  territoryId: string,
  opts: { skillCategory?: SkillCategory; includeRetired?: boolean },
): Promise<SkillRow[]> {
  let q = db.selectFrom('skills').selectAll().where('territoryId', '=', territoryId);
  if (opts.skillCategory) q = q.where('skillCategory', '=', opts.skillCategory);
  if (!opts.includeRetired) q = q.where('active', '=', true);
  return q.orderBy('skillCategory').orderBy('name').orderBy('id').execute();
}

export function findSkill(db: Kysely<DB>, territoryId: string, id: string, lock = false): Promise<SkillRow | undefined> {
  let q = db.selectFrom('skills').selectAll().where('territoryId', '=', territoryId).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function countSkills(db: Kysely<DB>, territoryId: string): Promise<number> {
  return db.selectFrom('skills').select((eb) => eb.fn.countAll<number>().as('n')).where('territoryId', '=', territoryId)
    .executeTakeFirstOrThrow().then((r) => Number(r.n));
}

export function findEquipmentCategory(db: Kysely<DB>, territoryId: string, id: string) {
  return db.selectFrom('equipmentCategories').select(['id', 'code', 'label']).where('territoryId', '=', territoryId).where('id', '=', id).executeTakeFirst();
}

export function findEquipmentModel(db: Kysely<DB>, territoryId: string, id: string) {
  return db.selectFrom('equipmentModels').select(['id', 'categoryId']).where('territoryId', '=', territoryId).where('id', '=', id).executeTakeFirst();
}

export interface SkillValues {
  code: string;
  name: string;
  skillCategory: SkillCategory;
  equipmentCategoryId: string | null;
  modelId: string | null;
}

export function insertSkill(db: Kysely<DB>, territoryId: string, createdBy: string, values: SkillValues): Promise<SkillRow> {
  return db.insertInto('skills').values({ ...values, territoryId, createdBy }).returningAll().executeTakeFirstOrThrow();
}

/** Updates only if the version still matches; undefined means someone changed it first. */
export function updateSkill(
  db: Kysely<DB>,
  id: string,
  version: number,
  patch: { name?: string; retired?: { by: string } | null },
): Promise<SkillRow | undefined> {
  const retire = patch.retired === undefined
    ? {}
    : patch.retired === null
      ? { active: true, retiredAt: null, retiredBy: null }
      : { active: false, retiredAt: sql<Date>`now()`, retiredBy: patch.retired.by };
  return db
    .updateTable('skills')
    .set({ ...(patch.name === undefined ? {} : { name: patch.name }), ...retire, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** A user of the territory with their roles: `siteIds` are the sites of their technician, engineer or site manager roles. */
export interface HolderRow {
  id: string;
  fullName: string;
  active: boolean;
  grants: { role: string; siteId: string | null }[];
}

export async function findUserWithGrants(db: Kysely<DB>, territoryId: string, userId: string): Promise<HolderRow | undefined> {
  const user = await db.selectFrom('users').select(['id', 'fullName', 'active']).where('territoryId', '=', territoryId).where('id', '=', userId).executeTakeFirst();
  if (!user) return undefined;
  const grants = await db.selectFrom('roleGrants').select(['role', 'siteId']).where('userId', '=', userId).where('territoryId', '=', territoryId).execute();
  return { ...user, grants };
}

/** Every active user of the territory with their roles (the matrix's and the coverage's people). */
export async function listActiveUsersWithGrants(db: Kysely<DB>, territoryId: string): Promise<HolderRow[]> {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('roleGrants as g', 'g.userId', 'u.id')
    .select(['u.id', 'u.fullName', 'u.active', 'g.role', 'g.siteId'])
    .where('u.territoryId', '=', territoryId)
    .where('u.active', '=', true)
    .orderBy('u.fullName')
    .orderBy('u.id')
    .execute();
  const byId = new Map<string, HolderRow>();
  for (const r of rows) {
    let h = byId.get(r.id);
    if (!h) byId.set(r.id, (h = { id: r.id, fullName: r.fullName, active: r.active, grants: [] }));
    if (r.role !== null) h.grants.push({ role: r.role, siteId: r.siteId });
  }
  return [...byId.values()];
}

export interface UserSkillView extends UserSkillRow {
  skillCode: string;
  skillName: string;
  skillCategory: string;
  skillActive: boolean;
  validatedByName: string | null;
}

function userSkillViews(db: Kysely<DB>) {
  return db
    .selectFrom('userSkills as us')
    .innerJoin('skills as s', 's.id', 'us.skillId')
    .leftJoin('users as v', 'v.id', 'us.validatedBy')
    .selectAll('us')
    .select(['s.code as skillCode', 's.name as skillName', 's.skillCategory', 's.active as skillActive', 'v.fullName as validatedByName']);
}

export function listUserSkills(db: Kysely<DB>, territoryId: string, userId: string): Promise<UserSkillView[]> {
  return userSkillViews(db)
    .where('us.territoryId', '=', territoryId)
    .where('us.userId', '=', userId)
    .orderBy('s.skillCategory').orderBy('s.name').orderBy('s.id')
    .execute();
}

export function findUserSkillView(db: Kysely<DB>, userId: string, skillId: string): Promise<UserSkillView | undefined> {
  return userSkillViews(db).where('us.userId', '=', userId).where('us.skillId', '=', skillId).executeTakeFirst();
}

/** The person's skill, locked for the write. */
export function lockUserSkill(db: Kysely<DB>, userId: string, skillId: string): Promise<UserSkillRow | undefined> {
  return db.selectFrom('userSkills').selectAll().where('userId', '=', userId).where('skillId', '=', skillId).forUpdate().executeTakeFirst();
}

export interface UserSkillValues {
  level: string;
  evidence: string | null;
  evidenceDate: string | null;
  certificateExpiresAt: string | null;
  validated: boolean;
  validatedBy: string | null;
  validatedAt: Date | null;
}

/**
 * false when the pair was recorded meanwhile: two first writes of the same pair at once, the
 * second waits for the first to commit and inserts nothing.
 */
export async function insertUserSkill(
  db: Kysely<DB>,
  values: UserSkillValues & { territoryId: string; userId: string; skillId: string; proposedBy: string },
): Promise<boolean> {
  const rows = await db.insertInto('userSkills').values({ ...values, updatedBy: values.proposedBy })
    .onConflict((oc) => oc.columns(['userId', 'skillId']).doNothing())
    .returning('id')
    .execute();
  return rows.length === 1;
}

export async function updateUserSkill(db: Kysely<DB>, id: string, actorId: string, values: UserSkillValues & { proposedBy?: string }): Promise<void> {
  await db.updateTable('userSkills')
    .set({ ...values, updatedBy: actorId, updatedAt: sql`now()`, version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function deleteUserSkill(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('userSkills').where('id', '=', id).execute();
}

export async function insertHistory(
  db: Kysely<DB>,
  row: {
    territoryId: string; userId: string; skillId: string; change: string; level: string | null; previousLevel: string | null;
    validated: boolean; evidence: string | null; evidenceDate: string | null; certificateExpiresAt: string | null; actorId: string;
  },
): Promise<void> {
  await db.insertInto('userSkillHistory').values(row).execute();
}

/** The most history rows one answer gives (newest first). */
export const HISTORY_LIMIT = 2000;

export function listHistory(db: Kysely<DB>, territoryId: string, userId: string, skillId?: string) {
  let q = db
    .selectFrom('userSkillHistory as h')
    .innerJoin('skills as s', 's.id', 'h.skillId')
    .leftJoin('users as a', 'a.id', 'h.actorId')
    .select([
      'h.id', 'h.skillId', 's.code as skillCode', 's.name as skillName', 'h.change', 'h.level', 'h.previousLevel', 'h.validated',
      'h.evidence', 'h.evidenceDate', 'h.certificateExpiresAt', 'h.actorId', 'a.fullName as actorName', 'h.at',
    ])
    .where('h.territoryId', '=', territoryId)
    .where('h.userId', '=', userId);
  if (skillId) q = q.where('h.skillId', '=', skillId);
  return q.orderBy('h.at', 'desc').orderBy('h.id', 'desc').limit(HISTORY_LIMIT).execute();
}

/** The matrix's cells: every recorded (person, active skill) pair of the territory, of a skill category if given. */
export function listMatrixCells(db: Kysely<DB>, territoryId: string, skillCategory?: SkillCategory) {
  let q = db
    .selectFrom('userSkills as us')
    .innerJoin('skills as s', 's.id', 'us.skillId')
    .innerJoin('users as u', 'u.id', 'us.userId')
    .select(['us.userId', 'us.skillId', 'us.level', 'us.validated', 'us.certificateExpiresAt'])
    .where('us.territoryId', '=', territoryId)
    .where('s.active', '=', true)
    .where('u.active', '=', true);
  if (skillCategory) q = q.where('s.skillCategory', '=', skillCategory);
  return q.orderBy('us.userId').orderBy('us.skillId').execute();
}

/** Devices per (equipment category of their model, site), decommissioned ones left out. */
export function countDevicesByCategoryAndSite(db: Kysely<DB>, territoryId: string) {
  return db
    .selectFrom('equipment as e')
    .innerJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .select(['m.categoryId', 'e.siteId', (eb) => eb.fn.countAll<number>().as('devices')])
    .where('e.territoryId', '=', territoryId)
    .where('e.status', '<>', 'decommissioned')
    .groupBy(['m.categoryId', 'e.siteId'])
    .execute();
}

export function listCategories(db: Kysely<DB>, territoryId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('equipmentCategories').select(['id', 'code', 'label']).where('territoryId', '=', territoryId).where('id', 'in', ids)
    .orderBy('code').execute();
}

/** Active maintenance skills of the territory with their equipment category. */
export function listMaintenanceSkills(db: Kysely<DB>, territoryId: string) {
  return db.selectFrom('skills').select(['id', 'code', 'name', 'equipmentCategoryId', 'modelId']).where('territoryId', '=', territoryId)
    .where('skillCategory', '=', 'equipment_maintenance').where('active', '=', true).orderBy('code').execute();
}

/** Validated maintenance skills of active people: the coverage counts these only. */
export function listValidatedMaintenanceSkills(db: Kysely<DB>, territoryId: string) {
  return db
    .selectFrom('userSkills as us')
    .innerJoin('skills as s', 's.id', 'us.skillId')
    .innerJoin('users as u', 'u.id', 'us.userId')
    .select(['s.equipmentCategoryId', 'us.userId', 'us.level', 'us.certificateExpiresAt'])
    .where('us.territoryId', '=', territoryId)
    .where('us.validated', '=', true)
    .where('s.skillCategory', '=', 'equipment_maintenance')
    .where('s.active', '=', true)
    .where('u.active', '=', true)
    .execute();
}

/** The sites where each active person holds a technician, engineer or site manager role. */
export function listHolderSites(db: Kysely<DB>, territoryId: string) {
  return db
    .selectFrom('roleGrants as g')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .select(['g.userId', 'g.siteId'])
    .where('g.territoryId', '=', territoryId)
    .where('g.role', 'in', [...SKILL_HOLDER_ROLES])
    .where('g.siteId', 'is not', null)
    .where('u.active', '=', true)
    .execute();
}

/** The territory's sites, by name (the coverage lists its sites in this order). */
export function listSitesByName(db: Kysely<DB>, territoryId: string) {
  return db.selectFrom('sites').select(['id', 'name']).where('territoryId', '=', territoryId).orderBy('name').orderBy('id').execute();
}

/** The territory's sites with their coordinates (the needs' distances). */
export function listSitesWithCoordinates(db: Kysely<DB>, territoryId: string) {
  return db.selectFrom('sites').select(['id', 'name', 'latitude', 'longitude']).where('territoryId', '=', territoryId).orderBy('name').orderBy('id').execute();
}

/**
 * Certificates of active people's skills (active skills) that have expired or expire within
 * `withinDays` of `today`, soonest first; with siteId, of the people with a technician,
 * engineer or site manager role on it (the sites `siteIds` lists).
 */
export function listExpiringCertificates(db: Kysely<DB>, territoryId: string, today: string, withinDays: number, siteId?: string) {
  let q = db
    .selectFrom('userSkills as us')
    .innerJoin('skills as s', 's.id', 'us.skillId')
    .innerJoin('users as u', 'u.id', 'us.userId')
    .select([
      'us.userId', 'u.fullName as name', 'us.skillId', 's.code as skillCode', 's.name as skillName', 'us.level', 'us.validated',
      sql<string>`us.certificate_expires_at::text`.as('certificateExpiresAt'),
      sql<string[]>`coalesce((select array_agg(distinct g.site_id::text order by g.site_id::text) from role_grants g
        where g.user_id = us.user_id and g.territory_id = us.territory_id and g.site_id is not null
          and g.role in (${sql.join(SKILL_HOLDER_ROLES.map((r) => sql.lit(r)))})), '{}')`.as('siteIds'),
    ])
    .where('us.territoryId', '=', territoryId)
    .where('us.certificateExpiresAt', 'is not', null)
    .where(sql<boolean>`us.certificate_expires_at <= ${today}::date + ${withinDays}::int`)
    .where('s.active', '=', true)
    .where('u.active', '=', true);
  if (siteId) {
    q = q.where((eb) => eb.exists(eb.selectFrom('roleGrants as g').select('g.id')
      .whereRef('g.userId', '=', 'us.userId').where('g.siteId', '=', siteId).where('g.role', 'in', [...SKILL_HOLDER_ROLES])));
  }
  return q.orderBy('us.certificateExpiresAt').orderBy('u.fullName').orderBy('s.name').orderBy('us.id').execute();
}
