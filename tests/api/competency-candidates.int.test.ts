import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { distanceKm, parisDay } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';

/**
 * Choosing a technician (issue 14, ADR 0020): GET /work-orders/{id}/candidates — rights, where
 * the requirement comes from, the ranking on a fixture of two sites with coordinates, expired
 * certificates, load, English reasons, another territory, limit.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let techChu: Session;
let managerCh1: Session;
let care: Session;
let admin: Session;

const DAY = 86_400_000;
const inDays = (n: number) => parisDay(new Date(Date.now() + n * DAY));

/** The fixture: CHU at known coordinates, a site « Hôpital Nord » about 42 km north, five people. */
const CHU = { lat: 47.9, lon: 1.9 };
const NORD = { lat: 48.2777, lon: 1.9 };
const f = {} as {
  nordId: string; parentCategoryId: string; categoryId: string; modelId: string; deviceId: string;
  categorySkillId: string; planSkillId: string;
  alice: string; bruno: string; chloe: string; denis: string; emma: string;
  workOrderId: string; plannedWorkOrderId: string;
};

const inject = (s: Session, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, payload, headers: { ...s.auth, ...headers } });

async function person(name: string, siteId: string, role: 'technician' | 'engineer' = 'technician'): Promise<string> {
  const db = ctx.database.db;
  const email = `${name.toLowerCase().replace(/[^a-z]/g, '.')}@cand.test`;
  const u = await db.insertInto('users').values({ territoryId: ids.territoryId, email, fullName: name, homeSiteId: siteId, passwordHash: 'x' })
    .returning('id').executeTakeFirstOrThrow();
  await db.insertInto('roleGrants').values({ territoryId: ids.territoryId, userId: u.id, siteId, role }).execute();
  return u.id;
}

async function skillOf(userId: string, skillId: string, level: string, opts: { validated?: boolean; certificate?: string | null } = {}) {
  const validated = opts.validated ?? true;
  await ctx.database.db.insertInto('userSkills').values({
    territoryId: ids.territoryId, userId, skillId, level, validated, certificateExpiresAt: opts.certificate ?? null,
    validatedBy: validated ? ids.user('ingenieur@ght-demo.fr') : null, validatedAt: validated ? new Date() : null,
    proposedBy: userId, updatedBy: userId,
  }).execute();
}

async function workOrder(type: string, assigneeIds: string[] = []): Promise<string> {
  const res = await inject(engineer, 'POST', '/work-orders', { equipmentId: f.deviceId, type, description: `Travail ${type} du test`, assigneeIds });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  [engineer, techChu, managerCh1, care, admin] = await Promise.all([
    login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'),
    login(ctx.app, 'soignant.chu@ght-demo.fr'), login(ctx.app, 'admin@ght-demo.fr'),
  ]);
  const db = ctx.database.db;
  const territoryId = ids.territoryId;
  await db.updateTable('sites').set({ latitude: CHU.lat, longitude: CHU.lon }).where('id', '=', ids.site('CHU')).execute();
  f.nordId = (await db.insertInto('sites').values({
    territoryId, name: 'Hôpital Nord', shortCode: 'CANDN', finess: '450000996', kind: 'CH', latitude: NORD.lat, longitude: NORD.lon,
  }).returning('id').executeTakeFirstOrThrow()).id;
  // A category tree: the parent has a maintenance skill, the child (the device's) none.
  const cat = (code: string, parentId: string | null) => db.insertInto('equipmentCategories').values({
    territoryId, code, label: `Catégorie ${code}`, parentId, defaultFunctionScore: 5, defaultMaintenanceRequirement: 3, defaultPhysicalRisk: 3,
  }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
  f.parentCategoryId = await cat('CAND-P', null);
  f.categoryId = await cat('CAND-C', f.parentCategoryId);
  f.modelId = (await db.insertInto('equipmentModels').values({ territoryId, categoryId: f.categoryId, manufacturer: 'Candidat', modelName: 'CX-1' })
    .returning('id').executeTakeFirstOrThrow()).id;
  const device = await db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service')
    .orderBy('inventoryNumber').limit(1).executeTakeFirstOrThrow();
  f.deviceId = device.id;
  await db.updateTable('equipment').set({ modelId: f.modelId }).where('id', '=', f.deviceId).execute();
  const skill = await inject(engineer, 'POST', '/skills', { code: 'MAINT-CAND-P', name: 'Maintenance famille candidats', skillCategory: 'equipment_maintenance', equipmentCategoryId: f.parentCategoryId });
  expect(skill.statusCode, skill.body).toBe(201);
  f.categorySkillId = skill.json().id;

  // Alice: local beginner. Bruno: expert at Hôpital Nord. Chloé: confirmed at Nord, certificate expired.
  // Denis and Emma: confirmed on the CHU; Denis carries a corrective work order (2 h), Emma a planned one (45 min).
  f.alice = await person('Alice Locale', ids.site('CHU'));
  f.bruno = await person('Bruno Nord', f.nordId);
  f.chloe = await person('Chloé Nord', f.nordId, 'engineer');
  f.denis = await person('Denis Local', ids.site('CHU'));
  f.emma = await person('Emma Locale', ids.site('CHU'));
  await skillOf(f.alice, f.categorySkillId, 'beginner');
  await skillOf(f.bruno, f.categorySkillId, 'expert', { certificate: inDays(200) });
  await skillOf(f.chloe, f.categorySkillId, 'confirmed', { certificate: '2026-03-12' });
  await skillOf(f.denis, f.categorySkillId, 'confirmed');
  await skillOf(f.emma, f.categorySkillId, 'confirmed');

  f.workOrderId = await workOrder('preventive');
  await workOrder('corrective', [f.denis]);
  // A plan asking for another skill at expert level, with its 45-minute estimate.
  const planSkill = await inject(engineer, 'POST', '/skills', { code: 'CAND-PLAN', name: 'Compétence du plan', skillCategory: 'custom' });
  f.planSkillId = planSkill.json().id;
  const plan = await inject(engineer, 'POST', '/maintenance-plans', {
    name: 'Plan candidats', equipmentId: f.deviceId, workOrderType: 'preventive', trigger: 'calendar', every: 12, unit: 'months',
    anchorDate: inDays(300), estimatedMinutes: 45, requiredSkillId: f.planSkillId, requiredLevel: 'expert',
  });
  expect(plan.statusCode, plan.body).toBe(201);
  f.plannedWorkOrderId = await workOrder('preventive', [f.emma]);
  await sql`update work_orders set plan_id = ${plan.json().id}::uuid, due_date = ${inDays(300)}::date where id = ${f.plannedWorkOrderId}::uuid`.execute(db);
});
afterAll(async () => {
  await ctx?.close();
});

type Candidates = {
  requiredSkillId: string | null; requiredSkillName: string | null; requiredLevel: string | null; requirementSource: string;
  items: { userId: string; name: string; siteId: string; siteName: string; level: string | null; validated: boolean; meetsRequirement: boolean;
    certificateValid: boolean; certificateExpiresAt: string | null; distanceKm: number | null; openHours: number; score: number; reasons: string[]; reasonCodes: string[] }[];
};
async function candidates(id: string, query = '', s: Session = engineer, headers: Record<string, string> = {}): Promise<Candidates> {
  const res = await inject(s, 'GET', `/work-orders/${id}/candidates${query}`, undefined, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('work-order candidates', () => {
  it('whoever may assign the work order: planners of its site and the admin; others 403; another territory 404; bad input 400', async () => {
    expect((await inject(admin, 'GET', `/work-orders/${f.workOrderId}/candidates`)).statusCode).toBe(200);
    const tech = await inject(techChu, 'GET', `/work-orders/${f.workOrderId}/candidates`);
    expect(tech.statusCode).toBe(403);
    // The site manager of another site reads the territory's work orders but does not assign this one.
    expect((await inject(managerCh1, 'GET', `/work-orders/${f.workOrderId}/candidates`)).statusCode).toBe(403);
    // Care staff of the site read its work orders, and may not assign them.
    expect((await inject(care, 'GET', `/work-orders/${f.workOrderId}/candidates`)).statusCode).toBe(403);
    const other = await otherTerritory(ctx.database.db);
    const outsider = await login(ctx.app, 'admin@ght-voisin.fr', 'Voisin!2026-secret');
    expect((await inject(outsider, 'GET', `/work-orders/${f.workOrderId}/candidates`)).statusCode).toBe(404);
    expect(other.territoryId).not.toBe(ids.territoryId);
    expect((await inject(engineer, 'GET', '/work-orders/00000000-0000-4000-8000-000000000000/candidates')).statusCode).toBe(404);
    // A cancelled work order is assigned no more: 409, as assigning it would answer. (It was
    // Denis's: it no longer counts in his load, checked below.)
    const cancelled = await workOrder('other', [f.denis]);
    const version = (await inject(engineer, 'GET', `/work-orders/${cancelled}`)).json().version;
    const cancel = await inject(engineer, 'POST', `/work-orders/${cancelled}/transitions`, { to: 'cancelled', reason: 'Doublon du test' }, { 'if-match': String(version) });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const refused = await inject(engineer, 'GET', `/work-orders/${cancelled}/candidates`);
    expect(refused.statusCode).toBe(409);
    expect(problemOf(refused).code).toBe('invalid_state');
    expect(problemOf(await inject(engineer, 'GET', `/work-orders/${f.workOrderId}/candidates?limit=0`)).errors?.[0]?.path).toBe('querystring.limit');
    expect((await inject(engineer, 'GET', `/work-orders/${f.workOrderId}/candidates?lang=de`)).statusCode).toBe(400);
  });

  it('the requirement: the category’s nearest ancestor with a skill (confirmed), the plan’s skill and level', async () => {
    const fromCategory = await candidates(f.workOrderId);
    expect(fromCategory).toMatchObject({
      requirementSource: 'category', requiredSkillId: f.categorySkillId, requiredSkillName: 'Maintenance famille candidats', requiredLevel: 'confirmed',
    });
    const fromPlan = await candidates(f.plannedWorkOrderId);
    expect(fromPlan).toMatchObject({ requirementSource: 'plan', requiredSkillId: f.planSkillId, requiredSkillName: 'Compétence du plan', requiredLevel: 'expert' });
    // Nobody holds the plan's skill: everyone without it, ranked by site, distance and load.
    expect(fromPlan.items.every((c) => !c.meetsRequirement && c.level === null && c.reasonCodes[0] === 'skill_missing')).toBe(true);
  });

  it('ranks by requirement, certificate, site, distance and load, with the reasons in words', async () => {
    const { items } = await candidates(f.workOrderId);
    const order = items.map((c) => c.userId);
    // Emma (same site, 0.8 h open) before Denis (same site, 2 h); Bruno (expert, 42 km) next;
    // Chloé (certificate expired) below them; Alice (beginner, insufficient) below; the demo people without the skill last.
    expect(order.slice(0, 5)).toEqual([f.emma, f.denis, f.bruno, f.chloe, f.alice]);
    const by = (id: string) => items.find((c) => c.userId === id)!;
    const km = distanceKm({ latitude: CHU.lat, longitude: CHU.lon }, { latitude: NORD.lat, longitude: NORD.lon });
    expect(km).toBeCloseTo(42, 0);
    expect(by(f.emma)).toMatchObject({ siteId: ids.site('CHU'), distanceKm: 0, openHours: 0.8, level: 'confirmed', meetsRequirement: true, certificateValid: false });
    expect(by(f.denis)).toMatchObject({ openHours: 2, meetsRequirement: true });
    expect(by(f.bruno)).toMatchObject({ siteId: f.nordId, siteName: 'Hôpital Nord', distanceKm: km, level: 'expert', certificateValid: true, openHours: 0 });
    expect(by(f.bruno).reasons).toEqual([
      'Expert validé (niveau requis : confirmé)', `Certificat valable jusqu’au ${inDays(200).split('-').reverse().join('/')}`,
      `Site Hôpital Nord, à ${String(km).replace('.', ',')} km`, 'Aucun travail ouvert',
    ]);
    expect(by(f.chloe)).toMatchObject({ meetsRequirement: true, certificateValid: false, certificateExpiresAt: '2026-03-12' });
    expect(by(f.chloe).reasons).toContain('Certificat expiré le 12/03/2026');
    expect(by(f.alice)).toMatchObject({ meetsRequirement: false, level: 'beginner', distanceKm: 0 });
    expect(by(f.alice).reasons[0]).toBe('Niveau débutant, insuffisant (niveau requis : confirmé)');
    expect(by(f.alice).reasonCodes).toEqual(['level_insufficient', 'same_site', 'no_open_work']);
    expect(by(f.denis).reasons).toContain('2 h de travail ouvert');
    // Scores never increase down the list; the people without the skill are all below.
    for (let i = 1; i < items.length; i++) expect(items[i - 1]!.score).toBeGreaterThanOrEqual(items[i]!.score);
    expect(items.slice(5).every((c) => c.reasonCodes[0] === 'skill_missing')).toBe(true);
    // Demo technicians and engineers are there; site managers and care staff are not.
    expect(order).toContain(ids.user('tech.chu@ght-demo.fr'));
    expect(order).not.toContain(ids.user('responsable.ch1@ght-demo.fr'));
    expect(order).not.toContain(ids.user('soignant.chu@ght-demo.fr'));
  });

  it('the device’s model’s skill wins over the category’s; the reasons in English; limit', async () => {
    const modelSkill = await inject(engineer, 'POST', '/skills', {
      code: 'MAINT-CAND-CX1', name: 'Candidat CX-1', skillCategory: 'equipment_maintenance', modelId: f.modelId,
    });
    expect(modelSkill.statusCode, modelSkill.body).toBe(201);
    await skillOf(f.alice, modelSkill.json().id, 'expert');
    const fromModel = await candidates(f.workOrderId, '?limit=2');
    expect(fromModel).toMatchObject({ requirementSource: 'model', requiredSkillId: modelSkill.json().id, requiredLevel: 'confirmed' });
    expect(fromModel.items).toHaveLength(2);
    expect(fromModel.items[0]).toMatchObject({ userId: f.alice, level: 'expert', meetsRequirement: true });
    const english = await candidates(f.workOrderId, '?lang=en&limit=1');
    expect(english.items[0]!.reasons).toEqual(['Validated expert (required level: confirmed)', 'Same site', 'No open work']);
    const negotiated = await candidates(f.workOrderId, '?limit=1', engineer, { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' });
    expect(negotiated.items[0]!.reasons[1]).toBe('Same site');
    expect((await candidates(f.workOrderId)).items.length).toBeGreaterThan(5);
  });
});
