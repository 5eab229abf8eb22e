import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { ExcelJS, parseCsv } from '../support/documents.js';
import { demoIds } from '../support/fixtures.js';
import { createTestStores, ledgerMismatches as ledgerMismatchesOf } from '../support/stock.js';

/**
 * Grouped purchasing across the territory (issue 12, ADR 0014): the proposal from the stores
 * below minimum, orders, exports, receipts split back into the stores, cancellation, rights.
 * The test's parts have their own supplier, so that the demo's below-minimum stock stays out.
 */

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let managerCh1: Session;
let techChu: Session;
let care: Session;
let stores: Record<string, string> = {};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUPPLIER = 'Achats Test Médical';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  [admin, engineer, managerCh1, techChu, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'),
    login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  stores = await createTestStores(ctx.database.db, ids.territoryId, { CHU: ids.site('CHU'), CH1: ids.site('CH1'), CH2: ids.site('CH2') }, { code: 'ACH', name: 'Magasin achats' });
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers: { ...s.auth, ...headers } });
const post = (s: Session, url: string, payload?: object, version?: number) =>
  ctx.app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }), headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const patch = (s: Session, url: string, payload: object, version?: number) =>
  ctx.app.inject({ method: 'PATCH', url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const ledgerMismatches = () => ledgerMismatchesOf(ctx.database.db);

let partSeq = 0;
async function newPart(extra: object = {}): Promise<Json> {
  partSeq += 1;
  const res = await post(engineer, '/api/v1/parts', {
    reference: `ACH-${String(partSeq).padStart(4, '0')}`, description: `Capteur SpO2 adulte n°${partSeq}`, manufacturerPartNumber: `MPN-${partSeq}`,
    defaultSupplier: SUPPLIER, unit: 'piece', ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}
/** Puts `onHand` units at `unitCostCents` into a store and sets its thresholds. */
async function stock(storeCode: string, partId: string, onHand: number, unitCostCents: number, minimum: number, maximum: number | null): Promise<void> {
  if (onHand > 0) {
    const res = await post(admin, '/api/v1/stock/movements', { type: 'receipt', storeId: stores[storeCode], partId, quantity: onHand, unitCostCents });
    expect(res.statusCode).toBe(201);
  }
  const res = await patch(admin, `/api/v1/stock/${stores[storeCode]}/${partId}`, { minimum, maximum });
  expect(res.statusCode).toBe(200);
}
async function stockOf(storeCode: string, partId: string): Promise<Json> {
  return (await get(care, `/api/v1/stock?storeId=${stores[storeCode]}&partId=${partId}`)).json().items[0];
}
async function proposal(query = `supplier=${encodeURIComponent(SUPPLIER)}`): Promise<Json> {
  const res = await get(care, `/api/v1/purchasing/grouped-order?${query}`);
  expect(res.statusCode).toBe(200);
  return res.json();
}
function lineOf(p: Json, partId: string): Json | undefined {
  return p.groups.flatMap((g: Json) => g.lines).find((l: Json) => l.partId === partId);
}
const allocationAt = (line: Json, storeCode: string) => line.allocations.find((a: Json) => a.storeId === stores[storeCode]);
const byStore = (line: Json | undefined) => Object.fromEntries((line?.allocations ?? []).map((a: Json) => [Object.keys(stores).find((k) => stores[k] === a.storeId), a.quantity]));
async function order(lines: object[], s: Session = engineer): Promise<Json> {
  const res = await post(s, '/api/v1/purchasing/grouped-orders', { lines });
  expect(res.statusCode).toBe(201);
  return res.json();
}


describe('the proposed grouped order', () => {
  it('lists every store below its minimum with the quantity to order, less open orders and parts in transit', async () => {
    const part = await newPart();
    await stock('CHU', part.id, 2, 3000, 5, 10);
    await stock('CH1', part.id, 1, 2000, 4, null);
    await stock('CH2', part.id, 6, 2500, 2, 8);

    let p = await proposal();
    expect(p.groups.map((g: Json) => g.supplier)).toEqual([SUPPLIER]);
    let line = lineOf(p, part.id)!;
    // CHU up to its maximum (10 − 2), CH1 up to its minimum (4 − 1); CH2 is not below its minimum.
    expect(byStore(line)).toEqual({ CHU: 8, CH1: 3 });
    expect(line).toMatchObject({
      partReference: part.reference, manufacturerPartNumber: part.manufacturerPartNumber, supplier: SUPPLIER, quantity: 11,
      unitCostCents: 2500, unitCostSource: 'last', totalCents: 27500,
    });
    expect(allocationAt(line, 'CHU')).toMatchObject({ onHand: 2, minimum: 5, maximum: 10, onOrder: 0, inTransit: 0, averageUnitCostCents: 3000 });
    expect(p.groups[0].totalCents).toBe(p.groups[0].lines.reduce((n: number, l: Json) => n + l.totalCents, 0));

    // A transfer approved for CHU counts as coming (its approved quantity), and still once shipped.
    const t = await post(techChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH2, destinationStoreId: stores.CHU, partId: part.id, quantity: 3 });
    expect(t.statusCode).toBe(201);
    expect(byStore(lineOf(await proposal(), part.id))).toEqual({ CHU: 8, CH1: 3 });
    expect((await post(admin, `/api/v1/stock/transfers/${t.json().id}/approve`, { quantity: 2 })).statusCode).toBe(200);
    line = lineOf(await proposal(), part.id)!;
    expect(byStore(line)).toEqual({ CHU: 6, CH1: 3 });
    expect(allocationAt(line, 'CHU').inTransit).toBe(2);
    expect((await post(admin, `/api/v1/stock/transfers/${t.json().id}/ship`)).statusCode).toBe(200);
    expect(byStore(lineOf(await proposal(), part.id))).toEqual({ CHU: 6, CH1: 3 });

    // An open grouped order for CH1 covers it; cancelled, the need comes back.
    const o = await order([{ partId: part.id, supplier: SUPPLIER, unitCostCents: 2500, allocations: [{ storeId: stores.CH1, quantity: 2 }] }]);
    line = lineOf(await proposal(), part.id)!;
    expect(byStore(line)).toEqual({ CHU: 6, CH1: 1 });
    expect(allocationAt(line, 'CH1').onOrder).toBe(2);
    expect((await post(engineer, `/api/v1/purchasing/grouped-orders/${o.id}/cancel`, { reason: 'Doublon' })).statusCode).toBe(200);
    expect(byStore(lineOf(await proposal(), part.id))).toEqual({ CHU: 6, CH1: 3 });

    // Received in transit: CHU is at 4, still below 5, and orders up to 10.
    expect((await post(techChu, `/api/v1/stock/transfers/${t.json().id}/receive`)).statusCode).toBe(200);
    expect(byStore(lineOf(await proposal(), part.id))).toEqual({ CHU: 6, CH1: 3 });

    // Filters: one site; the parts without a supplier.
    expect(byStore(lineOf(await proposal(`supplier=${encodeURIComponent(SUPPLIER)}&siteId=${ids.site('CH1')}`), part.id))).toEqual({ CH1: 3 });
    const loose = await newPart({ defaultSupplier: null });
    await stock('CH2', loose.id, 0, 0, 3, null);
    p = await proposal('supplier=');
    expect(p.groups.map((g: Json) => g.supplier)).toEqual([null]);
    expect(lineOf(p, loose.id)).toMatchObject({ supplier: null, quantity: 3, unitCostSource: 'none', unitCostCents: 0 });
    const all = await proposal();
    expect(lineOf(all, loose.id)).toBeUndefined();
    const everything = await proposal('');
    expect(everything.groups.at(-1).supplier).toBeNull();
    expect(lineOf(everything, loose.id)).toBeDefined();

    // An inactive part is not proposed.
    const current = (await get(care, `/api/v1/parts/${loose.id}`)).json();
    expect((await patch(engineer, `/api/v1/parts/${loose.id}`, { active: false }, current.version)).statusCode).toBe(200);
    expect(lineOf(await proposal('supplier='), loose.id)).toBeUndefined();
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('refuses a bad filter', async () => {
    const res = await get(care, '/api/v1/purchasing/grouped-order?siteId=nope');
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors?.[0]?.path).toBe('querystring.siteId');
  });
});

describe('placing a grouped order', () => {
  it('validates every field, the parts and the stores, and who places it', async () => {
    const part = await newPart();
    const inactive = await newPart();
    expect((await patch(engineer, `/api/v1/parts/${inactive.id}`, { active: false }, inactive.version)).statusCode).toBe(200);
    const good = { partId: part.id, supplier: SUPPLIER, unitCostCents: 1000, allocations: [{ storeId: stores.CHU, quantity: 2 }] };
    const paths = async (body: object) => {
      const res = await post(engineer, '/api/v1/purchasing/grouped-orders', body);
      expect(res.statusCode).toBe(400);
      return problemOf(res).errors!.map((e) => e.path);
    };
    expect(await paths({ lines: [] })).toEqual(['body.lines']);
    expect(await paths({ lines: [{ ...good, allocations: [{ storeId: stores.CHU, quantity: 0 }] }] })).toEqual(['body.lines.0.allocations.0.quantity']);
    expect(await paths({ lines: [{ ...good, allocations: [{ storeId: stores.CHU, quantity: 100_001 }] }] })).toEqual(['body.lines.0.allocations.0.quantity']);
    expect(await paths({ lines: [{ ...good, allocations: [] }] })).toEqual(['body.lines.0.allocations']);
    expect(await paths({ lines: [{ ...good, supplier: '  ' }] })).toEqual(['body.lines.0.supplier']);
    expect(await paths({ lines: [{ ...good, unitCostCents: -1 }] })).toEqual(['body.lines.0.unitCostCents']);
    expect(await paths({ lines: [good, good] })).toEqual(['body.lines.1.partId']);
    expect(await paths({ lines: [{ ...good, allocations: [{ storeId: stores.CHU, quantity: 1 }, { storeId: stores.CHU, quantity: 2 }] }] }))
      .toEqual(['body.lines.0.allocations.1.storeId']);
    expect(await paths({ lines: [{ ...good, partId: UNKNOWN }, { ...good, partId: inactive.id, allocations: [{ storeId: UNKNOWN, quantity: 1 }] }] }))
      .toEqual(['body.lines.0.partId', 'body.lines.1.partId', 'body.lines.1.allocations.0.storeId']);

    for (const s of [techChu, care]) {
      const res = await post(s, '/api/v1/purchasing/grouped-orders', { lines: [good] });
      expect(res.statusCode).toBe(403);
      expect(problemOf(res).detail).toMatch(/commandes groupées/);
    }

    // A site manager buys for every site of the territory.
    const res = await post(managerCh1, '/api/v1/purchasing/grouped-orders', {
      note: 'Réassort trimestriel', lines: [{ ...good, allocations: [{ storeId: stores.CHU, quantity: 2 }, { storeId: stores.CH2, quantity: 5 }] }],
    });
    expect(res.statusCode).toBe(201);
    const o = res.json();
    expect(res.headers.location).toBe(`/api/v1/purchasing/grouped-orders/${o.id}`);
    expect(o).toMatchObject({
      state: 'ordered', note: 'Réassort trimestriel', suppliers: [SUPPLIER], quantityOrdered: 7, quantityReceived: 0, totalCents: 7000, version: 1,
      created: { by: managerCh1.userId },
    });
    expect(o.number).toMatch(/^CG-\d{6}$/);
    expect(o.lines[0]).toMatchObject({ partId: part.id, partReference: part.reference, quantityOrdered: 7, totalCents: 7000 });
    expect(o.lines[0].allocations.map((a: Json) => [a.siteId, a.quantityOrdered, a.quantityReceived])).toEqual(
      expect.arrayContaining([[ids.site('CHU'), 2, 0], [ids.site('CH2'), 5, 0]]),
    );

    // Everyone signed in reads the orders; the list has no lines.
    expect((await get(care, `/api/v1/purchasing/grouped-orders/${o.id}`)).json()).toEqual(o);
    const list = (await get(care, '/api/v1/purchasing/grouped-orders?limit=1')).json();
    expect(list.items[0]).toMatchObject({ id: o.id, number: o.number, lineCount: 1, quantityOrdered: 7, totalCents: 7000 });
    expect(list.items[0].lines).toBeUndefined();
    expect(list.nextCursor).toEqual(expect.any(String));
    const more = (await get(care, `/api/v1/purchasing/grouped-orders?limit=1&cursor=${list.nextCursor}`)).json();
    expect(more.items[0]?.id).not.toBe(o.id);
    expect((await get(care, '/api/v1/purchasing/grouped-orders?state=cancelled')).json().items.every((x: Json) => x.state === 'cancelled')).toBe(true);
    expect((await get(care, `/api/v1/purchasing/grouped-orders/${UNKNOWN}`)).statusCode).toBe(404);
    const audits = await ctx.database.db.selectFrom('auditLog').select(['action', 'actorId']).where('entityId', '=', o.id).execute();
    expect(audits).toEqual([{ action: 'grouped_order.create', actorId: managerCh1.userId }]);
  });
});

describe('receiving a grouped order', () => {
  it('splits partial then complete receipts into the stores, furthest below minimum first; refuses an over-receipt', async () => {
    const part = await newPart();
    await stock('CHU', part.id, 1, 1000, 6, 10);
    await stock('CH1', part.id, 0, 0, 2, 6);
    await stock('CH2', part.id, 3, 2000, 4, null);
    const line = lineOf(await proposal(), part.id)!;
    expect(byStore(line)).toEqual({ CHU: 9, CH1: 6, CH2: 1 });

    // The buyer places the proposal as it is, at a negotiated price.
    const o = await order([{ partId: part.id, supplier: SUPPLIER, unitCostCents: 1500, allocations: line.allocations.map((a: Json) => ({ storeId: a.storeId, quantity: a.quantity })) }]);
    expect(o.quantityOrdered).toBe(16);
    const url = `/api/v1/purchasing/grouped-orders/${o.id}/receipt`;

    for (const s of [techChu, care]) expect((await post(s, url, { lines: [{ lineId: o.lines[0].id, quantityReceived: 1 }] })).statusCode).toBe(403);
    let res = await post(engineer, url, { lines: [{ quantityReceived: 1 }] });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors?.[0]?.path).toBe('body.lines.0');
    res = await post(engineer, url, { lines: [{ partId: UNKNOWN, quantityReceived: 1 }] });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors?.[0]?.path).toBe('body.lines.0.partId');
    expect((await post(engineer, url, { lines: [{ lineId: o.lines[0].id, quantityReceived: 1 }] }, 9)).statusCode).toBe(412);

    // 5 of 16 arrive: shortfalls below minimum CHU 5, CH1 2, CH2 1 → CHU 4, CH1 1, CH2 0.
    res = await post(engineer, url, { lines: [{ lineId: o.lines[0].id, quantityReceived: 5 }], purchaseOrderReference: 'BL-778' }, 1);
    expect(res.statusCode).toBe(200);
    let r = res.json();
    expect(r.order).toMatchObject({ state: 'partially_received', quantityReceived: 5, version: 2, lastReceived: { by: engineer.userId } });
    expect(Object.fromEntries(r.receipts.map((x: Json) => [Object.keys(stores).find((k) => stores[k] === x.storeId), x.quantity]))).toEqual({ CHU: 4, CH1: 1 });
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 5, averageUnitCostCents: 1400 });
    expect(await stockOf('CH1', part.id)).toMatchObject({ onHand: 1, averageUnitCostCents: 1500 });
    expect(await stockOf('CH2', part.id)).toMatchObject({ onHand: 3, averageUnitCostCents: 2000 });
    const movement = (await get(care, `/api/v1/stock/movements?storeId=${stores.CHU}&partId=${part.id}`)).json().items[0];
    expect(movement).toMatchObject({
      type: 'receipt', delta: 4, unitCostCents: 1500, supplier: SUPPLIER, purchaseOrderReference: `${o.number} / BL-778`, createdBy: { id: engineer.userId },
    });
    expect(r.receipts.find((x: Json) => x.storeId === stores.CHU).movementId).toBe(movement.id);
    expect(await ledgerMismatches()).toEqual([]);

    // What remains: 11. The proposal subtracts it (CHU awaits 5 more, covering it up to 10).
    expect(byStore(lineOf(await proposal(), part.id))).toEqual({});
    expect((await post(engineer, `/api/v1/purchasing/grouped-orders/${o.id}/cancel`, { reason: 'Trop tard' })).statusCode).toBe(409);

    // 12 is more than awaited: 409, nothing received.
    res = await post(engineer, url, { lines: [{ partId: part.id, quantityReceived: 12 }] });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('over_receipt');
    expect(problemOf(res).errors?.[0]?.path).toBe('body.lines.0.quantityReceived');
    expect((await stockOf('CHU', part.id)).onHand).toBe(5);

    // The rest arrives at another price, from another supplier's depot.
    res = await post(admin, url, { lines: [{ partId: part.id, quantityReceived: 11, unitCostCents: 1600 }], supplier: 'Dépôt régional' });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(r.order).toMatchObject({ state: 'received', quantityReceived: 16, version: 3 });
    expect(r.order.lines[0].allocations.every((a: Json) => a.quantityReceived === a.quantityOrdered)).toBe(true);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 10, averageUnitCostCents: 1500 });
    expect(await stockOf('CH1', part.id)).toMatchObject({ onHand: 6, averageUnitCostCents: 1583 });
    expect(await stockOf('CH2', part.id)).toMatchObject({ onHand: 4, averageUnitCostCents: 1900 });
    const last = (await get(care, `/api/v1/stock/movements?storeId=${stores.CH2}&partId=${part.id}`)).json().items[0];
    expect(last).toMatchObject({ type: 'receipt', delta: 1, unitCostCents: 1600, supplier: 'Dépôt régional', purchaseOrderReference: o.number });
    expect(await ledgerMismatches()).toEqual([]);

    res = await post(engineer, url, { lines: [{ partId: part.id, quantityReceived: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('grouped_order_state');
    const audits = await ctx.database.db.selectFrom('auditLog').select('action').where('entityId', '=', o.id).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['grouped_order.create', 'grouped_order.receipt', 'grouped_order.receipt']);
  });
});

describe('concurrent receipts', () => {
  it('queue on the order: 8 simultaneous receipts of everything awaited record it once', async () => {
    const part = await newPart();
    const o = await order([{ partId: part.id, supplier: SUPPLIER, unitCostCents: 500, allocations: [{ storeId: stores.CHU, quantity: 4 }, { storeId: stores.CH1, quantity: 3 }] }]);
    const answers = await Promise.all(Array.from({ length: 8 }, () =>
      post(engineer, `/api/v1/purchasing/grouped-orders/${o.id}/receipt`, { lines: [{ partId: part.id, quantityReceived: 7 }] })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(answers.filter((r) => r.statusCode === 409).every((r) => problemOf(r).code === 'grouped_order_state')).toBe(true);
    expect((await stockOf('CHU', part.id)).onHand).toBe(4);
    expect((await stockOf('CH1', part.id)).onHand).toBe(3);
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('cancelling a grouped order', () => {
  it('needs a reason and the right, before any receipt', async () => {
    const part = await newPart();
    const o = await order([{ partId: part.id, supplier: SUPPLIER, unitCostCents: 100, allocations: [{ storeId: stores.CH1, quantity: 3 }] }]);
    const url = `/api/v1/purchasing/grouped-orders/${o.id}/cancel`;
    const bad = await post(engineer, url, {});
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.[0]?.path).toBe('body.reason');
    expect((await post(techChu, url, { reason: 'Non' })).statusCode).toBe(403);
    expect((await post(engineer, url, { reason: 'Budget gelé' }, 7)).statusCode).toBe(412);
    const res = await post(engineer, url, { reason: 'Budget gelé' }, 1);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'cancelled', cancelReason: 'Budget gelé', cancelled: { by: engineer.userId }, version: 2 });
    expect((await post(engineer, url, { reason: 'Encore' })).statusCode).toBe(409);
    const receipt = await post(engineer, `/api/v1/purchasing/grouped-orders/${o.id}/receipt`, { lines: [{ partId: part.id, quantityReceived: 1 }] });
    expect(receipt.statusCode).toBe(409);
    expect(problemOf(receipt).code).toBe('grouped_order_state');
  });
});

describe('closing the rest of a grouped order', () => {
  it('only once partially received: the remainder is no longer awaited and the need comes back', async () => {
    const part = await newPart();
    await stock('CH1', part.id, 0, 0, 5, null);
    const o = await order([{ partId: part.id, supplier: SUPPLIER, unitCostCents: 300, allocations: [{ storeId: stores.CH1, quantity: 5 }] }]);
    const url = `/api/v1/purchasing/grouped-orders/${o.id}/close`;
    let res = await post(engineer, url, { reason: 'Rupture fournisseur' });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('grouped_order_state');
    expect((await post(engineer, `/api/v1/purchasing/grouped-orders/${o.id}/receipt`, { lines: [{ partId: part.id, quantityReceived: 2 }] })).statusCode).toBe(200);
    expect(byStore(lineOf(await proposal(), part.id))).toEqual({});

    expect(problemOf(await post(engineer, url, {})).errors?.[0]?.path).toBe('body.reason');
    expect((await post(techChu, url, { reason: 'Non' })).statusCode).toBe(403);
    res = await post(managerCh1, url, { reason: 'Rupture fournisseur' }, 2);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'closed', closeReason: 'Rupture fournisseur', closed: { by: managerCh1.userId }, quantityOrdered: 5, quantityReceived: 2, version: 3,
    });
    // CH1 is at 2 for a minimum of 5: it needs 3 again.
    expect(byStore(lineOf(await proposal(), part.id))).toEqual({ CH1: 3 });
    expect((await post(engineer, `/api/v1/purchasing/grouped-orders/${o.id}/receipt`, { lines: [{ partId: part.id, quantityReceived: 1 }] })).statusCode).toBe(409);
    expect((await post(engineer, url, { reason: 'Encore' })).statusCode).toBe(409);
    expect((await get(care, '/api/v1/purchasing/grouped-orders?state=closed')).json().items.map((x: Json) => x.id)).toContain(o.id);
  });
});

describe('grouped order exports', () => {
  it('writes the order as CSV for French Excel and as XLSX, in the reader’s language, and the proposal too', async () => {
    const part = await newPart({ description: '=Câble ECG; 5 brins' });
    const o = await order([{ partId: part.id, supplier: SUPPLIER, unitCostCents: 123456, allocations: [{ storeId: stores.CHU, quantity: 2 }, { storeId: stores.CH2, quantity: 1 }] }]);
    expect((await post(engineer, `/api/v1/purchasing/grouped-orders/${o.id}/receipt`, { lines: [{ partId: part.id, quantityReceived: 3 }] })).statusCode).toBe(200);

    const res = await get(care, `/api/v1/purchasing/grouped-orders/${o.id}/export.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`filename="commande-groupee-${o.number}.csv"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.rawPayload.toString('utf8').slice(1));
    expect(rows[0]).toEqual([
      'Fournisseur', 'Référence', 'Réf. fabricant', 'Désignation', 'Unité', 'Site', 'Magasin', 'Quantité', 'Prix unitaire HT (€)', 'Montant HT (€)', 'Quantité reçue',
    ]);
    expect(rows).toHaveLength(3);
    const chu = rows.find((r) => r[6] === 'Magasin achats CHU')!;
    expect(chu).toEqual([SUPPLIER, part.reference, part.manufacturerPartNumber, "'=Câble ECG; 5 brins", 'pièce', expect.any(String), 'Magasin achats CHU', '2', '1234,56', '2469,12', '2']);

    const en = await get(care, `/api/v1/purchasing/grouped-orders/${o.id}/export.csv?lang=en`);
    expect(en.headers['content-disposition']).toContain(`filename="grouped-order-${o.number}.csv"`);
    expect(parseCsv(en.rawPayload.toString('utf8').slice(1))[0]![0]).toBe('Supplier');
    const viaHeader = await get(care, `/api/v1/purchasing/grouped-orders/${o.id}/export.csv`, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(parseCsv(viaHeader.rawPayload.toString('utf8').slice(1))[0]![9]).toBe('Total excl. VAT (€)');

    const xlsx = await get(care, `/api/v1/purchasing/grouped-orders/${o.id}/export.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Commande groupée')!;
    expect(ws.actualRowCount).toBe(3);
    expect(ws.getRow(1).getCell(1).value).toBe('Fournisseur');
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    const values = [2, 3].map((n) => (ws.getRow(n).values as unknown[]).slice(1));
    const chuRow = values.find((v) => v[6] === 'Magasin achats CHU')!;
    expect(chuRow.slice(7)).toEqual([2, 1234.56, 2469.12, 2]);
    expect(ws.getRow(2).getCell(9).numFmt).toBe('#,##0.00');
    expect((await get(care, `/api/v1/purchasing/grouped-orders/${UNKNOWN}/export.xlsx`)).statusCode).toBe(404);

    // The proposal's exports: the same columns without the quantity received.
    const needy = await newPart();
    await stock('CH1', needy.id, 1, 700, 3, 5);
    const pc = await get(care, `/api/v1/purchasing/grouped-order/export.csv?supplier=${encodeURIComponent(SUPPLIER)}&siteId=${ids.site('CH1')}`);
    expect(pc.statusCode).toBe(200);
    expect(pc.headers['content-disposition']).toMatch(/filename="proposition-commande-groupee-\d{4}-\d{2}-\d{2}\.csv"/);
    const prow = parseCsv(pc.rawPayload.toString('utf8').slice(1)).find((r) => r[1] === needy.reference)!;
    expect(prow.slice(5)).toEqual([expect.any(String), 'Magasin achats CH1', '4', '7,00', '28,00']);
    const px = await get(care, `/api/v1/purchasing/grouped-order/export.xlsx?supplier=${encodeURIComponent(SUPPLIER)}&lang=en`);
    expect(px.statusCode).toBe(200);
    const pwb = new ExcelJS.Workbook();
    await pwb.xlsx.load(px.rawPayload as unknown as ArrayBuffer);
    const pws = pwb.getWorksheet('Grouped order')!;
    expect((pws.getRow(1).values as unknown[]).slice(1)).toHaveLength(10);
    let found = false;
    pws.eachRow((row) => {
      if (row.getCell(2).value === needy.reference) found = row.getCell(8).value === 4 && row.getCell(9).value === 7;
    });
    expect(found).toBe(true);
  });
});
