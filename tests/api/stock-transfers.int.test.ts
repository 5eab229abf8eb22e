import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { createTestStores, ledgerMismatches as ledgerMismatchesOf } from '../support/stock.js';

/** Transfers of parts between sites (issue 12, ADR 0013): CH1 owns the parts, CHU asks. */

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let techChu: Session;
let managerChu: Session;
let techCh1: Session;
let managerCh1: Session;
let techCh2: Session;
let care: Session;
let stores: Record<string, string> = {};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  const db = ctx.database.db;
  ids = await demoIds(db);
  [admin, engineer, techChu, managerChu, techCh1, managerCh1, techCh2, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'),
    login(ctx.app, 'helene.marchand@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'),
    login(ctx.app, 'emilie.faure@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  stores = await createTestStores(db, ids.territoryId, { CHU: ids.site('CHU'), CH1: ids.site('CH1'), CH2: ids.site('CH2') }, { code: 'TRF', name: 'Magasin transferts' });
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload?: object, version?: number) =>
  ctx.app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }), headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const act = (s: Session, id: string, action: string, payload: object = {}, version?: number) => post(s, `/api/v1/stock/transfers/${id}/${action}`, payload, version);

let partSeq = 0;
async function newPart(): Promise<Json> {
  partSeq += 1;
  const res = await post(engineer, '/api/v1/parts', { reference: `TRF-${String(partSeq).padStart(4, '0')}`, description: `Batterie pousse-seringue n°${partSeq}` });
  expect(res.statusCode).toBe(201);
  return res.json();
}
async function receiveStock(storeCode: string, partId: string, quantity: number, unitCostCents: number): Promise<void> {
  const res = await post(admin, '/api/v1/stock/movements', { type: 'receipt', storeId: stores[storeCode], partId, quantity, unitCostCents });
  expect(res.statusCode).toBe(201);
}
async function stockOf(storeCode: string, partId: string): Promise<Json | undefined> {
  return (await get(care, `/api/v1/stock?storeId=${stores[storeCode]}&partId=${partId}`)).json().items[0];
}
const ledgerMismatches = () => ledgerMismatchesOf(ctx.database.db);
async function request(partId: string, quantity: number, extra: object = {}): Promise<Json> {
  const res = await post(techChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId, quantity, ...extra });
  expect(res.statusCode).toBe(201);
  return res.json();
}
async function movementsOf(storeCode: string, partId: string): Promise<Json[]> {
  return (await get(care, `/api/v1/stock/movements?storeId=${stores[storeCode]}&partId=${partId}`)).json().items;
}

describe('stock transfers between sites', () => {
  it('runs the whole flow with rights, in-transit visibility, cost travelling with the parts and the ledger equal to on hand', async () => {
    const part = await newPart();
    await receiveStock('CH1', part.id, 10, 1200);
    await receiveStock('CHU', part.id, 2, 3000);

    // Only the requesting site asks.
    const body = { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId: part.id, quantity: 4, reason: 'Pousse-seringue en panne' };
    expect((await post(techCh2, '/api/v1/stock/transfers', body)).statusCode).toBe(403);
    expect((await post(care, '/api/v1/stock/transfers', body)).statusCode).toBe(403);
    const t = await request(part.id, 4, { reason: 'Pousse-seringue en panne' });
    expect(t).toMatchObject({ state: 'requested', quantityRequested: 4, sourceSiteId: ids.site('CH1'), destinationSiteId: ids.site('CHU'), version: 1 });
    expect(t.requested.by).toBe(techChu.userId);
    expect(await ledgerMismatches()).toEqual([]);

    // Only the owning site's manager or engineer approves: not the requester, not a source technician, not a third site.
    for (const s of [techChu, managerChu, techCh1, techCh2, care]) {
      const res = await act(s, t.id, 'approve');
      expect(res.statusCode).toBe(403);
      expect(problemOf(res).detail).toMatch(/site qui détient la pièce/);
    }
    expect((await act(managerCh1, t.id, 'approve', {}, 9)).statusCode).toBe(412);
    expect((await act(managerCh1, t.id, 'approve', { quantity: 5 })).statusCode).toBe(400);
    const approved = await act(managerCh1, t.id, 'approve', { quantity: 3, note: 'Il nous en faut un' }, 1);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', quantityApproved: 3, version: 2, approved: { by: managerCh1.userId } });
    expect((await act(managerCh1, t.id, 'approve')).statusCode).toBe(409);
    expect((await stockOf('CH1', part.id))!.onHand).toBe(10);

    // Shipping: only the owning site; not more than approved; the stock leaves CH1 and is in transit.
    expect((await act(techChu, t.id, 'ship')).statusCode).toBe(403);
    expect((await act(techCh1, t.id, 'ship')).statusCode).toBe(403);
    const over = await act(managerCh1, t.id, 'ship', { quantity: 4 });
    expect(over.statusCode).toBe(400);
    expect(problemOf(over).errors?.[0]?.path).toBe('body.quantity');
    expect((await act(techChu, t.id, 'receive')).statusCode).toBe(409);
    const shipped = await act(managerCh1, t.id, 'ship');
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({ state: 'shipped', quantityShipped: 3, quantityInTransit: 3, unitCostCents: 1200, valueShippedCents: 3600 });
    expect((await stockOf('CH1', part.id))!.onHand).toBe(7);
    expect((await stockOf('CHU', part.id))!.onHand).toBe(2);
    const inTransit = (await get(care, `/api/v1/stock/transfers?state=shipped&siteId=${ids.site('CHU')}`)).json().items as Json[];
    expect(inTransit.find((x) => x.id === t.id)).toMatchObject({ quantityInTransit: 3 });
    const out = (await movementsOf('CH1', part.id))[0]!;
    expect(out).toMatchObject({ type: 'transfer_out', delta: -3, unitCostCents: 1200, createdBy: { id: managerCh1.userId } });
    expect(shipped.json().outMovementId).toBe(out.id);
    expect(await ledgerMismatches()).toEqual([]);
    expect((await act(managerCh1, t.id, 'cancel', { reason: 'trop tard' })).statusCode).toBe(409);

    // Receiving: only the requesting site; in at the cost the parts left with.
    expect((await act(managerCh1, t.id, 'receive')).statusCode).toBe(403);
    expect((await act(techCh2, t.id, 'receive')).statusCode).toBe(403);
    const received = await act(techChu, t.id, 'receive');
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ state: 'received', quantityReceived: 3, quantityLost: 0, quantityInTransit: 0, valueReceivedCents: 3600 });
    const chu = (await stockOf('CHU', part.id))!;
    expect(chu.onHand).toBe(5);
    expect(chu.averageUnitCostCents).toBe(Math.round((2 * 3000 + 3 * 1200) / 5));
    expect((await movementsOf('CHU', part.id))[0]).toMatchObject({ type: 'transfer_in', delta: 3, unitCostCents: 1200, createdBy: { id: techChu.userId } });
    expect(await ledgerMismatches()).toEqual([]);

    const audits = await ctx.database.db.selectFrom('auditLog').select('action').where('entityId', '=', t.id).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['stock_transfer.request', 'stock_transfer.approve', 'stock_transfer.ship', 'stock_transfer.receive']);
    expect((await get(care, `/api/v1/stock/transfers/${t.id}`)).json().state).toBe('received');
  });

  it('receives partially: the shortfall is recorded as lost with its reason and the transfer closes', async () => {
    const part = await newPart();
    await receiveStock('CH1', part.id, 5, 800);
    const t = await request(part.id, 5);
    expect((await act(engineer, t.id, 'approve')).statusCode).toBe(200);
    expect((await act(engineer, t.id, 'ship')).statusCode).toBe(200);
    const noReason = await act(techChu, t.id, 'receive', { quantity: 3 });
    expect(noReason.statusCode).toBe(400);
    expect(problemOf(noReason).errors?.[0]).toMatchObject({ path: 'body.lossReason', code: 'loss_reason_required' });
    expect((await act(techChu, t.id, 'receive', { quantity: 6 })).statusCode).toBe(400);
    const res = await act(techChu, t.id, 'receive', { quantity: 3, lossReason: 'Deux batteries écrasées dans le colis' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'received', quantityShipped: 5, quantityReceived: 3, quantityLost: 2, valueLostCents: 1600, lossReason: 'Deux batteries écrasées dans le colis' });
    expect((await stockOf('CH1', part.id))!.onHand).toBe(0);
    expect((await stockOf('CHU', part.id))!.onHand).toBe(3);
    expect((await act(techChu, t.id, 'receive', { quantity: 2 })).statusCode).toBe(409);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('cancels before shipping (either side), rejects with a reason, and refuses a ship without stock', async () => {
    const part = await newPart();
    await receiveStock('CH1', part.id, 2, 500);
    const a = await request(part.id, 1);
    expect((await act(techCh2, a.id, 'cancel', { reason: 'x' })).statusCode).toBe(403);
    expect((await act(techChu, a.id, 'cancel', {})).statusCode).toBe(400);
    const cancelled = await act(techChu, a.id, 'cancel', { reason: 'Pièce trouvée sur place' });
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', cancelReason: 'Pièce trouvée sur place', cancelled: { by: techChu.userId } });
    expect((await act(managerCh1, a.id, 'approve')).statusCode).toBe(409);

    const b = await request(part.id, 1);
    expect((await act(managerCh1, b.id, 'approve')).statusCode).toBe(200);
    expect((await act(managerCh1, b.id, 'cancel', { reason: 'Pièce réservée pour un bon urgent' })).json().state).toBe('cancelled');

    const c = await request(part.id, 1);
    expect((await act(techChu, c.id, 'reject', { reason: 'non' })).statusCode).toBe(403);
    expect((await act(managerCh1, c.id, 'reject', {})).statusCode).toBe(400);
    const rejected = await act(managerCh1, c.id, 'reject', { reason: 'Dernier exemplaire du site' });
    expect(rejected.json()).toMatchObject({ state: 'rejected', decisionNote: 'Dernier exemplaire du site', rejected: { by: managerCh1.userId } });
    expect((await act(managerCh1, c.id, 'ship')).statusCode).toBe(409);
    expect((await stockOf('CH1', part.id))!.onHand).toBe(2);

    const d = await request(part.id, 3);
    expect((await act(managerCh1, d.id, 'approve')).statusCode).toBe(200);
    const short = await act(managerCh1, d.id, 'ship');
    expect(short.statusCode).toBe(409);
    expect(problemOf(short).code).toBe('insufficient_stock');
    expect((await get(care, `/api/v1/stock/transfers/${d.id}`)).json().state).toBe('approved');
    expect((await act(managerCh1, d.id, 'ship', { quantity: 2 })).json()).toMatchObject({ state: 'shipped', quantityShipped: 2 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('ships and receives once under 10 concurrent requests each', async () => {
    const part = await newPart();
    await receiveStock('CH1', part.id, 20, 700);
    const t = await request(part.id, 4);
    expect((await act(managerCh1, t.id, 'approve')).statusCode).toBe(200);
    const ships = await Promise.all(Array.from({ length: 10 }, () => act(managerCh1, t.id, 'ship')));
    expect(ships.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(ships.filter((r) => r.statusCode === 409).every((r) => problemOf(r).code === 'transfer_state')).toBe(true);
    expect(ships.filter((r) => r.statusCode === 409)).toHaveLength(9);
    const receipts = await Promise.all(Array.from({ length: 10 }, () => act(techChu, t.id, 'receive')));
    expect(receipts.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(receipts.filter((r) => r.statusCode === 409)).toHaveLength(9);
    expect((await stockOf('CH1', part.id))!.onHand).toBe(16);
    expect((await stockOf('CHU', part.id))!.onHand).toBe(4);
    expect((await movementsOf('CH1', part.id)).filter((m) => m.type === 'transfer_out')).toHaveLength(1);
    expect((await movementsOf('CHU', part.id)).filter((m) => m.type === 'transfer_in')).toHaveLength(1);
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('lists transfers by site and state, keyset-paginated', async () => {
    const part = await newPart();
    const made = [await request(part.id, 1), await request(part.id, 2), await request(part.id, 3)];
    const first = (await get(care, `/api/v1/stock/transfers?partId=${part.id}&limit=2`)).json();
    expect(first.items.map((x: Json) => x.id)).toEqual([made[2]!.id, made[1]!.id]);
    const second = (await get(care, `/api/v1/stock/transfers?partId=${part.id}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((x: Json) => x.id)).toEqual([made[0]!.id]);
    expect(second.nextCursor).toBeNull();
    const ch2 = (await get(care, `/api/v1/stock/transfers?siteId=${ids.site('CH2')}&partId=${part.id}`)).json().items;
    expect(ch2).toEqual([]);
    const requested = (await get(care, `/api/v1/stock/transfers?siteId=${ids.site('CH1')}&state=requested&partId=${part.id}`)).json().items;
    expect(requested).toHaveLength(3);
  });

  it('lists the transfers requested for a work order', async () => {
    const part = await newPart();
    const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
    const created = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'corrective', description: 'Batterie à faire venir', assigneeIds: [techChu.userId] });
    expect(created.statusCode).toBe(201);
    const wo = created.json();
    const forOrder = await request(part.id, 2, { workOrderId: wo.id });
    await request(part.id, 1);
    const listed = (await get(care, `/api/v1/stock/transfers?workOrderId=${wo.id}`)).json();
    expect(listed.items.map((x: Json) => x.id)).toEqual([forOrder.id]);
    expect(listed.items[0].workOrderId).toBe(wo.id);
    expect((await get(care, `/api/v1/stock/transfers?workOrderId=${wo.id}&state=shipped`)).json().items).toEqual([]);
    expect((await get(care, '/api/v1/stock/transfers?workOrderId=x')).statusCode).toBe(400);
  });

  it('refuses bad input with 400', async () => {
    const part = await newPart();
    const bad = await post(techChu, '/api/v1/stock/transfers', { sourceStoreId: 'x', destinationStoreId: stores.CHU, partId: part.id, quantity: 0 });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['body.sourceStoreId', 'body.quantity']));
    const sameSite = await post(techChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CHU, destinationStoreId: stores.CHU, partId: part.id, quantity: 1 });
    expect(sameSite.statusCode).toBe(400);
    expect(problemOf(sameSite).errors?.[0]).toMatchObject({ path: 'body.sourceStoreId', code: 'same_site' });
    const unknownPart = await post(techChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId: '00000000-0000-4000-8000-000000000000', quantity: 1 });
    expect(unknownPart.statusCode).toBe(400);
    expect((await get(care, '/api/v1/stock/transfers?state=lost')).statusCode).toBe(400);
    expect((await get(care, '/api/v1/stock/transfers?cursor=zzz')).statusCode).toBe(400);
    expect((await act(managerCh1, '00000000-0000-4000-8000-000000000000', 'approve')).statusCode).toBe(404);
    const t = await request(part.id, 2);
    expect((await act(managerCh1, t.id, 'approve', { quantity: -1 })).statusCode).toBe(400);
    // A step without a body takes its defaults (approve everything requested); reject needs its reason.
    expect((await post(managerCh1, `/api/v1/stock/transfers/${t.id}/reject`)).statusCode).toBe(400);
    const bare = await post(managerCh1, `/api/v1/stock/transfers/${t.id}/approve`);
    expect(bare.statusCode).toBe(200);
    expect(bare.json().quantityApproved).toBe(2);
    expect((await act(managerCh1, t.id, 'ship', { quantity: 'deux' })).statusCode).toBe(400);
  });
});
