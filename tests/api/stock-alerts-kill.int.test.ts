import { until } from '../support/wait.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockAlertsJobOptions } from '@gmao/queue';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';
import { createTestStores } from '../support/stock.js';

/**
 * The stock alerts job with the worker process killed in the middle of it (its INSERT of the
 * new alerts done, its UPDATE of the cleared ones waiting on a locked alert): nothing is
 * half-done (a run is one transaction), and the next run leaves exactly one open alert per
 * row below its minimum and none for the others.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});


describe('stock alerts: worker killed mid-job', () => {
  it('leaves nothing half-done when killed, and the next run leaves one open alert per row below minimum', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const storeId = (await createTestStores(db, ids.territoryId, { CH1: ids.site('CH1') }, { code: 'KILL', name: 'Magasin kill' })).CH1!;
    // 500 rows below their minimum, without alerts (written without any job), and 20 above.
    await sql`
      with p as (
        insert into parts (territory_id, reference, description)
        select ${ids.territoryId}, 'KILL-' || lpad(n::text, 4, '0'), 'Pièce ' || n from generate_series(1, 520) as n
        returning id, reference)
      insert into stock (store_id, part_id, territory_id, site_id, on_hand, minimum)
      select ${storeId}, p.id, ${ids.territoryId}, ${ids.site('CH1')}, case when p.reference <= 'KILL-0500' then 1 else 9 end, 4 from p`.execute(db);
    // One of the rows above had an open alert: the run must clear it.
    const stale = await db.selectFrom('stock').select(['storeId', 'partId', 'siteId', 'territoryId']).where('storeId', '=', storeId).where('onHand', '=', 9).limit(1).executeTakeFirstOrThrow();
    const alert = await db.insertInto('stockAlerts').values({ ...stale, onHand: 1, minimum: 4 }).returning('id').executeTakeFirstOrThrow();
    const openOfStore = async () =>
      Number((await sql<{ n: number }>`select count(*)::int as n from stock_alerts where store_id = ${storeId} and cleared_at is null`.execute(db)).rows[0]!.n);
    expect(await openOfStore()).toBe(1);

    // Hold the stale alert: the job raises the 500 (uncommitted), then blocks on clearing it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`select id from stock_alerts where id = ${alert.id} for update`.execute(trx);
      held();
      await released;
    });
    await holding;

    const env = { DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: ctx.prefix, LOG_LEVEL: 'info' };
    const worker = startProcess('apps/worker/src/main.ts', env);
    await worker.waitFor(/worker started/);
    // As the API enqueues it after a movement.
    await ctx.queues.enqueue('stock-alerts', { territoryId: ids.territoryId }, stockAlertsJobOptions(ids.territoryId));
    const waiting = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker' and wait_event_type = 'Lock' and query ilike '%update stock_alerts%'`;
    // Blocked in its UPDATE: its INSERT of the 500 new alerts is done, uncommitted.
    await until('the job blocked on the held alert', async () => (await waiting.execute(db)).rows[0]!.n > 0);
    worker.killAll('SIGKILL');
    await exitOf(worker.child);
    release();
    await holder;
    const workerSessions = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker'`;
    await until('the killed worker’s sessions ended', async () => (await workerSessions.execute(db)).rows[0]!.n === 0);

    // The killed run committed nothing: no alert raised, the stale one still open.
    expect(await openOfStore()).toBe(1);
    expect((await db.selectFrom('stockAlerts').select('clearedAt').where('id', '=', alert.id).executeTakeFirstOrThrow()).clearedAt).toBeNull();

    // The next run (the daily schedule) finishes the work, raising each alert once.
    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    try {
      const queue = ctx.queues.get('maintenance');
      const job = await queue.add('stock-alerts-daily', {});
      await until('the daily run completed', async () => (await queue.getJobState(job.id!)) === 'completed');
    } finally {
      again.killAll('SIGTERM');
      await exitOf(again.child);
    }
    const pairs = await sql<{ onHand: number; open: number; all: number }>`
      select k.on_hand, count(a.id) filter (where a.cleared_at is null)::int as open, count(a.id)::int as all
        from stock k left join stock_alerts a on a.store_id = k.store_id and a.part_id = k.part_id
       where k.store_id = ${storeId}
       group by k.store_id, k.part_id, k.on_hand`.execute(db);
    expect(pairs.rows).toHaveLength(520);
    for (const r of pairs.rows) expect(r).toEqual(r.onHand < 4 ? { onHand: 1, open: 1, all: 1 } : { onHand: 9, open: 0, all: expect.any(Number) });
    expect(await openOfStore()).toBe(500);
    expect((await db.selectFrom('stockAlerts').select('clearedAt').where('id', '=', alert.id).executeTakeFirstOrThrow()).clearedAt).not.toBeNull();
    // Every territory's rows hold too (the demo's, raised by the seed).
    const mismatches = await sql`
      select k.store_id, k.part_id from stock k left join stock_alerts a on a.store_id = k.store_id and a.part_id = k.part_id and a.cleared_at is null
       group by k.store_id, k.part_id, k.on_hand, k.minimum
      having count(a.id) <> (case when k.on_hand < k.minimum then 1 else 0 end)`.execute(db);
    expect(mismatches.rows).toEqual([]);
  });
});
