import { until as waitUntil } from '../support/wait.js';
import { QueueEvents } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@gmao/db';
import { addCalendar, parisDay } from '@gmao/domain';
import { createRedis } from '@gmao/queue';
import { startWorkers } from '@gmao/worker';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';

const until = (what: string, check: () => Promise<boolean>, ms = 30_000) => waitUntil(what, check, ms);

/**
 * The preventive generator through BullMQ: three workers started at the same moment on the
 * same data create each work order once; a worker process killed in the middle of a run
 * leaves nothing half-done, and the next run creates everything, once.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
});
afterAll(async () => {
  await ctx?.close();
});

const today = parisDay(new Date());

/** A model of its own with `count` devices in service on the CHU site, and a plan on that model due in two days. */
async function fleet(db: Kysely<DB>, name: string, count: number) {
  const category = await db.selectFrom('equipmentCategories').select('id').where('territoryId', '=', ids.territoryId).limit(1).executeTakeFirstOrThrow();
  const model = await db.insertInto('equipmentModels').values({
    territoryId: ids.territoryId, manufacturer: 'Bench', modelName: name, categoryId: category.id, electricalClass: 'I', appliedPartType: 'BF',
  }).returning('id').executeTakeFirstOrThrow();
  await sql`insert into equipment (territory_id, site_id, inventory_number, model_id, status, commissioning_date)
    select ${ids.territoryId}::uuid, ${ids.site('CHU')}::uuid, ${name} || '-' || lpad(n::text, 5, '0'), ${model.id}::uuid, 'in_service', current_date - 100
    from generate_series(1, ${count}) n`.execute(db);
  const plan = await db.insertInto('maintenancePlans').values({
    territoryId: ids.territoryId, name: `Sécurité électrique ${name}`, modelId: model.id, workOrderType: 'electrical_safety', trigger: 'calendar',
    every: 1, unit: 'years', anchorDate: addCalendar(today, 2, 'days'), leadTimeDays: 30, checklistTemplate: 'iec-62353', createdBy: ids.user('ingenieur@ght-demo.fr'),
  }).returning('id').executeTakeFirstOrThrow();
  return { modelId: model.id, planId: plan.id };
}

async function generatedOf(db: Kysely<DB>, planId: string) {
  const r = await sql<{ orders: number; devices: number; transitions: number; items: number; numbers: number }>`
    select count(*)::int as orders, count(distinct w.equipment_id)::int as devices, count(distinct w.number)::int as numbers,
      (select count(*)::int from work_order_transitions t join work_orders x on x.id = t.work_order_id where x.plan_id = ${planId}::uuid) as transitions,
      (select count(*)::int from work_order_checklist_items c join work_orders x on x.id = c.work_order_id where x.plan_id = ${planId}::uuid) as items
    from work_orders w where w.plan_id = ${planId}::uuid`.execute(db);
  return r.rows[0]!;
}


describe('pm-generate through BullMQ', () => {
  it("the tick's job enqueues one run per territory with plans, under the territory's deterministic id", async () => {
    const db = ctx.database.db;
    const { planId } = await fleet(db, 'TICK', 50);
    const w = await startWorkers({ db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
    const events = new QueueEvents('pm', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
    await events.waitUntilReady();
    try {
      const tick = await ctx.queues.get('pm').add('pm-generate-all', {});
      const state = async (id: string) => (await ctx.queues.get('pm').getJob(id))?.getState();
      await until('the tick finished', async () => (await state(tick.id!)) === 'completed');
      expect((await ctx.queues.get('pm').getJob(tick.id!))?.returnvalue).toEqual({ territories: 1 });
      const runId = `pm-generate-${ids.territoryId}`;
      expect((await ctx.queues.get('pm').getJob(runId))?.data).toEqual({ territoryId: ids.territoryId });
      await until('the territory run finished', async () => (await state(runId)) === 'completed', 60_000);
      expect(await generatedOf(db, planId)).toMatchObject({ orders: 50, devices: 50 });
    } finally {
      await events.close();
      await w.close();
    }
  }, 120_000);

  it('three workers started at the same moment create each work order exactly once', async () => {
    const db = ctx.database.db;
    const { planId } = await fleet(db, 'TRIO', 1500);
    const logger = pino({ level: 'silent' });
    const trio = await Promise.all([0, 1, 2].map(() => startWorkers({ db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger, schedule: false, concurrency: 1 })));
    const events = new QueueEvents('pm', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
    await events.waitUntilReady();
    try {
      const jobs = await Promise.all([0, 1, 2].map(() => ctx.queues.get('pm').add('pm-generate', { territoryId: ids.territoryId })));
      const results = (await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 60_000)))) as { created: number }[];
      const done = await generatedOf(db, planId);
      expect(done).toMatchObject({ orders: 1500, devices: 1500, numbers: 1500, transitions: 1500 });
      // The checklist of class I, BF applied parts (IEC 62353), copied into each.
      const perOrder = done.items / done.orders;
      expect(Number.isInteger(perOrder) && perOrder > 3).toBe(true);
      expect(results.reduce((n, r) => n + r.created, 0)).toBeGreaterThanOrEqual(1500);
      const total = await sql<{ dupes: number }>`select count(*)::int as dupes from (select 1 from work_orders where plan_id is not null group by plan_id, equipment_id, due_date having count(*) > 1) d`.execute(db);
      expect(total.rows[0]!.dupes).toBe(0);
    } finally {
      await events.close();
      await Promise.all(trio.map((w) => w.close()));
    }
  });

  it('a worker killed mid-run commits nothing; the rerun creates everything, once', async () => {
    const db = ctx.database.db;
    const { planId } = await fleet(db, 'KILL', 2000);
    const victim = await db.selectFrom('equipment').select('id').where('inventoryNumber', '=', 'KILL-01000').executeTakeFirstOrThrow();
    // The schedule of the fleet exists (a run did the refresh), then one pair is held: the next run blocks in its INSERT … SELECT.
    await db.transaction().execute(async (trx) => {
      const { refreshPairs } = await import('@gmao/db');
      await refreshPairs(trx, { territoryId: ids.territoryId, planIds: [planId] });
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`select 1 from maintenance_schedule where plan_id = ${planId}::uuid and equipment_id = ${victim.id}::uuid for update`.execute(trx);
      held();
      await released;
    });
    await holding;

    const env = { DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: ctx.prefix, LOG_LEVEL: 'info' };
    const worker = startProcess('apps/worker/src/main.ts', env);
    await worker.waitFor(/worker started/);
    await ctx.queues.get('pm').add('pm-generate', { territoryId: ids.territoryId }, { attempts: 1 });
    const waiting = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker' and wait_event_type = 'Lock'`;
    await until('the run blocked on the held pair', async () => (await waiting.execute(db)).rows[0]!.n > 0);
    worker.killAll('SIGKILL');
    await exitOf(worker.child);
    release();
    await holder;
    const workerSessions = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker'`;
    await until('the killed worker’s sessions ended', async () => (await workerSessions.execute(db)).rows[0]!.n === 0);
    expect(await generatedOf(db, planId)).toMatchObject({ orders: 0, transitions: 0, items: 0 });
    const pending = await sql<{ n: number }>`select count(*)::int as n from maintenance_schedule where plan_id = ${planId}::uuid and work_order_id is null`.execute(db);
    expect(pending.rows[0]!.n).toBe(2000);

    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    const events = new QueueEvents('pm', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
    await events.waitUntilReady();
    try {
      const job = await ctx.queues.get('pm').add('pm-generate', { territoryId: ids.territoryId });
      expect(await job.waitUntilFinished(events, 60_000)).toEqual({ created: 2000 });
      const rerun = await ctx.queues.get('pm').add('pm-generate', { territoryId: ids.territoryId });
      expect(await rerun.waitUntilFinished(events, 60_000)).toEqual({ created: 0 });
    } finally {
      await events.close();
      again.child.kill('SIGTERM');
      await exitOf(again.child);
    }
    expect(await generatedOf(db, planId)).toMatchObject({ orders: 2000, devices: 2000, numbers: 2000, transitions: 2000 });
    const linked = await sql<{ n: number }>`select count(*)::int as n from maintenance_schedule s join work_orders w on w.id = s.work_order_id where s.plan_id = ${planId}::uuid and w.due_date = s.due_date`.execute(db);
    expect(linked.rows[0]!.n).toBe(2000);
  });

  it('the tick is a Job Scheduler every PM_GENERATE_EVERY_MINUTES', async () => {
    const w = await startWorkers({ db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), pmGenerateEveryMinutes: 7 });
    try {
      const schedulers = await ctx.queues.get('pm').getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: 'pm-generate-tick', name: 'pm-generate-all', every: 7 * 60_000 })]);
    } finally {
      await w.close();
    }
  });
});
