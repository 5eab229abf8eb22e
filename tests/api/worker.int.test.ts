import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { createRedis } from '@gmao/queue';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/** One journey DB → queue → worker → DB, with the real Redis. */
let ctx: TestContext;
let workers: RunningWorkers;
beforeAll(async () => {
  ctx = await createTestContext();
  workers = await startWorkers({ db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await workers?.close();
  await ctx?.close();
});

describe('refresh-token purge job', () => {
  it('is scheduled daily in Europe/Paris', async () => {
    const schedulers = await ctx.queues.get('maintenance').getJobSchedulers();
    expect(schedulers).toEqual(expect.arrayContaining([
      expect.objectContaining({ key: 'purge-expired-refresh-tokens-daily', name: 'purge-expired-refresh-tokens', pattern: '15 3 * * *', tz: 'Europe/Paris' }),
      expect.objectContaining({ key: 'close-completed-work-orders-daily', name: 'close-completed-work-orders', pattern: '30 3 * * *', tz: 'Europe/Paris' }),
      expect.objectContaining({ key: 'stock-alerts-daily', name: 'stock-alerts-daily', pattern: '45 5 * * *', tz: 'Europe/Paris' }),
      expect.objectContaining({ key: 'notification-digest-daily', name: 'notification-digest', pattern: '30 6 * * *', tz: 'Europe/Paris' }),
      expect.objectContaining({ key: 'certificate-expiry-daily', name: 'certificate-expiry', pattern: '15 6 * * *', tz: 'Europe/Paris' }),
      expect.objectContaining({ key: 'kpi-rollup', name: 'kpi-rollup', pattern: '*/5 * * * *', tz: 'Europe/Paris' }),
      expect.objectContaining({ key: 'kpi-rollup-nightly', name: 'kpi-rollup-nightly', pattern: '20 0 * * *', tz: 'Europe/Paris' }),
      expect.objectContaining({ key: 'cost-ledger', name: 'cost-ledger', pattern: '*/10 * * * *', tz: 'Europe/Paris' }),
    ]));
    expect(schedulers).toHaveLength(8);
  });

  it('deletes tokens expired past the grace period and keeps the rest, twice without harm', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const userId = ids.user('tech.chu@ght-demo.fr');
    const day = 86_400_000;
    const rows = [
      { label: 'long expired', expiresAt: new Date(Date.now() - 10 * day) },
      { label: 'just expired', expiresAt: new Date(Date.now() - 60_000) },
      { label: 'live', expiresAt: new Date(Date.now() + 10 * day) },
    ];
    const inserted = await db
      .insertInto('refreshTokens')
      .values(rows.map((r) => ({ userId, familyId: randomUUID(), tokenHash: randomUUID(), expiresAt: r.expiresAt })))
      .returning(['id', 'expiresAt'])
      .execute();

    const events = new QueueEvents('maintenance', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
    await events.waitUntilReady();
    try {
      for (let run = 0; run < 2; run++) {
        const job = await ctx.queues.get('maintenance').add('purge-expired-refresh-tokens', { graceDays: 1 });
        const result = await job.waitUntilFinished(events, 15_000);
        expect(result).toEqual({ deleted: run === 0 ? 1 : 0 });
      }
    } finally {
      await events.close();
    }
    const left = await db.selectFrom('refreshTokens').select('id').where('id', 'in', inserted.map((r) => r.id)).execute();
    expect(left.map((r) => r.id).sort()).toEqual([inserted[1]!.id, inserted[2]!.id].sort());
  });
});

describe('automatic closure of verified-never work orders', () => {
  it('closes work orders completed more than N days ago, once, as the system', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const device = await db.selectFrom('equipment').select(['id', 'siteId', 'territoryId']).where('siteId', '=', ids.site('CHU')).limit(1).executeTakeFirstOrThrow();
    const make = (number: string, completedDaysAgo: number) =>
      db.insertInto('workOrders').values({
        territoryId: device.territoryId, siteId: device.siteId, equipmentId: device.id, number, type: 'corrective', priority: 'normal',
        state: 'completed', symptom: 'Test', requestedBy: ids.user('soignant.chu@ght-demo.fr'),
        completedAt: new Date(Date.now() - completedDaysAgo * 86_400_000),
      }).returning('id').executeTakeFirstOrThrow();
    const old = await make('BT-TEST-OLD', 20);
    const recent = await make('BT-TEST-NEW', 3);
    const events = new QueueEvents('maintenance', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
    await events.waitUntilReady();
    try {
      for (const expected of [1, 0]) {
        const job = await ctx.queues.get('maintenance').add('close-completed-work-orders', { afterDays: 15 });
        expect(await job.waitUntilFinished(events, 15_000)).toEqual({ closed: expected });
      }
    } finally {
      await events.close();
    }
    const states = await db.selectFrom('workOrders').select(['id', 'state']).where('id', 'in', [old.id, recent.id]).execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [old.id]: 'closed', [recent.id]: 'completed' });
    const t = await db.selectFrom('workOrderTransitions').selectAll().where('workOrderId', '=', old.id).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ fromState: 'completed', toState: 'closed', actorId: null });
  });
});
