import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { closeStaleCompletedWorkOrders } from '@gmao/db';
import { faultReportPriority, iec62353Measurements } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';

/**
 * Planned work orders, the territory's settings (priority targets, automatic closure) and
 * checklist templates with limits of the territory's choosing; history and backlog filters.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let manager: Session;
let techChu: Session;
let techCh1: Session;
let care: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  admin = await login(ctx.app, 'admin@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  manager = await login(ctx.app, 'responsable.ch1@ght-demo.fr');
  techChu = await login(ctx.app, 'tech.chu@ght-demo.fr');
  techCh1 = await login(ctx.app, 'tech.ch1@ght-demo.fr');
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const send = (s: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, version?: number) =>
  ctx.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const get = (s: Session, url: string) => send(s, 'GET', url);

let deviceCursor = 0;
/** A different in-service device of a site for each call (tests do not share devices). */
async function device(site: string): Promise<Json> {
  const items = (await get(engineer, `/api/v1/equipment?siteId=${ids.site(site)}&status=in_service&limit=40`)).json().items as Json[];
  return items[deviceCursor++ % items.length]!;
}

const TARGETS = {
  critical: { responseMinutes: 30, repairMinutes: 240 },
  high: { responseMinutes: 120, repairMinutes: 1440 },
  normal: { responseMinutes: 480, repairMinutes: 4320 },
  low: { responseMinutes: 1440, repairMinutes: 14400 },
};

describe('territory settings of work orders', () => {
  it('starts from the defaults; only the territory admin changes them, with If-Match; new work orders follow them', async () => {
    const initial = (await get(care, '/api/v1/settings/work-orders')).json();
    expect(initial).toMatchObject({ version: 0, autoCloseDays: 15, updatedAt: null, priorityTargets: { critical: { responseMinutes: 60, repairMinutes: 480 } } });

    const url = '/api/v1/settings/work-orders';
    expect((await send(engineer, 'PUT', url, { priorityTargets: TARGETS, autoCloseDays: 10 }, 0)).statusCode).toBe(403);
    expect((await send(admin, 'PUT', url, { priorityTargets: TARGETS, autoCloseDays: 10 })).statusCode).toBe(428);
    const bad = await send(admin, 'PUT', url, { priorityTargets: { ...TARGETS, high: { responseMinutes: 600, repairMinutes: 60 } }, autoCloseDays: 0 }, 0);
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors!.map((e) => e.path).sort()).toEqual(['body.autoCloseDays', 'body.priorityTargets.high.repairMinutes']);

    const saved = await send(admin, 'PUT', url, { priorityTargets: TARGETS, autoCloseDays: 10 }, 0);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, autoCloseDays: 10, priorityTargets: TARGETS });
    expect((await send(admin, 'PUT', url, { priorityTargets: TARGETS, autoCloseDays: 20 }, 0)).statusCode).toBe(412);

    // A critical device reported down now gets the territory's 30-minute response target.
    const cats = (await get(care, '/api/v1/equipment-categories')).json().items as Json[];
    const vent = cats.find((c) => c.code === 'VENT-REA')!;
    const critical = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&categoryId=${vent.id}&status=in_service&limit=1`)).json().items[0];
    const wo = (await send(care, 'POST', '/api/v1/work-requests', { equipmentId: critical.id, symptom: 'Ne démarre plus', deviceOutOfService: true })).json();
    expect(wo.priority).toBe('critical');
    expect(Date.parse(wo.dueResponseAt) - Date.parse(wo.requestedAt)).toBeCloseTo(30 * 60_000, -4);
    expect(Date.parse(wo.dueRepairAt) - Date.parse(wo.requestedAt)).toBeCloseTo(240 * 60_000, -4);

    // Never close automatically: null.
    const never = await send(admin, 'PUT', url, { priorityTargets: TARGETS, autoCloseDays: null }, 1);
    expect(never.json()).toMatchObject({ version: 2, autoCloseDays: null });
    const audit = await ctx.database.db.selectFrom('auditLog').select(['action', 'entityType']).where('action', '=', 'settings.work_orders').execute();
    expect(audit).toHaveLength(2);
  });

  it("the automatic closure follows each territory's delay (default when none, never when null)", async () => {
    const db = ctx.database.db;
    const voisin = await otherTerritory(db);
    const t2 = voisin.territoryId;
    // One old completed work order in each territory.
    const mine = (await send(engineer, 'POST', '/api/v1/work-orders', { equipmentId: (await device('CHU')).id, type: 'preventive', description: 'Maintenance préventive annuelle' })).json();
    await db.updateTable('workOrders').set({ state: 'completed', completedAt: sql<Date>`now() - interval '40 days'` }).where('id', '=', mine.id).execute();
    const equipment = await db
      .insertInto('equipment')
      .values({ territoryId: t2, siteId: voisin.siteId, inventoryNumber: 'VOIS-1', status: 'in_service', criticality: 'low' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const theirs = await db
      .insertInto('workOrders')
      .values({
        territoryId: t2, siteId: voisin.siteId, equipmentId: equipment.id, number: 'BT-VOISIN-1', type: 'corrective', priority: 'low', state: 'completed',
        symptom: 'Panne', requestedBy: voisin.userId, completedAt: sql<Date>`now() - interval '20 days'`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // The demo territory said "never" (previous test); the other one has no settings: 15 days.
    expect(await closeStaleCompletedWorkOrders(db, 15)).toBe(1);
    const states = await db.selectFrom('workOrders').select(['id', 'state']).where('id', 'in', [mine.id, theirs.id]).execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [mine.id]: 'completed', [theirs.id]: 'closed' });

    const current = (await get(admin, '/api/v1/settings/work-orders')).json();
    await send(admin, 'PUT', '/api/v1/settings/work-orders', { priorityTargets: current.priorityTargets, autoCloseDays: 30 }, current.version);
    expect(await closeStaleCompletedWorkOrders(db, 15)).toBe(1);
    const history = (await get(engineer, `/api/v1/work-orders/${mine.id}/transitions`)).json().items as Json[];
    expect(history.at(-1)).toMatchObject({ fromState: 'completed', toState: 'closed', actor: null, reason: 'Clôture automatique : terminé depuis plus de 30 jours sans vérification' });
    // The reason the product wrote, in the reader's language.
    const english = (await get(engineer, `/api/v1/work-orders/${mine.id}/transitions?lang=en`)).json().items as Json[];
    expect(english.at(-1)!.reason).toBe('Automatic closure: completed more than 30 days ago and never verified');
  });
});

describe('checklist templates', () => {
  const iecUrl = '/api/v1/checklist-templates/iec-62353';

  it('engineers adapt the IEC 62353 limits; work orders copy the territory’s version; reset goes back to the standard values', async () => {
    const list = (await get(techChu, '/api/v1/checklist-templates')).json().items as Json[];
    const iec = list.find((t) => t.code === 'iec-62353')!;
    expect(iec).toMatchObject({ builtIn: true, customized: false, version: 0 });
    const earth = iec.items.find((i: Json) => i.key === 'protective_earth_resistance');
    expect(earth).toMatchObject({ kind: 'measurement', unit: 'Ω', min: null, max: 0.3, mandatory: true });

    const items = iec.items.map((i: Json) => (i.key === 'protective_earth_resistance' ? { ...i, max: 0.2 } : i));
    const body = { name: 'Sécurité électrique IEC 62353 (classe I, BF) — GHT', items };
    expect((await send(techChu, 'PUT', iecUrl, body, 0)).statusCode).toBe(403);
    const saved = await send(engineer, 'PUT', iecUrl, body, 0);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ customized: true, version: 1, name: body.name });
    expect((await send(engineer, 'PUT', iecUrl, body, 0)).statusCode).toBe(412);

    // A work order takes the territory's limits: 0.25 Ω now fails.
    const created = await send(engineer, 'POST', '/api/v1/work-orders', {
      equipmentId: (await device('CHU')).id, type: 'electrical_safety', description: 'Contrôle de sécurité électrique périodique', assigneeIds: [techChu.userId], checklistTemplate: 'iec-62353',
    });
    expect(created.statusCode).toBe(201);
    const wo = created.json();
    expect((await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/transitions`, { to: 'in_progress' }, wo.version)).json().state).toBe('in_progress');
    const checklist = (await get(techChu, `/api/v1/work-orders/${wo.id}/checklist`)).json().items as Json[];
    const item = checklist.find((i) => i.key === 'protective_earth_resistance')!;
    expect(item.max).toBe(0.2);
    const answer = await send(techChu, 'PUT', `/api/v1/work-orders/${wo.id}/checklist/${item.id}`, { value: 0.25 });
    expect(answer.json().outcome).toBe('fail');

    // Back to the standard: later work orders get 0.3 again; this one keeps its copy.
    expect((await send(engineer, 'DELETE', iecUrl)).statusCode).toBe(428);
    expect((await send(engineer, 'DELETE', iecUrl, undefined, 0)).statusCode).toBe(412);
    expect((await send(engineer, 'DELETE', iecUrl, undefined, 1)).statusCode).toBe(204);
    expect((await get(engineer, iecUrl)).json()).toMatchObject({ customized: false, version: 0 });
    expect((await send(engineer, 'DELETE', iecUrl, undefined, 0)).statusCode).toBe(409);
    expect((await get(techChu, `/api/v1/work-orders/${wo.id}/checklist`)).json().items.find((i: Json) => i.key === 'protective_earth_resistance').max).toBe(0.2);
  });

  it('validates templates: units for measurements, min ≤ max, unique keys, codes', async () => {
    const bad = await send(engineer, 'POST', '/api/v1/checklist-templates', {
      code: 'cq-defib',
      name: 'Contrôle qualité défibrillateur',
      items: [
        { key: 'energie', label: 'Énergie délivrée à 200 J', kind: 'measurement', min: 170, max: 230 },
        { key: 'energie', label: 'Temps de charge', kind: 'measurement', unit: 's', min: 10, max: 5 },
        { key: 'aspect', label: 'Aspect', kind: 'pass_fail', unit: 'mm' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors!.map((e) => e.path).sort()).toEqual(['body.items', 'body.items.0.unit', 'body.items.1.min', 'body.items.2.unit']);
    expect((await send(engineer, 'POST', '/api/v1/checklist-templates', { code: 'IEC', name: 'Majuscules', items: [{ key: 'a', label: 'Point A', kind: 'pass_fail' }] })).statusCode).toBe(400);
    expect((await send(engineer, 'POST', '/api/v1/checklist-templates', { code: 'iec-62353', name: 'Copie', items: [{ key: 'a', label: 'Point A', kind: 'pass_fail' }] })).statusCode).toBe(409);

    const template = {
      code: 'cq-defib',
      name: 'Contrôle qualité défibrillateur',
      items: [
        { key: 'energie_200', label: 'Énergie délivrée à 200 J', kind: 'measurement', unit: 'J', min: 170, max: 230, mandatory: true },
        { key: 'temps_charge', label: 'Temps de charge', kind: 'measurement', unit: 's', max: 10 },
        { key: 'observations', label: 'Observations', kind: 'text' },
      ],
    };
    const created = await send(engineer, 'POST', '/api/v1/checklist-templates', template);
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/api/v1/checklist-templates/cq-defib');
    expect(created.json()).toMatchObject({ builtIn: false, version: 1, items: [{ key: 'energie_200', min: 170, max: 230, mandatory: true }, { mandatory: false }, { unit: null }] });
    expect((await send(engineer, 'POST', '/api/v1/checklist-templates', template)).statusCode).toBe(409);
    expect((await send(techChu, 'POST', '/api/v1/checklist-templates', { ...template, code: 'autre' })).statusCode).toBe(403);

    // On a work order, by code.
    const wo = (await send(engineer, 'POST', '/api/v1/work-orders', { equipmentId: (await device('CH1')).id, type: 'quality_control', description: 'Contrôle qualité annuel', assigneeIds: [techCh1.userId] })).json();
    const added = await send(techCh1, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'cq-defib' });
    expect(added.json().items.map((i: Json) => i.key)).toEqual(['energie_200', 'temps_charge', 'observations']);
    expect(problemOf(await send(techCh1, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'inconnu' })).errors).toEqual([{ path: 'body.template', message: 'modèle inconnu : inconnu' }]);

    expect((await send(engineer, 'DELETE', '/api/v1/checklist-templates/cq-defib', undefined, 1)).statusCode).toBe(204);
    expect((await get(engineer, '/api/v1/checklist-templates/cq-defib')).statusCode).toBe(404);
    // The work order keeps its copy.
    expect((await get(techCh1, `/api/v1/work-orders/${wo.id}/checklist`)).json().items).toHaveLength(3);
  });
});

describe('planned work orders', () => {
  it('the biomedical team creates work orders of any type, assigned and with a template; others may not', async () => {
    const d = await device('CHU');
    const dueAt = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
    const res = await send(engineer, 'POST', '/api/v1/work-orders', {
      equipmentId: d.id, type: 'electrical_safety', priority: 'low', description: 'Contrôle de sécurité électrique annuel', dueAt,
      assigneeIds: [techChu.userId, techCh1.userId], checklistTemplate: 'iec-62353',
    });
    expect(res.statusCode).toBe(201);
    const wo = res.json();
    expect(res.headers.location).toBe(`/api/v1/work-orders/${wo.id}`);
    expect(wo).toMatchObject({ type: 'electrical_safety', priority: 'low', state: 'assigned', symptom: 'Contrôle de sécurité électrique annuel', dueResponseAt: null, deviceOutOfService: false });
    expect(Date.parse(wo.dueRepairAt)).toBe(Date.parse(dueAt));
    expect(wo.assignees.map((a: Json) => [a.fullName, a.crossSite])).toEqual([['Thomas Technicien', false], ['Camille Technicienne', true]]);
    // The measurements of the device's class (its model's electrical class and applied parts), between the inspection and the functional test.
    const model = (await get(engineer, `/api/v1/equipment-models/${d.model.id}`)).json();
    const measured = iec62353Measurements({ electricalClass: model.electricalClass, appliedPartType: model.appliedPartType }, 'direct').map((m) => m.key);
    expect(measured.length).toBeGreaterThan(0);
    expect((await get(techChu, `/api/v1/work-orders/${wo.id}/checklist`)).json().items.map((i: Json) => i.key)).toEqual(['visual_inspection', ...measured, 'functional_test']);
    expect((await get(engineer, `/api/v1/equipment/${d.id}`)).json().status).toBe('in_service');

    const history = (await get(care, `/api/v1/work-orders/${wo.id}/transitions`)).json().items as Json[];
    expect(history.map((h) => [h.fromState, h.toState, h.actor?.fullName])).toEqual([[null, 'requested', 'Étienne Ingénieur'], ['requested', 'assigned', 'Étienne Ingénieur']]);

    // A technician creates one for himself, not for others; care staff and other sites may not.
    const ownDevice = await device('CHU');
    const own = await send(techChu, 'POST', '/api/v1/work-orders', { equipmentId: ownDevice.id, type: 'corrective', description: 'Capteur SpO2 défectueux constaté en tournée', assigneeIds: [techChu.userId] });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ state: 'assigned', priority: faultReportPriority(ownDevice.criticality, false) });
    // The priority is the planners' call: a technician's work order takes the device's.
    const forced = await send(techChu, 'POST', '/api/v1/work-orders', { equipmentId: (await device('CHU')).id, type: 'corrective', priority: 'critical', description: 'Capteur défectueux' });
    expect(forced.statusCode).toBe(403);
    const cats = (await get(engineer, '/api/v1/equipment-categories')).json().items as Json[];
    const vent = (await get(engineer, `/api/v1/equipment?siteId=${ids.site('CHU')}&categoryId=${cats.find((c) => c.code === 'VENT-REA')!.id}&status=in_service&limit=1`)).json().items[0];
    const derived = await send(techChu, 'POST', '/api/v1/work-orders', { equipmentId: vent.id, type: 'corrective', description: 'Fuite du circuit patient', deviceOutOfService: true });
    expect(derived.json()).toMatchObject({ priority: 'critical', deviceOutOfService: true });
    expect((await send(techChu, 'POST', '/api/v1/work-orders', { equipmentId: d.id, type: 'preventive', description: 'Maintenance préventive', assigneeIds: [techCh1.userId] })).statusCode).toBe(403);
    expect((await send(care, 'POST', '/api/v1/work-orders', { equipmentId: d.id, type: 'preventive', description: 'Maintenance préventive' })).statusCode).toBe(403);
    expect((await send(techCh1, 'POST', '/api/v1/work-orders', { equipmentId: d.id, type: 'preventive', description: 'Maintenance préventive' })).statusCode).toBe(403);
    expect((await send(manager, 'POST', '/api/v1/work-orders', { equipmentId: (await device('CH1')).id, type: 'commissioning', description: 'Mise en service après livraison' })).statusCode).toBe(201);

    const invalid = await send(engineer, 'POST', '/api/v1/work-orders', {
      equipmentId: d.id, type: 'repair', description: 'x', dueAt: 'demain', assigneeIds: ['nope'],
    });
    expect(problemOf(invalid).errors!.map((e) => e.path).sort()).toEqual(['body.assigneeIds.0', 'body.description', 'body.dueAt', 'body.type']);
    const past = await send(engineer, 'POST', '/api/v1/work-orders', { equipmentId: d.id, type: 'preventive', description: 'Maintenance préventive', dueAt: '2020-01-01T00:00:00Z' });
    expect(problemOf(past).errors).toEqual([{ path: 'body.dueAt', message: 'échéance dans le passé' }]);
    const unknownTemplate = await send(engineer, 'POST', '/api/v1/work-orders', { equipmentId: d.id, type: 'preventive', description: 'Maintenance préventive', checklistTemplate: 'nope-nope' });
    expect(problemOf(unknownTemplate).errors).toEqual([{ path: 'body.checklistTemplate', message: 'modèle inconnu : nope-nope' }]);
    const careAssignee = await send(engineer, 'POST', '/api/v1/work-orders', { equipmentId: d.id, type: 'preventive', description: 'Maintenance préventive', assigneeIds: [care.userId] });
    expect(careAssignee.statusCode).toBe(422);
    expect(problemOf(careAssignee).errors).toEqual([{ path: 'body.assigneeIds.0', message: 'ni technicien ni ingénieur' }]);
    // Nothing of the refused work orders remains.
    expect((await get(engineer, `/api/v1/work-orders?equipmentId=${d.id}`)).json().items).toHaveLength(1);
  });

  it('planners triage a request nobody took yet: a new priority moves the due dates from the request time', async () => {
    const report = (await send(care, 'POST', '/api/v1/work-requests', { equipmentId: (await device('CHU')).id, symptom: 'Bruit anormal du moteur', deviceOutOfService: false })).json();
    expect(report.state).toBe('requested');
    const url = `/api/v1/work-orders/${report.id}`;
    expect((await send(techChu, 'PATCH', url, { priority: 'critical' }, report.version)).statusCode).toBe(403);
    expect((await send(engineer, 'PATCH', url, { diagnosis: 'Roulement usé' }, report.version)).statusCode).toBe(409);
    const triaged = await send(engineer, 'PATCH', url, { priority: 'critical' }, report.version);
    expect(triaged.statusCode).toBe(200);
    const targets = (await get(engineer, '/api/v1/settings/work-orders')).json().priorityTargets.critical;
    expect(triaged.json()).toMatchObject({ priority: 'critical', version: report.version + 1 });
    expect(Date.parse(triaged.json().dueResponseAt) - Date.parse(report.requestedAt)).toBe(targets.responseMinutes * 60_000);
    expect(Date.parse(triaged.json().dueRepairAt) - Date.parse(report.requestedAt)).toBe(targets.repairMinutes * 60_000);

    // Two planners triaging the same version at once: one wins, the other is told to reload.
    const both = await Promise.all([
      send(engineer, 'PATCH', url, { priority: 'low' }, triaged.json().version),
      send(engineer, 'PATCH', url, { priority: 'high' }, triaged.json().version),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 412]);

    // A planned work order keeps its date.
    const dueAt = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();
    const planned = (await send(engineer, 'POST', '/api/v1/work-orders', { equipmentId: (await device('CHU')).id, type: 'preventive', description: 'Maintenance préventive', dueAt })).json();
    const raised = (await send(engineer, 'PATCH', `/api/v1/work-orders/${planned.id}`, { priority: 'high' }, planned.version)).json();
    expect(raised).toMatchObject({ priority: 'high', dueResponseAt: null });
    expect(Date.parse(raised.dueRepairAt)).toBe(Date.parse(dueAt));
  });

  it('answers a priority or an assignment refused as it always has: who may not (403), in what state (409)', async () => {
    const wo = (await send(engineer, 'POST', '/api/v1/work-orders', {
      equipmentId: (await device('CHU')).id, type: 'preventive', description: 'Maintenance préventive', assigneeIds: [techChu.userId],
    })).json();
    const url = `/api/v1/work-orders/${wo.id}`;
    // The assignee may send the priority as it is (nothing changes but the version), not a new one.
    const same = await send(techChu, 'PATCH', url, { priority: wo.priority }, wo.version);
    expect(same.statusCode).toBe(200);
    const raise = await send(techChu, 'PATCH', url, { priority: 'critical' }, same.json().version);
    expect(raise.statusCode).toBe(403);
    expect(problemOf(raise).detail).toBe('Seuls l’ingénieur et le responsable du site changent la priorité.');
    const outsider = await send(care, 'PATCH', url, { priority: 'critical' }, same.json().version);
    expect(outsider.statusCode).toBe(403);
    expect(problemOf(outsider).detail).toBe("Vous n'avez pas le droit d'effectuer cette action.");
    // Nobody takes a work order of another site's people for them: the same sentence for oneself.
    const self = await send(care, 'POST', `${url}/assignees`, { userId: care.userId });
    expect(self.statusCode).toBe(403);
    expect(problemOf(self).detail).toBe("Seuls l'ingénieur et le responsable du site affectent d'autres personnes.");
    // Once cancelled, the state answers first for those who work on it.
    const cancelled = (await send(engineer, 'POST', `${url}/transitions`, { to: 'cancelled', reason: 'Appareil prêté' }, same.json().version)).json();
    const late = await send(techChu, 'PATCH', url, { priority: 'critical' }, cancelled.version);
    expect(late.statusCode).toBe(409);
    expect(problemOf(late)).toMatchObject({ code: 'invalid_state', detail: 'Bon annulé : il ne se modifie plus.' });
  });

  it('lists who can be assigned, with their sites', async () => {
    const items = (await get(engineer, '/api/v1/technicians')).json().items as Json[];
    const camille = items.find((i) => i.fullName === 'Camille Technicienne')!;
    expect(camille.sites).toEqual([{ id: ids.site('CH1'), shortCode: 'CH1', role: 'technician' }]);
    const etienne = items.find((i) => i.fullName === 'Étienne Ingénieur')!;
    expect(etienne.sites.length).toBe(5);
    expect(items.some((i) => i.fullName === 'Sophie Soignante')).toBe(false);
    const names = items.map((i) => i.fullName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr')));
    expect((await get(engineer, '/api/v1/technicians?q=camil')).json().items.map((i: Json) => i.fullName)).toEqual(['Camille Technicienne']);
    expect((await get(care, '/api/v1/technicians')).statusCode).toBe(403);
    expect((await get(admin, '/api/v1/technicians')).statusCode).toBe(200);
    expect((await get(engineer, '/api/v1/technicians?q=etienne')).json().items.map((i: Json) => i.fullName)).toEqual(['Étienne Ingénieur']);
  });

  it('vendor interventions are listed with their cost; the backlog filters by overdue, type and text', async () => {
    const d = await device('CHU');
    let wo = (await send(engineer, 'POST', '/api/v1/work-orders', { equipmentId: d.id, type: 'corrective', priority: 'high', description: 'Fuite sur le circuit hydraulique', assigneeIds: [techChu.userId] })).json();
    wo = (await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/transitions`, { to: 'in_progress' }, wo.version)).json();
    await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/external-interventions`, { vendor: 'Dräger Service', vendorReference: 'INT-2026-0042', costCents: 123450, performedOn: '2026-11-20' });
    expect((await get(care, `/api/v1/work-orders/${wo.id}/external-interventions`)).json().items).toEqual([
      expect.objectContaining({ vendor: 'Dräger Service', vendorReference: 'INT-2026-0042', costCents: 123450, performedOn: '2026-11-20' }),
    ]);

    // Overdue: its repair due date has passed while it is open.
    await ctx.database.db.updateTable('workOrders').set({ dueRepairAt: sql<Date>`now() - interval '1 hour'` }).where('id', '=', wo.id).execute();
    const overdue = (await get(engineer, `/api/v1/work-orders?siteId=${ids.site('CHU')}&overdue=true`)).json().items as Json[];
    expect(overdue.map((w) => w.id)).toContain(wo.id);
    expect(overdue.every((w) => Date.parse(w.dueRepairAt) < Date.now() && ['requested', 'assigned', 'in_progress', 'on_hold'].includes(w.state))).toBe(true);
    expect((await get(engineer, `/api/v1/work-orders?siteId=${ids.site('CHU')}&overdue=false`)).json().items.map((w: Json) => w.id)).not.toContain(wo.id);

    expect((await get(engineer, `/api/v1/work-orders?q=${encodeURIComponent('HYDRAULIQUE')}`)).json().items.map((w: Json) => w.id)).toEqual([wo.id]);
    expect((await get(engineer, `/api/v1/work-orders?q=${encodeURIComponent(wo.number)}`)).json().items.map((w: Json) => w.id)).toEqual([wo.id]);
    expect((await get(engineer, `/api/v1/work-orders?q=${encodeURIComponent(d.inventoryNumber)}`)).json().items.map((w: Json) => w.id)).toContain(wo.id);
    expect((await get(engineer, '/api/v1/work-orders?q=100%25')).json().items).toEqual([]);
    const types = (await get(engineer, '/api/v1/work-orders?type=electrical_safety,quality_control')).json().items as Json[];
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((w) => ['electrical_safety', 'quality_control'].includes(w.type))).toBe(true);
    expect((await get(engineer, '/api/v1/work-orders?overdue=maybe')).statusCode).toBe(400);
  });

  it('text search gives the same order whether a word matches few work orders or many', async () => {
    const db = ctx.database.db;
    const d = await device('CH2');
    const me = ids.user('ingenieur@ght-demo.fr');
    // 700 work orders mention a vibration (more than the search collects before sorting), 3 a squeal.
    await sql`
      insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, state, symptom, requested_by, due_repair_at)
      select ${ids.territoryId}, ${ids.site('CH2')}, ${d.id}, 'BT-TEST-' || lpad(g::text, 5, '0'), 'corrective',
             (array['critical','high','normal','low'])[1 + g % 4], (array['assigned','closed','completed'])[1 + g % 3],
             case when g <= 3 then 'Grincement ' || g else 'Vibration anormale ' || g end, ${me}, now() + make_interval(hours => g % 97)
      from generate_series(1, 703) g`.execute(db);
    const expected = async (word: string) => (await sql<{ number: string }>`
      select number from work_orders where symptom ilike ${`%${word}%`}
      order by case priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end, coalesce(due_repair_at, 'infinity'), number`.execute(db)).rows.map((r) => r.number);
    const pages = async (q: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Json = (await get(engineer, `/api/v1/work-orders?q=${q}&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json();
        seen.push(...res.items.map((w: Json) => w.number));
        cursor = res.nextCursor;
      } while (cursor);
      return seen;
    };
    // (Their due dates carry microseconds: the cursor must keep them, or a page repeats a row.)
    expect(await pages('vibration')).toEqual(await expected('vibration'));
    expect(await pages('grincement')).toEqual(await expected('grincement'));
    // A cursor tampered with answers 400, not 500.
    const forged = Buffer.from(JSON.stringify([0, 'demain', 'BT'])).toString('base64url');
    const bad = await get(engineer, `/api/v1/work-orders?cursor=${forged}`);
    expect(problemOf(bad)).toMatchObject({ status: 400, errors: [{ path: 'querystring.cursor' }] });
    expect((await get(engineer, '/api/v1/work-orders?q=vibration&state=completed&limit=5')).json().items.every((w: Json) => w.state === 'completed')).toBe(true);
  });
});
