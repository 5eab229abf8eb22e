import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '@gmao/config';
import { createDatabase, migrate, recreateDatabase, urlForDatabase, type Database } from '@gmao/db';
import { createQueues, createRedis, waitForRedis } from '@gmao/queue';
import { buildApp } from '../../apps/api/src/app.js';

/** What the benchmarks share: where they run, the API over their database, and latency figures. */
export const BENCH_SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const secondsSince = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

/** The benchmark's database on BENCH_SERVER, migrated: recreated empty, or as left by a previous run (`keep`). */
export async function benchDatabase(name: string, keep: boolean): Promise<{ url: string; database: Database }> {
  const url = keep ? urlForDatabase(BENCH_SERVER, name) : await recreateDatabase(BENCH_SERVER, name);
  const database = createDatabase({ url, poolMax: 4 });
  await migrate(database);
  return { url, database };
}

/**
 * The API (Fastify inject, no network) over a benchmark database; `close()` releases everything.
 * `env` adds settings (e.g. PAGE_CACHE_SECONDS: '0' so that every request renders its page).
 */
export async function benchApp(url: string, database: Database, env: Record<string, string> = {}) {
  const config = parseConfig({
    DATABASE_URL: url, REDIS_URL: BENCH_REDIS_URL, JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', LOG_LEVEL: 'silent', QUEUE_PREFIX: 'gmao-bench', ...env,
  });
  const redis = createRedis(BENCH_REDIS_URL, 'producer');
  await waitForRedis(redis);
  const queues = createQueues(redis, 'gmao-bench');
  const app = await buildApp({ deps: { config, database, db: database.db, redis, queues }, jwtSecret: config.JWT_SECRET! });
  return {
    app,
    /** Bearer headers of a demo user. */
    async session(email: string): Promise<Record<string, string>> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'Demo!2026' } });
      return { authorization: `Bearer ${res.json().accessToken}` };
    },
    async close() {
      await app.close();
      await queues.close();
      redis.disconnect();
    },
  };
}

/** Runs `fn`, prints its time under `label` in seconds and returns it with the value. */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  console.info(`  ${label}: ${(ms / 1000).toFixed(2)} s`);
  return { ms, value };
}

/** Latency percentiles in milliseconds. */
export interface Percentiles { p50: number; p95: number; p99: number }

/** p50/p95/p99 of a list of times (sorted in place). */
export function percentiles(times: number[]): Percentiles {
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: p(0.5), p95: p(0.95), p99: p(0.99) };
}

/** One line of p50/p95/p99 under a name. */
export function printPercentiles(name: string, f: Percentiles): void {
  const ms = (v: number) => v.toFixed(1).padStart(7);
  console.info(`${name.padEnd(46)} p50 ${ms(f.p50)} ms   p95 ${ms(f.p95)} ms   p99 ${ms(f.p99)} ms`);
}

/** Runs a GET `runs` times (after ten warm-up requests), prints its p50/p95/p99 and returns them. */
export async function measure(
  app: FastifyInstance,
  runs: number,
  name: string,
  auth: Record<string, string>,
  urlFor: (i: number) => string,
  check: (body: Record<string, unknown>) => boolean,
): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url: urlFor(i), headers: auth });
    const ms = performance.now() - started;
    if (res.statusCode !== 200 || !check(res.json())) throw new Error(`${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (i >= 10) times.push(ms);
  }
  const figures = percentiles(times);
  printPercentiles(name, figures);
  return figures;
}

/** A TCP port free on 127.0.0.1 right now (for a process the bench starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
