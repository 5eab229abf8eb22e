import { until as waitUntil } from '../support/wait.js';
import type { Job } from 'bullmq';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStockMovement, reconcileStockAlerts } from '@gmao/db';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { jobIdFor, waitForRedis } from '@gmao/queue';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';
import { createTestStores, ledgerMismatches } from '../support/stock.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';

// A check that fails (Redis killed or restarting) counts as not yet.
const until = (what: string, check: () => Promise<boolean>, ms = 15_000) => waitUntil(what, () => check().catch(() => false), ms);

/**
 * Below-minimum stock alerts (ADR 0015): API movement → queue → worker → alert, raised and
 * cleared; the daily run catches up what was never enqueued; reconciliation is idempotent
 * under concurrency; a movement succeeds while the queue is down; the list's filters.
 * The queues run on a private redis-server, which one test kills.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let redis: PrivateRedis;
let ctx: TestContext;
let workers: RunningWorkers;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let techCh1: Session;
let managerCh1: Session;
let care: Session;
let stores: Record<string, string> = {};

beforeAll(async () => {
  redis = await startPrivateRedis();
  ctx = await createTestContext({ queueRedisUrl: redis.url, queueTimeoutMs: 1000 });
  const db = ctx.database.db;
  ids = await demoIds(db);
  [admin, engineer, techCh1, managerCh1, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr'),
    login(ctx.app, 'responsable.ch1@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  stores = await createTestStores(db, ids.territoryId, { CHU: ids.site('CHU'), CH1: ids.site('CH1') }, { code: 'ALERT', name: 'Magasin alertes' });
  workers = await startWorkers({ db, redisUrl: redis.url, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
});
afterAll(async () => {
  await workers?.close();
  await ctx?.close();
  await redis?.kill();
});


/** Waits until the job has completed; its result. */
async function finished(job: Job, ms = 15_000): Promise<Json> {
  const queue = ctx.queues.get('maintenance');
  await until(`job ${job.id} completed`, async () => {
    const state = await queue.getJobState(job.id!);
    if (state === 'failed') throw new Error(`job ${job.id} failed: ${(await queue.getJob(job.id!))?.failedReason}`);
    return state === 'completed';
  }, ms);
  return (await queue.getJob(job.id!))!.returnvalue as Json;
}
const daily = async () => finished(await ctx.queues.get('maintenance').add('stock-alerts-daily', {}));

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: s.auth });
const patch = (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'PATCH', url, payload, headers: s.auth });

let partSeq = 0;
async function newPart(): Promise<Json> {
  partSeq += 1;
  const res = await post(engineer, '/api/v1/parts', { reference: `ALR-${String(partSeq).padStart(4, '0')}`, description: `Filtre antibactérien n°${partSeq}` });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function move(s: Session, body: Json): Promise<Json> {
  const res = await post(s, '/api/v1/stock/movements', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function setMinimum(storeCode: string, partId: string, minimum: number): Promise<void> {
  const res = await patch(storeCode === 'CH1' ? managerCh1 : engineer, `/api/v1/stock/${stores[storeCode]}/${partId}`, { minimum });
  expect(res.statusCode, res.body).toBe(200);
}

/** Every alert of a (store, part), oldest first. */
function alertsOf(storeId: string, partId: string) {
  return ctx.database.db
    .selectFrom('stockAlerts')
    .select(['id', 'onHand', 'minimum', 'raisedAt', 'clearedAt'])
    .where('storeId', '=', storeId)
    .where('partId', '=', partId)
    .orderBy('number')
    .execute();
}
const openAlertOf = async (storeId: string, partId: string) => (await alertsOf(storeId, partId)).filter((a) => a.clearedAt === null);

/** The (store, part) pairs of the territory below minimum without exactly one open alert, and open alerts of pairs not below: empty when the alerts hold. */
async function alertMismatches(territoryId: string): Promise<unknown[]> {
  const r = await sql`
    select k.store_id, k.part_id, k.on_hand, k.minimum, count(a.id)::int as open_alerts
      from stock k left join stock_alerts a on a.store_id = k.store_id and a.part_id = k.part_id and a.cleared_at is null
     where k.territory_id = ${territoryId}
     group by k.store_id, k.part_id, k.on_hand, k.minimum
    having count(a.id) <> (case when k.on_hand < k.minimum then 1 else 0 end)`.execute(ctx.database.db);
  return r.rows;
}

/** Waits until no stock-alerts job is waiting, active or delayed (the worker caught up). */
async function drained(): Promise<void> {
  const queue = ctx.queues.get('maintenance');
  await until('the stock-alerts jobs ran', async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'paused', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });
}

describe('alerts raised and cleared by the worker after each movement', () => {
  it('raises an alert when an issue takes stock below its minimum, and clears it when a receipt brings it back', async () => {
    const part = await newPart();
    await move(admin, { type: 'receipt', storeId: stores.CH1, partId: part.id, quantity: 10, unitCostCents: 1200 });
    await setMinimum('CH1', part.id, 5);
    await drained();
    expect(await alertsOf(stores.CH1!, part.id)).toEqual([]);

    // A technician issues 7: 3 left, below 5.
    await move(techCh1, { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 7 });
    await until('the alert is raised', async () => (await openAlertOf(stores.CH1!, part.id)).length === 1);
    const [raised] = await openAlertOf(stores.CH1!, part.id);
    expect(raised).toMatchObject({ onHand: 3, minimum: 5, clearedAt: null });

    const listed = (await get(managerCh1, `/api/v1/stock/alerts?storeId=${stores.CH1}`)).json();
    expect(listed.items).toEqual([{
      id: raised!.id, siteId: ids.site('CH1'), storeId: stores.CH1, storeName: 'Magasin alertes CH1', partId: part.id, partReference: part.reference,
      partDescription: part.description, onHand: 3, minimum: 5, raisedAt: raised!.raisedAt.toISOString(), clearedAt: null,
    }]);

    // Another issue keeps it below: still one open alert.
    await move(techCh1, { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 1 });
    await drained();
    expect(await openAlertOf(stores.CH1!, part.id)).toHaveLength(1);

    // A receipt of 4: 6, no longer below 5.
    await move(managerCh1, { type: 'receipt', storeId: stores.CH1, partId: part.id, quantity: 4, unitCostCents: 1200 });
    await until('the alert is cleared', async () => (await openAlertOf(stores.CH1!, part.id)).length === 0);
    const all = await alertsOf(stores.CH1!, part.id);
    expect(all).toHaveLength(1);
    expect(all[0]!.clearedAt!.getTime()).toBeGreaterThanOrEqual(all[0]!.raisedAt.getTime());
    expect((await get(care, `/api/v1/stock/alerts?storeId=${stores.CH1}`)).json().items).toEqual([]);
    expect((await get(care, `/api/v1/stock/alerts?storeId=${stores.CH1}&state=cleared`)).json().items).toEqual([
      expect.objectContaining({ id: raised!.id, clearedAt: all[0]!.clearedAt!.toISOString() }),
    ]);
    expect(await ledgerMismatches(ctx.database.db)).toEqual([]);
  });

  it('raises and clears when the minimum changes (a raise above on hand, then back to 0)', async () => {
    const part = await newPart();
    await move(admin, { type: 'receipt', storeId: stores.CH1, partId: part.id, quantity: 4, unitCostCents: 500 });
    await setMinimum('CH1', part.id, 6);
    await until('the alert is raised', async () => (await openAlertOf(stores.CH1!, part.id)).length === 1);
    expect((await openAlertOf(stores.CH1!, part.id))[0]).toMatchObject({ onHand: 4, minimum: 6 });
    await setMinimum('CH1', part.id, 0);
    await until('the alert is cleared', async () => (await openAlertOf(stores.CH1!, part.id)).length === 0);
    // A minimum set on a pair never stocked (its row starts empty) raises one too.
    const never = await newPart();
    await setMinimum('CH1', never.id, 2);
    await until('the alert of the empty row is raised', async () => (await openAlertOf(stores.CH1!, never.id)).length === 1);
    expect((await openAlertOf(stores.CH1!, never.id))[0]).toMatchObject({ onHand: 0, minimum: 2 });
    expect(await alertsOf(stores.CH1!, part.id)).toHaveLength(1);
  });

  it('follows transfers (ship takes the source below, receive brings the destination back) and parts issued to a work order', async () => {
    const part = await newPart();
    await move(admin, { type: 'receipt', storeId: stores.CHU, partId: part.id, quantity: 5, unitCostCents: 900 });
    await setMinimum('CHU', part.id, 3);
    await setMinimum('CH1', part.id, 1);
    await until('the destination’s empty row is alerted', async () => (await openAlertOf(stores.CH1!, part.id)).length === 1);
    expect(await openAlertOf(stores.CHU!, part.id)).toEqual([]);

    const created = await post(managerCh1, '/api/v1/stock/transfers', { sourceStoreId: stores.CHU, destinationStoreId: stores.CH1, partId: part.id, quantity: 3 });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await post(engineer, `/api/v1/stock/transfers/${id}/approve`, {})).statusCode).toBe(200);
    expect((await post(engineer, `/api/v1/stock/transfers/${id}/ship`, {})).statusCode).toBe(200);
    await until('the source store is alerted after shipping', async () => (await openAlertOf(stores.CHU!, part.id)).length === 1);
    expect((await openAlertOf(stores.CHU!, part.id))[0]).toMatchObject({ onHand: 2, minimum: 3 });
    expect((await post(managerCh1, `/api/v1/stock/transfers/${id}/receive`, {})).statusCode).toBe(200);
    await until('the destination’s alert is cleared on receipt', async () => (await openAlertOf(stores.CH1!, part.id)).length === 0);

    // A part issued to a work order from the CH1 store takes it below its minimum again.
    const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CH1')}&status=in_service&limit=1`)).json().items[0];
    const wo = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'corrective', description: 'Filtre à changer', assigneeIds: [techCh1.userId] });
    expect(wo.statusCode, wo.body).toBe(201);
    const started = await ctx.app.inject({
      method: 'POST', url: `/api/v1/work-orders/${wo.json().id}/transitions`, payload: { to: 'in_progress' },
      headers: { ...techCh1.auth, 'if-match': String(wo.json().version) },
    });
    expect(started.statusCode, started.body).toBe(200);
    const issued = await post(techCh1, `/api/v1/work-orders/${wo.json().id}/parts`, { partId: part.id, storeId: stores.CH1, quantity: 3 });
    expect(issued.statusCode, issued.body).toBe(200);
    await until('the issue to the work order raised an alert', async () => (await openAlertOf(stores.CH1!, part.id)).length === 1);
    expect((await openAlertOf(stores.CH1!, part.id))[0]).toMatchObject({ onHand: 0, minimum: 1 });
  });

  it('enqueues one job per territory for a burst of movements while one is waiting', async () => {
    const part = await newPart();
    await move(admin, { type: 'receipt', storeId: stores.CH1, partId: part.id, quantity: 20, unitCostCents: 100 });
    await drained();
    const queue = ctx.queues.get('maintenance');
    const before = await queue.getJobCountByTypes('completed');
    await queue.pause();
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => post(techCh1, '/api/v1/stock/movements', { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 1 })));
      expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
      const pending = (await queue.getJobs(['waiting', 'paused'])).filter((j) => j.name === 'stock-alerts');
      expect(pending).toHaveLength(1);
      expect(pending[0]!.data).toEqual({ territoryId: ids.territoryId });
      expect(pending[0]!.opts.deduplication?.id).toBe(jobIdFor['stock-alerts'](ids.territoryId));
    } finally {
      await queue.resume();
    }
    await drained();
    expect(await queue.getJobCountByTypes('completed')).toBe(before + 1);
  });

  it('runs once more after the active job when a movement commits while it runs (it may have read the stock already)', async () => {
    const part = await newPart();
    await move(admin, { type: 'receipt', storeId: stores.CH1, partId: part.id, quantity: 5, unitCostCents: 100 });
    await setMinimum('CH1', part.id, 2);
    await drained();
    const queue = ctx.queues.get('maintenance');
    const before = await queue.getJobCountByTypes('completed');
    // Hold the territory's reconciliation lock: the next job blocks inside its transaction, active.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = ctx.database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`stock-alerts:${ids.territoryId}`}, 0))`.execute(trx);
      held();
      await released;
    });
    await holding;
    try {
      await move(techCh1, { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 1 });
      await until('the job is active', async () => (await queue.getJobCounts('active')).active === 1);
      // While it runs: this movement's add is kept and becomes a new job when the active one finishes.
      await move(techCh1, { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 3 });
      expect((await queue.getJobs(['waiting'])).filter((j) => j.name === 'stock-alerts')).toHaveLength(0);
    } finally {
      release();
      await holder;
    }
    await until('both runs completed', async () => (await queue.getJobCountByTypes('completed')) === before + 2);
    await drained();
    expect((await openAlertOf(stores.CH1!, part.id))[0]).toMatchObject({ onHand: 1, minimum: 2 });
  });
});

describe('the daily reconciliation', () => {
  it('catches up a movement whose job was never enqueued, and clears what no longer holds', async () => {
    const db = ctx.database.db;
    const part = await newPart();
    const cleared = await newPart();
    await move(admin, { type: 'receipt', storeId: stores.CHU, partId: cleared.id, quantity: 1, unitCostCents: 100 });
    await setMinimum('CHU', cleared.id, 2);
    await until('the alert is raised', async () => (await openAlertOf(stores.CHU!, cleared.id)).length === 1);
    // Movements written without the API (no job): a receipt below the minimum, and one that clears.
    await db.transaction().execute(async (trx) => {
      await applyStockMovement(trx, { territoryId: ids.territoryId, storeId: stores.CHU!, siteId: ids.site('CHU'), partId: part.id, type: 'receipt', quantity: 1, unitCostCents: 100, createdBy: admin.userId });
      await trx.updateTable('stock').set({ minimum: 4 }).where('storeId', '=', stores.CHU!).where('partId', '=', part.id).execute();
      await applyStockMovement(trx, { territoryId: ids.territoryId, storeId: stores.CHU!, siteId: ids.site('CHU'), partId: cleared.id, type: 'receipt', quantity: 5, unitCostCents: 100, createdBy: admin.userId });
    });
    await drained();
    expect(await openAlertOf(stores.CHU!, part.id)).toEqual([]);
    expect(await openAlertOf(stores.CHU!, cleared.id)).toHaveLength(1);

    const result = await daily();
    expect(result).toMatchObject({ raised: 1, cleared: 1 });
    expect(result.territories).toBeGreaterThanOrEqual(1);
    expect(await openAlertOf(stores.CHU!, part.id)).toEqual([expect.objectContaining({ onHand: 1, minimum: 4 })]);
    expect(await openAlertOf(stores.CHU!, cleared.id)).toEqual([]);
    expect(await alertMismatches(ids.territoryId)).toEqual([]);
    // Again: nothing to do.
    expect(await daily()).toMatchObject({ raised: 0, cleared: 0 });
  });

  it('gives the same result run twice or concurrently: one open alert per row below minimum, in every territory', async () => {
    const db = ctx.database.db;
    const other = await otherTerritory(db);
    const massStore = (await createTestStores(db, ids.territoryId, { CH1: ids.site('CH1') }, { code: 'MASS', name: 'Magasin de masse' })).CH1!;
    const otherStore = await db.insertInto('stores').values({ territoryId: other.territoryId, siteId: other.siteId, code: 'V1', name: 'Magasin voisin' }).returning('id').executeTakeFirstOrThrow();
    // 300 parts below their minimum in a store of each territory, written without any job.
    for (const [territoryId, siteId, storeId, prefix] of [
      [ids.territoryId, ids.site('CH1'), massStore, 'MASS'], [other.territoryId, other.siteId, otherStore.id, 'VOIS'],
    ] as const) {
      await sql`
        with p as (
          insert into parts (territory_id, reference, description)
          select ${territoryId}, ${prefix} || '-' || lpad(n::text, 4, '0'), 'Pièce de masse ' || n from generate_series(1, 300) as n
          returning id)
        insert into stock (store_id, part_id, territory_id, site_id, on_hand, minimum)
        select ${storeId}, p.id, ${territoryId}, ${siteId}, 0, 3 from p`.execute(db);
    }
    const runs = await Promise.all([
      reconcileStockAlerts(db, ids.territoryId), reconcileStockAlerts(db, ids.territoryId), reconcileStockAlerts(db, ids.territoryId, { storeIds: [massStore] }),
      reconcileStockAlerts(db, other.territoryId), reconcileStockAlerts(db, other.territoryId),
    ]);
    expect(runs[0]!.raised + runs[1]!.raised + runs[2]!.raised).toBe(300);
    expect(runs[3]!.raised + runs[4]!.raised).toBe(300);
    expect(await reconcileStockAlerts(db, ids.territoryId)).toEqual({ raised: 0, cleared: 0 });
    expect(await alertMismatches(ids.territoryId)).toEqual([]);
    expect(await alertMismatches(other.territoryId)).toEqual([]);
    // The database itself refuses a second open alert for a pair (the partial unique index).
    const one = await db.selectFrom('stockAlerts').selectAll().where('storeId', '=', otherStore.id).where('clearedAt', 'is', null).limit(1).executeTakeFirstOrThrow();
    await expect(sql`insert into stock_alerts (territory_id, site_id, store_id, part_id, on_hand, minimum)
      values (${one.territoryId}, ${one.siteId}, ${one.storeId}, ${one.partId}, 0, 3)`.execute(db)).rejects.toThrow(/stock_alerts_open_key/);
    // The other territory's alerts are not listed here.
    const listed = (await get(care, `/api/v1/stock/alerts?limit=200`)).json().items as Json[];
    expect(listed.some((a) => a.storeId === otherStore.id)).toBe(false);
  });
});

describe('GET /stock/alerts', () => {
  it('filters by site, store and state, pages newest first, and is read by everyone signed in', async () => {
    const part = await newPart();
    await setMinimum('CHU', part.id, 1);
    await setMinimum('CH1', part.id, 1);
    await until('both alerts are raised', async () => (await openAlertOf(stores.CHU!, part.id)).length === 1 && (await openAlertOf(stores.CH1!, part.id)).length === 1);

    const bySite = (await get(care, `/api/v1/stock/alerts?siteId=${ids.site('CH1')}&limit=200`)).json().items as Json[];
    expect(bySite.length).toBeGreaterThan(0);
    expect(bySite.every((a) => a.siteId === ids.site('CH1') && a.clearedAt === null)).toBe(true);
    expect(bySite.some((a) => a.partId === part.id && a.storeId === stores.CH1)).toBe(true);
    const byStore = (await get(techCh1, `/api/v1/stock/alerts?storeId=${stores.CHU}&limit=200`)).json().items as Json[];
    expect(byStore.every((a) => a.storeId === stores.CHU)).toBe(true);
    expect(byStore.some((a) => a.partId === part.id)).toBe(true);

    // Pages of one, newest first, across open and cleared.
    const first = (await get(care, `/api/v1/stock/alerts?storeId=${stores.CH1}&state=all&limit=1`)).json();
    expect(first.items).toHaveLength(1);
    expect(first.items[0].partId).toBe(part.id);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(care, `/api/v1/stock/alerts?storeId=${stores.CH1}&state=all&limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(Date.parse(second.items[0].raisedAt)).toBeLessThanOrEqual(Date.parse(first.items[0].raisedAt));
    const all = (await get(care, `/api/v1/stock/alerts?storeId=${stores.CH1}&state=all&limit=200`)).json().items as Json[];
    const cleared = (await get(care, `/api/v1/stock/alerts?storeId=${stores.CH1}&state=cleared&limit=200`)).json().items as Json[];
    const open = (await get(care, `/api/v1/stock/alerts?storeId=${stores.CH1}&limit=200`)).json().items as Json[];
    expect(cleared.length).toBeGreaterThan(0);
    expect(cleared.every((a) => a.clearedAt !== null)).toBe(true);
    expect(all.map((a) => a.id).sort()).toEqual([...cleared, ...open].map((a) => a.id).sort());

    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/stock/alerts' })).statusCode).toBe(401);
    expect((await get(care, '/api/v1/stock/alerts?state=closed')).statusCode).toBe(400);
    expect((await get(care, '/api/v1/stock/alerts?siteId=nope')).statusCode).toBe(400);
    // The demo's rows below minimum were alerted by the seed.
    expect((await get(care, `/api/v1/stock/alerts?siteId=${ids.site('CHU')}`)).json().items.length).toBeGreaterThan(0);
  });
});

describe('a movement while the queue is down', () => {
  it('succeeds (201) with a warning, and the daily run raises its alert once Redis is back', async () => {
    const part = await newPart();
    await move(admin, { type: 'receipt', storeId: stores.CH1, partId: part.id, quantity: 3, unitCostCents: 100 });
    await setMinimum('CH1', part.id, 2);
    await drained();
    await redis.kill();
    try {
      const started = Date.now();
      const issued = await post(techCh1, '/api/v1/stock/movements', { type: 'issue', storeId: stores.CH1, partId: part.id, quantity: 2 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(issued.statusCode, issued.body).toBe(201);
      expect(issued.json().stock).toMatchObject({ onHand: 1, minimum: 2 });
      const minimum = await patch(managerCh1, `/api/v1/stock/${stores.CH1}/${part.id}`, { minimum: 3 });
      expect(minimum.statusCode, minimum.body).toBe(200);
    } finally {
      await redis.start();
    }
    await waitForRedis(ctx.queueRedis, 10_000);
    expect(await openAlertOf(stores.CH1!, part.id)).toEqual([]);
    // The workers reconnect to the restarted (empty) Redis and run the daily job.
    expect(await daily()).toMatchObject({ raised: expect.any(Number) });
    expect(await openAlertOf(stores.CH1!, part.id)).toEqual([expect.objectContaining({ onHand: 1, minimum: 3 })]);
    expect(await alertMismatches(ids.territoryId)).toEqual([]);
  });
});
