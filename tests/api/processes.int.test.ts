import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase, recreateDatabase } from '@gmao/db';
import { ROOT } from '../../scripts/lib/web-build.js';
import { TEST_DATABASE_SERVER, TEST_JWT_SECRET, TEST_REDIS_URL } from '../support/env.js';

/** The real entry points as processes: they start, serve, and stop cleanly on SIGTERM. */
const name = `gmao_p_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let url: string;
beforeAll(async () => {
  url = await recreateDatabase(TEST_DATABASE_SERVER, name, inject('templateDatabase'));
});
afterAll(async () => {
  await dropDatabase(TEST_DATABASE_SERVER, name);
});

function start(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string; waitFor: (re: RegExp) => Promise<RegExpMatchArray> } {
  let out = '';
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const waitFor = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${re}: ${out}`)), 30_000);
      const check = () => {
        const m = out.match(re);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`exited ${child.exitCode}: ${out}`));
        } else setTimeout(check, 50);
      };
      check();
    });
  return { child, output: () => out, waitFor };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

describe('processes', () => {
  it('the API serves, then shuts down gracefully on SIGTERM', async () => {
    const api = start('apps/api/src/main.ts', {
      DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: `test-${name}`, LOG_LEVEL: 'warn', START_REDIS: 'false', NODE_ENV: 'production',
    });
    const [, port] = await api.waitFor(/GMAO de territoire — http:\/\/localhost:(\d+)/);
    expect(api.output()).toContain('admin@ght-demo.fr');
    const ready = await fetch(`http://127.0.0.1:${port}/api/ready`);
    expect(ready.status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await exitOf(api.child)).toBe(0);
  });

  it('the API refuses to boot in production without a JWT secret, naming the variable', async () => {
    const api = start('apps/api/src/main.ts', { DATABASE_URL: url, NODE_ENV: 'production', START_REDIS: 'false' });
    expect(await exitOf(api.child)).toBe(1);
    expect(api.output()).toContain('JWT_SECRET');
  });

  it('the worker starts its queues and stops cleanly on SIGTERM', async () => {
    const worker = start('apps/worker/src/main.ts', {
      DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `test-${name}`, LOG_LEVEL: 'info',
    });
    await worker.waitFor(/worker started/);
    worker.child.kill('SIGTERM');
    expect(await exitOf(worker.child)).toBe(0);
    expect(worker.output()).toContain('worker stopped');
  });
});
