import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET, TEST_REDIS_URL } from '../support/env.js';
import { exitOf, startProcess as start, processTestDatabase } from '../support/processes.js';

/** The real entry points as processes: they start, serve, and stop cleanly on SIGTERM. */
let files: Awaited<ReturnType<typeof processTestDatabase>>;
let url: string;
beforeAll(async () => {
  files = await processTestDatabase('p');
  ({ url } = files);
});
afterAll(async () => {
  await files?.drop();
});

describe('processes', () => {
  it('the API serves, then shuts down gracefully on SIGTERM', async () => {
    const api = start('apps/api/src/main.ts', {
      DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: files.prefix, LOG_LEVEL: 'warn', START_REDIS: 'false', NODE_ENV: 'production',
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
      DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: files.prefix, LOG_LEVEL: 'info',
    });
    await worker.waitFor(/worker started/);
    worker.child.kill('SIGTERM');
    expect(await exitOf(worker.child)).toBe(0);
    expect(worker.output()).toContain('worker stopped');
  });
});
