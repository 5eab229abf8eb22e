import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCostLedger } from '@gmao/db';
import { monthOf, parisDay } from '@gmao/domain';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

/**
 * The cost-ledger job with the worker process killed in the middle of a territory's posting
 * (its lines inserted, not committed): nothing of it is visible afterwards, the change marks
 * are still there, and the next run posts it all — once.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe('cost-ledger: worker killed mid-posting', () => {
  it('posts nothing half, and the next run completes', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const M0 = monthOf(parisDay(new Date()));
    const admin = ids.user('admin@ght-demo.fr');
    const tech = ids.user('tech.chu@ght-demo.fr');
    const ch1 = ids.site('CH1');
    await db.insertInto('costConventionVersions').values({
      territoryId: ids.territoryId, appliesFrom: '2020-01-01', technicianHourlyRateCents: 4500, engineerHourlyRateCents: 6000, travelCentsPerMinute: 50,
      overheadPercent: 8, createdBy: admin,
    }).execute();
    const device = await db.selectFrom('equipment').select('id').where('siteId', '=', ch1).orderBy('inventoryNumber').executeTakeFirstOrThrow();
    const wo = await db.insertInto('workOrders').values({
      territoryId: ids.territoryId, siteId: ch1, equipmentId: device.id, number: 'KILL-COST-1', type: 'corrective', priority: 'normal', symptom: 'Panne',
      requestedBy: admin, state: 'in_progress',
    }).returning('id').executeTakeFirstOrThrow();
    const addLabour = (n: number, minutes: number) =>
      sql`insert into work_order_labour (work_order_id, technician_id, minutes, travel_minutes, started_at, recorded_by)
          select ${wo.id}, ${tech}, ${minutes}, 20, ${`${M0}T08:00:00Z`}::timestamptz + make_interval(mins => g), ${tech} from generate_series(1, ${n}) g`.execute(db);
    await addLabour(100, 60);
    // A first run: the territory's history posted (and its state row written).
    const first = await postCostLedger(db, { territoryId: ids.territoryId });
    expect(first.lines).toBe(200);
    const entries = async () => (await sql<{ n: number; total: string }>`select count(*)::int as n, coalesce(sum(amount_cents), 0)::text as total from cost_ledger_entries`.execute(db)).rows[0]!;
    const marks = async () => (await sql<{ n: number }>`select count(*)::int as n from cost_ledger_dirty`.execute(db)).rows[0]!.n;
    const before = await entries();

    // More labour, and an edit of a posted line.
    await addLabour(150, 30);
    await sql`update work_order_labour set minutes = 90 where id = (select id from work_order_labour where work_order_id = ${wo.id} order by started_at limit 1)`.execute(db);
    const pendingMarks = await marks();
    expect(pendingMarks).toBe(151);

    // Another session holds the territory's state row: the run inserts its lines, then waits to record its run.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`select 1 from cost_ledger_state where territory_id = ${ids.territoryId} for update`.execute(trx);
      holding();
      await released;
    });
    await held;

    const env = { DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: ctx.prefix, LOG_LEVEL: 'info' };
    const worker = startProcess('apps/worker/src/main.ts', env);
    await worker.waitFor(/worker started/);
    const queue = ctx.queues.get('maintenance');
    await queue.add('cost-ledger', { territoryId: ids.territoryId });
    const waiting = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'gmao-worker' and wait_event_type = 'Lock'`;
    await until('the run waits to record its run', async () => (await waiting.execute(db)).rows[0]!.n > 0, 30_000);
    // It has inserted its lines (a row-exclusive lock on the ledger), uncommitted.
    const inserting = await sql<{ n: number }>`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where a.application_name = 'gmao-worker' and l.relation = 'cost_ledger_entries'::regclass and l.mode = 'RowExclusiveLock'`.execute(db);
    expect(inserting.rows[0]!.n).toBeGreaterThan(0);
    expect(await entries()).toEqual(before);

    worker.killAll('SIGKILL');
    await exitOf(worker.child);
    release();
    await holder;
    const workerSessions = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker'`;
    await until('the killed worker’s sessions ended', async () => (await workerSessions.execute(db)).rows[0]!.n === 0, 30_000);
    // Nothing half-posted; the marks are still there.
    expect(await entries()).toEqual(before);
    expect(await marks()).toBe(pendingMarks);

    // The next run posts it all.
    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    try {
      const job = await queue.add('cost-ledger', { territoryId: ids.territoryId });
      await until('the second run completed', async () => (await queue.getJobState(job.id!)) === 'completed', 60_000);
      expect((await queue.getJob(job.id!))?.returnvalue).toMatchObject({ territories: 1, lines: 301, corrections: 1 });
    } finally {
      again.killAll('SIGTERM');
      await exitOf(again.child);
    }
    expect(await marks()).toBe(0);
    // 100 × (60 min + 20 min travel) + 150 × (30 + 20) + the edit's +30 min, at 45 €/h, 0.50 €/min, +8 %.
    const expected = 100 * (4860 + 1080) + 150 * (2430 + 1080) + 2430;
    expect(await entries()).toEqual({ n: 501, total: String(expected) });
    // Once: a run now posts nothing.
    expect((await postCostLedger(db, { territoryId: ids.territoryId })).lines).toBe(0);
  }, 180_000);
});
