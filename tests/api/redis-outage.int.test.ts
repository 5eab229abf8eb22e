import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { QueueUnavailableError, SCHEDULES, createQueues, createRedis, jobIdFor, waitForRedis } from '@gmao/queue';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { exitOf, startProcess, type StartedProcess } from '../support/processes.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';

/**
 * Redis dies and comes back (a private redis-server, without persistence): a commit that
 * cannot enqueue answers 503 and changes nothing; an import whose job is not live any more
 * can be committed again; the worker's schedules come back with Redis.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  // A check that fails (Redis still paused or restarting) counts as not yet.
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('committing an import while Redis is down, and after', () => {
  let redis: PrivateRedis;
  let ctx: TestContext;
  let workers: RunningWorkers;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let tech: Session;
  let serial = 0;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    ctx = await createTestContext({ queueRedisUrl: redis.url, queueTimeoutMs: 1000 });
    ids = await demoIds(ctx.database.db);
    tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
    workers = await startWorkers({ db: ctx.database.db, redisUrl: redis.url, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
  });
  afterAll(async () => {
    await workers?.close();
    await ctx?.close();
    await redis?.kill();
  });

  /** Uploads a valid two-row CSV; returns the import's id and its suggested mapping. */
  async function upload(): Promise<{ id: string; mapping: Json }> {
    const boundary = `----gmao${Date.now()}`;
    const rows = [0, 1].map((i) => {
      serial++;
      return `RO-${String(serial).padStart(4, '0')};;Pousse-seringue électrique;B. Braun;Perfusor Space;SN-RO-${serial}-${i};B. Braun Médical;02/01/2020;;En stock`;
    });
    const csv = "N° inventaire;Salle;Type;Marque;Modèle;N° série;Fournisseur;Mise en service;Prix d'achat;Statut\r\n" + rows.join('\r\n') + '\r\n';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="siteId"\r\n\r\n${ids.site('CHU')}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="panne.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.from(csv, 'utf8'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/equipment-imports', payload, headers: { ...tech.auth, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(res.statusCode, res.body).toBe(201);
    const info = res.json();
    const dry = await ctx.app.inject({ method: 'POST', url: `/api/v1/equipment-imports/${info.id}/dry-run`, payload: { mapping: info.suggestedMapping }, headers: tech.auth });
    expect(dry.json(), dry.body).toMatchObject({ validRows: 2, problemCount: 0 });
    return { id: info.id, mapping: info.suggestedMapping };
  }
  const commit = (imp: { id: string; mapping: Json }) =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/equipment-imports/${imp.id}/commit`, payload: { mapping: imp.mapping }, headers: tech.auth });
  const row = (id: string) => ctx.database.db.selectFrom('equipmentImports').select(['status', 'jobId', 'mapping', 'options', 'error', 'updatedAt']).where('id', '=', id).executeTakeFirstOrThrow();
  const commitAudits = async (id: string) =>
    (await ctx.database.db.selectFrom('auditLog').select('id').where('entityId', '=', id).where('action', '=', 'equipment_import.commit').execute()).length;
  const devices = async (imp: { id: string }) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from equipment_events where details->>'importId' = ${imp.id}`.execute(ctx.database.db)).rows[0]!.n);
  async function finished(jobId: string): Promise<Json> {
    let state = '';
    await until(`job ${jobId} finished`, async () => {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: tech.auth });
      state = res.statusCode === 200 ? res.json().state : '';
      return state === 'completed' || state === 'failed';
    });
    return (await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: tech.auth })).json();
  }

  it('commits with Redis up, and the planner has statistics for the devices right after (ANALYZE)', async () => {
    const imp = await upload();
    const res = await commit(imp);
    expect(res.statusCode, res.body).toBe(202);
    expect(await finished(res.json().jobId)).toMatchObject({ state: 'completed', result: { devices: 2 } });
    expect((await row(imp.id)).status).toBe('succeeded');
    // last_analyze is set by an explicit ANALYZE only (autovacuum sets last_autoanalyze).
    const stats = await sql<{ relname: string; lastAnalyze: Date | null }>`
      select relname, last_analyze from pg_stat_user_tables where relname in ('equipment', 'equipment_events') order by relname`.execute(ctx.database.db);
    expect(stats.rows.map((r) => [r.relname, r.lastAnalyze !== null])).toEqual([['equipment', true], ['equipment_events', true]]);
    const reltuples = await sql<{ n: number }>`select reltuples::int as n from pg_class where relname = 'equipment'`.execute(ctx.database.db);
    expect(reltuples.rows[0]!.n).toBeGreaterThan(0);
  });

  it('answers 503 (queue_unavailable, Retry-After) at once when Redis is down, and leaves the import as it was', async () => {
    const imp = await upload();
    const before = await row(imp.id);
    await redis.kill();
    const started = Date.now();
    const res = await commit(imp);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.statusCode, res.body).toBe(503);
    const problem = problemOf(res);
    expect(problem.code).toBe('queue_unavailable');
    expect(problem.detail).toMatch(/file d'attente|réessayez/i);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await row(imp.id)).toEqual(before);
    expect(before).toMatchObject({ status: 'uploaded', jobId: null, mapping: null });
    expect(await commitAudits(imp.id)).toBe(0);

    // Redis comes back (empty): the same import is committed and imported.
    await redis.start();
    await waitForRedis(ctx.queueRedis, 10_000);
    const again = await commit(imp);
    expect(again.statusCode, again.body).toBe(202);
    expect(await finished(again.json().jobId)).toMatchObject({ state: 'completed', result: { devices: 2 } });
    expect((await row(imp.id)).status).toBe('succeeded');
    expect(await commitAudits(imp.id)).toBe(1);
  });

  it('answers 503 within a bounded wait when Redis hangs, and nothing is imported once it answers again', async () => {
    const imp = await upload();
    const before = await row(imp.id);
    // Redis holds every command for 6 s; the queues' bounded wait is 1 s here (5 s by default).
    await redis.command('CLIENT', 'PAUSE', 6000, 'ALL');
    const started = Date.now();
    const res = await commit(imp);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.statusCode, res.body).toBe(503);
    expect(problemOf(res).code).toBe('queue_unavailable');
    expect(await row(imp.id)).toEqual(before);

    // Redis answers again: no job is live for the import (none was added, or the worker
    // refused one that landed late), nothing was imported, and the commit now goes through.
    const jobId = jobIdFor['equipment-import'](imp.id);
    await until('Redis answers and no job is live', async () => !(await ctx.queues.isLive('equipment-import', jobId)));
    expect(await row(imp.id)).toEqual(before);
    expect(await devices(imp)).toBe(0);
    const again = await commit(imp);
    expect(again.statusCode, again.body).toBe(202);
    expect(await finished(again.json().jobId)).toMatchObject({ state: 'completed', result: { devices: 2 } });
    expect(await devices(imp)).toBe(2);
  });

  it('gives a queue first used while Redis hangs a new start once Redis answers', async () => {
    const connection = createRedis(redis.url, 'producer', { commandTimeout: 300 });
    connection.on('error', () => undefined);
    await waitForRedis(connection);
    const queues = createQueues(connection, `${ctx.prefix}-fresh`, { timeoutMs: 500 });
    try {
      await redis.command('CLIENT', 'PAUSE', 1500, 'ALL');
      // The queue starts now: its start (BullMQ reads Redis's version) times out.
      await expect(queues.isLive('equipment-import', 'x')).rejects.toBeInstanceOf(QueueUnavailableError);
      await until('the queue answers', async () => (await queues.isLive('equipment-import', 'x')) === false, 10_000);
    } finally {
      await queues.close().catch(() => undefined);
      connection.disconnect();
    }
  });

  it('commits again an import left at queued or running without a live job, and refuses one whose job is live', async () => {
    const db = ctx.database.db;
    // Left at queued by the old defect: no job at all.
    const lost = await upload();
    await db.updateTable('equipmentImports').set({ status: 'queued', jobId: jobIdFor['equipment-import'](lost.id), mapping: JSON.stringify(lost.mapping) }).where('id', '=', lost.id).execute();
    const res = await commit(lost);
    expect(res.statusCode, res.body).toBe(202);
    expect(await finished(res.json().jobId)).toMatchObject({ state: 'completed', result: { devices: 2 } });

    // Left at running, its job failed (the worker died with it, say).
    const dead = await upload();
    const jobId = jobIdFor['equipment-import'](dead.id);
    const queue = ctx.queues.get('imports');
    await queue.add('equipment-import', { importId: dead.id, territoryId: ids.territoryId }, { jobId, attempts: 1 });
    await until('the job failed', async () => (await (await queue.getJob(jobId))?.getState()) === 'failed');
    // The worker refuses a job whose import was not committed (e.g. an add that landed after a rollback).
    expect((await queue.getJob(jobId))!.failedReason).toMatch(/not committed \(uploaded\)/);
    expect(await devices(dead)).toBe(0);
    await db.updateTable('equipmentImports').set({ status: 'running', jobId }).where('id', '=', dead.id).execute();
    const retried = await commit(dead);
    expect(retried.statusCode, retried.body).toBe(202);
    expect(await finished(jobId)).toMatchObject({ state: 'completed', result: { devices: 2 } });
    expect((await row(dead.id)).status).toBe('succeeded');

    // A live job (waiting: the queue is paused) is not committed twice.
    const waiting = await upload();
    await queue.pause();
    try {
      const first = await commit(waiting);
      expect(first.statusCode, first.body).toBe(202);
      expect(await (await queue.getJob(first.json().jobId))!.getState()).toBe('waiting');
      const second = await commit(waiting);
      expect(second.statusCode).toBe(409);
      expect(problemOf(second).code).toBe('import_already_committed');
    } finally {
      await queue.resume();
    }
    expect(await finished(jobIdFor['equipment-import'](waiting.id))).toMatchObject({ state: 'completed' });
    expect(await commitAudits(waiting.id)).toBe(1);
  });
});

describe("the worker's schedules after a Redis restart without persistence", () => {
  let redis: PrivateRedis;
  let ctx: TestContext;
  let worker: StartedProcess | undefined;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    ctx = await createTestContext();
  });
  afterAll(async () => {
    if (worker) {
      worker.killAll('SIGTERM');
      await exitOf(worker.child);
    }
    await ctx?.close();
    await redis?.kill();
  });

  it('are registered again when the connection comes back', async () => {
    const prefix = `${ctx.prefix}-schedules`;
    worker = startProcess('apps/worker/src/main.ts', { DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' });
    await worker.waitFor(/worker started/);
    const schedulers = async () => {
      const connection = createRedis(redis.url, 'producer');
      connection.on('error', () => undefined);
      const queues = createQueues(connection, prefix);
      try {
        await waitForRedis(connection, 2000);
        return (await queues.get('maintenance').getJobSchedulers()).map((s) => s.key).sort();
      } finally {
        await queues.close().catch(() => undefined);
        connection.disconnect();
      }
    };
    const expected = SCHEDULES.map((s) => s.id).sort();
    expect(await schedulers()).toEqual(expected);

    // Redis restarts empty (no RDB, no AOF): every key is gone, the worker reconnects.
    await redis.kill();
    await redis.start();
    await until('the schedules are registered again', async () => (await schedulers()).length === expected.length, 15_000);
    expect(await schedulers()).toEqual(expected);
    // The worker logs it once the schedules are written: the line may come just after.
    await worker.waitFor(/schedules registered/);
  });
});

describe('the Redis keys the product writes', () => {
  let redis: PrivateRedis;
  let ctx: TestContext;
  let workers: RunningWorkers | undefined;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    ctx = await createTestContext({ apiRedisUrl: redis.url, queueRedisUrl: redis.url });
    await waitForRedis(ctx.deps.redis, 5000);
  });
  afterAll(async () => {
    await workers?.close();
    await ctx?.close();
    await redis?.kill();
  });

  it('all start with QUEUE_PREFIX (queues, schedules, login counters), which keeps instances sharing a Redis apart', async () => {
    workers = await startWorkers({ db: ctx.database.db, redisUrl: redis.url, prefix: ctx.prefix, logger: pino({ level: 'silent' }) });
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'tech.chu@ght-demo.fr', password: 'not the password' }, remoteAddress: '10.9.9.9' });
    expect(wrong.statusCode).toBe(401);
    await login(ctx.app, 'tech.chu@ght-demo.fr');
    const job = await ctx.queues.enqueue('purge-expired-refresh-tokens', { graceDays: 1 });
    await until('the job ran', async () => (await ctx.queues.get('maintenance').getJob(job))?.finishedOn !== undefined);
    const keys = (await redis.command('KEYS', '*')) as string[];
    expect(keys.some((k) => k.includes('login'))).toBe(true);
    expect(keys.some((k) => k.includes('purge-expired-refresh-tokens-daily'))).toBe(true);
    expect(keys.filter((k) => !k.startsWith(`${ctx.prefix}:`))).toEqual([]);
  });
});
