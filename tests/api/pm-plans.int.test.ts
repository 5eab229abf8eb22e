import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { sql } from 'kysely';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { generatePreventiveWorkOrders } from '@gmao/db';
import { addCalendar, parisDay } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/** Maintenance plans through the API, and a run of the generator API → queue → worker → database. */
let ctx: TestContext;
let workers: RunningWorkers;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let manager: Session;
let tech: Session;
let admin: Session;
const today = parisDay(new Date());

beforeAll(async () => {
  ctx = await createTestContext();
  workers = await startWorkers({ db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
  ids = await demoIds(ctx.database.db);
  [engineer, manager, tech, admin] = await Promise.all([
    login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'admin@ght-demo.fr'),
  ]);
});
afterAll(async () => {
  await workers?.close();
  await ctx?.close();
});

const inject = (s: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, payload, headers: { ...s.auth, ...headers } });

async function waitForJob(s: Session, jobId: string) {
  for (let i = 0; i < 300; i++) {
    const res = (await inject(s, 'GET', `/jobs/${jobId}`)).json();
    if (res.state === 'completed' || res.state === 'failed') return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

async function modelWithDevices() {
  const db = ctx.database.db;
  return db.selectFrom('equipment as e').innerJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .select(['m.id as modelId', 'm.categoryId', db.fn.countAll<number>().as('n')])
    // Devices that get planned work: not decommissioned (nor pending it), not in stock before commissioning.
    .where('e.status', '<>', 'decommissioned')
    .where((eb) => eb.not(eb.and([eb('e.status', '=', 'in_stock'), eb('e.commissioningDate', 'is', null)])))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('equipmentDecommissions as d').select('d.id').whereRef('d.equipmentId', '=', 'e.id').where('d.status', '=', 'pending'))))
    .groupBy(['m.id', 'm.categoryId']).orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
}

const base = { workOrderType: 'preventive', trigger: 'calendar', every: 6, unit: 'months', anchorDate: today, leadTimeDays: 14 };

describe('plans: validation and rights', () => {
  it('refuses bad fields with a 400 naming the field', async () => {
    const { modelId } = await modelWithDevices();
    const cases: [object, string][] = [
      [{ ...base, name: 'x', modelId }, 'body.name'],
      [{ ...base, name: 'Plan', modelId, unit: 'hours' }, 'body.unit'],
      [{ ...base, name: 'Plan', modelId, every: 0 }, 'body.every'],
      [{ ...base, name: 'Plan', modelId, anchorDate: '2026-02-30' }, 'body.anchorDate'],
      [{ ...base, name: 'Plan', modelId, leadTimeDays: 400 }, 'body.leadTimeDays'],
      [{ ...base, name: 'Plan', modelId, workOrderType: 'corrective' }, 'body.workOrderType'],
      [{ ...base, name: 'Plan', modelId, categoryId: modelId }, 'body.equipmentId'],
      [{ ...base, name: 'Plan' }, 'body.equipmentId'],
      [{ ...base, name: 'Plan', modelId, performedBy: 'someone' }, 'body.performedBy'],
      [{ ...base, name: 'Plan', modelId, checklistTemplate: 'nope-template' }, 'body.checklistTemplate'],
      [{ ...base, name: 'Plan', modelId: '00000000-0000-4000-8000-000000000000' }, 'body.modelId'],
      // 100,000 years after the anchor is a date of six digits no answer can carry (was a 500 on the plan's devices).
      [{ ...base, name: 'Plan', modelId, every: 101, unit: 'years' }, 'body.every'],
      [{ ...base, name: 'Plan', modelId, every: 1201, unit: 'months' }, 'body.every'],
    ];
    for (const [payload, path] of cases) {
      const res = await inject(engineer, 'POST', '/maintenance-plans', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(problemOf(res).errors?.map((e: { path: string }) => e.path), JSON.stringify(payload)).toContain(path);
    }
  });

  it('PATCH refuses an interval beyond a hundred years, also when only the unit changes (no plan whose dates no answer can carry)', async () => {
    const device = await ctx.database.db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(11).limit(1).executeTakeFirstOrThrow();
    const created = await inject(engineer, 'POST', '/maintenance-plans', { ...base, name: 'Plan centenaire', equipmentId: device.id, every: 1200, unit: 'months', anchorDate: '1990-01-01' });
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    const toYears = await inject(engineer, 'PATCH', `/maintenance-plans/${plan.id}`, { unit: 'years' }, { 'if-match': `"${plan.version}"` });
    expect(toYears.statusCode).toBe(400);
    expect(problemOf(toYears).errors?.map((e: { path: string }) => e.path)).toContain('body.unit');
    const tooLong = await inject(engineer, 'PATCH', `/maintenance-plans/${plan.id}`, { every: 100_000 }, { 'if-match': `"${plan.version}"` });
    expect(tooLong.statusCode).toBe(400);
    expect(problemOf(tooLong).errors?.map((e: { path: string }) => e.path)).toContain('body.every');
    expect((await inject(engineer, 'GET', `/maintenance-plans/${plan.id}/devices`)).statusCode).toBe(200);
    expect((await inject(engineer, 'GET', `/equipment/${device.id}/maintenance-schedule`)).statusCode).toBe(200);
  });

  it('a model plan: engineers and the territory admin, not a site manager nor a technician; a device plan: its site manager', async () => {
    const { modelId } = await modelWithDevices();
    expect((await inject(tech, 'POST', '/maintenance-plans', { ...base, name: 'Tech plan', modelId })).statusCode).toBe(403);
    expect((await inject(manager, 'POST', '/maintenance-plans', { ...base, name: 'Manager plan', modelId })).statusCode).toBe(403);
    const byAdmin = await inject(admin, 'POST', '/maintenance-plans', { ...base, name: 'Admin plan', modelId, leadTimeDays: 0, anchorDate: addCalendar(today, 100, 'days') });
    expect(byAdmin.statusCode).toBe(201);
    const ch1Device = await ctx.database.db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CH1')).where('status', '=', 'in_service').limit(1).executeTakeFirstOrThrow();
    const chuDevice = await ctx.database.db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').limit(1).executeTakeFirstOrThrow();
    expect((await inject(manager, 'POST', '/maintenance-plans', { ...base, name: 'Device plan', equipmentId: ch1Device.id })).statusCode).toBe(201);
    expect((await inject(manager, 'POST', '/maintenance-plans', { ...base, name: 'Device plan', equipmentId: chuDevice.id })).statusCode).toBe(403);
  });

  it('the required skill: a skill of the territory, active; a level needs a skill; a skill alone asks for confirmed', async () => {
    const { modelId } = await modelWithDevices();
    const db = ctx.database.db;
    const skill = await db.selectFrom('skills').select(['id', 'code', 'name']).where('territoryId', '=', ids.territoryId).where('code', '=', 'QUAL-AUDIT').executeTakeFirstOrThrow();
    const plan = { ...base, name: 'Plan compétence', modelId, anchorDate: addCalendar(today, 60, 'days') };
    const levelAlone = await inject(engineer, 'POST', '/maintenance-plans', { ...plan, requiredLevel: 'expert' });
    expect(levelAlone.statusCode).toBe(400);
    expect(problemOf(levelAlone).errors?.[0]?.path).toBe('body.requiredLevel');
    expect((await inject(engineer, 'POST', '/maintenance-plans', { ...plan, requiredSkillId: skill.id, requiredLevel: 3 })).statusCode).toBe(400);
    const unknown = await inject(engineer, 'POST', '/maintenance-plans', { ...plan, requiredSkillId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(422);
    expect(problemOf(unknown).code).toBe('skill_not_found');
    const created = await inject(engineer, 'POST', '/maintenance-plans', { ...plan, requiredSkillId: skill.id });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ requiredSkillId: skill.id, requiredLevel: 'confirmed', requiredSkillCode: 'QUAL-AUDIT', requiredSkillName: skill.name });
    const raised = await inject(engineer, 'PATCH', `/maintenance-plans/${p.id}`, { requiredLevel: 'expert' }, { 'if-match': '1' });
    expect(raised.json()).toMatchObject({ requiredSkillId: skill.id, requiredLevel: 'expert' });
    const cleared = await inject(engineer, 'PATCH', `/maintenance-plans/${p.id}`, { requiredSkillId: null }, { 'if-match': '2' });
    expect(cleared.json()).toMatchObject({ requiredSkillId: null, requiredLevel: null, requiredSkillCode: null, requiredSkillName: null });
    const levelOnly = await inject(engineer, 'PATCH', `/maintenance-plans/${p.id}`, { requiredLevel: 'beginner' }, { 'if-match': '3' });
    expect(levelOnly.statusCode).toBe(400);
    expect(problemOf(levelOnly).errors?.[0]?.path).toBe('body.requiredLevel');
    // A retired skill is refused (422 skill_retired); the plan keeps what it had.
    const retired = await db.insertInto('skills').values({
      territoryId: ids.territoryId, code: 'CUSTOM-RETIRED-PLAN', name: 'Compétence retirée', skillCategory: 'custom', active: false, retiredAt: new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    const refused = await inject(engineer, 'PATCH', `/maintenance-plans/${p.id}`, { requiredSkillId: retired.id }, { 'if-match': '3' });
    expect(refused.statusCode).toBe(422);
    expect(problemOf(refused).code).toBe('skill_retired');
    // The plan's own skill retired since: the plan keeps it, and an edit sending it back is accepted.
    await inject(engineer, 'PATCH', `/maintenance-plans/${p.id}`, { requiredSkillId: skill.id }, { 'if-match': '3' });
    await db.updateTable('skills').set({ active: false, retiredAt: new Date() }).where('id', '=', skill.id).execute();
    const kept = await inject(engineer, 'PATCH', `/maintenance-plans/${p.id}`, { name: 'Plan compétence retirée', requiredSkillId: skill.id, requiredLevel: 'expert' }, { 'if-match': '4' });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ requiredSkillId: skill.id, requiredLevel: 'expert' });
    await db.updateTable('skills').set({ active: true, retiredAt: null }).where('id', '=', skill.id).execute();
  });
});

describe('plans: lifecycle, schedule and generation', () => {
  it('creates, lists the devices with their next due date, generates through the queue and the worker, filters work orders by plan', async () => {
    const { modelId, n } = await modelWithDevices();
    const elec = await ctx.database.db.selectFrom('skills').select(['id', 'name']).where('territoryId', '=', ids.territoryId).where('code', '=', 'ELEC-62353').executeTakeFirstOrThrow();
    const created = await inject(engineer, 'POST', '/maintenance-plans', {
      ...base, name: 'Maintenance semestrielle', modelId, anchorDate: addCalendar(today, 3, 'days'), checklistTemplate: 'iec-62353', workOrderType: 'electrical_safety',
      toleranceDaysBefore: 7, toleranceDaysAfter: 7, estimatedMinutes: 45, requiredSkillId: elec.id, requiredLevel: 'beginner', regulatory: true,
    });
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    expect(plan).toMatchObject({ active: true, version: 1, deviceCount: n, requiredSkillId: elec.id, requiredLevel: 'beginner', requiredSkillCode: 'ELEC-62353', requiredSkillName: elec.name, performedBy: 'internal',
    });
    const devices = (await inject(tech, 'GET', `/maintenance-plans/${plan.id}/devices?limit=200`)).json();
    expect(devices.items).toHaveLength(n);
    expect(devices.items.every((d: { nextDueDate: string }) => d.nextDueDate === addCalendar(today, 3, 'days'))).toBe(true);

    const run = await inject(engineer, 'POST', '/pm/generate', {});
    expect(run.statusCode).toBe(202);
    const job = await waitForJob(engineer, run.json().jobId);
    expect(job).toMatchObject({ state: 'completed', result: { created: expect.any(Number) } });
    expect(job.result.created).toBeGreaterThanOrEqual(n);
    const list = (await inject(engineer, 'GET', `/work-orders?planId=${plan.id}&limit=200`)).json();
    expect(list.items).toHaveLength(n);
    expect(list.items[0]).toMatchObject({ planId: plan.id, dueDate: addCalendar(today, 3, 'days'), type: 'electrical_safety' });
    const one = (await inject(engineer, 'GET', `/work-orders/${list.items[0].id}`)).json();
    expect(one).toMatchObject({ planId: plan.id, performedBy: 'internal' });
    // Again: nothing new.
    const again = await waitForJob(engineer, (await inject(engineer, 'POST', '/pm/generate', {})).json().jobId);
    expect(again.result).toEqual({ created: 0 });
    // A site manager runs their own site's generation, not the territory's.
    expect((await inject(manager, 'POST', '/pm/generate', {})).statusCode).toBe(403);
    expect((await inject(manager, 'POST', '/pm/generate', { siteId: ids.site('CH1') })).statusCode).toBe(202);
  });

  it('a plan change reschedules; DELETE deactivates and keeps the plan', async () => {
    const device = await ctx.database.db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(3).limit(1).executeTakeFirstOrThrow();
    const created = (await inject(engineer, 'POST', '/maintenance-plans', { ...base, name: 'Contrôle annuel', equipmentId: device.id, workOrderType: 'quality_control', every: 1, unit: 'years', anchorDate: addCalendar(today, 60, 'days') })).json();
    const due = async () => (await inject(engineer, 'GET', `/maintenance-plans/${created.id}/devices`)).json().items[0].nextDueDate;
    expect(await due()).toBe(addCalendar(today, 60, 'days'));
    expect((await inject(engineer, 'PATCH', `/maintenance-plans/${created.id}`, { anchorDate: addCalendar(today, 20, 'days') })).statusCode).toBe(428);
    expect((await inject(engineer, 'PATCH', `/maintenance-plans/${created.id}`, { anchorDate: addCalendar(today, 20, 'days') }, { 'if-match': '9' })).statusCode).toBe(412);
    expect(problemOf(await inject(engineer, 'PATCH', `/maintenance-plans/${created.id}`, { unit: 'cycles' }, { 'if-match': '1' })).errors?.[0]?.path).toBe('body.unit');
    const patched = await inject(engineer, 'PATCH', `/maintenance-plans/${created.id}`, { anchorDate: addCalendar(today, 20, 'days'), performedBy: 'vendor' }, { 'if-match': '1' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ version: 2, performedBy: 'vendor' });
    expect(await due()).toBe(addCalendar(today, 20, 'days'));
    expect((await inject(engineer, 'DELETE', `/maintenance-plans/${created.id}`)).statusCode).toBe(204);
    expect((await inject(engineer, 'GET', `/maintenance-plans/${created.id}`)).json()).toMatchObject({ active: false, deviceCount: 0 });
    const active = (await inject(engineer, 'GET', '/maintenance-plans?limit=200')).json().items.map((p: { id: string }) => p.id);
    expect(active).not.toContain(created.id);
    expect((await inject(engineer, 'GET', '/maintenance-plans?limit=200&includeInactive=true')).json().items.map((p: { id: string }) => p.id)).toContain(created.id);
  });

  it('a plan change racing a run: the run waits for it, and the pair gets one work order, at the new due date', async () => {
    const db = ctx.database.db;
    const device = await db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(13).limit(1).executeTakeFirstOrThrow();
    // A device the runs' refresh does not look at again (changed long ago), and a previous run.
    await db.updateTable('equipment').set({ updatedAt: new Date('2020-01-01T00:00:00Z') }).where('id', '=', device.id).execute();
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
    const created = await inject(engineer, 'POST', '/maintenance-plans', {
      ...base, name: 'Plan en course', equipmentId: device.id, every: 1, unit: 'months', anchorDate: addCalendar(today, 2, 'days'), leadTimeDays: 14,
    });
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    const newDue = addCalendar(today, 5, 'days');
    const waiting = async (n: number) => {
      for (let i = 0; i < 100; i++) {
        const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        if (r.rows[0]!.n >= n) return;
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    let patch!: Promise<Awaited<ReturnType<typeof inject>>>;
    let run!: Promise<{ created: number }>;
    // The PATCH stops before its audit record (the audit log locked), its schedule changes made; a run starts meanwhile.
    await db.transaction().execute(async (trx) => {
      await sql`lock table audit_log in share mode`.execute(trx);
      patch = inject(engineer, 'PATCH', `/maintenance-plans/${plan.id}`, { anchorDate: newDue }, { 'if-match': `"${plan.version}"` });
      await waiting(1);
      run = generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
      await waiting(2);
    });
    expect((await patch).statusCode).toBe(200);
    await run;
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
    const wos = await db.selectFrom('workOrders').select(['dueDate', 'state']).where('planId', '=', plan.id).execute();
    expect(wos).toEqual([{ dueDate: newDue, state: 'requested' }]);
  });

  it('a device opts out with a reason, then back in; meter readings keep their history and schedule meter plans', async () => {
    const device = await ctx.database.db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(5).limit(1).executeTakeFirstOrThrow();
    const plan = (await inject(engineer, 'POST', '/maintenance-plans', {
      ...base, name: 'Compteur 500 h', equipmentId: device.id, trigger: 'meter', every: 500, unit: 'hours', anchorDate: addCalendar(today, -30, 'days'),
    })).json();
    expect((await inject(tech, 'POST', `/equipment/${device.id}/plan-opt-outs/${plan.id}`, { reason: 'Prêté' })).statusCode).toBe(403);
    expect(problemOf(await inject(engineer, 'POST', `/equipment/${device.id}/plan-opt-outs/${plan.id}`, { reason: '' })).errors?.[0]?.path).toBe('body.reason');
    const out = await inject(engineer, 'POST', `/equipment/${device.id}/plan-opt-outs/${plan.id}`, { reason: 'Maintenu par le fabricant sous garantie' });
    expect(out.statusCode).toBe(201);
    expect((await inject(engineer, 'POST', `/equipment/${device.id}/plan-opt-outs/${plan.id}`, { reason: 'Encore' })).statusCode).toBe(409);
    // Another device's plan does not apply to this one: nothing to leave out, nothing recorded.
    const other = await ctx.database.db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(6).limit(1).executeTakeFirstOrThrow();
    const notApplicable = await inject(engineer, 'POST', `/equipment/${other.id}/plan-opt-outs/${plan.id}`, { reason: 'Sans objet' });
    expect(notApplicable.statusCode).toBe(409);
    expect(problemOf(notApplicable).code).toBe('plan_not_applicable');
    expect(await ctx.database.db.selectFrom('maintenancePlanOptOuts').select('id').where('planId', '=', plan.id).where('equipmentId', '=', other.id).execute()).toHaveLength(0);
    expect((await inject(engineer, 'GET', `/maintenance-plans/${plan.id}/devices`)).json().items).toHaveLength(0);
    expect((await inject(engineer, 'DELETE', `/equipment/${device.id}/plan-opt-outs/${plan.id}`)).statusCode).toBe(204);
    expect((await inject(engineer, 'GET', `/maintenance-plans/${plan.id}/devices`)).json().items[0]).toMatchObject({ nextDueValue: 500, nextDueDate: null });
    const history = await ctx.database.db.selectFrom('maintenancePlanOptOuts').select(['reason', 'endedAt']).where('planId', '=', plan.id).execute();
    expect(history).toEqual([{ reason: 'Maintenu par le fabricant sous garantie', endedAt: expect.any(Date) }]);

    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString();
    expect((await inject(tech, 'POST', `/equipment/${device.id}/meter-readings`, { unit: 'hours', value: 100, readAt: at(10) })).statusCode).toBe(201);
    expect((await inject(tech, 'POST', `/equipment/${device.id}/meter-readings`, { unit: 'hours', value: 300, readAt: at(0) })).statusCode).toBe(201);
    expect(problemOf(await inject(tech, 'POST', `/equipment/${device.id}/meter-readings`, { unit: 'days', value: 3 })).errors?.[0]?.path).toBe('body.unit');
    const readings = (await inject(tech, 'GET', `/equipment/${device.id}/meter-readings`)).json().items;
    expect(readings.map((r: { value: number }) => r.value)).toEqual([300, 100]);
    // 20 hours a day: 500 reached in 10 days.
    expect((await inject(engineer, 'GET', `/maintenance-plans/${plan.id}/devices`)).json().items[0]).toMatchObject({ nextDueValue: 500, nextDueDate: addCalendar(today, 10, 'days') });
  });

  it('cancelling a generated work order needs a reason, and the next occurrence is still generated', async () => {
    const device = await ctx.database.db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(7).limit(1).executeTakeFirstOrThrow();
    const plan = (await inject(engineer, 'POST', '/maintenance-plans', { ...base, name: 'Mensuel', equipmentId: device.id, every: 1, unit: 'months', anchorDate: addCalendar(today, 1, 'days'), leadTimeDays: 40 })).json();
    const run = async () => (await waitForJob(engineer, (await inject(engineer, 'POST', '/pm/generate', { siteId: ids.site('CHU') })).json().jobId)).result.created;
    expect(await run()).toBeGreaterThanOrEqual(1);
    const [first] = (await inject(engineer, 'GET', `/work-orders?planId=${plan.id}`)).json().items;
    expect(first.dueDate).toBe(addCalendar(today, 1, 'days'));
    const refused = await inject(engineer, 'POST', `/work-orders/${first.id}/transitions`, { to: 'cancelled' }, { 'if-match': String(first.version) });
    expect(refused.statusCode).toBe(422);
    expect(problemOf(refused).code).toBe('reason_required');
    const cancelled = await inject(engineer, 'POST', `/work-orders/${first.id}/transitions`, { to: 'cancelled', reason: 'Appareil au bloc toute la semaine' }, { 'if-match': String(first.version) });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', cancelReason: 'Appareil au bloc toute la semaine' });
    // The next occurrence (a month after the cancelled one, within the 40-day lead time) is generated.
    expect(await run()).toBeGreaterThanOrEqual(1);
    const items = (await inject(engineer, 'GET', `/work-orders?planId=${plan.id}&limit=10`)).json().items;
    const next = items.find((w: { state: string }) => w.state === 'requested');
    expect(next.dueDate).toBe(addCalendar(addCalendar(today, 1, 'days'), 1, 'months'));
    const devices = (await inject(engineer, 'GET', `/maintenance-plans/${plan.id}/devices`)).json().items;
    expect(devices[0]).toMatchObject({ lastDueDate: first.dueDate, lastCompletedOn: null, workOrder: { id: next.id, state: 'requested' } });
    // Overdue only once its due date has passed: not yet.
    const overdue = (await inject(engineer, 'GET', `/work-orders?planId=${plan.id}&overdue=true`)).json().items;
    expect(overdue).toHaveLength(0);
  });

  it('a meter plan whose interval changes after a cancelled occurrence counts the new interval from that occurrence', async () => {
    const db = ctx.database.db;
    const device = await db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(15).limit(1).executeTakeFirstOrThrow();
    const day = 86_400_000;
    for (const [value, ago] of [[0, 10], [480, 1]] as const) {
      expect((await inject(engineer, 'POST', `/equipment/${device.id}/meter-readings`, { unit: 'hours', value, readAt: new Date(Date.now() - ago * day).toISOString() })).statusCode).toBe(201);
    }
    const plan = (await inject(engineer, 'POST', '/maintenance-plans', {
      ...base, name: 'Compteur 500 h', equipmentId: device.id, trigger: 'meter', every: 500, unit: 'hours', anchorDate: addCalendar(today, -30, 'days'), leadTimeDays: 30,
    })).json();
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
    const [wo] = (await inject(engineer, 'GET', `/work-orders?planId=${plan.id}`)).json().items;
    expect(wo).toBeDefined();
    const cancelled = await inject(engineer, 'POST', `/work-orders/${wo.id}/transitions`, { to: 'cancelled', reason: 'Appareil prêté au bloc' }, { 'if-match': String(wo.version) });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // The cancelled occurrence was due at 500 h: the next one at 1,000 h…
    expect((await inject(engineer, 'GET', `/maintenance-plans/${plan.id}/devices`)).json().items[0].nextDueValue).toBe(1000);
    // …and every 200 h from now on: at 700 h, not 1,000 (the new interval taken off the old one).
    const patched = await inject(engineer, 'PATCH', `/maintenance-plans/${plan.id}`, { every: 200 }, { 'if-match': `"${plan.version}"` });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await inject(engineer, 'GET', `/maintenance-plans/${plan.id}/devices`)).json().items[0].nextDueValue).toBe(700);
  });

  it('a generated work order whose due date has passed counts in GET /work-orders?overdue=true', async () => {
    const db = ctx.database.db;
    const device = await db.selectFrom('equipment').select('id').where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service').offset(9).limit(1).executeTakeFirstOrThrow();
    const plan = await db.insertInto('maintenancePlans').values({
      territoryId: ids.territoryId, name: 'Contrôle en retard', equipmentId: device.id, workOrderType: 'quality_control', trigger: 'calendar', every: 1, unit: 'years',
      base: 'completion', anchorDate: addCalendar(today, -3, 'days'), leadTimeDays: 0, regulatory: true, createdBy: ids.user('ingenieur@ght-demo.fr'),
    }).returning('id').executeTakeFirstOrThrow();
    // The run of three days ago (the generator's clock): the occurrence was due then, and nobody did it.
    expect((await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId, today: addCalendar(today, -3, 'days'), fullRefresh: true })).created).toBeGreaterThanOrEqual(1);
    const overdue = (await inject(engineer, 'GET', `/work-orders?planId=${plan.id}&overdue=true`)).json().items;
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ planId: plan.id, dueDate: addCalendar(today, -3, 'days'), state: 'requested' });
  });

  it('coverage: devices with EM ≥ 12 and no plan, per site', async () => {
    const res = await inject(engineer, 'GET', '/maintenance-plans/coverage');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.threshold).toBe(12);
    for (const s of body.sites) for (const d of s.devices) expect(d.emScore).toBeGreaterThanOrEqual(12);
    // Each device names its model (what « Créer un plan » prefills), as the inventory has it.
    const one = body.sites[0]?.devices[0];
    if (one) {
      const row = await ctx.database.db.selectFrom('equipment').select('modelId').where('id', '=', one.id).executeTakeFirstOrThrow();
      expect(one.modelId).toBe(row.modelId);
    }
    const { modelId } = await modelWithDevices();
    const covered = await ctx.database.db.selectFrom('equipment').select('id').where('modelId', '=', modelId).execute();
    const listed = new Set(body.sites.flatMap((s: { devices: { id: string }[] }) => s.devices.map((d) => d.id)));
    for (const d of covered) expect(listed.has(d.id)).toBe(false);
  });

  it('coverage leaves out a device pending decommission (it gets no planned work)', async () => {
    const db = ctx.database.db;
    const before = (await inject(engineer, 'GET', '/maintenance-plans/coverage')).json();
    const device = before.sites[0].devices[0] as { id: string };
    await db.insertInto('equipmentDecommissions').values({
      territoryId: ids.territoryId, equipmentId: device.id, reason: 'scrap', decommissionDate: today, requestedBy: ids.user('ingenieur@ght-demo.fr'),
    }).execute();
    const after = (await inject(engineer, 'GET', '/maintenance-plans/coverage')).json();
    expect(after.sites.flatMap((s: { devices: { id: string }[] }) => s.devices.map((d) => d.id))).not.toContain(device.id);
  });
});
