import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_WORK_ORDER_STATES } from '@gmao/domain';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/** What the work-order pages need from the API: a search by number in every state, and who assigns a work order. */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let techCh1: Session;
let care: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  techCh1 = await login(ctx.app, 'tech.ch1@ght-demo.fr');
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object, version?: number) =>
  ctx.app.inject({ method: 'POST', url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });

async function request(symptom: string): Promise<Json> {
  const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
  const res = await post(care, '/api/v1/work-requests', { equipmentId: device.id, symptom, deviceOutOfService: false });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('the backlog’s search by work-order number', () => {
  const open = OPEN_WORK_ORDER_STATES.join(',');

  it('finds a cancelled, completed or closed work order by its number, even in the open list', async () => {
    const wo = await request('Voyant rouge allumé en permanence');
    const cancelled = await post(engineer, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'cancelled', reason: 'Doublon' }, wo.version);
    expect(cancelled.statusCode).toBe(200);
    // Completed and closed ones (the way there is tested elsewhere: set here directly).
    const completed = await request('Écran figé après la mise à jour');
    const closed = await request('Bruit anormal du ventilateur');
    await ctx.database.db.updateTable('workOrders').set({ state: 'completed' }).where('id', '=', completed.id).execute();
    await ctx.database.db.updateTable('workOrders').set({ state: 'closed' }).where('id', '=', closed.id).execute();
    for (const target of [wo, completed, closed]) {
      for (const q of [target.number, target.number.slice(3), target.number.slice(-6)]) {
        const found = (await get(engineer, `/api/v1/work-orders?state=${open}&q=${encodeURIComponent(q)}&limit=50`)).json().items as Json[];
        expect(found.map((o) => o.number), q).toContain(target.number);
      }
    }
  });

  it('keeps the list’s states for words', async () => {
    await request('Voyant rouge allumé en permanence');
    const found = (await get(engineer, `/api/v1/work-orders?state=${open}&q=${encodeURIComponent('voyant rouge')}&limit=50`)).json().items as Json[];
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((o) => OPEN_WORK_ORDER_STATES.includes(o.state))).toBe(true);
  });
});

describe('who assigns a work order', () => {
  it('names the site manager and the engineers of its site, to a technician of another site', async () => {
    const wo = await request('Alarme batterie faible');
    const res = await get(techCh1, `/api/v1/work-orders/${wo.id}/planners`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Json[];
    expect(items[0]).toMatchObject({ fullName: 'Hélène Marchand', role: 'site_manager' });
    expect(items.map((p) => p.fullName)).toEqual(expect.arrayContaining(['Étienne Ingénieur', 'Julien Moreau']));
    expect(items.every((p) => p.role === 'site_manager' || p.role === 'engineer')).toBe(true);
    // Nobody of another site, and not the territory admin while the site has planners.
    expect(items.map((p) => p.fullName)).not.toContain('Romain Responsable');
    expect(items.map((p) => p.fullName)).not.toContain('Alice Administratrice');
  });

  it('answers 404 for a work order that does not exist', async () => {
    expect((await get(techCh1, '/api/v1/work-orders/00000000-0000-4000-8000-000000000000/planners')).statusCode).toBe(404);
  });
});
