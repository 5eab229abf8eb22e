import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let tech: Session;
let manager: Session;
beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  tech = await login(ctx.app, 'tech.ch1@ght-demo.fr');
  manager = await login(ctx.app, 'responsable.ch1@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: s.auth });

describe('decommissioning (réforme)', () => {
  it('is requested by the team, decided by the site manager, and keeps the record', async () => {
    const device = (await get(tech, `/api/v1/equipment?siteId=${ids.site('CH1')}&status=in_service&limit=1`)).json().items[0];
    const base = `/api/v1/equipment/${device.id}/decommissions`;

    const future = await post(tech, base, { reason: 'scrap', decommissionDate: `${new Date().getFullYear() + 2}-01-01` });
    expect(future.statusCode).toBe(422);
    const first = await post(tech, base, { reason: 'scrap', comment: 'Carte mère HS, pièces introuvables' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'pending', reason: 'scrap', requestedBy: { fullName: 'Camille Technicienne' } });
    expect((await post(tech, base, { reason: 'donation' })).statusCode).toBe(409);
    // The site manager's to-do list: devices of the site awaiting a decision.
    const pending = (await get(manager, `/api/v1/equipment?siteId=${ids.site('CH1')}&decommissionPending=true`)).json().items;
    expect(pending.map((e: { id: string }) => e.id)).toEqual([device.id]);

    const byTech = await post(tech, `${base}/${first.json().id}/decision`, { decision: 'approve' });
    expect(byTech.statusCode).toBe(403);
    const rejected = await post(manager, `${base}/${first.json().id}/decision`, { decision: 'reject', comment: 'Réparable : devis demandé' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decidedBy: { fullName: 'Romain Responsable' } });
    expect((await post(manager, `${base}/${first.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(409);
    expect((await get(tech, `/api/v1/equipment/${device.id}`)).json().status).toBe('in_service');

    const second = (await post(tech, base, { reason: 'parts_harvesting', decommissionDate: '2026-11-01' })).json();
    const approved = await post(manager, `${base}/${second.id}/decision`, { decision: 'approve' });
    expect(approved.statusCode).toBe(200);

    const after = (await get(tech, `/api/v1/equipment/${device.id}`)).json();
    expect(after).toMatchObject({ status: 'decommissioned', decommissionedAt: '2026-11-01', decommissionReason: 'parts_harvesting' });
    const active = (await get(tech, `/api/v1/equipment?q=${device.inventoryNumber}`)).json().items;
    expect(active).toEqual([]);
    const archived = (await get(tech, `/api/v1/equipment?q=${device.inventoryNumber}&status=decommissioned`)).json().items;
    expect(archived.map((e: { id: string }) => e.id)).toEqual([device.id]);

    const patch = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/equipment/${device.id}`, payload: { notes: 'x' }, headers: { ...tech.auth, 'if-match': String(after.version) } });
    expect(patch.statusCode).toBe(409);
    expect(problemOf(patch).code).toBe('decommissioned');
    const kinds = (await get(tech, `/api/v1/equipment/${device.id}/history`)).json().items.map((h: { kind: string }) => h.kind);
    expect(kinds.slice(0, 4)).toEqual(['decommissioned', 'decommission_requested', 'decommission_rejected', 'decommission_requested']);
    expect((await get(tech, base)).json().items.map((d: { status: string }) => d.status)).toEqual(['approved', 'rejected']);
  });

  it('is decided only by the manager of the device’s own site', async () => {
    const device = (await get(tech, `/api/v1/equipment?siteId=${ids.site('CH2')}&limit=1`)).json().items[0];
    const engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
    const req = (await post(engineer, `/api/v1/equipment/${device.id}/decommissions`, { reason: 'resale' })).json();
    expect((await post(manager, `/api/v1/equipment/${device.id}/decommissions/${req.id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
  });
});
