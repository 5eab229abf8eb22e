import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { advanceSchedules, digestWorkOrders, generatePreventiveWorkOrders, moveWorkOrders } from '@gmao/db';
import { addCalendar, nextOccurrenceAfter, parisDay, pmCalendarUnits } from '@gmao/domain';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/** The generator on the database (the API and the worker call it): schedule rules in SQL, exactly once, completion and cancellation. */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
});
afterAll(async () => {
  await ctx?.close();
});

const today = parisDay(new Date());

async function devicePlan(o: { base?: 'fixed' | 'completion'; anchor: string; every?: number; unit?: string; lead?: number; type?: string; template?: string | null; performedBy?: string; regulatory?: boolean }) {
  const db = ctx.database.db;
  const device = await db.selectFrom('equipment').select(['id', 'siteId']).where('siteId', '=', ids.site('CHU')).where('status', '=', 'in_service')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('maintenancePlans').select('id').whereRef('maintenancePlans.equipmentId', '=', 'equipment.id'))))
    .orderBy('inventoryNumber').limit(1).executeTakeFirstOrThrow();
  const plan = await db.insertInto('maintenancePlans').values({
    territoryId: ids.territoryId, name: `Plan ${device.id.slice(0, 6)}`, equipmentId: device.id, workOrderType: o.type ?? 'preventive', trigger: 'calendar',
    every: o.every ?? 1, unit: o.unit ?? 'months', base: o.base ?? 'fixed', anchorDate: o.anchor, leadTimeDays: o.lead ?? 10,
    checklistTemplate: o.template ?? null, performedBy: o.performedBy ?? 'internal', regulatory: o.regulatory ?? false, createdBy: ids.user('ingenieur@ght-demo.fr'),
  }).returning('id').executeTakeFirstOrThrow();
  return { planId: plan.id, deviceId: device.id };
}

const schedule = (planId: string) => ctx.database.db.selectFrom('maintenanceSchedule').selectAll().where('planId', '=', planId).executeTakeFirstOrThrow();
const generated = (planId: string) => ctx.database.db.selectFrom('workOrders').selectAll().where('planId', '=', planId).orderBy('dueDate').execute();

describe('the schedule rules in SQL', () => {
  it('agree with packages/domain (month ends, leap years, weeks, days)', async () => {
    const cases: [string, number, string, string][] = [];
    for (const [anchor, every, unit] of [['2024-01-31', 1, 'months'], ['2024-02-29', 1, 'years'], ['2023-08-31', 6, 'months'], ['2024-03-01', 3, 'weeks'], ['2024-03-01', 45, 'days']] as const) {
      for (let d = -30; d < 1200; d += 13) cases.push([anchor, every, unit, addCalendar(anchor, d, 'days')]);
    }
    const rows = await sql<{ n: string }>`select pm_next_occurrence((c->>0)::date, (c->>1)::int, c->>2, (c->>3)::date)::text as n
      from jsonb_array_elements(${JSON.stringify(cases)}::jsonb) with ordinality as t(c, i) order by i`.execute(ctx.database.db);
    expect(rows.rows.map((r) => r.n)).toEqual(cases.map(([a, e, u, x]) => nextOccurrenceAfter(a, e, pmCalendarUnits(u), x)));
  });
});

describe('generation', () => {
  it('creates the occurrence due within the lead time once, with its checklist and overdue marking', async () => {
    // Monthly, anchored 5 days ago: the next occurrence is a month away (outside a 10-day lead time).
    const monthly = await devicePlan({ anchor: addCalendar(today, -5, 'days'), lead: 10 });
    // Anchored in 3 days: within the lead time.
    const soon = await devicePlan({ anchor: addCalendar(today, 3, 'days'), lead: 10, type: 'quality_control', performedBy: 'vendor' });
    const first = await generatePreventiveWorkOrders(ctx.database.db, { territoryId: ids.territoryId });
    expect(first.created).toBeGreaterThanOrEqual(1);
    expect(await generated(monthly.planId)).toHaveLength(0);
    expect((await schedule(monthly.planId)).dueDate).toBe(nextOccurrenceAfter(addCalendar(today, -5, 'days'), 1, 'months', addCalendar(today, -1, 'days')));
    const wos = await generated(soon.planId);
    expect(wos).toHaveLength(1);
    expect(wos[0]).toMatchObject({ dueDate: addCalendar(today, 3, 'days'), type: 'quality_control', qualityControlKind: 'external', performedBy: 'vendor', state: 'requested' });
    expect(wos[0]!.number).toMatch(/^BT-\d{4}-\d{6,}$/);
    expect((await schedule(soon.planId)).workOrderId).toBe(wos[0]!.id);
    // Nothing new the second time.
    expect((await generatePreventiveWorkOrders(ctx.database.db, { territoryId: ids.territoryId })).created).toBe(0);
    expect(await generated(soon.planId)).toHaveLength(1);
  });

  it('exactly once with three runs at the same moment', async () => {
    const p = await devicePlan({ anchor: addCalendar(today, 1, 'days'), lead: 5 });
    const results = await Promise.all([0, 1, 2].map(() => generatePreventiveWorkOrders(ctx.database.db, { territoryId: ids.territoryId })));
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(1);
    expect(await generated(p.planId)).toHaveLength(1);
  });

  it('completion moves the next due date by the base; cancellation still brings the next occurrence', async () => {
    const db = ctx.database.db;
    const fixed = await devicePlan({ anchor: addCalendar(today, 2, 'days'), lead: 40, base: 'fixed' });
    const completion = await devicePlan({ anchor: addCalendar(today, 2, 'days'), lead: 5, base: 'completion', every: 3 });
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
    const [f1] = await generated(fixed.planId);
    const [c1] = await generated(completion.planId);
    const actor = ids.user('ingenieur@ght-demo.fr');
    await moveWorkOrders(db, [f1!.id], { from: 'requested', to: 'cancelled', actorId: actor, reason: 'Appareil prêté au bloc' });
    await moveWorkOrders(db, [c1!.id], { from: 'requested', to: 'in_progress', actorId: actor });
    await moveWorkOrders(db, [c1!.id], { from: 'in_progress', to: 'completed', actorId: actor });
    const fs = await schedule(fixed.planId);
    expect(fs).toMatchObject({ workOrderId: null, lastDueDate: f1!.dueDate, lastCompletedOn: null, dueDate: addCalendar(addCalendar(today, 2, 'days'), 1, 'months') });
    const cs = await schedule(completion.planId);
    expect(cs).toMatchObject({ workOrderId: null, lastCompletedOn: today, dueDate: addCalendar(today, 3, 'months') });
    // The fixed plan's next occurrence (in a month, lead time 40 days) comes at once.
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
    const after = await generated(fixed.planId);
    expect(after.map((w) => [w.state, w.dueDate])).toEqual([['cancelled', f1!.dueDate], ['requested', fs.dueDate]]);
    expect(after[0]!.cancelReason).toBe('Appareil prêté au bloc');
  });

  it('a work order reopened and completed again moves its pair from the latest completion (completion base), once', async () => {
    const db = ctx.database.db;
    const p = await devicePlan({ anchor: addCalendar(today, 1, 'days'), lead: 5, base: 'completion', every: 2 });
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
    const [wo] = await generated(p.planId);
    const actor = ids.user('ingenieur@ght-demo.fr');
    await moveWorkOrders(db, [wo!.id], { from: 'requested', to: 'in_progress', actorId: actor });
    await moveWorkOrders(db, [wo!.id], { from: 'in_progress', to: 'completed', actorId: actor });
    expect(await schedule(p.planId)).toMatchObject({ workOrderId: null, lastDueDate: wo!.dueDate, lastCompletedOn: today, dueDate: addCalendar(today, 2, 'months') });
    // Reopened, then completed again: as if the first completion had been 10 days earlier
    // (the clock cannot move here), the pair must follow the completion actually recorded.
    await moveWorkOrders(db, [wo!.id], { from: 'completed', to: 'in_progress', actorId: actor, reason: 'Contrôle à refaire' });
    await moveWorkOrders(db, [wo!.id], { from: 'in_progress', to: 'completed', actorId: actor });
    await db.updateTable('workOrders').set({ completedAt: sql`completed_at - interval '10 days'` }).where('id', '=', wo!.id).execute();
    await advanceSchedules(db, [wo!.id]);
    const tenDaysAgo = addCalendar(today, -10, 'days');
    expect(await schedule(p.planId)).toMatchObject({ workOrderId: null, lastDueDate: wo!.dueDate, lastCompletedOn: tenDaysAgo, dueDate: addCalendar(tenDaysAgo, 2, 'months') });
    // Once the next occurrence exists, a late completion of the old one no longer moves it.
    await db.updateTable('maintenancePlans').set({ leadTimeDays: 365 }).where('id', '=', p.planId).execute();
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId });
    const next = await schedule(p.planId);
    expect(next.workOrderId).not.toBeNull();
    await advanceSchedules(db, [wo!.id]);
    expect(await schedule(p.planId)).toMatchObject({ workOrderId: next.workOrderId, dueDate: next.dueDate });
    expect((await generated(p.planId)).map((w) => w.dueDate)).toEqual([wo!.dueDate, next.dueDate]);
  });

  it('a due date passed without completion is overdue', async () => {
    const db = ctx.database.db;
    const p = await devicePlan({ anchor: addCalendar(today, -3, 'days'), base: 'completion', every: 1, unit: 'years' });
    // The run of three days ago (the clock given to the generator): due then.
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId, today: addCalendar(today, -3, 'days'), fullRefresh: true });
    const [wo] = await generated(p.planId);
    expect(wo!.dueDate).toBe(addCalendar(today, -3, 'days'));
    expect(wo!.dueRepairAt!.getTime()).toBeLessThan(Date.now());
  });

  it('the digests count a work order of a regulatory plan as regulatory, and overdue once its due day is past', async () => {
    const db = ctx.database.db;
    const p = await devicePlan({ anchor: addCalendar(today, -2, 'days'), base: 'completion', every: 1, unit: 'years', regulatory: true });
    await db.updateTable('equipment').set({ maintenanceObligation: false }).where('id', '=', p.deviceId).execute();
    await generatePreventiveWorkOrders(db, { territoryId: ids.territoryId, today: addCalendar(today, -2, 'days'), fullRefresh: true });
    const [wo] = await generated(p.planId);
    const rows = await sql<{ workOrderId: string; overdue: boolean; regulatory: boolean }>`
      select work_order_id, overdue, regulatory from (${digestWorkOrders({ now: new Date(), dueSoonDays: 7 })}) d where work_order_id = ${wo!.id}`.execute(db);
    expect(rows.rows).toEqual([{ workOrderId: wo!.id, overdue: true, regulatory: true }]);
  });
});
