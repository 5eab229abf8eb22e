import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { createTestStores, ledgerMismatches as ledgerMismatchesOf } from '../support/stock.js';

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let techChu: Session;
let techCh1: Session;
let managerCh1: Session;
let care: Session;
let stores: Record<string, string> = {};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  const db = ctx.database.db;
  ids = await demoIds(db);
  [admin, engineer, techChu, techCh1, managerCh1, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'),
    login(ctx.app, 'tech.ch1@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  stores = await createTestStores(db, ids.territoryId, { CHU: ids.site('CHU'), CH1: ids.site('CH1'), CH2: ids.site('CH2'), CH3: ids.site('CH3'), EHPAD: ids.site('EHPAD') }, { code: 'TEST', name: 'Magasin test' });
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const send = (s: Session, method: 'POST' | 'PATCH', url: string, payload: object, version?: number) =>
  ctx.app.inject({ method, url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const post = (s: Session, url: string, payload: object) => send(s, 'POST', url, payload);

let partSeq = 0;
async function newPart(extra: object = {}): Promise<Json> {
  partSeq += 1;
  const res = await post(engineer, '/api/v1/parts', {
    reference: `TST-${String(partSeq).padStart(4, '0')}`, description: `Capteur SpO₂ réutilisable n°${partSeq}`, manufacturer: 'Nellcor', ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}
const move = (s: Session, body: Json) => post(s, '/api/v1/stock/movements', body);
async function receive(storeCode: string, partId: string, quantity: number, unitCostCents?: number): Promise<Json> {
  const res = await move(admin, { type: 'receipt', storeId: stores[storeCode], partId, quantity, ...(unitCostCents === undefined ? {} : { unitCostCents }) });
  expect(res.statusCode).toBe(201);
  return res.json();
}
async function stockOf(storeCode: string, partId: string): Promise<Json | undefined> {
  return (await get(care, `/api/v1/stock?storeId=${stores[storeCode]}&partId=${partId}`)).json().items[0];
}
const ledgerMismatches = () => ledgerMismatchesOf(ctx.database.db);

describe('part catalogue', () => {
  it('creates, finds without accents, pages and changes parts with If-Match', async () => {
    const models = (await get(care, '/api/v1/equipment-models?limit=2')).json().items as Json[];
    const part = await newPart({ description: 'Électrode de défibrillation adulte', compatibleModelIds: [models[0]!.id], lastUnitCostCents: 4590 });
    expect(part).toMatchObject({ unit: 'piece', active: true, compatibleModelIds: [models[0]!.id], version: 1 });
    const found = (await get(care, '/api/v1/parts?q=electrode%20DEFIBRILLATION')).json().items as Json[];
    expect(found.map((p) => p.id)).toContain(part.id);
    const byModel = (await get(care, `/api/v1/parts?equipmentModelId=${models[0]!.id}`)).json().items as Json[];
    expect(byModel.map((p) => p.id)).toContain(part.id);

    await newPart();
    await newPart();
    const first = (await get(care, '/api/v1/parts?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await get(care, `/api/v1/parts?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].reference > first.items[1].reference).toBe(true);

    const dup = await post(engineer, '/api/v1/parts', { reference: part.reference, description: 'Doublon' });
    expect(dup.statusCode).toBe(409);
    expect(problemOf(dup).errors?.[0]?.path).toBe('body.reference');

    expect((await send(engineer, 'PATCH', `/api/v1/parts/${part.id}`, { active: false })).statusCode).toBe(428);
    expect((await send(engineer, 'PATCH', `/api/v1/parts/${part.id}`, { active: false }, 9)).statusCode).toBe(412);
    const patched = await send(engineer, 'PATCH', `/api/v1/parts/${part.id}`, { active: false, compatibleModelIds: [models[1]!.id] }, 1);
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ active: false, version: 2, compatibleModelIds: [models[1]!.id] });
    expect((await get(care, `/api/v1/parts/${part.id}`)).json().version).toBe(2);
  });

  it('lets only engineers, site managers and the admin write the catalogue', async () => {
    expect((await post(techChu, '/api/v1/parts', { reference: 'TECH-1', description: 'x' })).statusCode).toBe(403);
    expect((await post(care, '/api/v1/parts', { reference: 'CARE-1', description: 'x' })).statusCode).toBe(403);
    expect((await post(managerCh1, '/api/v1/parts', { reference: 'MGR-1', description: 'Filtre antibactérien' })).statusCode).toBe(201);
  });

  it('refuses bad input with 400 and French messages', async () => {
    const res = await post(engineer, '/api/v1/parts', { reference: '', description: 'x', unit: 'tonne', lastUnitCostCents: -1 });
    expect(res.statusCode).toBe(400);
    const problem = problemOf(res);
    expect(problem.code).toBe('validation_failed');
    const paths = problem.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.reference', 'body.unit', 'body.lastUnitCostCents']));
    expect(problem.detail).toMatch(/invalides/);
    const unknownModel = await post(engineer, '/api/v1/parts', { reference: 'X-UNKNOWN', description: 'x', compatibleModelIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknownModel.statusCode).toBe(400);
    expect(problemOf(unknownModel).errors?.[0]?.path).toBe('body.compatibleModelIds');
  });
});

describe('stock settings', () => {
  it('site managers and engineers set minimums at their site only; technicians cannot', async () => {
    const part = await newPart();
    const url = (store: string) => `/api/v1/stock/${stores[store]}/${part.id}`;
    expect((await send(techCh1, 'PATCH', url('CH1'), { minimum: 2 })).statusCode).toBe(403);
    expect((await send(managerCh1, 'PATCH', url('CHU'), { minimum: 2 })).statusCode).toBe(403);
    const set = await send(managerCh1, 'PATCH', url('CH1'), { minimum: 2, bin: 'A-1' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ onHand: 0, minimum: 2, maximum: null, bin: 'A-1' });
    const below = (await get(care, `/api/v1/stock?storeId=${stores.CH1}&belowMinimum=true&partId=${part.id}`)).json().items;
    expect(below).toHaveLength(1);
    const bad = await send(managerCh1, 'PATCH', url('CH1'), { maximum: 1 });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.[0]).toMatchObject({ path: 'body.maximum' });
    const negative = await send(managerCh1, 'PATCH', url('CH1'), { minimum: -1 });
    expect(problemOf(negative).errors?.map((e) => e.path)).toContain('body.minimum');
  });
});

describe('stock movements', () => {
  it('receives at a weighted average cost, issues, returns, adjusts; every movement carries its delta', async () => {
    const part = await newPart();
    const r1 = await receive('CHU', part.id, 10, 1000);
    expect(r1.movement).toMatchObject({ type: 'receipt', delta: 10, quantity: 10, unitCostCents: 1000 });
    expect(r1.stock).toMatchObject({ onHand: 10, reserved: 0, available: 10, averageUnitCostCents: 1000 });
    const r2 = await receive('CHU', part.id, 30, 1400);
    expect(r2.stock).toMatchObject({ onHand: 40, averageUnitCostCents: 1300 });
    expect((await get(care, `/api/v1/parts/${part.id}`)).json().lastUnitCostCents).toBe(1400);

    const issued = await move(techChu, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 4 });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ movement: { delta: -4, createdBy: { fullName: 'Thomas Technicien' } }, stock: { onHand: 36, averageUnitCostCents: 1300 } });
    // A return without a work order is stock coming from nowhere known: the site's manager or engineer only.
    const techReturn = await move(techChu, { type: 'return', storeId: stores.CHU, partId: part.id, quantity: 1 });
    expect(techReturn.statusCode).toBe(403);
    const returned = await move(engineer, { type: 'return', storeId: stores.CHU, partId: part.id, quantity: 1 });
    expect(returned.json().stock.onHand).toBe(37);
    // A return is valued at the store's average, like what leaves.
    expect(returned.json().movement.unitCostCents).toBe(1300);
    const adjusted = await move(engineer, { type: 'adjustment', storeId: stores.CHU, partId: part.id, quantity: -2, reason: 'Inventaire tournant' });
    expect(adjusted.statusCode).toBe(201);
    expect(adjusted.json()).toMatchObject({ movement: { type: 'adjustment', delta: -2, countedQuantity: 35, reason: 'Inventaire tournant' }, stock: { onHand: 35 } });
    // A count gives what is on the shelf: the delta is computed under the lock; a count that matches records nothing.
    const counted = await move(engineer, { type: 'adjustment', storeId: stores.CHU, partId: part.id, countedQuantity: 33, reason: 'Inventaire annuel' });
    expect(counted.statusCode).toBe(201);
    expect(counted.json()).toMatchObject({ movement: { delta: -2, quantity: -2, countedQuantity: 33 }, stock: { onHand: 33 } });
    const same = await move(engineer, { type: 'adjustment', storeId: stores.CHU, partId: part.id, countedQuantity: 33, reason: 'Inventaire annuel' });
    expect(same.statusCode).toBe(409);
    expect(problemOf(same).code).toBe('count_matches_stock');
    const both = await move(engineer, { type: 'adjustment', storeId: stores.CHU, partId: part.id, quantity: 1, countedQuantity: 33, reason: 'x' });
    expect(problemOf(both).errors?.map((e) => e.path)).toContain('body.quantity');
    const countOnIssue = await move(engineer, { type: 'issue', storeId: stores.CHU, partId: part.id, countedQuantity: 3 });
    expect(problemOf(countOnIssue).errors?.map((e) => e.path)).toContain('body.countedQuantity');
    await move(engineer, { type: 'adjustment', storeId: stores.CHU, partId: part.id, countedQuantity: 35, reason: 'Recomptage' });

    const ledger = (await get(care, `/api/v1/stock/movements?storeId=${stores.CHU}&partId=${part.id}`)).json().items as Json[];
    expect(ledger.map((m) => m.type)).toEqual(['adjustment', 'adjustment', 'adjustment', 'return', 'issue', 'receipt', 'receipt']);
    expect(ledger.reduce((sum, m) => sum + m.delta, 0)).toBe(35);
    const paged = (await get(care, `/api/v1/stock/movements?storeId=${stores.CHU}&partId=${part.id}&limit=4`)).json();
    const rest = (await get(care, `/api/v1/stock/movements?storeId=${stores.CHU}&partId=${part.id}&limit=4&cursor=${paged.nextCursor}`)).json();
    expect([...paged.items, ...rest.items].map((m: Json) => m.id)).toEqual(ledger.map((m) => m.id));
    expect(rest.nextCursor).toBeNull();
  });

  it('refuses to go below zero with 409 insufficient_stock, and nothing is written', async () => {
    const part = await newPart();
    await receive('CH1', part.id, 2);
    const res = await move(techCh1, { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 3 });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res)).toMatchObject({ code: 'insufficient_stock' });
    expect(problemOf(res).detail).toContain('Stock insuffisant');
    const adj = await move(managerCh1, { type: 'adjustment', storeId: stores.CH1, partId: part.id, quantity: -5, reason: 'Casse' });
    expect(problemOf(adj).code).toBe('insufficient_stock');
    const never = await move(techCh1, { type: 'issue', storeId: stores.CH2, partId: part.id, quantity: 1 });
    expect(never.statusCode).toBe(403);
    expect((await stockOf('CH1', part.id))?.onHand).toBe(2);
    expect((await get(care, `/api/v1/stock/movements?partId=${part.id}`)).json().items).toHaveLength(1);
  });

  it('gives rights as the issue says: technicians issue and return at their sites only; managers and engineers receive and adjust', async () => {
    const part = await newPart();
    await receive('CH1', part.id, 5);
    const body = (type: string, store = 'CH1', extra: object = {}) => ({ type, storeId: stores[store], partId: part.id, quantity: 1, ...extra });
    expect((await move(techCh1, body('receipt'))).statusCode).toBe(403);
    expect((await move(techCh1, body('adjustment', 'CH1', { reason: 'Comptage' }))).statusCode).toBe(403);
    expect((await move(techCh1, body('issue'))).statusCode).toBe(201);
    expect((await move(techCh1, body('return'))).statusCode).toBe(403);
    expect((await move(managerCh1, body('return'))).statusCode).toBe(201);
    expect((await move(techChu, body('issue'))).statusCode).toBe(403);
    expect((await move(care, body('issue', 'CHU'))).statusCode).toBe(403);
    expect((await move(managerCh1, body('receipt'))).statusCode).toBe(201);
    expect((await move(managerCh1, body('receipt', 'CHU'))).statusCode).toBe(403);
    expect((await move(engineer, body('adjustment', 'CH2', { reason: 'Comptage' }))).statusCode).toBe(201);
    const denied = await move(managerCh1, body('receipt', 'CH2'));
    expect(problemOf(denied).code).toBe('forbidden');
  });

  it('validates movements with French messages', async () => {
    const part = await newPart();
    const zero = await move(admin, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 0 });
    expect(zero.statusCode).toBe(400);
    expect(problemOf(zero).errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.quantity', message: 'la quantité doit être positive' })]));
    const noReason = await move(admin, { type: 'adjustment', storeId: stores.CHU, partId: part.id, quantity: 3 });
    expect(problemOf(noReason).errors?.map((e) => e.path)).toContain('body.reason');
    const badType = await move(admin, { type: 'transfer_in', storeId: stores.CHU, partId: part.id, quantity: 1 });
    expect(problemOf(badType).errors?.map((e) => e.path)).toContain('body.type');
    const unknownStore = await move(admin, { type: 'receipt', storeId: '00000000-0000-4000-8000-000000000000', partId: part.id, quantity: 1 });
    expect(unknownStore.statusCode).toBe(400);
    expect(problemOf(unknownStore).errors?.[0]).toMatchObject({ path: 'body.storeId', message: 'magasin inconnu' });
    const costOnIssue = await move(admin, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 1, unitCostCents: 5 });
    expect(problemOf(costOnIssue).errors).toEqual([expect.objectContaining({ path: 'body.unitCostCents', message: 'réservé aux réceptions' })]);
    const fraction = await move(admin, { type: 'receipt', storeId: stores.CHU, partId: part.id, quantity: 1.5 });
    expect(fraction.statusCode).toBe(400);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on the ledger', async () => {
    const part = await newPart();
    await receive('CH3', part.id, 3);
    const db = ctx.database.db;
    await expect(db.updateTable('stockMovements').set({ delta: 300 }).where('partId', '=', part.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('stockMovements').where('partId', '=', part.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate stock_movements cascade`.execute(db)).rejects.toThrow(/append-only/);
    // The CHECK constraints are the last guard of the stock row itself.
    await expect(db.updateTable('stock').set({ onHand: -1 }).where('partId', '=', part.id).execute()).rejects.toThrow(/stock_on_hand_not_negative/);
    expect((await stockOf('CH3', part.id))?.onHand).toBe(3);
  });
});

describe('concurrency', () => {
  it('50 simultaneous issues of the last 7 units: exactly 7 succeed, the rest are 409 insufficient_stock, on hand 0, ledger = on hand', async () => {
    const part = await newPart();
    await receive('CHU', part.id, 7);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => move(techChu, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 1 })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(7);
    expect(codes.filter((c) => c === 409)).toHaveLength(43);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(problemOf(r).code).toBe('insufficient_stock');
    expect((await stockOf('CHU', part.id))?.onHand).toBe(0);
    const ledger = (await get(care, `/api/v1/stock/movements?partId=${part.id}&limit=200`)).json().items as Json[];
    expect(ledger).toHaveLength(8);
    expect(ledger.reduce((s, m) => s + m.delta, 0)).toBe(0);
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('property: the ledger equals on hand', () => {
  it('after any sequence of receipts, issues, returns, transfers and adjustments, nothing is negative and the ledger adds up', async () => {
    const parts = [await newPart(), await newPart()];
    const op = fc.record({
      type: fc.constantFrom('receipt', 'issue', 'return', 'adjustment', 'transfer'),
      store: fc.constantFrom('CHU', 'CH1'),
      part: fc.integer({ min: 0, max: 1 }),
      quantity: fc.integer({ min: 1, max: 8 }),
      negative: fc.boolean(),
      // A transfer: how many of those shipped arrive (0..shipped), or still in transit.
      arrived: fc.integer({ min: 0, max: 8 }),
      inTransit: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
        const expected = new Map<string, number>();
        for (const k of ['CHU', 'CH1']) for (const p of parts) expected.set(`${k}/${p.id}`, (await stockOf(k, p.id))?.onHand ?? 0);
        for (const o of ops) {
          const partId = parts[o.part]!.id;
          const key = `${o.store}/${partId}`;
          if (o.type === 'transfer') {
            // From this store to the other site's: ship takes the parts out, the receipt brings in what arrived.
            const to = o.store === 'CHU' ? 'CH1' : 'CHU';
            const created = await post(admin, '/api/v1/stock/transfers', { sourceStoreId: stores[o.store], destinationStoreId: stores[to], partId, quantity: o.quantity });
            expect(created.statusCode).toBe(201);
            const id = created.json().id as string;
            expect((await post(admin, `/api/v1/stock/transfers/${id}/approve`, {})).statusCode).toBe(200);
            const shipped = await post(admin, `/api/v1/stock/transfers/${id}/ship`, {});
            const before = expected.get(key)!;
            if (before < o.quantity) {
              expect(shipped.statusCode).toBe(409);
              expect(problemOf(shipped).code).toBe('insufficient_stock');
              expect((await post(admin, `/api/v1/stock/transfers/${id}/cancel`, { reason: 'Stock insuffisant' })).statusCode).toBe(200);
              continue;
            }
            expect(shipped.statusCode).toBe(200);
            expected.set(key, before - o.quantity);
            if (o.inTransit) continue;
            const arrived = Math.min(o.arrived, o.quantity);
            const received = await post(admin, `/api/v1/stock/transfers/${id}/receive`, arrived < o.quantity ? { quantity: arrived, lossReason: 'Colis incomplet' } : {});
            expect(received.statusCode).toBe(200);
            expected.set(`${to}/${partId}`, expected.get(`${to}/${partId}`)! + arrived);
            continue;
          }
          const quantity = o.type === 'adjustment' && o.negative ? -o.quantity : o.quantity;
          const res = await move(admin, {
            type: o.type, storeId: stores[o.store], partId, quantity, ...(o.type === 'adjustment' ? { reason: 'Comptage' } : {}),
          });
          const delta = o.type === 'issue' ? -o.quantity : quantity;
          const before = expected.get(key)!;
          if (before + delta < 0) {
            expect(res.statusCode).toBe(409);
          } else {
            expect(res.statusCode).toBe(201);
            expect(res.json().movement.delta).toBe(delta);
            expected.set(key, before + delta);
            expect(res.json().stock.onHand).toBe(before + delta);
          }
        }
        for (const [key, onHand] of expected) {
          const [k, partId] = key.split('/') as [string, string];
          expect((await stockOf(k, partId))?.onHand ?? 0).toBe(onHand);
        }
        expect(await ledgerMismatches()).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });
});

describe('lists and availability', () => {
  it('lists stock by site and below minimum, and finds the nearest stores first with distances', async () => {
    const part = await newPart({ description: 'Porte de pompe volumétrique' });
    await receive('CH1', part.id, 4);
    await receive('CH3', part.id, 2);
    await receive('CH2', part.id, 1);
    await move(engineer, { type: 'issue', storeId: stores.CH2, partId: part.id, quantity: 1 });
    const settings = await send(engineer, 'PATCH', `/api/v1/stock/${stores.CH3}/${part.id}`, { minimum: 3, maximum: 12, bin: 'B-4' });
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({ onHand: 2, minimum: 3, maximum: 12, bin: 'B-4' });

    const ch1 = (await get(care, `/api/v1/stock?siteId=${ids.site('CH1')}&partId=${part.id}`)).json();
    expect(ch1.items).toEqual([expect.objectContaining({ storeId: stores.CH1, siteId: ids.site('CH1'), onHand: 4, available: 4, minimum: 0, bin: '' })]);
    // A row names its part, store and site (the stock page needs no other call); so do the writes' answers.
    expect(ch1.items[0]).toMatchObject({
      partReference: part.reference, partDescription: 'Porte de pompe volumétrique', partUnit: 'piece', storeName: 'Magasin test CH1', siteName: 'CH de Bellerive',
    });
    expect(settings.json()).toMatchObject({ partReference: part.reference, storeName: 'Magasin test CH3', siteName: 'CH des Trois-Rivières' });
    const issued = await move(engineer, { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 1 });
    expect(issued.json().stock).toMatchObject({ onHand: 3, partReference: part.reference, partUnit: 'piece', siteName: 'CH de Bellerive' });
    const below = (await get(care, `/api/v1/stock?belowMinimum=true&q=porte%20pompe`)).json().items as Json[];
    expect(below.filter((i) => i.partId === part.id).map((i) => i.storeId)).toEqual([stores.CH3]);

    // Care staff of the CHU (home site CHU, Valmont): CH1 Bellerive ~61 km, CH3 ~55 km; CH2 holds none now.
    const res = await get(care, `/api/v1/stock/availability?partId=${part.id}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Json[];
    expect(items.map((i) => i.storeId)).toEqual([stores.CH3, stores.CH1]);
    expect(items[1]).toMatchObject({ onHand: 3 });
    for (const i of items) expect(i.distanceKm).toBeGreaterThan(20);
    expect(items[0]!.distanceKm).toBeLessThan(items[1]!.distanceKm);
    expect(items[0]).toMatchObject({ siteId: ids.site('CH3'), onHand: 2, reserved: 0, available: 2, partReference: part.reference });

    const byText = (await get(techCh1, '/api/v1/stock/availability?q=porte%20volumetrique')).json().items as Json[];
    expect(byText[0]).toMatchObject({ storeId: stores.CH1, distanceKm: 0, onHand: 3 });
    const none = await get(care, '/api/v1/stock/availability');
    expect(none.statusCode).toBe(400);
    expect((await get(care, '/api/v1/stores')).json().items.length).toBeGreaterThanOrEqual(5);
    expect((await get(care, `/api/v1/stores?siteId=${ids.site('CH1')}`)).json().items.map((s: Json) => s.id)).toContain(stores.CH1);
  });
});

describe('parts on a work order are stock movements', () => {
  it('issues from the store with the line in one transaction, returns it, and keeps free-text lines', async () => {
    const part = await newPart({ description: 'Batterie Li-ion 14,4 V' });
    await receive('CHU', part.id, 3);
    const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
    const created = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'corrective', description: 'Batterie HS', assigneeIds: [techChu.userId] });
    expect(created.statusCode).toBe(201);
    let wo = created.json();
    wo = (await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/transitions`, { to: 'in_progress' }, wo.version)).json();
    const url = `/api/v1/work-orders/${wo.id}/parts`;

    const issued = await post(techChu, url, { partId: part.id, storeId: stores.CHU, quantity: 2 });
    expect(issued.statusCode).toBe(200);
    const line = (issued.json().items as Json[]).find((l) => l.partId === part.id)!;
    expect(line).toMatchObject({ reference: part.reference, description: 'Batterie Li-ion 14,4 V', quantity: 2, storeId: stores.CHU });
    expect(line.movementId).toEqual(expect.any(Number));
    expect((await stockOf('CHU', part.id))?.onHand).toBe(1);

    const tooMany = await post(techChu, url, { partId: part.id, storeId: stores.CHU, quantity: 2 });
    expect(problemOf(tooMany).code).toBe('insufficient_stock');
    expect((await get(care, url)).json().items.filter((l: Json) => l.partId === part.id)).toHaveLength(1);
    // A technician of the CHU takes nothing from CH1's store.
    expect((await post(techChu, url, { partId: part.id, storeId: stores.CH1, quantity: 1 })).statusCode).toBe(403);

    const free = await post(techChu, url, { reference: 'ACHAT-LOCAL', description: 'Fusible acheté sur place', quantity: 1 });
    expect(free.statusCode).toBe(200);
    expect((free.json().items as Json[]).find((l) => l.reference === 'ACHAT-LOCAL')).toMatchObject({ partId: null, storeId: null, movementId: null });

    const back = await move(techChu, { type: 'return', storeId: stores.CHU, partId: part.id, quantity: 1, workOrderId: wo.id });
    expect(back.statusCode).toBe(201);
    expect(back.json().stock.onHand).toBe(2);
    const tooMuchBack = await move(techChu, { type: 'return', storeId: stores.CHU, partId: part.id, quantity: 2, workOrderId: wo.id });
    expect(problemOf(tooMuchBack).code).toBe('return_exceeds_issued');
    const forWo = (await get(care, `/api/v1/stock/movements?workOrderId=${wo.id}`)).json().items as Json[];
    expect(forWo.map((m) => [m.type, m.delta])).toEqual([['return', 1], ['issue', -2]]);
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('demo data', () => {
  it('has a few hundred parts compatible with the demo models, a workshop store per site with stock, some below minimum, one part held only elsewhere', async () => {
    const db = ctx.database.db;
    const parts = await db.selectFrom('parts').select((eb) => eb.fn.countAll<string>().as('n')).where('reference', 'like', 'PDR-%').executeTakeFirstOrThrow();
    expect(Number(parts.n)).toBeGreaterThanOrEqual(200);
    const workshops = (await get(care, '/api/v1/stores')).json().items.filter((s: Json) => s.name === 'Atelier biomédical') as Json[];
    expect(workshops.map((s) => s.siteId).sort()).toEqual(['CHU', 'CH1', 'CH2', 'CH3', 'EHPAD'].map((c) => ids.site(c)).sort());
    for (const w of workshops) expect((await get(care, `/api/v1/stock?storeId=${w.id}&limit=1`)).json().items).toHaveLength(1);
    expect((await get(care, '/api/v1/stock?belowMinimum=true&limit=5')).json().items.length).toBeGreaterThan(0);

    const pads = (await get(care, '/api/v1/parts?q=electrodes%20defibrillation%20zoll')).json().items as Json[];
    expect(pads.length).toBeGreaterThan(0);
    expect(pads[0]!.compatibleModelIds.length).toBe(1);
    const only = (await get(care, '/api/v1/parts?q=PDR-CELL-O2')).json().items[0];
    const where = (await get(techChu, `/api/v1/stock/availability?partId=${only.id}`)).json().items as Json[];
    expect(where).toEqual([expect.objectContaining({ siteId: ids.site('CH3'), onHand: 2 })]);
    expect(where[0]!.distanceKm).toBeGreaterThan(50);
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('reservations', () => {
  async function openWorkOrder(): Promise<Json> {
    const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
    const created = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'corrective', description: 'Pièce à prévoir', assigneeIds: [techChu.userId] });
    expect(created.statusCode).toBe(201);
    return created.json();
  }

  it('holds stock for an open work order, which its issues use first; others cannot take it; cancelling releases it', async () => {
    const part = await newPart({ description: 'Capteur de débit' });
    await receive('CHU', part.id, 4);
    const wo = await openWorkOrder();
    const other = await openWorkOrder();

    const reserved = await post(techChu, `/api/v1/work-orders/${wo.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 3 });
    expect(reserved.statusCode).toBe(200);
    expect(reserved.json().items).toEqual([expect.objectContaining({ partId: part.id, storeId: stores.CHU, quantity: 3, state: 'active', closedAt: null })]);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 4, reserved: 3, available: 1 });
    const tooMuch = await post(techChu, `/api/v1/work-orders/${other.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 2 });
    expect(problemOf(tooMuch).code).toBe('insufficient_stock');
    expect((await post(techCh1, `/api/v1/work-orders/${other.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 1 })).statusCode).toBe(403);

    // Another work order cannot take the reserved units; this one can.
    const taken = await post(techChu, `/api/v1/work-orders/${other.id}/parts`, { partId: part.id, storeId: stores.CHU, quantity: 2 });
    expect(problemOf(taken).code).toBe('insufficient_stock');
    expect((await move(techChu, { type: 'issue', storeId: stores.CHU, partId: part.id, quantity: 2 })).statusCode).toBe(409);
    const own = await post(techChu, `/api/v1/work-orders/${wo.id}/parts`, { partId: part.id, storeId: stores.CHU, quantity: 2 });
    expect(own.statusCode).toBe(200);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 2, reserved: 1, available: 1 });
    expect((await get(care, `/api/v1/work-orders/${wo.id}/reservations`)).json().items[0]).toMatchObject({ quantity: 1, state: 'active' });

    const cancelled = await send(engineer, 'POST', `/api/v1/work-orders/${wo.id}/transitions`, { to: 'cancelled', reason: 'Doublon' }, (await get(engineer, `/api/v1/work-orders/${wo.id}`)).json().version);
    expect(cancelled.statusCode).toBe(200);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
    expect((await get(care, `/api/v1/work-orders/${wo.id}/reservations`)).json().items[0]).toMatchObject({ quantity: 1, state: 'released' });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('refuses a count that leaves fewer parts than are reserved (409, never a 500)', async () => {
    const part = await newPart({ description: 'Batterie de secours' });
    await receive('CHU', part.id, 5);
    const wo = await openWorkOrder();
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 4 })).statusCode).toBe(200);
    const count = await move(engineer, { type: 'adjustment', storeId: stores.CHU, partId: part.id, quantity: -2, reason: 'Inventaire tournant' });
    expect(count.statusCode).toBe(409);
    expect(problemOf(count).code).toBe('insufficient_stock');
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 5, reserved: 4, available: 1 });
    expect((await move(engineer, { type: 'adjustment', storeId: stores.CHU, partId: part.id, quantity: -1, reason: 'Inventaire tournant' })).statusCode).toBe(201);
    expect(await stockOf('CHU', part.id)).toMatchObject({ onHand: 4, reserved: 4, available: 0 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('releases one reservation on request, once', async () => {
    const part = await newPart();
    await receive('CHU', part.id, 2);
    const wo = await openWorkOrder();
    const items = (await post(techChu, `/api/v1/work-orders/${wo.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 2 })).json().items as Json[];
    const url = `/api/v1/work-orders/${wo.id}/reservations/${items[0]!.id}/release`;
    const released = await post(techChu, url, { reason: 'Pièce finalement inutile' });
    expect(released.statusCode).toBe(200);
    expect(released.json().items[0]).toMatchObject({ state: 'released' });
    expect(await stockOf('CHU', part.id)).toMatchObject({ reserved: 0, available: 2 });
    expect((await post(techChu, url, {})).statusCode).toBe(404);

    // A release without any body (no reason) is accepted too.
    const again = (await post(techChu, `/api/v1/work-orders/${wo.id}/reservations`, { partId: part.id, storeId: stores.CHU, quantity: 1 })).json().items as Json[];
    const active = again.find((r) => r.state === 'active')!;
    const bodyless = await ctx.app.inject({ method: 'POST', url: `/api/v1/work-orders/${wo.id}/reservations/${active.id}/release`, headers: techChu.auth });
    expect(bodyless.statusCode).toBe(200);
    expect(await stockOf('CHU', part.id)).toMatchObject({ reserved: 0, available: 2 });
  });
});
