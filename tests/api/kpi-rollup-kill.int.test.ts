import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildKpiRollups } from '@gmao/db';
import { addDays, parisDay } from '@gmao/domain';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

/**
 * The kpi-rollup job with the worker process killed in the middle: the rollups of the sites
 * it had finished are committed with their dirty ranges taken, the site it was on rolls back
 * with its ranges; the next run takes what is left, and the rollups are those a full rebuild
 * gives — nothing lost, nothing counted twice.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

// Doubles to 1e-6: their sums depend on the order rows are added in, which another plan changes.
const COLUMNS = sql.raw(`site_id, category_key, day::text, round(device_days::numeric, 6) as dd, round(active_minutes::numeric, 6) as am,
  round(down_minutes::numeric, 6) as dm, failures, repairs, round(repair_minutes::numeric, 6) as rm,
  pm_due, pm_done, labour_minutes, parts_cents, vendor_cents, closed, closed_vendor_only`);

describe('kpi-rollup: worker killed mid-run', () => {
  it('leaves no site half-done and the rerun gives the rows of a full rebuild', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const today = parisDay(new Date());
    const from = addDays(today, -200);
    const engineerId = ids.user('ingenieur@ght-demo.fr');
    await sql`update equipment set created_at = now() - interval '400 days' where territory_id = ${ids.territoryId}`.execute(db);
    await sql`update equipment_events set at = now() - interval '400 days' where territory_id = ${ids.territoryId}`.execute(db);
    // Ten corrective work orders a site, down for a day or two, labour on each.
    await sql`
      with w as (
        insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, state, device_out_of_service,
                                 requested_at, downtime_started_at, downtime_ended_at, completed_at)
        select e.territory_id, e.site_id, e.id, 'KILL-KPI-' || e.inventory_number, 'corrective', 'normal', 'Panne', ${engineerId}, 'closed', true,
               now() - make_interval(days => (10 + n * 15)::int), now() - make_interval(days => (10 + n * 15)::int),
               now() - make_interval(days => (9 + n * 15)::int, hours => n::int), now() - make_interval(days => (9 + n * 15)::int)
        from (select e.*, row_number() over (partition by e.site_id order by e.inventory_number) as n from equipment e
              where e.territory_id = ${ids.territoryId}) e where n <= 10
        returning id, requested_at)
      insert into work_order_labour (work_order_id, technician_id, minutes, recorded_by, recorded_at)
      select w.id, ${engineerId}, 90, ${engineerId}, w.requested_at + interval '2 hours' from w`.execute(db);
    // Every site dirty over the period (the triggers marked some already).
    await sql`select kpi_mark_dirty(territory_id, id, ${from}::date, ${today}::date) from sites where territory_id = ${ids.territoryId}`.execute(db);
    const sites = (await sql<{ id: string }>`select distinct site_id as id from kpi_dirty order by 1`.execute(db)).rows.map((r) => r.id);
    expect(sites.length).toBeGreaterThanOrEqual(5);
    const blocked = sites[2]!;

    // Another session holds the third site's rollup lock: the run commits two sites, then waits.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended('kpi-rollup:' || ${blocked}::text, 0))`.execute(trx);
      holding();
      await released;
    });
    await held;

    const env = { DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: ctx.prefix, LOG_LEVEL: 'info' };
    const worker = startProcess('apps/worker/src/main.ts', env);
    await worker.waitFor(/worker started/);
    const queue = ctx.queues.get('maintenance');
    await queue.add('kpi-rollup', {});
    const waiting = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'gmao-worker' and wait_event_type = 'Lock'`;
    await until('the run waits on the third site', async () => (await waiting.execute(db)).rows[0]!.n > 0, 30_000);
    const doneSites = async () => (await sql<{ id: string }>`select distinct site_id as id from kpi_daily order by 1`.execute(db)).rows.map((r) => r.id);
    // The first two sites are rolled up and their ranges taken; the others untouched.
    expect((await doneSites()).filter((s) => s === sites[0] || s === sites[1])).toEqual([sites[0], sites[1]]);
    expect(await doneSites()).not.toContain(blocked);

    worker.killAll('SIGKILL');
    await exitOf(worker.child);
    // A session waiting on a lock notices its client gone only once granted: release the lock,
    // its next answer fails to reach the dead process and its transaction rolls back.
    release();
    await holder;
    const workerSessions = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker'`;
    await until('the killed worker’s sessions ended', async () => (await workerSessions.execute(db)).rows[0]!.n === 0, 30_000);
    const left = (await sql<{ id: string }>`select distinct site_id as id from kpi_dirty order by 1`.execute(db)).rows.map((r) => r.id);
    expect(left).toContain(blocked);
    expect(left).not.toContain(sites[0]);
    expect(await doneSites()).not.toContain(blocked);

    // The next run (the schedule's, or a retry) takes what is left.
    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    try {
      const job = await queue.add('kpi-rollup', {});
      await until('the second run completed', async () => (await queue.getJobState(job.id!)) === 'completed', 60_000);
    } finally {
      again.killAll('SIGTERM');
      await exitOf(again.child);
    }
    expect((await sql<{ n: number }>`select count(*)::int as n from kpi_dirty`.execute(db)).rows[0]!.n).toBe(0);
    // Today's rows grow with the clock (open downtimes, active minutes up to now): compared up to yesterday.
    const rows = async () => (await sql`select ${COLUMNS} from kpi_daily where day >= ${from}::date and day < ${today}::date order by site_id, category_key, day`.execute(db)).rows;
    const afterRerun = await rows();
    expect(afterRerun.length).toBeGreaterThan(0);
    expect(new Set(afterRerun.map((r) => (r as { siteId: string }).siteId)).size).toBe(sites.length);
    await rebuildKpiRollups(db, { territoryId: ids.territoryId, from, to: today });
    expect(await rows()).toEqual(afterRerun);
    const repairs = (await sql<{ n: number }>`select coalesce(sum(repairs), 0)::int as n from kpi_daily where day >= ${from}::date`.execute(db)).rows[0]!.n;
    expect(repairs).toBe(sites.length * 10);
  }, 180_000);
});
