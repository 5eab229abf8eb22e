import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStockMovement, moveWorkOrders, recordLastUnitCosts, reconcileStockAlerts } from '@gmao/db';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { createTestStores, ledgerMismatches } from '../support/stock.js';
import { readPdf } from '../support/documents.js';

/**
 * The stock's integrity under concurrency and across the work order's life (issue 12): lock
 * order between receipts, returns counted under the lock, reservations released when a work
 * order is done, parts from a transfer held for their work order, a closed store.
 */

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let techChu: Session;
let techCh1: Session;
let managerChu: Session;
let managerCh1: Session;
let care: Session;
let stores: Record<string, string> = {};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  [admin, engineer, techChu, techCh1, managerChu, managerCh1, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'),
    login(ctx.app, 'tech.ch1@ght-demo.fr'), login(ctx.app, 'helene.marchand@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'),
    login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  stores = await createTestStores(ctx.database.db, ids.territoryId, { CHU: ids.site('CHU'), CH1: ids.site('CH1') }, { code: 'INT', name: 'Magasin intégrité' });
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object = {}, version?: number) =>
  ctx.app.inject({ method: 'POST', url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const move = (s: Session, body: Json) => post(s, '/api/v1/stock/movements', body);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let seq = 0;
async function newPart(): Promise<Json> {
  seq += 1;
  const res = await post(engineer, '/api/v1/parts', { reference: `INT-${String(seq).padStart(4, '0')}`, description: `Batterie de défibrillateur n°${seq}` });
  expect(res.statusCode).toBe(201);
  return res.json();
}
async function receive(store: string, partId: string, quantity: number, unitCostCents = 1000): Promise<void> {
  expect((await move(admin, { type: 'receipt', storeId: stores[store], partId, quantity, unitCostCents })).statusCode).toBe(201);
}
async function stockOf(store: string, partId: string): Promise<Json | undefined> {
  return (await get(care, `/api/v1/stock?storeId=${stores[store]}&partId=${partId}`)).json().items[0];
}
/** An open work order on a CHU device, assigned to the CHU technician. */
async function openWorkOrder(): Promise<Json> {
  const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
  const created = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'corrective', description: 'Pièces à prévoir', assigneeIds: [techChu.userId] });
  expect(created.statusCode).toBe(201);
  return created.json();
}

describe('lock order', () => {
  it('a receipt into two stores and a receipt into one of them, interleaved, both commit (stock rows first, the part last)', async () => {
    const db = ctx.database.db;
    const part = await newPart();
    const createdBy = ids.user('admin@ght-demo.fr');
    const [first, second] = [stores.CHU!, stores.CH1!].sort();
    const siteOf = { [stores.CHU!]: ids.site('CHU'), [stores.CH1!]: ids.site('CH1') };
    const receipt = (trx: typeof db, storeId: string, unitCostCents: number) =>
      applyStockMovement(trx, { territoryId: ids.territoryId, storeId, siteId: siteOf[storeId]!, partId: part.id, type: 'receipt', quantity: 1, unitCostCents, createdBy });
    // The grouped receipt's pattern (stores in order, then the part's last cost) against a plain receipt into the second store.
    const results = await Promise.allSettled([
      db.transaction().execute(async (trx) => {
        await receipt(trx, first!, 100);
        await sleep(250);
        await receipt(trx, second!, 100);
        await recordLastUnitCosts(trx, [{ partId: part.id, unitCostCents: 100 }]);
      }),
      (async () => {
        await sleep(80);
        await db.transaction().execute(async (trx) => {
          await receipt(trx, second!, 300);
          await recordLastUnitCosts(trx, [{ partId: part.id, unitCostCents: 300 }]);
        });
      })(),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await ledgerMismatches(db)).toEqual([]);
    // A receipt at 0 leaves the part's last cost as it was.
    const before = (await get(care, `/api/v1/parts/${part.id}`)).json().lastUnitCostCents;
    await receive('CHU', part.id, 1, 0);
    expect((await get(care, `/api/v1/parts/${part.id}`)).json().lastUnitCostCents).toBe(before);
  });
});

describe('returns', () => {
  it('8 concurrent returns of the one part issued to a work order: one succeeds, 7 are 409 return_exceeds_issued', async () => {
    const part = await newPart();
    await receive('CHU', part.id, 2);
    const wo = await openWorkOrder();
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/parts`, { partId: part.id, storeId: stores.CHU, quantity: 1 })).statusCode).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => move(techChu, { type: 'return', storeId: stores.CHU, partId: part.id, quantity: 1, workOrderId: wo.id })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.statusCode === 409).every((r) => problemOf(r).code === 'return_exceeds_issued')).toBe(true);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 2 });
    expect(await ledgerMismatches(ctx.database.db)).toEqual([]);
  });
});

describe('issues for a work order through POST /stock/movements', () => {
  it('go through the work order: its part line, its reservation first, and its state and rights', async () => {
    const part = await newPart();
    await receive('CHU', part.id, 5);
    const wo = await openWorkOrder();
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 2 })).statusCode).toBe(200);
    const issued = await move(techChu, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 3, workOrderId: wo.id });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ movement: { type: 'issue', delta: -3, workOrderId: wo.id }, stock: { onHand: 2, reserved: 0 } });
    const lines = (await get(care, `/api/v1/work-orders/${wo.id}/parts`)).json().items as Json[];
    expect(lines).toEqual([expect.objectContaining({ partId: part.id, storeId: stores.CHU, quantity: 3, movementId: issued.json().movement.id })]);
    expect((await get(care, `/api/v1/work-orders/${wo.id}/reservations`)).json().items[0]).toMatchObject({ state: 'used' });
    // Care staff do not add parts to work orders; a technician of another site does not issue from this store.
    expect((await move(care, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 1, workOrderId: wo.id })).statusCode).toBe(403);
    expect((await move(techCh1, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 1, workOrderId: wo.id })).statusCode).toBe(403);
    // A cancelled work order takes no more parts (409 invalid_state), but its parts may come back.
    const current = (await get(engineer, `/api/v1/work-orders/${wo.id}`)).json();
    expect((await post(engineer, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'cancelled', reason: 'Doublon' }, current.version)).statusCode).toBe(200);
    const late = await move(techChu, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 1, workOrderId: wo.id });
    expect(late.statusCode).toBe(409);
    expect(problemOf(late).code).toBe('invalid_state');
    expect((await move(techChu, { type: 'return', storeId: stores.CHU, partId: part.id, quantity: 3, workOrderId: wo.id })).statusCode).toBe(201);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 5, reserved: 0 });
    expect(await ledgerMismatches(ctx.database.db)).toEqual([]);
  });
});

describe('reservations', () => {
  it('go back to the shelves when the work order is completed or closed, as when it is cancelled', async () => {
    const part = await newPart();
    await receive('CHU', part.id, 4);
    const wo = await openWorkOrder();
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 3 })).statusCode).toBe(200);
    expect(await stockOf('CHU', part.id)).toMatchObject({ reserved: 3, available: 1 });
    // The shared core's move, as the API's completion and the worker's automatic closure make it.
    const state = (await get(engineer, `/api/v1/work-orders/${wo.id}`)).json().state as string;
    const moved = await moveWorkOrders(ctx.database.db, [wo.id], { from: state as 'assigned', to: 'completed', actorId: techChu.userId, backInService: false });
    expect(moved).toEqual([wo.id]);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    expect((await get(care, `/api/v1/work-orders/${wo.id}/reservations`)).json().items[0]).toMatchObject({ state: 'released' });
  });

  it('are released only by someone who may issue at their store', async () => {
    const part = await newPart();
    await receive('CHU', part.id, 2);
    const wo = await openWorkOrder();
    // A technician of CH1 sent to work on this CHU work order (cross-site).
    const assigned = await post(engineer, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techCh1.userId });
    expect(assigned.statusCode).toBe(200);
    const reservation = (await post(techChu, `/api/v1/work-orders/${wo.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 2 })).json().items[0];
    const url = `/api/v1/work-orders/${wo.id}/reservations/${reservation.id}/release`;
    expect((await post(techCh1, url)).statusCode).toBe(403);
    expect(await stockOf('CHU', part.id)).toMatchObject({ reserved: 2 });
    expect((await post(techChu, url)).statusCode).toBe(200);
    expect(await stockOf('CHU', part.id)).toMatchObject({ reserved: 0 });
  });

  it('hold the parts a transfer brings for a work order still open', async () => {
    const part = await newPart();
    await receive('CH1', part.id, 3);
    const wo = await openWorkOrder();
    const asked = await post(techChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId: part.id, quantity: 2, workOrderId: wo.id });
    expect(asked.statusCode).toBe(201);
    const id = asked.json().id as string;
    expect((await post(managerCh1, `/api/v1/stock/transfers/${id}/approve`)).statusCode).toBe(200);
    expect((await post(managerCh1, `/api/v1/stock/transfers/${id}/ship`)).statusCode).toBe(200);
    expect((await post(managerChu, `/api/v1/stock/transfers/${id}/receive`)).statusCode).toBe(200);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    const held = (await get(care, `/api/v1/work-orders/${wo.id}/reservations`)).json().items as Json[];
    expect(held).toEqual([expect.objectContaining({ partId: part.id, storeId: stores.CHU, quantity: 2, state: 'active' })]);
    // Nobody else takes them; the work order does.
    expect((await move(techChu, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 1 })).statusCode).toBe(409);
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/parts`, { partId: part.id, storeId: stores.CHU, quantity: 2 })).statusCode).toBe(200);
    expect(await ledgerMismatches(ctx.database.db)).toEqual([]);
  });
});

describe('a closed store', () => {
  it('takes no movement from any path, and keeps no below-minimum alert', async () => {
    const db = ctx.database.db;
    const store = (await post(managerCh1, '/api/v1/stores', { siteId: ids.site('CH1'), code: 'FERME', name: 'Réserve à fermer' })).json();
    const part = await newPart();
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/v1/stock/${store.id}/${part.id}`, payload: { minimum: 2 }, headers: managerCh1.auth })).statusCode).toBe(200);
    await reconcileStockAlerts(db, ids.territoryId);
    const open = () => db.selectFrom('stockAlerts').select('id').where('storeId', '=', store.id).where('clearedAt', 'is', null).execute();
    expect(await open()).toHaveLength(1);
    const closed = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/stores/${store.id}`, payload: { active: false }, headers: { ...managerCh1.auth, 'if-match': '1' } });
    expect(closed.statusCode).toBe(200);
    await reconcileStockAlerts(db, ids.territoryId);
    expect(await open()).toHaveLength(0);
    // The one stock write refuses it too, whoever calls it (here straight, as the worker would).
    await expect(db.transaction().execute((trx) => applyStockMovement(trx, {
      territoryId: ids.territoryId, storeId: store.id, siteId: ids.site('CH1'), partId: part.id, type: 'receipt', quantity: 1, createdBy: ids.user('admin@ght-demo.fr'),
    }))).rejects.toThrow(/closed/);
    const refused = await move(admin, { type: 'receipt', storeId: store.id, partId: part.id, quantity: 1, unitCostCents: 100 });
    expect(problemOf(refused).code).toBe('store_inactive');
  });
});

describe('a grouped order received per site', () => {
  it('fills only the stores of the sites the receiver manages; each site receives its delivery (siteId)', async () => {
    const part = await newPart();
    const order = await post(managerCh1, '/api/v1/purchasing/grouped-orders', {
      lines: [{ partId: part.id, supplier: 'Physio-Control', unitCostCents: 2500, allocations: [{ storeId: stores.CHU, quantity: 2 }, { storeId: stores.CH1, quantity: 3 }] }],
    });
    expect(order.statusCode).toBe(201);
    const id = order.json().id as string;
    const lineId = order.json().lines[0].id as string;
    const url = `/api/v1/purchasing/grouped-orders/${id}/receipt`;
    // Everything at once would fill a CHU store: not by the CH1 manager.
    const all = await post(managerCh1, url, { lines: [{ lineId, quantityReceived: 5 }] });
    expect(all.statusCode).toBe(403);
    expect(await stockOf('CHU', part.id)).toBeUndefined();
    // The CH1 delivery by the CH1 manager, the CHU delivery by the CHU manager.
    const ch1 = await post(managerCh1, url, { lines: [{ lineId, quantityReceived: 3 }], siteId: ids.site('CH1') });
    expect(ch1.statusCode).toBe(200);
    expect(ch1.json().receipts).toEqual([expect.objectContaining({ storeId: stores.CH1, quantity: 3 })]);
    expect((await post(managerChu, url, { lines: [{ lineId, quantityReceived: 3 }], siteId: ids.site('CHU') })).statusCode).toBe(409);
    const chu = await post(managerChu, url, { lines: [{ lineId, quantityReceived: 2 }], siteId: ids.site('CHU') });
    expect(chu.statusCode).toBe(200);
    expect(chu.json().order.state).toBe('received');
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 2, averageUnitCostCents: 2500 });
    expect(await stockOf('CH1', part.id)).toMatchObject({ onHand: 3 });
    expect((await get(care, `/api/v1/parts/${part.id}`)).json().lastUnitCostCents).toBe(2500);
    expect(await ledgerMismatches(ctx.database.db)).toEqual([]);
  });
});

describe('the intervention report', () => {
  it('shows the parts used and, as negative quantities, those given back to the store', async () => {
    const part = await newPart();
    await receive('CHU', part.id, 3);
    const wo = await openWorkOrder();
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/parts`, { partId: part.id, storeId: stores.CHU, quantity: 3 })).statusCode).toBe(200);
    expect((await move(techChu, { type: 'return', storeId: stores.CHU, partId: part.id, quantity: 1, workOrderId: wo.id })).statusCode).toBe(201);
    const res = await get(techChu, `/api/v1/work-orders/${wo.id}/report.pdf`);
    expect(res.statusCode).toBe(200);
    const { text } = await readPdf(new Uint8Array(res.rawPayload));
    expect(text).toContain(part.reference);
    expect(text).toContain('rendue au magasin');
    expect(text).toContain('\u22121');
  });
});
