import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDay } from '@gmao/domain';
import { DeviceMaintenanceSchedule } from '@gmao/contracts';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';

/** GET /equipment/{id}/maintenance-schedule: the plans that apply to a device with their next occurrence, and its opt-outs. */
let ctx: TestContext;
let engineer: Session;
let careStaff: Session;
const today = parisDay(new Date());

beforeAll(async () => {
  ctx = await createTestContext();
  [engineer, careStaff] = await Promise.all([login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr')]);
});
afterAll(async () => {
  await ctx?.close();
});

const inject = (s: Session | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, payload, headers: s ? s.auth : {} });

/** A device in service with a model, and its model. */
async function device() {
  return ctx.database.db.selectFrom('equipment').select(['id', 'modelId', 'siteId']).where('status', '=', 'in_service').where('modelId', 'is not', null)
    .orderBy('inventoryNumber').limit(1).executeTakeFirstOrThrow();
}

describe('a device’s maintenance schedule', () => {
  it('lists the plans that apply with their next due date, then the opt-out with the plan’s name, to whoever may read the device', async () => {
    const d = await device();
    const before = await inject(engineer, 'GET', `/equipment/${d.id}/maintenance-schedule`);
    expect(before.statusCode).toBe(200);
    expect(DeviceMaintenanceSchedule.parse(before.json()).items.some((i) => i.plan.name === 'Plan échéancier')).toBe(false);

    const created = await inject(engineer, 'POST', '/maintenance-plans', {
      name: 'Plan échéancier', modelId: d.modelId, workOrderType: 'quality_control', trigger: 'calendar', every: 1, unit: 'years', anchorDate: today,
      leadTimeDays: 30, regulatory: true, performedBy: 'vendor',
    });
    expect(created.statusCode).toBe(201);
    const plan = created.json();

    // Care staff read the device: they read its schedule too.
    const res = await inject(careStaff, 'GET', `/equipment/${d.id}/maintenance-schedule`);
    expect(res.statusCode).toBe(200);
    const body = DeviceMaintenanceSchedule.parse(res.json());
    const item = body.items.find((i) => i.plan.id === plan.id);
    expect(item).toMatchObject({
      plan: { id: plan.id, name: 'Plan échéancier', workOrderType: 'quality_control', regulatory: true, performedBy: 'vendor', trigger: 'calendar', every: 1, unit: 'years' },
      nextDueDate: today, nextDueValue: null, workOrder: null,
    });
    expect(body.optOuts).toEqual([]);

    const out = await inject(engineer, 'POST', `/equipment/${d.id}/plan-opt-outs/${plan.id}`, { reason: 'Prêté à un autre service' });
    expect(out.statusCode).toBe(201);
    const after = DeviceMaintenanceSchedule.parse((await inject(engineer, 'GET', `/equipment/${d.id}/maintenance-schedule`)).json());
    expect(after.items.some((i) => i.plan.id === plan.id)).toBe(false);
    expect(after.optOuts).toHaveLength(1);
    expect(after.optOuts[0]).toMatchObject({ planId: plan.id, planName: 'Plan échéancier', equipmentId: d.id, reason: 'Prêté à un autre service', endedAt: null });
    expect(after.optOuts[0]!.createdBy.fullName).toBeTruthy();

    // The opt-out ended: the plan applies again, the opt-out is no longer listed.
    expect((await inject(engineer, 'DELETE', `/equipment/${d.id}/plan-opt-outs/${plan.id}`)).statusCode).toBe(204);
    const back = DeviceMaintenanceSchedule.parse((await inject(engineer, 'GET', `/equipment/${d.id}/maintenance-schedule`)).json());
    expect(back.items.some((i) => i.plan.id === plan.id)).toBe(true);
    expect(back.optOuts).toEqual([]);
  });

  it('is 404 for a device of no one’s territory, 400 for a malformed id, 401 without a session', async () => {
    expect((await inject(engineer, 'GET', '/equipment/00000000-0000-4000-8000-000000000000/maintenance-schedule')).statusCode).toBe(404);
    expect((await inject(engineer, 'GET', '/equipment/not-a-uuid/maintenance-schedule')).statusCode).toBe(400);
    const d = await device();
    expect((await inject(null, 'GET', `/equipment/${d.id}/maintenance-schedule`)).statusCode).toBe(401);
  });
});
