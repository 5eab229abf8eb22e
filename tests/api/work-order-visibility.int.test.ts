import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/**
 * Issue 9, item 10: care staff read their sites' work orders and their own requests, nothing
 * else (unknown: 404, absent from every list); the callback name and phone go only to those
 * who work on or plan the work order, and to whoever reported it.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let care: Session; // care staff of the CHU
let techChu: Session;
let techCh1: Session;
let engineer: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fault report on a CH1 device, with a callback, by CH1's technician; and one on a CHU device by the CHU's. */
let ch1Order: Json;
let chuOrder: Json;

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object, version?: number) =>
  ctx.app.inject({ method: 'POST', url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const CALLBACK = { callbackName: 'IDE de garde', callbackPhone: '04 72 00 00 01' };

async function report(s: Session, site: string, symptom: string): Promise<Json> {
  const device = (await get(s, `/api/v1/equipment?siteId=${ids.site(site)}&status=in_service&limit=1`)).json().items[0];
  const res = await post(s, '/api/v1/work-requests', { equipmentId: device.id, symptom, deviceOutOfService: false, ...CALLBACK });
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function listAll(s: Session, query: string): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(s, `/api/v1/work-orders?limit=100&${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
  techChu = await login(ctx.app, 'tech.chu@ght-demo.fr');
  techCh1 = await login(ctx.app, 'tech.ch1@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  ch1Order = await report(techCh1, 'CH1', 'Pousse-seringue qui sonne sans raison');
  chuOrder = await report(techChu, 'CHU', 'Moniteur qui redémarre tout seul');
});
afterAll(async () => {
  await ctx?.close();
});

describe('care staff read their site’s work orders and their own requests', () => {
  it('lists only the CHU’s work orders, in the backlog, a site filter, a device page and a search', async () => {
    const everything = await listAll(engineer, '');
    expect(everything.some((w) => w.site.id === ids.site('CH1'))).toBe(true);

    const mine = await listAll(care, '');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((w) => w.site.id === ids.site('CHU') || w.requestedBy.id === care.userId)).toBe(true);
    expect(mine.map((w) => w.id)).toContain(chuOrder.id);
    expect(mine.map((w) => w.id)).not.toContain(ch1Order.id);
    expect(mine.length).toBe(everything.filter((w) => w.site.id === ids.site('CHU')).length);

    expect(await listAll(care, `siteId=${ids.site('CH1')}`)).toEqual([]);
    // The device page of a CH1 device: its work orders are not shown.
    expect((await listAll(engineer, `equipmentId=${ch1Order.equipment.id}`)).map((w) => w.id)).toContain(ch1Order.id);
    expect(await listAll(care, `equipmentId=${ch1Order.equipment.id}`)).toEqual([]);
    // Searching for the number or the symptom finds nothing either.
    expect((await listAll(engineer, `q=${ch1Order.number}`)).map((w) => w.id)).toEqual([ch1Order.id]);
    expect(await listAll(care, `q=${ch1Order.number}`)).toEqual([]);
    expect(await listAll(care, `q=${encodeURIComponent('Pousse-seringue qui sonne')}`)).toEqual([]);
    expect((await listAll(care, `q=${chuOrder.number}`)).map((w) => w.id)).toEqual([chuOrder.id]);
  });

  it('answers 404 for another site’s work order and everything under it', async () => {
    const base = `/api/v1/work-orders/${ch1Order.id}`;
    for (const url of [base, `${base}/transitions`, `${base}/labour`, `${base}/parts`, `${base}/external-interventions`, `${base}/checklist`, `${base}/attachments`, `${base}/report.pdf`]) {
      const res = await get(care, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('Pousse-seringue');
    }
    // Writes too: unknown, not forbidden.
    expect((await post(care, `${base}/transitions`, { to: 'cancelled', reason: 'test' }, ch1Order.version)).statusCode).toBe(404);
    expect((await post(care, `${base}/assignees`, { userId: care.userId })).statusCode).toBe(404);
    // The biomedical team of another site still reads it.
    expect((await get(techChu, base)).statusCode).toBe(200);
  });

  it('reads their own request even on another site, with the callback they gave', async () => {
    const own = await report(techCh1, 'CH1', 'Aspirateur de mucosités sans dépression');
    // As if she had reported it while she worked there (her role at CH1 since withdrawn).
    await ctx.database.db.updateTable('workOrders').set({ requestedBy: care.userId }).where('id', '=', own.id).execute();
    const res = await get(care, `/api/v1/work-orders/${own.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: own.id, ...CALLBACK });
    expect((await listAll(care, '')).map((w) => w.id)).toContain(own.id);
    expect((await listAll(care, 'requestedBy=me')).map((w) => w.id)).toContain(own.id);
  });
});

describe('callback name and phone', () => {
  it('are hidden from care staff of the site who did not report it, by id; no list carries them', async () => {
    const one = (await get(care, `/api/v1/work-orders/${chuOrder.id}`)).json();
    expect(one).toMatchObject({ id: chuOrder.id, symptom: 'Moniteur qui redémarre tout seul', callbackName: null, callbackPhone: null });
    // The lists answer summaries, without the callback, whoever reads them (issue 10).
    for (const who of [care, techChu, engineer]) {
      const listed = await listAll(who, '');
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.filter((w) => 'callbackName' in w || 'callbackPhone' in w)).toEqual([]);
    }
  });

  it('are shown to the site’s technicians and planners, to the assignees, and not to another site’s technician', async () => {
    for (const who of [techChu, engineer]) {
      expect((await get(who, `/api/v1/work-orders/${chuOrder.id}`)).json()).toMatchObject(CALLBACK);
    }
    expect((await get(techCh1, `/api/v1/work-orders/${chuOrder.id}`)).json()).toMatchObject({ callbackName: null, callbackPhone: null });
    // Sent there by the engineer: now he works on it.
    const assigned = await post(engineer, `/api/v1/work-orders/${chuOrder.id}/assignees`, { userId: techCh1.userId });
    expect(assigned.json()).toMatchObject(CALLBACK);
    expect((await get(techCh1, `/api/v1/work-orders/${chuOrder.id}`)).json()).toMatchObject(CALLBACK);
  });
});
