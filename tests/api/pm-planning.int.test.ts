import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { digestWorkOrders, generatePreventiveWorkOrders, hashPassword, nextWorkOrderNumber, refreshPairs } from '@gmao/db';
import { addDays, parisDay } from '@gmao/domain';
import { DEMO_PASSWORD, createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';

/**
 * The planning views of preventive maintenance (issue 13, ADR 0018) on a fixture of their
 * own: three new sites of the demo territory (X, Y, Z), their devices, plans and
 * technicians, so that every figure is known.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let techX: Session;
let care: Session;
const today = parisDay(new Date());
/** The Monday at least two weeks ahead: the calendar's and the workload's first week. */
const M = (() => {
  const d = addDays(today, 14);
  const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
  return addDays(d, (8 - dow) % 7);
})();
/** Compliance: due dates around this day, in the past. */
const base = addDays(today, -60);

const f = {} as {
  X: string; Y: string; Z: string; k1: string; k2: string; k1Label: string; k2Label: string;
  dA: string; dB: string; dC: string; dD: string; dR: string; dN: string;
  planA: string; planB: string; planC: string; planD: string; planR: string; planN: string;
  woA: string; woDone: string; woHand: string;
  compliance: Record<string, string>;
};

const inject = (s: Session, method: 'GET' | 'PUT' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, payload, headers: { ...s.auth, ...headers } });

async function site(code: string) {
  const r = await ctx.database.db.insertInto('sites').values({ territoryId: ids.territoryId, name: `Site planif ${code}`, shortCode: `PL${code}`, finess: `7500000${code.charCodeAt(0) % 10}${code.charCodeAt(0) % 7}`, kind: 'CH' })
    .returning('id').executeTakeFirstOrThrow();
  return r.id;
}

async function device(siteId: string, modelId: string, n: string) {
  const r = await ctx.database.db.insertInto('equipment').values({
    territoryId: ids.territoryId, siteId, inventoryNumber: `PLAN-${n}`, modelId, status: 'in_service', commissioningDate: '2024-01-01',
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

async function plan(o: { equipmentId: string; name: string; every: number; unit: string; anchor: string; lead: number; before?: number; after?: number; minutes?: number | null; regulatory?: boolean; performedBy?: string }) {
  const r = await ctx.database.db.insertInto('maintenancePlans').values({
    territoryId: ids.territoryId, name: o.name, equipmentId: o.equipmentId, workOrderType: 'preventive', trigger: 'calendar', every: o.every, unit: o.unit,
    base: 'fixed', anchorDate: o.anchor, leadTimeDays: o.lead, toleranceDaysBefore: o.before ?? 0, toleranceDaysAfter: o.after ?? 0,
    estimatedMinutes: o.minutes ?? null, regulatory: o.regulatory ?? false, performedBy: o.performedBy ?? 'internal', createdBy: ids.user('ingenieur@ght-demo.fr'),
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

async function user(email: string, grants: { role: string; siteId: string }[], o: { weeklyHours?: number; active?: boolean } = {}) {
  const db = ctx.database.db;
  const u = await db.insertInto('users').values({
    territoryId: ids.territoryId, email, fullName: email.split('@')[0]!, homeSiteId: grants[0]?.siteId ?? null, passwordHash: await hashPassword(DEMO_PASSWORD),
    weeklyHours: o.weeklyHours ?? 35, active: o.active ?? true,
  }).returning('id').executeTakeFirstOrThrow();
  for (const g of grants) await db.insertInto('roleGrants').values({ territoryId: ids.territoryId, userId: u.id, siteId: g.siteId, role: g.role }).execute();
  return u.id;
}

/** A generated work order of the past (compliance), written as the generator writes it. */
async function pastWorkOrder(planId: string, equipmentId: string, siteId: string, due: string, window: [number, number], state: string, completedOn?: string, type = 'preventive') {
  const db = ctx.database.db;
  const r = await db.insertInto('workOrders').values({
    territoryId: ids.territoryId, siteId, equipmentId, number: await nextWorkOrderNumber(db), type, priority: 'normal', symptom: 'Plan',
    requestedBy: ids.user('ingenieur@ght-demo.fr'), planId, dueDate: due, plannedDate: due, windowStart: addDays(due, -window[0]), windowEnd: addDays(due, window[1]),
    state, completedAt: completedOn ? new Date(`${completedOn}T11:00:00Z`) : null, closedAt: state === 'closed' ? new Date(`${completedOn}T12:00:00Z`) : null,
    cancelReason: state === 'cancelled' ? 'Équipement prêté' : null,
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

beforeAll(async () => {
  ctx = await createTestContext();
  const db = ctx.database.db;
  ids = await demoIds(db);
  [f.X, f.Y, f.Z] = [await site('X'), await site('Y'), await site('Z')];
  const cats = await db.selectFrom('equipmentCategories').select(['id', 'label']).where('territoryId', '=', ids.territoryId).orderBy('label').limit(2).execute();
  [f.k1, f.k2, f.k1Label, f.k2Label] = [cats[0]!.id, cats[1]!.id, cats[0]!.label, cats[1]!.label];
  const m1 = (await db.insertInto('equipmentModels').values({ territoryId: ids.territoryId, manufacturer: 'Planif', modelName: 'Un', categoryId: f.k1 }).returning('id').executeTakeFirstOrThrow()).id;
  const m2 = (await db.insertInto('equipmentModels').values({ territoryId: ids.territoryId, manufacturer: 'Planif', modelName: 'Deux', categoryId: f.k2 }).returning('id').executeTakeFirstOrThrow()).id;
  f.dA = await device(f.X, m1, 'A');
  f.dB = await device(f.X, m1, 'B');
  f.dC = await device(f.Y, m1, 'C');
  f.dD = await device(f.Z, m1, 'D');
  f.dR = await device(f.X, m1, 'R');
  f.dN = await device(f.Y, m2, 'N');
  // A: weekly from M, regulatory, 60 min, window −2/+3, generated (lead 30 days).
  f.planA = await plan({ equipmentId: f.dA, name: 'Hebdo A', every: 1, unit: 'weeks', anchor: M, lead: 30, before: 2, after: 3, minutes: 60, regulatory: true });
  // B: monthly from M + 2, a vendor's visit, no estimate, not generated yet (lead 0).
  f.planB = await plan({ equipmentId: f.dB, name: 'Mensuel B', every: 1, unit: 'months', anchor: addDays(M, 2), lead: 0, before: 1, after: 1, performedBy: 'vendor' });
  // C (site Y): weekly from M, 1,000 min, forecasts only.
  f.planC = await plan({ equipmentId: f.dC, name: 'Hebdo C', every: 1, unit: 'weeks', anchor: M, lead: 0, minutes: 1000 });
  // D (site Z, no technician): weekly from M, 30 min, forecasts only.
  f.planD = await plan({ equipmentId: f.dD, name: 'Hebdo D', every: 1, unit: 'weeks', anchor: M, lead: 0, minutes: 30 });
  // Compliance: plans whose pairs are far ahead (2030), their work orders of the past written below.
  f.planR = await plan({ equipmentId: f.dR, name: 'Réglementaire R', every: 1, unit: 'years', anchor: '2030-01-07', lead: 0, regulatory: true });
  f.planN = await plan({ equipmentId: f.dN, name: 'Courant N', every: 1, unit: 'years', anchor: '2030-01-07', lead: 0 });
  await db.transaction().execute((trx) => refreshPairs(trx, { territoryId: ids.territoryId, planIds: [f.planA, f.planB, f.planC, f.planD, f.planR, f.planN] }));
  await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId, siteId: f.X });
  f.woA = (await db.selectFrom('workOrders').select('id').where('planId', '=', f.planA).executeTakeFirstOrThrow()).id;

  // Technicians: T1 at X and Y (30 h: 15 h each), T2 at X (35 h), T3 at X but inactive, and an engineer elsewhere.
  await user('t1.planif@ght-demo.fr', [{ role: 'technician', siteId: f.X }, { role: 'technician', siteId: f.Y }], { weeklyHours: 30 });
  await user('t2.planif@ght-demo.fr', [{ role: 'technician', siteId: f.X }]);
  await user('t3.planif@ght-demo.fr', [{ role: 'technician', siteId: f.X }], { active: false });
  await user('soins.planif@ght-demo.fr', [{ role: 'care_staff', siteId: f.X }]);

  f.compliance = {
    within: await pastWorkOrder(f.planR, f.dR, f.X, base, [2, 3], 'completed', addDays(base, 1)),
    outside: await pastWorkOrder(f.planR, f.dR, f.X, addDays(base, 7), [2, 3], 'closed', addDays(base, 12)),
    cancelled: await pastWorkOrder(f.planR, f.dR, f.X, addDays(base, 14), [2, 3], 'cancelled'),
    open: await pastWorkOrder(f.planR, f.dR, f.X, addDays(base, 21), [2, 3], 'assigned'),
    older: await pastWorkOrder(f.planR, f.dR, f.X, addDays(base, -30), [0, 0], 'on_hold'),
    yWithin: await pastWorkOrder(f.planN, f.dN, f.Y, addDays(base, 3), [0, 0], 'closed', addDays(base, 3)),
    yOpen: await pastWorkOrder(f.planN, f.dN, f.Y, addDays(base, 10), [0, 0], 'requested'),
  };
  // A work order that is done, and one made by hand (not planned work).
  f.woDone = await pastWorkOrder(f.planA, f.dA, f.X, addDays(M, 7 * 30), [2, 3], 'completed', addDays(M, 7 * 30));
  f.woHand = (await db.insertInto('workOrders').values({
    territoryId: ids.territoryId, siteId: f.X, equipmentId: f.dA, number: await nextWorkOrderNumber(db), type: 'corrective', priority: 'normal', symptom: 'Panne',
    requestedBy: ids.user('ingenieur@ght-demo.fr'),
  }).returning('id').executeTakeFirstOrThrow()).id;

  [admin, engineer, techX, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 't2.planif@ght-demo.fr'), login(ctx.app, 'soins.planif@ght-demo.fr'),
  ]);
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const to = addDays(M, 20);

describe('GET /pm/calendar', () => {
  it('generated work orders and forecasts by planned day, with the weekly projection and the days', async () => {
    const res = await inject(engineer, 'GET', `/pm/calendar?from=${M}&to=${to}&siteId=${f.X}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.truncated).toBe(false);
    expect(body.items.map((i: { plannedDate: string; plan: { name: string }; workOrder: unknown }) => [i.plannedDate, i.plan.name, i.workOrder !== null])).toEqual([
      [M, 'Hebdo A', true],
      [addDays(M, 2), 'Mensuel B', false],
      [addDays(M, 7), 'Hebdo A', false],
      [addDays(M, 14), 'Hebdo A', false],
    ]);
    const [generated, vendor, next] = body.items;
    expect(generated).toMatchObject({
      key: f.woA, dueDate: M, windowStart: addDays(M, -2), windowEnd: addDays(M, 3), estimatedMinutes: 60, regulatory: true, performedBy: 'internal',
      overdue: false, equipment: { inventoryNumber: 'PLAN-A', label: 'Planif Un' }, site: { id: f.X }, workOrder: { state: 'requested', version: 1 },
    });
    // The engineer of the demo plans the CHU, not site X: he reads it, does not move it; the territory admin does.
    expect(generated.canReschedule).toBe(false);
    expect(vendor).toMatchObject({ key: `${f.planB}:${f.dB}:${addDays(M, 2)}`, performedBy: 'vendor', estimatedMinutes: null, windowStart: addDays(M, 1), windowEnd: addDays(M, 3), canReschedule: false, assignees: [] });
    expect(next).toMatchObject({ dueDate: addDays(M, 7), windowStart: addDays(M, 5), windowEnd: addDays(M, 10), workOrder: null });
    expect(body.days).toEqual([
      { date: M, count: 1, regulatoryCount: 1, estimatedMinutes: 60 },
      { date: addDays(M, 2), count: 1, regulatoryCount: 0, estimatedMinutes: 0 },
      { date: addDays(M, 7), count: 1, regulatoryCount: 1, estimatedMinutes: 60 },
      { date: addDays(M, 14), count: 1, regulatoryCount: 1, estimatedMinutes: 60 },
    ]);
    const asAdmin = (await inject(admin, 'GET', `/pm/calendar?from=${M}&to=${M}&siteId=${f.X}`)).json();
    expect(asAdmin.items.map((i: { canReschedule: boolean }) => i.canReschedule)).toEqual([true]);
  });

  it('projects a monthly plan on the anchor’s grid: month ends clamped, never drifting', async () => {
    const w = await site('W');
    const model = await ctx.database.db.selectFrom('equipment').select('modelId').where('id', '=', f.dA).executeTakeFirstOrThrow();
    const d = await device(w, model.modelId!, 'W');
    const planW = await plan({ equipmentId: d, name: 'Mensuel fin de mois', every: 1, unit: 'months', anchor: '2027-01-31', lead: 0 });
    await ctx.database.db.transaction().execute((trx) => refreshPairs(trx, { territoryId: ids.territoryId, planIds: [planW] }));
    const cal = (await inject(engineer, 'GET', `/pm/calendar?from=2027-01-01&to=2027-06-30&siteId=${w}`)).json();
    expect(cal.items.map((i: { plannedDate: string }) => i.plannedDate)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30']);
  });

  it('the whole territory without siteId; another territory’s site is an empty answer', async () => {
    const all = (await inject(techX, 'GET', `/pm/calendar?from=${M}&to=${to}`)).json();
    const keys = all.items.map((i: { key: string }) => i.key);
    expect(keys).toContain(f.woA);
    expect(all.items.filter((i: { site: { id: string } }) => i.site.id === f.Y)).toHaveLength(3);
    const other = await otherTerritory(ctx.database.db);
    const res = await inject(engineer, 'GET', `/pm/calendar?from=${M}&to=${to}&siteId=${other.siteId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ items: [], days: [], truncated: false });
  });
});

describe('PUT /work-orders/{id}/planned-date', () => {
  const put = (s: Session, id: string, plannedDate: string, version: string | null) =>
    inject(s, 'PUT', `/work-orders/${id}/planned-date`, { plannedDate }, version === null ? {} : { 'if-match': version });

  it('moves planned work within its window; refuses outside it, a stale version, a technician, done work and work not planned', async () => {
    const outside = await put(admin, f.woA, addDays(M, 4), '1');
    expect(outside.statusCode).toBe(409);
    const p = problemOf(outside);
    expect(p.code).toBe('outside_tolerance');
    const fr = (d: string) => `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
    expect(p.detail).toContain(`hors de la fenêtre de tolérance (du ${fr(addDays(M, -2))} au ${fr(addDays(M, 3))})`);
    expect((await put(admin, f.woA, addDays(M, -3), '1')).statusCode).toBe(409);
    expect(problemOf(await put(techX, f.woA, addDays(M, 1), '1')).status).toBe(403);
    expect(problemOf(await put(engineer, f.woA, addDays(M, 1), '1')).status).toBe(403);
    expect((await put(admin, f.woA, addDays(M, 1), null)).statusCode).toBe(428);
    expect((await put(admin, f.woA, addDays(M, 1), '7')).statusCode).toBe(412);
    expect(problemOf(await put(admin, f.woA, '2026-02-30', '1')).errors?.[0]?.path).toBe('body.plannedDate');

    const moved = await put(admin, f.woA, addDays(M, 3), '1');
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: f.woA, plannedDate: addDays(M, 3), dueDate: M, windowStart: addDays(M, -2), windowEnd: addDays(M, 3), version: 2 });
    const audit = await ctx.database.db.selectFrom('auditLog').selectAll().where('entityId', '=', f.woA).where('action', '=', 'work_order.reschedule').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ plannedDate: addDays(M, 3) });
    // The calendar shows it on its new day, its due date unchanged.
    const cal = (await inject(engineer, 'GET', `/pm/calendar?from=${M}&to=${addDays(M, 6)}&siteId=${f.X}`)).json();
    expect(cal.items.map((i: { plannedDate: string; dueDate: string }) => [i.plannedDate, i.dueDate])).toEqual([[addDays(M, 2), addDays(M, 2)], [addDays(M, 3), M]]);
    expect((await put(admin, f.woA, M, '2')).json().plannedDate).toBe(M);

    const done = await put(admin, f.woDone, addDays(M, 7 * 30), '1');
    expect(done.statusCode).toBe(409);
    expect(problemOf(done).code).toBe('invalid_state');
    const hand = await put(admin, f.woHand, M, '1');
    expect(hand.statusCode).toBe(409);
    expect(problemOf(hand).code).toBe('not_planned_work');
    // The full work order carries the planned date and the window; work made by hand has none.
    expect((await inject(admin, 'GET', `/work-orders/${f.woHand}`)).json()).toMatchObject({ plannedDate: null, windowStart: null, windowEnd: null });
  });
});

describe('GET /pm/workload', () => {
  it('capacity split across sites, partial weeks by working days, overloaded sites', async () => {
    // Thursday of the first week to Tuesday of the third.
    const from = addDays(M, 3);
    const until = addDays(M, 15);
    const x = (await inject(engineer, 'GET', `/pm/workload?from=${from}&to=${until}&siteId=${f.X}`)).json();
    expect(x.weeks).toEqual([M, addDays(M, 7), addDays(M, 14)]);
    expect(x.sites).toHaveLength(1);
    // T1: 30 h over two sites = 900 min here; T2: 35 h = 2,100 min; T3 inactive.
    expect(x.sites[0]).toMatchObject({ site: { id: f.X }, technicians: 2, weeklyCapacityMinutes: 3000 });
    // A's work order (planned on M, before the period) is not counted; its forecasts are; B is a vendor's.
    expect(x.sites[0].weeks).toEqual([
      { weekStart: M, dueMinutes: 0, count: 0, unestimated: 0, capacityMinutes: 1200, load: 0, overloaded: false, spareMinutes: 1200 },
      { weekStart: addDays(M, 7), dueMinutes: 60, count: 1, unestimated: 0, capacityMinutes: 3000, load: 0.02, overloaded: false, spareMinutes: 2940 },
      { weekStart: addDays(M, 14), dueMinutes: 60, count: 1, unestimated: 0, capacityMinutes: 1200, load: 0.05, overloaded: false, spareMinutes: 1140 },
    ]);
    const y = (await inject(engineer, 'GET', `/pm/workload?from=${M}&to=${addDays(M, 13)}&siteId=${f.Y}`)).json();
    expect(y.sites[0]).toMatchObject({ technicians: 1, weeklyCapacityMinutes: 900 });
    expect(y.sites[0].weeks.map((w: { dueMinutes: number; overloaded: boolean; spareMinutes: number; load: number }) => [w.dueMinutes, w.overloaded, w.spareMinutes, w.load]))
      .toEqual([[1000, true, 0, 1000 / 900], [1000, true, 0, 1000 / 900]]);
    const z = (await inject(engineer, 'GET', `/pm/workload?from=${M}&to=${addDays(M, 6)}&siteId=${f.Z}`)).json();
    expect(z.sites[0]).toMatchObject({ technicians: 0, weeklyCapacityMinutes: 0 });
    expect(z.sites[0].weeks).toEqual([{ weekStart: M, dueMinutes: 30, count: 1, unestimated: 0, capacityMinutes: 0, load: null, overloaded: true, spareMinutes: 0 }]);
    // Every site of the territory without siteId.
    const all = (await inject(engineer, 'GET', `/pm/workload?from=${M}&to=${addDays(M, 6)}`)).json();
    const siteCount = await ctx.database.db.selectFrom('sites').select((eb) => eb.fn.countAll<number>().as('n')).where('territoryId', '=', ids.territoryId).executeTakeFirstOrThrow();
    expect(all.sites).toHaveLength(Number(siteCount.n));
  });
});

describe('GET /pm/compliance', () => {
  it('due, done within or outside tolerance, cancelled, open; by site and category; regulatory apart; overdue regulatory work', async () => {
    const q = `from=${addDays(base, -5)}&to=${addDays(base, 25)}`;
    const x = (await inject(engineer, 'GET', `/pm/compliance?${q}&siteId=${f.X}`)).json();
    const xFigures = { due: 4, doneWithinTolerance: 1, doneOutsideTolerance: 1, cancelled: 1, open: 1, rate: 0.25 };
    expect(x.total).toEqual(xFigures);
    expect(x.regulatory).toEqual(xFigures);
    expect(x.bySite).toEqual([{ site: { id: f.X, name: 'Site planif X' }, ...xFigures }]);
    expect(x.byCategory).toEqual([{ category: { id: f.k1, name: f.k1Label }, ...xFigures }]);
    expect(x.overdueRegulatory.map((o: { workOrder: { id: string }; daysOverdue: number; windowEnd: string }) => [o.workOrder.id, o.daysOverdue, o.windowEnd])).toEqual([
      [f.compliance.older, 90, addDays(base, -30)],
      [f.compliance.open, 39, addDays(base, 24)],
    ]);
    const y = (await inject(engineer, 'GET', `/pm/compliance?${q}&siteId=${f.Y}`)).json();
    expect(y.total).toEqual({ due: 2, doneWithinTolerance: 1, doneOutsideTolerance: 0, cancelled: 0, open: 1, rate: 0.5 });
    expect(y.regulatory).toEqual({ due: 0, doneWithinTolerance: 0, doneOutsideTolerance: 0, cancelled: 0, open: 0, rate: null });
    expect(y.overdueRegulatory).toEqual([]);
    expect(y.bySiteAndCategory).toEqual([{ site: { id: f.Y, name: 'Site planif Y' }, category: { id: f.k2, name: f.k2Label }, due: 2, doneWithinTolerance: 1, doneOutsideTolerance: 0, cancelled: 0, open: 1, rate: 0.5 }]);
    // The territory: both sites among the others.
    const all = (await inject(techX, 'GET', `/pm/compliance?${q}`)).json();
    expect(all.bySite.find((s: { site: { id: string } }) => s.site.id === f.X)).toMatchObject(xFigures);
    expect(all.total.due).toBeGreaterThanOrEqual(6);
  });
});

describe('regulatory work: one rule for compliance, the overdue list and the digests', () => {
  it('an electrical-safety check, or preventive work on a device with the obligation, is regulatory without the plan’s flag', async () => {
    const db = ctx.database.db;
    const W = await site('Q');
    const model = (await db.insertInto('equipmentModels').values({ territoryId: ids.territoryId, manufacturer: 'Planif', modelName: 'Trois', categoryId: f.k1 }).returning('id').executeTakeFirstOrThrow()).id;
    const [dE, dO, dP] = [await device(W, model, 'WE'), await device(W, model, 'WO'), await device(W, model, 'WP')];
    await db.updateTable('equipment').set({ maintenanceObligation: true }).where('id', '=', dO).execute();
    const unflagged = async (equipmentId: string, workOrderType: string) => (await db.insertInto('maintenancePlans').values({
      territoryId: ids.territoryId, name: `Non marqué ${workOrderType}`, equipmentId, workOrderType, trigger: 'calendar', every: 1, unit: 'years',
      base: 'fixed', anchorDate: '2030-01-07', leadTimeDays: 0, regulatory: false, createdBy: ids.user('ingenieur@ght-demo.fr'),
    }).returning('id').executeTakeFirstOrThrow()).id;
    const safety = await pastWorkOrder(await unflagged(dE, 'electrical_safety'), dE, W, addDays(base, 2), [0, 0], 'requested', undefined, 'electrical_safety');
    const obliged = await pastWorkOrder(await unflagged(dO, 'preventive'), dO, W, addDays(base, 4), [0, 0], 'requested');
    const plain = await pastWorkOrder(await unflagged(dP, 'preventive'), dP, W, addDays(base, 6), [0, 0], 'requested');
    // Due at the end of their due day, as the generator writes them (the digests read that).
    await db.updateTable('workOrders').set({ dueRepairAt: sql`(due_date + 1)::timestamp at time zone 'Europe/Paris'` }).where('id', 'in', [safety, obliged, plain]).execute();
    const x = (await inject(engineer, 'GET', `/pm/compliance?from=${addDays(base, -5)}&to=${addDays(base, 25)}&siteId=${W}`)).json();
    expect(x.total).toMatchObject({ due: 3, open: 3 });
    expect(x.regulatory).toMatchObject({ due: 2, open: 2, rate: 0 });
    expect(x.overdueRegulatory.map((o: { workOrder: { id: string } }) => o.workOrder.id)).toEqual([safety, obliged]);
    // The digests' selection says the same of the same work orders.
    const sel = await sql<{ workOrderId: string; regulatory: boolean }>`select work_order_id, regulatory from (${digestWorkOrders({ now: new Date(), dueSoonDays: 7 })}) d
      where work_order_id = any(${[safety, obliged, plain]}::uuid[])`.execute(db);
    expect(Object.fromEntries(sel.rows.map((r) => [r.workOrderId, r.regulatory]))).toEqual({ [safety]: true, [obliged]: true, [plain]: false });
  });
});

describe('rights and validation', () => {
  it('care staff: 403 on the three views', async () => {
    for (const view of ['calendar', 'workload', 'compliance']) {
      const res = await inject(care, 'GET', `/pm/${view}?from=${M}&to=${to}`);
      expect(res.statusCode, view).toBe(403);
    }
  });

  it('400 naming the field: to before from, a span too long, bad dates, unknown parameters', async () => {
    const cases: [string, string][] = [
      [`/pm/calendar?from=${to}&to=${M}`, 'querystring.to'],
      [`/pm/calendar?from=${M}&to=${addDays(M, 191)}`, 'querystring.to'],
      [`/pm/workload?from=${M}&to=${addDays(M, 191)}`, 'querystring.to'],
      [`/pm/compliance?from=${M}&to=${addDays(M, 1101)}`, 'querystring.to'],
      [`/pm/calendar?from=2026-02-30&to=${M}`, 'querystring.from'],
      [`/pm/calendar?to=${M}`, 'querystring.from'],
      [`/pm/workload?from=0000-01-01&to=${M}`, 'querystring.from'],
      [`/pm/workload?from=${M}&to=${to}&siteId=x`, 'querystring.siteId'],
      [`/pm/compliance?from=${M}&to=${to}&state=open`, 'querystring'],
    ];
    for (const [url, path] of cases) {
      const res = await inject(engineer, 'GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.path), url).toContain(path);
    }
    expect((await inject(engineer, 'GET', `/pm/compliance?from=${M}&to=${addDays(M, 1100)}`)).statusCode).toBe(200);
  });
});

describe('PATCH /users/{id}: weekly hours', () => {
  it('the territory admin sets them (If-Match, audited); 0 to 60 by half hours; others may not', async () => {
    const db = ctx.database.db;
    const t2 = await db.selectFrom('users').select(['id', 'version']).where('email', '=', 't2.planif@ght-demo.fr').executeTakeFirstOrThrow();
    expect((await inject(admin, 'GET', `/users/${t2.id}`)).json().weeklyHours).toBe(35);
    for (const weeklyHours of [37.25, 61, -1, '30']) {
      const res = await inject(admin, 'PATCH', `/users/${t2.id}`, { weeklyHours }, { 'if-match': String(t2.version) });
      expect(res.statusCode, String(weeklyHours)).toBe(400);
      expect(problemOf(res).errors?.[0]?.path).toBe('body.weeklyHours');
    }
    expect((await inject(admin, 'PATCH', `/users/${t2.id}`, {}, { 'if-match': String(t2.version) })).statusCode).toBe(400);
    expect((await inject(admin, 'PATCH', `/users/${t2.id}`, { weeklyHours: 20 })).statusCode).toBe(428);
    expect((await inject(admin, 'PATCH', `/users/${t2.id}`, { weeklyHours: 20 }, { 'if-match': '99' })).statusCode).toBe(412);
    expect((await inject(engineer, 'PATCH', `/users/${t2.id}`, { weeklyHours: 20 }, { 'if-match': String(t2.version) })).statusCode).toBe(403);
    const res = await inject(admin, 'PATCH', `/users/${t2.id}`, { weeklyHours: 17.5 }, { 'if-match': String(t2.version) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ weeklyHours: 17.5, version: t2.version + 1 });
    const audit = await db.selectFrom('auditLog').selectAll().where('entityId', '=', t2.id).where('action', '=', 'user.update').execute();
    expect(audit.map((a) => [a.before, a.after])).toEqual([[{ weeklyHours: 35 }, { weeklyHours: 17.5 }]]);
    // The workload follows: X's capacity is now 900 + 1,050.
    const x = (await inject(engineer, 'GET', `/pm/workload?from=${M}&to=${addDays(M, 6)}&siteId=${f.X}`)).json();
    expect(x.sites[0].weeklyCapacityMinutes).toBe(1950);
  });
});
