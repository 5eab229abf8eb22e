import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedWorkOrderTransitions, type WorkOrderState } from '@gmao/domain';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds, withDemoWorkOrders } from '../support/fixtures.js';

/** The demo's work orders (pnpm start): consistent with the rules, and useful on every screen. */
let ctx: TestContext;
let engineer: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  await withDemoWorkOrders(ctx.database.db);
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = async (url: string) => {
  const res = await ctx.app.inject({ method: 'GET', url, headers: engineer.auth });
  expect(res.statusCode, url).toBe(200);
  return res;
};

describe('demo work orders', () => {
  it('fill every site with each state, through legal transitions, devices and downtime in step', async () => {
    const all: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (await get(`/api/v1/work-orders?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(50);
    for (const site of new Set(all.map((w) => w.site.shortCode))) {
      const states = new Set(all.filter((w) => w.site.shortCode === site).map((w) => w.state));
      expect([...states].sort()).toEqual(['assigned', 'cancelled', 'closed', 'completed', 'in_progress', 'on_hold', 'requested']);
    }

    for (const listed of all) {
      // The list answers summaries; the report, signature and downtime are on the work order.
      const wo: Json = (await get(`/api/v1/work-orders/${listed.id}`)).json();
      const history = (await get(`/api/v1/work-orders/${wo.id}/transitions`)).json().items as Json[];
      expect(history[0]).toMatchObject({ fromState: null, toState: 'requested' });
      for (const [k, step] of history.slice(1).entries()) {
        expect(step.fromState).toBe(history[k]!.toState);
        expect(allowedWorkOrderTransitions(step.fromState as WorkOrderState)).toContain(step.toState);
        expect(Date.parse(step.at)).toBeGreaterThanOrEqual(Date.parse(history[k]!.at));
      }
      expect(history.at(-1)!.toState).toBe(wo.state);
      if (['completed', 'closed'].includes(wo.state)) {
        expect(wo.signature).not.toBeNull();
        expect(wo.diagnosis && wo.actions).toBeTruthy();
      }
      if (wo.deviceOutOfService) {
        const device = (await get(`/api/v1/equipment/${wo.equipment.id}`)).json();
        expect(device.status).toBe(wo.downtimeEndedAt ? 'in_service' : 'out_of_service');
      }
    }
    expect(all.some((w) => w.assignees.some((a: Json) => a.crossSite))).toBe(true);
    expect(all.some((w) => w.state === 'in_progress' && Date.parse(w.dueRepairAt) < Date.now())).toBe(true);
  });

  it('give devices a register with a conforming electrical-safety test and a vendor intervention', async () => {
    const closed = (await get('/api/v1/work-orders?state=closed&siteId=' + (await demoIds(ctx.database.db)).site('CH1'))).json().items as Json[];
    const safety = closed.find((w) => w.type === 'electrical_safety')!;
    const register = (await get(`/api/v1/equipment/${safety.equipment.id}/register`)).json();
    expect(register.entries).toEqual([expect.objectContaining({ number: safety.number, conformity: 'conforming', nature: 'electrical_safety' })]);
    // The measurements of the device's class (tests/api/electrical-safety.int.test.ts), each within its limit.
    const lines = register.entries[0].performance as string[];
    expect(lines.some((l) => /^Courant de fuite .* : [\d,  ]+ µA \(≤ [^)]+\) conforme$/.test(l))).toBe(true);
    expect(lines.filter((l) => l.endsWith('non conforme'))).toEqual([]);
    const preventive = closed.find((w) => w.type === 'preventive')!;
    const vendorEntry = (await get(`/api/v1/equipment/${preventive.equipment.id}/register`)).json().entries[0];
    expect(vendorEntry.performers).toEqual(expect.arrayContaining([{ name: 'Marc Lefèvre', employer: { kind: 'vendor', name: 'Service technique constructeur' } }]));
    // Every completed demo work order has a verdict; its technicians are employed by their establishment's legal entity.
    const done = [...closed, ...(await get('/api/v1/work-orders?state=completed')).json().items as Json[]];
    for (const w of done) expect((await get(`/api/v1/work-orders/${w.id}`)).json().conformity, w.number).toMatch(/^(conforming|conforming_with_reservations|non_conforming)$/);
    const staff = register.entries[0].performers as Json[];
    expect(staff[0]!.employer).toMatchObject({ kind: 'establishment', name: expect.stringMatching(/^Centre hospitalier/), finess: expect.stringMatching(/^\d{9}$/) });
    expect((await get(`/api/v1/work-orders/${preventive.id}/report.pdf`)).headers['content-type']).toBe('application/pdf');
  });
});
