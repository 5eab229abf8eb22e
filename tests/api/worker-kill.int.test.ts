import { QueueEvents } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@gmao/db';
import { createRedis } from '@gmao/queue';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';

/**
 * The automatic closure, with the worker process killed in the middle of it: what it had
 * not committed is not half-done, and the next run closes the rest, each work order once.
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

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('automatic closure: worker killed mid-job', () => {
  it('leaves no work order half-closed, and the next run closes the rest once', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const demoDevice = await db.selectFrom('equipment').select(['id']).where('siteId', '=', ids.site('CHU')).limit(1).executeTakeFirstOrThrow();
    const demo = { territoryId: ids.territoryId, siteId: ids.site('CHU'), equipmentId: demoDevice.id, requestedBy: ids.user('soignant.chu@ght-demo.fr') };
    // A second territory that closes after 30 days: the job moves each delay's work orders in one transaction.
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

    // Each delay's work orders are all closed (once) or all untouched; the blocked ones untouched.
    const groups = { demo: await closures(db, demoStale), other: await closures(db, otherStale) };
    for (const rows of Object.values(groups)) {
      const closed = rows.filter((r) => r.state === 'closed');
      expect([0, rows.length]).toContain(closed.length);
      for (const r of rows) expect(r.closures).toBe(r.state === 'closed' ? 1 : 0);
    }
    expect(groups.other.every((r) => r.state === 'completed')).toBe(true);

    // The next run (tomorrow's schedule) finishes the work, and closes nothing twice.
    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    const events = new QueueEvents('maintenance', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
    await events.waitUntilReady();
    try {
      const job = await ctx.queues.get('maintenance').add('close-completed-work-orders', { afterDays: 15 });
      const left = groups.demo[0]!.state === 'closed' ? 300 : 600;
      expect(await job.waitUntilFinished(events, 20_000)).toEqual({ closed: left });
    } finally {
      await events.close();
      again.child.kill('SIGTERM');
      await exitOf(again.child);
    }
    for (const r of await closures(db, [...demoStale, ...otherStale])) expect(r).toMatchObject({ state: 'closed', closures: 1 });
    for (const r of await closures(db, recent)) expect(r).toMatchObject({ state: 'completed', closures: 0 });
  });
});
