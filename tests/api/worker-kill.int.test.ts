import { until } from '../support/wait.js';
import { QueueEvents } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeStaleCompletedWorkOrders, type DB } from '@gmao/db';
import { createRedis } from '@gmao/queue';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';

/**
 * The automatic closure, with the worker process killed in the middle of it: nothing is
 * half-done (a run is one transaction), and the next run closes them all, each once. At
 * scale, one run closes more work orders than a statement could carry as parameters.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const DAY = 86_400_000;

/** `count` work orders completed `daysAgo` days ago on a device of the site, numbered from `prefix`. */
async function completed(db: Kysely<DB>, w: { territoryId: string; siteId: string; equipmentId: string; requestedBy: string }, prefix: string, count: number, daysAgo: number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    ...w, number: `${prefix}-${String(i).padStart(4, '0')}`, type: 'corrective', priority: 'normal', state: 'completed', symptom: 'Test',
    completedAt: new Date(Date.now() - daysAgo * DAY),
  }));
  return (await db.insertInto('workOrders').values(rows).returning('id').execute()).map((r) => r.id);
}

async function closures(db: Kysely<DB>, ids: string[]) {
  const rows = await db
    .selectFrom('workOrders as w')
    .select(['w.id', 'w.state', sql<number>`(select count(*)::int from work_order_transitions t where t.work_order_id = w.id and t.to_state = 'closed')`.as('closures')])
    .where('w.id', 'in', ids)
    .execute();
  return rows;
}


describe('automatic closure: worker killed mid-job', () => {
  it('leaves nothing half-done when killed, and the next run closes them all, each once', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const demoDevice = await db.selectFrom('equipment').select(['id']).where('siteId', '=', ids.site('CHU')).limit(1).executeTakeFirstOrThrow();
    const demo = { territoryId: ids.territoryId, siteId: ids.site('CHU'), equipmentId: demoDevice.id, requestedBy: ids.user('soignant.chu@ght-demo.fr') };
    // A second territory that closes after 30 days: the job moves each delay's work orders in its own statements.
    const other = await otherTerritory(db);
    const otherDevice = await db.insertInto('equipment').values({ territoryId: other.territoryId, siteId: other.siteId, inventoryNumber: 'VOIS-0001', status: 'in_stock' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('workOrderSettings').values({ territoryId: other.territoryId, autoCloseDays: 30 }).execute();
    const voisin = { territoryId: other.territoryId, siteId: other.siteId, equipmentId: otherDevice.id, requestedBy: other.userId };

    const demoStale = await completed(db, demo, 'BT-KILL-A', 300, 20);
    const otherStale = await completed(db, voisin, 'BT-KILL-B', 300, 40);
    const recent = [...(await completed(db, demo, 'BT-KILL-C', 20, 5)), ...(await completed(db, voisin, 'BT-KILL-D', 20, 20))];

    // Hold one of the second territory's work orders: the job blocks inside its transaction.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`select id from work_orders where id = ${otherStale[150]!} for update`.execute(trx);
      held();
      await released;
    });
    await holding;

    const env = { DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: ctx.prefix, LOG_LEVEL: 'info' };
    const worker = startProcess('apps/worker/src/main.ts', env);
    await worker.waitFor(/worker started/);
    await ctx.queues.get('maintenance').add('close-completed-work-orders', { afterDays: 15 });
    const waiting = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker' and wait_event_type = 'Lock'`;
    await until('the job blocked on the held work order', async () => (await waiting.execute(db)).rows[0]!.n > 0);
    worker.killAll('SIGKILL');
    await exitOf(worker.child);
    release();
    await holder;
    const workerSessions = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker'`;
    await until('the killed worker’s sessions ended', async () => (await workerSessions.execute(db)).rows[0]!.n === 0);

    // The killed run committed nothing: no work order closed, no closure recorded.
    for (const r of await closures(db, [...demoStale, ...otherStale])) expect(r).toMatchObject({ state: 'completed', closures: 0 });

    // The next run (tomorrow's schedule) finishes the work, and closes nothing twice.
    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    const events = new QueueEvents('maintenance', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
    await events.waitUntilReady();
    try {
      const job = await ctx.queues.get('maintenance').add('close-completed-work-orders', { afterDays: 15 });
      expect(await job.waitUntilFinished(events, 20_000)).toEqual({ closed: 600 });
    } finally {
      await events.close();
      again.child.kill('SIGTERM');
      await exitOf(again.child);
    }
    for (const r of await closures(db, [...demoStale, ...otherStale])) expect(r).toMatchObject({ state: 'closed', closures: 1 });
    for (const r of await closures(db, recent)) expect(r).toMatchObject({ state: 'completed', closures: 0 });
  });

  it('closes, in one run, more work orders than a statement could carry as parameters (65,535 for 6 per row)', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const device = await db.selectFrom('equipment').select(['id']).where('siteId', '=', ids.site('CH1')).limit(1).executeTakeFirstOrThrow();
    const requestedBy = ids.user('soignant.chu@ght-demo.fr');
    await sql`
      insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, state, symptom, requested_by, completed_at)
      select ${ids.territoryId}, ${ids.site('CH1')}, ${device.id}, 'BT-MASS-' || lpad(n::text, 6, '0'), 'corrective', 'normal', 'completed', 'Test',
             ${requestedBy}, now() - interval '20 days'
      from generate_series(1, 12000) as n`.execute(db);
    expect(await closeStaleCompletedWorkOrders(db, 15)).toBe(12_000);
    const r = await sql<{ closed: number; transitions: number }>`
      select count(*) filter (where w.state = 'closed')::int as closed,
             (select count(*)::int from work_order_transitions t join work_orders x on x.id = t.work_order_id
               where x.number like 'BT-MASS-%' and t.to_state = 'closed' and t.actor_id is null) as transitions
      from work_orders w where w.number like 'BT-MASS-%'`.execute(db);
    expect(r.rows[0]).toEqual({ closed: 12_000, transitions: 12_000 });
    expect(await closeStaleCompletedWorkOrders(db, 15)).toBe(0);
  });
});
