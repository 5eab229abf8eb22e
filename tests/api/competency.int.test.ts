import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDay } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';

/** Competency map (issue 14): catalogue, a person's skills with rights and history, matrix, coverage. */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let techChu: Session;
let techCh1: Session;
let managerCh1: Session;
let care: Session;
let admin: Session;

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  [engineer, techChu, techCh1, managerCh1, care, admin] = await Promise.all([
    login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr'),
    login(ctx.app, 'responsable.ch1@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'), login(ctx.app, 'admin@ght-demo.fr'),
  ]);
});
afterAll(async () => {
  await ctx?.close();
});

const inject = (s: Session, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, payload, headers: { ...s.auth, ...headers } });

const DAY = 86_400_000;
const inDays = (n: number) => parisDay(new Date(Date.now() + n * DAY));

async function skillByCode(code: string): Promise<string> {
  const s = await ctx.database.db.selectFrom('skills').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return s.id;
}

/** A fresh skill of the catalogue (custom), so that each test starts from no one holding it. */
async function freshSkill(code: string): Promise<string> {
  const res = await inject(engineer, 'POST', '/skills', { code, name: `Compétence ${code}`, skillCategory: 'custom' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('competency: validation and who reads', () => {
  it('refuses bad input with a 400 naming the field', async () => {
    const skillId = await skillByCode('ELEC-62353');
    const cases: [string, string, object | undefined, string][] = [
      ['POST', '/skills', { code: 'a', name: 'Nom', skillCategory: 'custom' }, 'body.code'],
      ['POST', '/skills', { code: 'OK-CODE', name: 'N', skillCategory: 'custom' }, 'body.name'],
      ['POST', '/skills', { code: 'OK-CODE', name: 'Nom', skillCategory: 'cooking' }, 'body.skillCategory'],
      ['POST', '/skills', { code: 'OK-CODE', name: 'Nom', skillCategory: 'equipment_maintenance' }, 'body.equipmentCategoryId'],
      ['POST', '/skills', { code: 'OK-CODE', name: 'Nom', skillCategory: 'custom', equipmentCategoryId: ids.site('CHU') }, 'body.equipmentCategoryId'],
      ['POST', '/skills', { code: 'OK-CODE', name: 'Nom', skillCategory: 'equipment_maintenance', equipmentCategoryId: ids.site('CHU') }, 'body.equipmentCategoryId'],
      ['POST', '/skills', { code: 'OK-CODE', name: 'Nom', skillCategory: 'equipment_maintenance', modelId: ids.site('CHU') }, 'body.modelId'],
      ['PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'guru' }, 'body.level'],
      ['PUT', `/users/${techChu.userId}/skills/${skillId}`, {}, 'body.level'],
      ['PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'expert', certificateExpiresAt: '2026-02-30' }, 'body.certificateExpiresAt'],
      ['PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'expert', certificateExpiresAt: '0001-01-01' }, 'body.certificateExpiresAt'],
      ['PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'expert', evidence: 'x'.repeat(2001) }, 'body.evidence'],
      ['PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'expert', validated: 'yes' }, 'body.validated'],
      ['PUT', `/users/not-a-uuid/skills/${skillId}`, { level: 'expert' }, 'params.id'],
      // Text PostgreSQL cannot store (NUL, half a surrogate pair).
      ['PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'expert', evidence: 'a\u0000b' }, 'body.evidence'],
      ['POST', '/skills', { code: 'OK-CODE', name: 'Nom \uDFFF\uD800', skillCategory: 'custom' }, 'body.name'],
      ['PATCH', `/skills/${skillId}`, {}, 'body'],
      ['GET', '/competency/matrix?skillCategory=cooking', undefined, 'querystring.skillCategory'],
      ['GET', '/competency/matrix?siteId=nope', undefined, 'querystring.siteId'],
      ['GET', '/competency/coverage?siteId=nope', undefined, 'querystring.siteId'],
      ['GET', '/skills?includeRetired=maybe', undefined, 'querystring.includeRetired'],
    ];
    for (const [method, url, payload, path] of cases) {
      const res = await inject(engineer, method as 'GET', url, payload);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}: ${res.body}`).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.path), `${method} ${url}`).toContain(path);
    }
  });

  it('the biomedical staff read the map; care staff get 403; another territory’s person is a 404', async () => {
    for (const s of [engineer, techChu, managerCh1, admin]) {
      for (const url of ['/skills', '/competency/matrix', '/competency/coverage', `/users/${techChu.userId}/skills`, `/users/${techChu.userId}/skills/history`]) {
        expect((await inject(s, 'GET', url)).statusCode, url).toBe(200);
      }
    }
    for (const url of ['/skills', '/competency/matrix', '/competency/coverage', `/users/${techChu.userId}/skills`, `/users/${techChu.userId}/skills/history`]) {
      const res = await inject(care, 'GET', url);
      expect(res.statusCode, url).toBe(403);
    }
    const other = await otherTerritory(ctx.database.db);
    expect((await inject(engineer, 'GET', `/users/${other.userId}/skills`)).statusCode).toBe(404);
    const skillId = await skillByCode('ELEC-62353');
    expect((await inject(engineer, 'PUT', `/users/${other.userId}/skills/${skillId}`, { level: 'expert' })).statusCode).toBe(404);
    expect((await inject(engineer, 'PUT', `/users/${techChu.userId}/skills/00000000-0000-4000-8000-000000000000`, { level: 'expert' })).statusCode).toBe(404);
  });
});

describe('competency: whose sheet', () => {
  it('GET /users/{id}/skills names the holder and their sites, also for a site manager who holds no skill', async () => {
    // Was: the list had only the skills, and the SPA looked the name up in the matrix, which
    // leaves out a site manager without a skill: their sheet said « Personne ».
    const grants = await ctx.database.db.selectFrom('roleGrants').select('siteId').where('userId', '=', managerCh1.userId).where('role', '=', 'site_manager').execute();
    const self = await ctx.database.db.selectFrom('users').select('fullName').where('id', '=', managerCh1.userId).executeTakeFirstOrThrow();
    const res = await inject(engineer, 'GET', `/users/${managerCh1.userId}/skills`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items).toEqual([]);
    expect(body.holder).toEqual({ userId: managerCh1.userId, name: self.fullName, siteIds: grants.map((g) => g.siteId) });
    // The named fields are still there, beside it.
    expect(Object.keys(body).sort()).toEqual(['historyUrl', 'holder', 'items']);
    const matrix = (await inject(engineer, 'GET', '/competency/matrix')).json();
    expect(matrix.people.map((p: { userId: string }) => p.userId)).not.toContain(managerCh1.userId);

    const tech = (await inject(managerCh1, 'GET', `/users/${techCh1.userId}/skills`)).json();
    expect(tech.holder).toMatchObject({ userId: techCh1.userId, siteIds: [ids.site('CH1')] });
  });
});

describe('competency: the catalogue', () => {
  it('is seeded from the leaf categories and the fixed skills; seeding again is idempotent and picks up new categories', async () => {
    const all = (await inject(techChu, 'GET', '/skills')).json().items as { code: string; skillCategory: string; equipmentCategoryId: string | null }[];
    expect(all.map((s) => s.code)).toEqual(expect.arrayContaining(['MAINT-IMAG-TDM', 'MAINT-DIAL-GEN', 'PROJ-ACQ', 'QUAL-AUDIT', 'ELEC-62353']));
    // Families (« Imagerie médicale ») get no skill.
    expect(all.map((s) => s.code)).not.toContain('MAINT-IMAG');
    const maintenance = (await inject(techChu, 'GET', '/skills?skillCategory=equipment_maintenance')).json().items as typeof all;
    expect(maintenance.length).toBeGreaterThan(50);
    expect(maintenance.every((s) => s.skillCategory === 'equipment_maintenance' && s.equipmentCategoryId !== null)).toBe(true);

    expect((await inject(techChu, 'POST', '/skills/seed-from-categories', {})).statusCode).toBe(403);
    const again = await inject(engineer, 'POST', '/skills/seed-from-categories', {});
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().created).toBe(0);

    const family = await ctx.database.db.selectFrom('equipmentCategories').select('id').where('code', '=', 'IMAG').executeTakeFirstOrThrow();
    await ctx.database.db.insertInto('equipmentCategories').values({
      territoryId: ids.territoryId, code: 'IMAG-PET', label: 'TEP-scanner', parentId: family.id,
      defaultFunctionScore: 6, defaultPhysicalRisk: 4, defaultMaintenanceRequirement: 5,
    }).execute();
    const seeded = (await inject(engineer, 'POST', '/skills/seed-from-categories', {})).json();
    expect(seeded.created).toBe(1);
    expect((await inject(engineer, 'POST', '/skills/seed-from-categories', {})).json().created).toBe(0);
    expect((await inject(techChu, 'GET', '/skills')).json().items.map((s: { code: string }) => s.code)).toContain('MAINT-IMAG-PET');
  });

  it('engineers add skills (409 on a duplicate code or a second skill of a category), rename and retire them with If-Match', async () => {
    expect((await inject(techChu, 'POST', '/skills', { code: 'CUST-1', name: 'Soudure', skillCategory: 'custom' })).statusCode).toBe(403);
    expect((await inject(managerCh1, 'POST', '/skills', { code: 'CUST-1', name: 'Soudure', skillCategory: 'custom' })).statusCode).toBe(403);
    const created = await inject(engineer, 'POST', '/skills', { code: 'cust-1', name: 'Soudure à l’étain', skillCategory: 'custom' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/skills/${created.json().id}`);
    expect(created.json()).toMatchObject({ code: 'CUST-1', active: true, version: 1, equipmentCategoryId: null });
    const dup = await inject(engineer, 'POST', '/skills', { code: 'CUST-1', name: 'Autre', skillCategory: 'custom' });
    expect(dup.statusCode).toBe(409);
    expect(problemOf(dup)).toMatchObject({ code: 'duplicate', errors: [{ path: 'body.code' }] });

    const tdm = await ctx.database.db.selectFrom('equipmentCategories').select('id').where('code', '=', 'IMAG-TDM').executeTakeFirstOrThrow();
    const second = await inject(engineer, 'POST', '/skills', { code: 'MAINT-TDM-2', name: 'Scanner bis', skillCategory: 'equipment_maintenance', equipmentCategoryId: tdm.id });
    expect(second.statusCode).toBe(409);
    expect(problemOf(second).errors?.[0]?.path).toBe('body.equipmentCategoryId');
    // A skill of one model: its category is the model's.
    const model = await ctx.database.db.selectFrom('equipmentModels').select(['id', 'categoryId']).where('categoryId', '=', tdm.id).executeTakeFirstOrThrow();
    const modelSkill = await inject(engineer, 'POST', '/skills', { code: 'MAINT-TDM-MODEL', name: 'Scanner, ce modèle', skillCategory: 'equipment_maintenance', modelId: model.id });
    expect(modelSkill.statusCode, modelSkill.body).toBe(201);
    expect(modelSkill.json()).toMatchObject({ modelId: model.id, equipmentCategoryId: tdm.id });

    const id = created.json().id as string;
    expect((await inject(engineer, 'PATCH', `/skills/${id}`, { retired: true })).statusCode).toBe(428);
    expect((await inject(techChu, 'PATCH', `/skills/${id}`, { retired: true }, { 'if-match': '1' })).statusCode).toBe(403);
    const retired = await inject(engineer, 'PATCH', `/skills/${id}`, { retired: true, name: 'Soudure (ancienne)' }, { 'if-match': '1' });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ active: false, name: 'Soudure (ancienne)', version: 2 });
    expect(retired.json().retiredAt).not.toBeNull();
    expect((await inject(engineer, 'PATCH', `/skills/${id}`, { retired: false }, { 'if-match': '1' })).statusCode).toBe(412);
    const listed = (await inject(engineer, 'GET', '/skills?skillCategory=custom')).json().items.map((s: { id: string }) => s.id);
    expect(listed).not.toContain(id);
    const withRetired = (await inject(engineer, 'GET', '/skills?skillCategory=custom&includeRetired=true')).json().items.map((s: { id: string }) => s.id);
    expect(withRetired).toContain(id);
    const put = await inject(engineer, 'PUT', `/users/${techChu.userId}/skills/${id}`, { level: 'beginner' });
    expect(put.statusCode).toBe(409);
    expect(problemOf(put).code).toBe('skill_retired');

    const audits = await ctx.database.db.selectFrom('auditLog').select('action').where('entityId', '=', id).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['skill.create', 'skill.update']);
  });
});

describe('competency: a person’s skills, rights and history', () => {
  it('a technician proposes for themselves, never validates, and never writes for someone else', async () => {
    const skillId = await freshSkill('RIGHTS-1');
    const proposed = await inject(techChu, 'PUT', `/users/${techChu.userId}/skills/${skillId}`, {
      level: 'confirmed', evidence: 'Formation constructeur', certificateExpiresAt: inDays(200),
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    expect(proposed.json()).toMatchObject({ skillId, level: 'confirmed', validated: false, validatedBy: null, validatedAt: null, evidence: 'Formation constructeur', certificateExpiresAt: inDays(200), proposedBy: techChu.userId });

    const selfValidate = await inject(techChu, 'PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'confirmed', validated: true });
    expect(selfValidate.statusCode).toBe(403);
    expect(problemOf(selfValidate).code).toBe('skill_self_validation_forbidden');

    const forOther = await inject(techChu, 'PUT', `/users/${techCh1.userId}/skills/${skillId}`, { level: 'beginner' });
    expect(forOther.statusCode).toBe(403);
    expect(problemOf(forOther).code).toBe('skill_proposal_forbidden');

    expect((await inject(care, 'PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'beginner' })).statusCode).toBe(403);
    // Care staff are not on the map: their own proposal is refused for what they are.
    const careSelf = await inject(care, 'PUT', `/users/${care.userId}/skills/${skillId}`, { level: 'beginner' });
    expect(careSelf.statusCode).toBe(422);
    expect(problemOf(careSelf).code).toBe('not_biomedical_staff');
  });

  it('an engineer validates; the technician’s self-edit makes it unvalidated again; the history keeps every level', async () => {
    const skillId = await freshSkill('HIST-1');
    const url = `/users/${techChu.userId}/skills/${skillId}`;
    expect((await inject(techChu, 'PUT', url, { level: 'beginner', evidence: 'Compagnonnage' })).json().validated).toBe(false);

    // The engineer validates the proposal as it stands (no `validated`: a validator's write validates).
    const validated = await inject(engineer, 'PUT', url, { level: 'beginner' });
    expect(validated.statusCode, validated.body).toBe(200);
    expect(validated.json()).toMatchObject({ level: 'beginner', validated: true, validatedBy: engineer.userId, evidence: 'Compagnonnage' });
    expect(validated.json().validatedAt).not.toBeNull();

    // The engineer raises the level with a certificate.
    const raised = await inject(engineer, 'PUT', url, { level: 'confirmed', validated: true, certificateExpiresAt: inDays(365) });
    expect(raised.json()).toMatchObject({ level: 'confirmed', validated: true, evidence: 'Compagnonnage', certificateExpiresAt: inDays(365) });

    // Writing the same again changes nothing (no history row).
    const same = await inject(engineer, 'PUT', url, { level: 'confirmed' });
    expect(same.json().version).toBe(raised.json().version);

    // The technician edits their validated skill: it is a proposal again.
    const selfEdit = await inject(techChu, 'PUT', url, { level: 'expert', evidence: 'Formation avancée', evidenceDate: inDays(-10) });
    expect(selfEdit.json()).toMatchObject({ level: 'expert', validated: false, validatedBy: null, evidence: 'Formation avancée', evidenceDate: inDays(-10) });

    // The engineer validates the expert level.
    expect((await inject(engineer, 'PUT', url, { level: 'expert', validated: true })).json()).toMatchObject({ validated: true, validatedBy: engineer.userId });

    const history = await inject(techChu, 'GET', `/users/${techChu.userId}/skills/history?skillId=${skillId}`);
    expect(history.statusCode).toBe(200);
    const items = (history.json().items as { change: string; level: string; previousLevel: string | null; validated: boolean; actorId: string }[]).reverse();
    expect(items.map((h) => [h.change, h.previousLevel, h.level, h.validated, h.actorId])).toEqual([
      ['proposed', null, 'beginner', false, techChu.userId],
      ['validated', 'beginner', 'beginner', true, engineer.userId],
      ['changed', 'beginner', 'confirmed', true, engineer.userId],
      ['unvalidated', 'confirmed', 'expert', false, techChu.userId],
      ['validated', 'expert', 'expert', true, engineer.userId],
    ]);

    const list = (await inject(managerCh1, 'GET', `/users/${techChu.userId}/skills`)).json();
    expect(list.historyUrl).toBe(`/api/v1/users/${techChu.userId}/skills/history`);
    expect(list.items.find((i: { skillId: string }) => i.skillId === skillId)).toMatchObject({
      level: 'expert', validated: true, validatedBy: engineer.userId, skillCode: 'HIST-1', skillCategory: 'custom', validatedByName: 'Étienne Ingénieur',
    });
    // Every write is audited.
    const audits = await ctx.database.db.selectFrom('auditLog').select('action').where('action', '=', 'user_skill.put').where('entityId', '=', techChu.userId).execute();
    expect(audits.length).toBeGreaterThanOrEqual(5);
  });

  it('a site manager validates the people of their site only; nobody validates their own skill', async () => {
    const skillId = await freshSkill('SITE-1');
    const ok = await inject(managerCh1, 'PUT', `/users/${techCh1.userId}/skills/${skillId}`, { level: 'confirmed', validated: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ validated: true, validatedBy: managerCh1.userId });

    const notTheirs = await inject(managerCh1, 'PUT', `/users/${techChu.userId}/skills/${skillId}`, { level: 'confirmed', validated: true });
    expect(notTheirs.statusCode).toBe(403);
    expect(problemOf(notTheirs).code).toBe('skill_proposal_forbidden');

    const engineerSelf = await inject(engineer, 'PUT', `/users/${engineer.userId}/skills/${skillId}`, { level: 'expert', validated: true });
    expect(engineerSelf.statusCode).toBe(403);
    expect(problemOf(engineerSelf).code).toBe('skill_self_validation_forbidden');
    // Without `validated`, an engineer's own skill is a proposal.
    expect((await inject(engineer, 'PUT', `/users/${engineer.userId}/skills/${skillId}`, { level: 'expert' })).json().validated).toBe(false);
  });

  it('removal: a validator removes; the person removes their own proposal, not a validated skill; the history keeps it', async () => {
    const skillId = await freshSkill('DEL-1');
    const url = `/users/${techChu.userId}/skills/${skillId}`;
    await inject(techChu, 'PUT', url, { level: 'beginner' });
    expect((await inject(techCh1, 'DELETE', url)).statusCode).toBe(403);
    expect((await inject(techChu, 'DELETE', url)).statusCode).toBe(204);
    expect((await inject(techChu, 'DELETE', url)).statusCode).toBe(404);
    await inject(engineer, 'PUT', url, { level: 'confirmed' });
    const refused = await inject(techChu, 'DELETE', url);
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).code).toBe('skill_validation_forbidden');
    expect((await inject(engineer, 'DELETE', url)).statusCode).toBe(204);
    const history = (await inject(engineer, 'GET', `/users/${techChu.userId}/skills/history?skillId=${skillId}`)).json().items;
    expect(history.map((h: { change: string }) => h.change)).toEqual(['removed', 'validated', 'removed', 'proposed']);
  });
});

describe('competency: concurrent writes', () => {
  it('two first writes of the same pair at once: one records it, the other is a 409 or follows it; never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const skillId = await freshSkill(`RACE-${round}`);
      const url = `/users/${techCh1.userId}/skills/${skillId}`;
      const answers = await Promise.all([
        inject(engineer, 'PUT', url, { level: 'confirmed' }),
        inject(managerCh1, 'PUT', url, { level: 'expert' }),
        inject(techCh1, 'PUT', url, { level: 'beginner' }),
      ]);
      for (const res of answers) expect([200, 409], res.body).toContain(res.statusCode);
      expect(answers.some((r) => r.statusCode === 200)).toBe(true);
      for (const res of answers.filter((r) => r.statusCode === 409)) expect(problemOf(res).code).toBe('concurrent_update');
      const rows = await ctx.database.db.selectFrom('userSkills').select('id').where('skillId', '=', skillId).execute();
      expect(rows).toHaveLength(1);
      const history = await ctx.database.db.selectFrom('userSkillHistory').select('id').where('skillId', '=', skillId).execute();
      expect(history).toHaveLength(answers.filter((r) => r.statusCode === 200).length);
    }
  });
});

describe('competency: If-Match on a person’s skill', () => {
  it('a stale If-Match on PUT or DELETE is a 412 and changes nothing; the current version passes; without it, as before', async () => {
    // Was: PUT and DELETE ignored If-Match although the skill carries a version: two validators
    // editing the same skill overwrote each other silently.
    const skillId = await freshSkill('IFMATCH-1');
    const url = `/users/${techCh1.userId}/skills/${skillId}`;
    const first = await inject(engineer, 'PUT', url, { level: 'confirmed' });
    expect(first.statusCode, first.body).toBe(200);
    const v1 = first.json().version as number;
    // The site manager saves on the version they read.
    const lowered = await inject(managerCh1, 'PUT', url, { level: 'beginner' }, { 'if-match': String(v1) });
    expect(lowered.statusCode, lowered.body).toBe(200);
    expect(lowered.json().version).toBeGreaterThan(v1);
    // The engineer, still on v1, is told; nothing changes.
    const stale = await inject(engineer, 'PUT', url, { level: 'expert' }, { 'if-match': String(v1) });
    expect(stale.statusCode, stale.body).toBe(412);
    expect(problemOf(stale).code).toBe('version_mismatch');
    const staleDelete = await inject(engineer, 'DELETE', url, undefined, { 'if-match': `"${v1}"` });
    expect(staleDelete.statusCode, staleDelete.body).toBe(412);
    const now = (await inject(engineer, 'GET', `/users/${techCh1.userId}/skills`)).json().items.find((i: { skillId: string }) => i.skillId === skillId);
    expect(now).toMatchObject({ level: 'beginner', version: lowered.json().version });
    // A malformed If-Match is a 400; one on a pair not recorded (yet, or any more) is a 412.
    expect((await inject(engineer, 'PUT', url, { level: 'expert' }, { 'if-match': 'abc' })).statusCode).toBe(400);
    const other = await freshSkill('IFMATCH-2');
    expect((await inject(engineer, 'PUT', `/users/${techCh1.userId}/skills/${other}`, { level: 'expert' }, { 'if-match': '1' })).statusCode).toBe(412);
    // The current version passes, for PUT and DELETE.
    const raised = await inject(engineer, 'PUT', url, { level: 'expert' }, { 'if-match': String(now.version) });
    expect(raised.statusCode, raised.body).toBe(200);
    expect((await inject(engineer, 'DELETE', url, undefined, { 'if-match': String(raised.json().version) })).statusCode).toBe(204);
    const history = await ctx.database.db.selectFrom('userSkillHistory').select('change').where('skillId', '=', skillId).orderBy('id').execute();
    expect(history.map((h) => h.change)).toEqual(['validated', 'changed', 'changed', 'removed']);
  });
});

describe('competency: matrix', () => {
  it('lists people × skills, filtered by site and skill category', async () => {
    const all = (await inject(techChu, 'GET', '/competency/matrix')).json() as {
      people: { userId: string; siteIds: string[]; roles: string[] }[]; skills: { id: string; skillCategory: string }[];
      cells: { userId: string; skillId: string; level: string; validated: boolean }[];
    };
    expect(all.people.map((p) => p.userId)).toEqual(expect.arrayContaining([techChu.userId, techCh1.userId, engineer.userId]));
    // Care staff and the admin are not on the map.
    expect(all.people.map((p) => p.userId)).not.toContain(care.userId);
    expect(all.people.map((p) => p.userId)).not.toContain(admin.userId);
    expect(all.cells.length).toBeGreaterThan(40);

    const ch1 = ids.site('CH1');
    const bySite = (await inject(techChu, 'GET', `/competency/matrix?siteId=${ch1}`)).json() as typeof all;
    expect(bySite.people.length).toBeGreaterThan(0);
    expect(bySite.people.every((p) => p.siteIds.includes(ch1))).toBe(true);
    expect(bySite.people.map((p) => p.userId)).toContain(techCh1.userId);
    expect(bySite.people.map((p) => p.userId)).not.toContain(techChu.userId);
    const shown = new Set(bySite.people.map((p) => p.userId));
    expect(bySite.cells.every((c) => shown.has(c.userId))).toBe(true);

    const quality = (await inject(techChu, 'GET', '/competency/matrix?skillCategory=quality_regulatory')).json() as typeof all;
    expect(quality.skills.length).toBeGreaterThan(0);
    expect(quality.skills.every((s) => s.skillCategory === 'quality_regulatory')).toBe(true);
    const skillIds = new Set(quality.skills.map((s) => s.id));
    expect(quality.cells.length).toBeGreaterThan(0);
    expect(quality.cells.every((c) => skillIds.has(c.skillId))).toBe(true);
  });
});

describe('competency: coverage', () => {
  it('counts devices and validated people per category, per site and for the territory, with the flags', async () => {
    const db = ctx.database.db;
    // A fixture of known answers: two new categories, their devices, and people.
    const family = await db.selectFrom('equipmentCategories').select('id').where('code', '=', 'DIAL').executeTakeFirstOrThrow();
    const [covered, bare] = await Promise.all(['COV-A', 'COV-B'].map((code) => db.insertInto('equipmentCategories').values({
      territoryId: ids.territoryId, code, label: `Catégorie ${code}`, parentId: family.id,
      defaultFunctionScore: 8, defaultPhysicalRisk: 4, defaultMaintenanceRequirement: 4,
    }).returning('id').executeTakeFirstOrThrow()));
    const model = (categoryId: string, name: string) => db.insertInto('equipmentModels')
      .values({ territoryId: ids.territoryId, manufacturer: 'Fixture', modelName: name, categoryId }).returning('id').executeTakeFirstOrThrow();
    const [ma, mb] = await Promise.all([model(covered!.id, 'A1'), model(bare!.id, 'B1')]);
    const device = (siteId: string, modelId: string, n: string, status = 'in_service') => ({
      territoryId: ids.territoryId, siteId, modelId, inventoryNumber: `COV-${n}`, status, ...(status === 'decommissioned' ? { decommissionedAt: '2026-01-01' } : {}),
    });
    const chu = ids.site('CHU');
    const ch1 = ids.site('CH1');
    await db.insertInto('equipment').values([
      device(chu, ma.id, '1'), device(chu, ma.id, '2'), device(ch1, ma.id, '3'), device(ch1, ma.id, '4', 'decommissioned'),
      device(ch1, mb.id, '5'),
    ]).execute();
    await inject(engineer, 'POST', '/skills/seed-from-categories', {});
    const skillA = await skillByCode('MAINT-COV-A');
    const put = async (email: string, level: string, extra: object = {}, who: Session = engineer) => {
      const res = await inject(who, 'PUT', `/users/${ids.user(email)}/skills/${skillA}`, { level, ...extra });
      expect(res.statusCode, res.body).toBe(200);
    };
    await put('karim.benali@ght-demo.fr', 'expert', { certificateExpiresAt: inDays(30) }); // CHU
    await put('mathieu.girard@ght-demo.fr', 'confirmed', { certificateExpiresAt: inDays(120) }); // CHU
    await put('tech.ch1@ght-demo.fr', 'beginner'); // CH1
    await put('tech.chu@ght-demo.fr', 'expert', {}, techChu); // a proposal: not counted
    await put('nicolas.bonnet@ght-demo.fr', 'expert', { validated: false }); // not validated: not counted

    const res = await inject(managerCh1, 'GET', '/competency/coverage');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { asOf: string; certificateWarningDays: number; categories: { categoryId: string; skillIds: string[]; territory: object; sites: { siteId: string }[] }[] };
    expect(body.certificateWarningDays).toBe(90);
    const a = body.categories.find((c) => c.categoryId === covered!.id)!;
    expect(a.skillIds).toEqual([skillA]);
    expect(a.territory).toEqual({
      devices: 3, experts: 1, confirmed: 1, beginners: 1, expiringCertificates: 1,
      noOneCompetent: false, singleExpert: true, certificatesExpiringSoon: true,
    });
    const siteA = (id: string) => a.sites.find((s) => s.siteId === id);
    expect(siteA(chu)).toEqual({
      siteId: chu, siteName: 'CHU Démo', devices: 2, experts: 1, confirmed: 1, beginners: 0, expiringCertificates: 1,
      noOneCompetent: false, singleExpert: true, certificatesExpiringSoon: true, dependsOnOtherSites: false,
    });
    expect(siteA(ch1)).toEqual({
      siteId: ch1, siteName: 'CH de Bellerive', devices: 1, experts: 0, confirmed: 0, beginners: 1, expiringCertificates: 0,
      noOneCompetent: true, singleExpert: false, certificatesExpiringSoon: false, dependsOnOtherSites: true,
    });
    // Sites without devices of the category nor people skilled in it are left out; by name.
    expect(a.sites.map((s) => s.siteId)).toEqual([ch1, chu]);

    const b = body.categories.find((c) => c.categoryId === bare!.id)!;
    expect(b.territory).toMatchObject({ devices: 1, experts: 0, confirmed: 0, beginners: 0, noOneCompetent: true, singleExpert: false });
    expect(b.sites).toEqual([expect.objectContaining({ siteId: ch1, devices: 1, noOneCompetent: true, dependsOnOtherSites: false })]);

    // One site: only its rows, the territory's figures unchanged.
    const one = (await inject(techChu, 'GET', `/competency/coverage?siteId=${ch1}`)).json() as typeof body;
    expect(one.categories.every((c) => c.sites.every((s) => s.siteId === ch1))).toBe(true);
    const oneA = one.categories.find((c) => c.categoryId === covered!.id)!;
    expect(oneA.territory).toEqual(a.territory);
    expect(oneA.sites).toHaveLength(1);

    // A second expert in the territory lifts the single-expert flag.
    await put('sarah.lambert@ght-demo.fr', 'expert'); // CHU and CH1
    const after = (await inject(techChu, 'GET', '/competency/coverage')).json() as typeof body;
    const a2 = after.categories.find((c) => c.categoryId === covered!.id)!;
    expect(a2.territory).toMatchObject({ experts: 2, singleExpert: false });
    expect(a2.sites.find((s) => s.siteId === ch1)).toMatchObject({ experts: 1, singleExpert: true, noOneCompetent: false, dependsOnOtherSites: false });
  });

  it('shows the demo map’s fragility: single experts, uncovered categories, certificates expiring soon', async () => {
    const body = (await inject(engineer, 'GET', '/competency/coverage')).json() as {
      categories: { code: string; territory: { singleExpert: boolean; noOneCompetent: boolean; certificatesExpiringSoon: boolean }; sites: { dependsOnOtherSites: boolean }[] }[];
    };
    const byCode = new Map(body.categories.map((c) => [c.code, c]));
    expect(byCode.get('IMAG-IRM')?.territory).toMatchObject({ singleExpert: true, certificatesExpiringSoon: true });
    expect(byCode.get('DIAL-GEN')?.territory).toMatchObject({ singleExpert: true, certificatesExpiringSoon: true });
    expect(byCode.get('IMAG-ARC')?.territory.noOneCompetent).toBe(true);
    expect(byCode.get('DIAL-GEN')?.sites.some((s) => s.dependsOnOtherSites)).toBe(true);
    const pending = await ctx.database.db.selectFrom('userSkills').select('id').where('validated', '=', false).execute();
    expect(pending.length).toBeGreaterThan(0);
  });
});
