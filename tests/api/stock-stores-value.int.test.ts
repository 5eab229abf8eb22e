import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { createTestStores, ledgerMismatches } from '../support/stock.js';

/** Stores opened and closed, the value of the shelves, parts harvested from a réforme, the transfers' balance (issue 12). */

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let techCh1: Session;
let managerCh1: Session;
let managerChu: Session;
let care: Session;
let stores: Record<string, string> = {};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  [admin, engineer, techCh1, managerCh1, managerChu, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr'),
    login(ctx.app, 'responsable.ch1@ght-demo.fr'), login(ctx.app, 'helene.marchand@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  stores = await createTestStores(ctx.database.db, ids.territoryId, { CHU: ids.site('CHU'), CH1: ids.site('CH1') }, { code: 'VAL', name: 'Magasin valeur' });
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const send = (s: Session, method: 'POST' | 'PATCH', url: string, payload?: object, version?: number) =>
  ctx.app.inject({ method, url, ...(payload === undefined ? {} : { payload }), headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const post = (s: Session, url: string, payload?: object, version?: number) => send(s, 'POST', url, payload, version);

let seq = 0;
async function newPart(): Promise<Json> {
  seq += 1;
  const res = await post(engineer, '/api/v1/parts', { reference: `VAL-${String(seq).padStart(4, '0')}`, description: `Sonde SpO2 n°${seq}` });
  expect(res.statusCode).toBe(201);
  return res.json();
}
async function receive(storeId: string, partId: string, quantity: number, unitCostCents: number): Promise<void> {
  const res = await post(admin, '/api/v1/stock/movements', { type: 'receipt', storeId, partId, quantity, unitCostCents });
  expect(res.statusCode).toBe(201);
}

describe('stores of a site', () => {
  it('are opened, renamed and closed by the site manager or engineer of the site only, and close only when empty', async () => {
    const body = { siteId: ids.site('CH1'), code: 'SAT-URG', name: 'Réserve des urgences' };
    expect((await post(techCh1, '/api/v1/stores', body)).statusCode).toBe(403);
    expect((await post(managerChu, '/api/v1/stores', body)).statusCode).toBe(403);
    expect((await post(care, '/api/v1/stores', body)).statusCode).toBe(403);
    const bad = await post(managerCh1, '/api/v1/stores', { siteId: ids.site('CH1'), code: '  ', name: '' });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors!.map((e) => e.path).sort()).toEqual(['body.code', 'body.name']);
    expect((await post(managerCh1, '/api/v1/stores', { ...body, siteId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);

    const created = await post(managerCh1, '/api/v1/stores', body);
    expect(created.statusCode).toBe(201);
    const store = created.json();
    expect(store).toMatchObject({ siteId: ids.site('CH1'), code: 'SAT-URG', name: 'Réserve des urgences', active: true, version: 1 });
    expect(created.headers.location).toBe(`/api/v1/stores/${store.id}`);
    const taken = await post(managerCh1, '/api/v1/stores', body);
    expect(taken.statusCode).toBe(409);
    expect(problemOf(taken).errors?.[0]?.path).toBe('body.code');
    // Everyone reads the stores.
    expect((await get(care, `/api/v1/stores?siteId=${ids.site('CH1')}`)).json().items.map((s: Json) => s.id)).toContain(store.id);

    const patch = (s: Session, payload: object, version?: number) => send(s, 'PATCH', `/api/v1/stores/${store.id}`, payload, version);
    expect((await patch(managerCh1, { name: 'Réserve SAU' })).statusCode).toBe(428);
    expect((await patch(managerCh1, { name: 'Réserve SAU' }, 7)).statusCode).toBe(412);
    expect((await patch(managerChu, { name: 'Réserve SAU' }, 1)).statusCode).toBe(403);
    const renamed = await patch(managerCh1, { name: 'Réserve SAU' }, 1);
    expect(renamed.json()).toMatchObject({ name: 'Réserve SAU', version: 2 });

    // A store holding parts does not close.
    const part = await newPart();
    await receive(store.id, part.id, 2, 500);
    const full = await patch(managerCh1, { active: false }, 2);
    expect(full.statusCode).toBe(409);
    expect(problemOf(full).code).toBe('store_not_empty');
    const counted = await post(managerCh1, '/api/v1/stock/movements', { type: 'adjustment', storeId: store.id, partId: part.id, quantity: -2, reason: 'Pièces données au magasin central' });
    expect(counted.statusCode).toBe(201);
    const closed = await patch(managerCh1, { active: false }, 2);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ active: false, version: 3 });
    const refused = await post(managerCh1, '/api/v1/stock/movements', { type: 'receipt', storeId: store.id, partId: part.id, quantity: 1, unitCostCents: 100 });
    expect(problemOf(refused).code).toBe('store_inactive');
    const audit = await ctx.database.db.selectFrom('auditLog').select('action').where('entityId', '=', store.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['store.create', 'store.update', 'store.update']);
  });
});

describe('stock value', () => {
  it('is on hand × weighted average cost per store, per site and for the territory, with the value in transit', async () => {
    const before = (await get(care, '/api/v1/stock/value')).json();
    const part = await newPart();
    await receive(stores.CH1!, part.id, 4, 1000);
    await receive(stores.CH1!, part.id, 4, 2000); // average 1500
    await receive(stores.CHU!, part.id, 1, 999);

    const value = await get(care, '/api/v1/stock/value');
    expect(value.statusCode).toBe(200);
    const after = value.json();
    expect(after.territory.valueCents - before.territory.valueCents).toBe(8 * 1500 + 999);
    expect(after.territory.units - before.territory.units).toBe(9);
    const ch1 = after.sites.find((s: Json) => s.siteId === ids.site('CH1'));
    const store = ch1.stores.find((s: Json) => s.storeId === stores.CH1);
    expect(store).toMatchObject({ valueCents: 12000, units: 8, lines: 1, storeCode: 'VAL' });
    // The sums hold at each level.
    for (const site of after.sites) {
      expect(site.valueCents).toBe(site.stores.reduce((n: number, s: Json) => n + s.valueCents, 0));
      expect(site.units).toBe(site.stores.reduce((n: number, s: Json) => n + s.units, 0));
    }
    expect(after.territory.valueCents).toBe(after.sites.reduce((n: number, s: Json) => n + s.valueCents, 0));
    // The same figure straight from the table.
    const rows = await ctx.database.db.selectFrom('stock').select(['onHand', 'averageUnitCostCents']).where('territoryId', '=', ids.territoryId).execute();
    expect(after.territory.valueCents).toBe(rows.reduce((n, r) => n + r.onHand * Number(r.averageUnitCostCents), 0));

    // One site only.
    const one = (await get(care, `/api/v1/stock/value?siteId=${ids.site('CHU')}`)).json();
    expect(one.sites.map((s: Json) => s.siteId)).toEqual([ids.site('CHU')]);
    expect(one.territory.valueCents).toBe(one.sites[0].valueCents);

    // Parts in transit leave the shelves' value and show apart.
    const t = (await post(managerChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId: part.id, quantity: 2 })).json();
    expect((await post(managerCh1, `/api/v1/stock/transfers/${t.id}/approve`)).statusCode).toBe(200);
    expect((await post(managerCh1, `/api/v1/stock/transfers/${t.id}/ship`)).statusCode).toBe(200);
    const moving = (await get(care, '/api/v1/stock/value')).json();
    expect(moving.territory.inTransitValueCents - after.territory.inTransitValueCents).toBe(3000);
    expect(after.territory.valueCents - moving.territory.valueCents).toBe(3000);
    expect((await get(care, '/api/v1/stock/value?siteId=nope')).statusCode).toBe(400);
  });
});

describe('parts harvested from a decommissioned device', () => {
  it('come into a store of the device site, naming the device, only from a réforme for parts harvesting', async () => {
    const [device, other] = (await get(techCh1, `/api/v1/equipment?siteId=${ids.site('CH1')}&status=in_service&limit=2`)).json().items;
    const part = await newPart();
    const second = await newPart();
    const url = `/api/v1/equipment/${device.id}/harvest`;
    const body = { storeId: stores.CH1, parts: [{ partId: part.id, quantity: 2 }, { partId: second.id, quantity: 1, unitCostCents: 4500 }], note: 'Démontage' };

    // Still in service: nothing to harvest.
    const early = await post(managerCh1, url, body);
    expect(early.statusCode).toBe(409);
    expect(problemOf(early).code).toBe('not_harvestable');

    // Decommissioned for scrap: still not.
    const scrap = (await post(techCh1, `/api/v1/equipment/${other.id}/decommissions`, { reason: 'scrap' })).json();
    expect((await post(managerCh1, `/api/v1/equipment/${other.id}/decommissions/${scrap.id}/decision`, { decision: 'approve' })).statusCode).toBe(200);
    expect(problemOf(await post(managerCh1, `/api/v1/equipment/${other.id}/harvest`, body)).code).toBe('not_harvestable');

    const req = (await post(techCh1, `/api/v1/equipment/${device.id}/decommissions`, { reason: 'parts_harvesting' })).json();
    expect((await post(managerCh1, `/api/v1/equipment/${device.id}/decommissions/${req.id}/decision`, { decision: 'approve' })).statusCode).toBe(200);

    // Rights: the store's site manager or engineer; a technician does not record it.
    expect((await post(techCh1, url, body)).statusCode).toBe(403);
    expect((await post(managerChu, url, { ...body, storeId: stores.CHU })).statusCode).toBe(409);
    expect(problemOf(await post(managerChu, url, { ...body, storeId: stores.CHU })).code).toBe('harvest_other_site');
    // Validation.
    const dup = await post(managerCh1, url, { storeId: stores.CH1, parts: [{ partId: part.id, quantity: 1 }, { partId: part.id, quantity: 1 }] });
    expect(dup.statusCode).toBe(400);
    expect((await post(managerCh1, url, { storeId: stores.CH1, parts: [] })).statusCode).toBe(400);
    expect((await post(managerCh1, url, { storeId: stores.CH1, parts: [{ partId: part.id, quantity: 0 }] })).statusCode).toBe(400);
    const unknown = await post(managerCh1, url, { storeId: stores.CH1, parts: [{ partId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] });
    expect(problemOf(unknown).errors?.[0]?.path).toBe('body.parts.0.partId');
    expect((await post(managerCh1, '/api/v1/equipment/00000000-0000-4000-8000-000000000000/harvest', body)).statusCode).toBe(404);

    const done = await post(managerCh1, url, body);
    expect(done.statusCode).toBe(201);
    const items = done.json().items as Json[];
    expect(items).toHaveLength(2);
    for (const m of items) expect(m).toMatchObject({ type: 'harvest', equipmentId: device.id, storeId: stores.CH1, reason: 'Démontage' });
    // Without a value, the line leaves the store's average as it was (here: none yet, 0).
    expect(items.find((m) => m.partId === part.id)).toMatchObject({ delta: 2, unitCostCents: null });
    expect(items.find((m) => m.partId === second.id)).toMatchObject({ delta: 1, unitCostCents: 4500 });

    const stock = (await get(care, `/api/v1/stock?storeId=${stores.CH1}&partId=${second.id}`)).json().items[0];
    expect(stock).toMatchObject({ onHand: 1, averageUnitCostCents: 4500 });
    const byDevice = (await get(care, `/api/v1/stock/movements?equipmentId=${device.id}`)).json().items;
    expect(byDevice.map((m: Json) => m.id).sort()).toEqual(items.map((m) => m.id).sort());
    expect(await ledgerMismatches(ctx.database.db)).toEqual([]);
    // The database refuses a harvest naming no device, and a device on another movement.
    await expect(ctx.database.db.insertInto('stockMovements').values({
      territoryId: ids.territoryId, storeId: stores.CH1!, partId: part.id, type: 'receipt', delta: 1, quantity: 1, createdBy: ids.user('admin@ght-demo.fr'), equipmentId: device.id,
    }).execute()).rejects.toThrow(/stock_movements_harvest_device/);
  });
});

describe('transfers balance between sites', () => {
  it('values what each site gave and received at the cost the parts left with, per pair and per site', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const before = (await get(care, `/api/v1/stock/transfers/balance?from=${today}&to=${today}`)).json();
    const part = await newPart();
    await receive(stores.CH1!, part.id, 10, 700);
    const t = (await post(managerChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId: part.id, quantity: 5 })).json();
    await post(managerCh1, `/api/v1/stock/transfers/${t.id}/approve`);
    await post(managerCh1, `/api/v1/stock/transfers/${t.id}/ship`);
    const received = await post(managerChu, `/api/v1/stock/transfers/${t.id}/receive`, { quantity: 4, lossReason: 'Un carton abîmé' });
    expect(received.statusCode).toBe(200);
    // A transfer not shipped counts for nothing.
    await post(managerChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId: part.id, quantity: 1 });

    const res = await get(care, `/api/v1/stock/transfers/balance?from=${today}&to=${today}`);
    expect(res.statusCode).toBe(200);
    const after = res.json();
    const pair = (b: Json) => b.pairs.find((p: Json) => p.fromSiteId === ids.site('CH1') && p.toSiteId === ids.site('CHU')) ?? { transfers: 0, valueShippedCents: 0, valueLostCents: 0, quantityShipped: 0 };
    expect(pair(after).transfers - pair(before).transfers).toBe(1);
    expect(pair(after).quantityShipped - pair(before).quantityShipped).toBe(5);
    expect(pair(after).valueShippedCents - pair(before).valueShippedCents).toBe(3500);
    expect(pair(after).valueLostCents - pair(before).valueLostCents).toBe(700);
    const site = (b: Json, code: string) => b.sites.find((s: Json) => s.siteId === ids.site(code)) ?? { givenCents: 0, receivedCents: 0, netCents: 0 };
    expect(site(after, 'CH1').givenCents - site(before, 'CH1').givenCents).toBe(3500);
    expect(site(after, 'CHU').receivedCents - site(before, 'CHU').receivedCents).toBe(3500);
    for (const s of after.sites) expect(s.netCents).toBe(s.givenCents - s.receivedCents);
    expect(after.sites.reduce((n: number, s: Json) => n + s.netCents, 0)).toBe(0);

    // Another period sees nothing of it; the dates are checked.
    const old = (await get(care, '/api/v1/stock/transfers/balance?from=2020-01-01&to=2020-12-31')).json();
    expect(old).toMatchObject({ from: '2020-01-01', to: '2020-12-31', pairs: [], sites: [] });
    expect((await get(care, `/api/v1/stock/transfers/balance?from=${today}&to=2020-01-01`)).statusCode).toBe(400);
    expect((await get(care, '/api/v1/stock/transfers/balance?from=2020-02-30&to=2020-03-01')).statusCode).toBe(400);
    expect((await get(care, '/api/v1/stock/transfers/balance')).statusCode).toBe(400);
    const mine = (await get(care, `/api/v1/stock/transfers/balance?from=${today}&to=${today}&siteId=${ids.site('CHU')}`)).json();
    expect(mine.sites.map((s: Json) => s.siteId)).toEqual([ids.site('CHU')]);
    expect(mine.pairs.every((p: Json) => p.fromSiteId === ids.site('CHU') || p.toSiteId === ids.site('CHU'))).toBe(true);
  });
});
