import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '@gmao/config';
import { createDatabase, dropDatabase, recreateDatabase, type Database } from '@gmao/db';
import { QUEUE_NAMES, createQueues, createRedis, waitForRedis, type Queues } from '@gmao/queue';
import type { Redis } from 'ioredis';
import { buildApp } from '../../apps/api/src/app.js';
import type { AppDeps } from '../../apps/api/src/lib/context.js';
import { TEST_DATABASE_SERVER, TEST_JWT_SECRET, TEST_REDIS_URL } from './env.js';

export interface TestContext {
  app: FastifyInstance;
  deps: AppDeps;
  database: Database;
  /** BullMQ / Redis key prefix of this test file, obliterated at close. */
  prefix: string;
  queues: Queues;
  /** The connection the queues use (a producer's when `queueRedisUrl` is given). */
  queueRedis: Redis;
  redisUrl: string;
  close(): Promise<void>;
}

/**
 * A fresh database cloned from the run's migrated + demo-seeded template, a Redis key
 * prefix of its own, and the Fastify app built on them (use app.inject()).
 */
export async function createTestContext(
  opts: {
    env?: Record<string, string>;
    webDistDir?: string;
    /** Redis the API talks to (default: the test Redis); e.g. a dead port to test /api/ready. */
    apiRedisUrl?: string;
    /**
     * Redis of the queues, reached as the API process does (a producer connection, the
     * bounded wait of `queueTimeoutMs`), e.g. a private redis-server the test kills.
     * Default: the test Redis through a worker connection.
     */
    queueRedisUrl?: string;
    queueTimeoutMs?: number;
    logger?: Parameters<typeof buildApp>[0]['logger'];
  } = {},
): Promise<TestContext> {
  const name = `gmao_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const url = await recreateDatabase(TEST_DATABASE_SERVER, name, inject('templateDatabase'));
  const prefix = `gmao-test-${name}`;
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ATTACHMENTS_DIR: path.join(os.tmpdir(), name),
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    // Every answer of the suite is checked against its zod contract.
    CHECK_RESPONSE_CONTRACTS: 'true',
    ...opts.env,
  });
  const database = createDatabase({ url, poolMax: 5 });
  const redis: Redis = createRedis(opts.apiRedisUrl ?? TEST_REDIS_URL, 'producer');
  redis.on('error', () => undefined);
  if (!opts.apiRedisUrl) await waitForRedis(redis);
  const queueRedis = opts.queueRedisUrl ? createRedis(opts.queueRedisUrl, 'producer') : createRedis(TEST_REDIS_URL, 'worker');
  queueRedis.on('error', () => undefined);
  await waitForRedis(queueRedis);
  const queues = createQueues(queueRedis, prefix, { timeoutMs: opts.queueTimeoutMs });
  const deps: AppDeps = { config, database, db: database.db, redis, queues };
  const app = await buildApp({ deps, jwtSecret: TEST_JWT_SECRET, webDistDir: opts.webDistDir, logger: opts.logger });
  await app.ready();
  return {
    app, deps, database, prefix, queues, queueRedis, redisUrl: TEST_REDIS_URL,
    async close() {
      await app.close();
      for (const q of QUEUE_NAMES) await queues.get(q).obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      const keys = await queueRedis.keys(`${prefix}:*`).catch(() => [] as string[]);
      if (keys.length > 0) await queueRedis.del(...keys);
      redis.disconnect();
      queueRedis.disconnect();
      await database.close();
      await dropDatabase(TEST_DATABASE_SERVER, name);
      fs.rmSync(config.ATTACHMENTS_DIR, { recursive: true, force: true });
    },
  };
}

export const DEMO_PASSWORD = 'Demo!2026';

export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
  auth: { authorization: string };
}

export async function login(app: FastifyInstance, email: string, password = DEMO_PASSWORD, ip = '10.0.0.1'): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { accessToken: body.accessToken, refreshToken: body.refreshToken, userId: body.user.id, auth: { authorization: `Bearer ${body.accessToken}` } };
}

/** Asserts the RFC 9457 shape and returns the body. */
export function problemOf(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  const ct = String(res.headers['content-type'] ?? '');
  if (!ct.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${ct}`);
  return res.json() as { type: string; title: string; status: number; detail: string; code: string; errors?: { path: string; message: string }[] };
}
