import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET, TEST_REDIS_URL } from '../support/env.js';
import { exitOf, startProcess, processTestDatabase } from '../support/processes.js';

/** API_PROCESSES=2: two API processes behind one port, a dead one replaced, all stopped on SIGTERM. */
let files: Awaited<ReturnType<typeof processTestDatabase>>;
let url: string;
beforeAll(async () => {
  files = await processTestDatabase('cl');
  ({ url } = files);
});
afterAll(async () => {
  await files?.drop();
});

/** One request on a connection of its own (the cluster deals out connections, not requests). */
function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('no answer within 5 s'));
      })
      .on('error', reject);
  });
}

const pidsThatAnswered = (output: string) =>
  new Set([...output.matchAll(/\{[^\n]*"msg":"request"[^\n]*\}/g)].map((m) => (JSON.parse(m[0]) as { pid: number }).pid));

describe('several API processes on one port', () => {
  it('share the requests, replace one that dies, and all stop on SIGTERM', { timeout: 60_000 }, async () => {
    const api = startProcess('apps/api/src/main.ts', {
      DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: files.prefix, LOG_LEVEL: 'info', START_REDIS: 'false', NODE_ENV: 'production', API_PROCESSES: '2',
    });
    try {
      const [, portText] = await api.waitFor(/GMAO de territoire — http:\/\/localhost:(\d+)/);
      const port = Number(portText);
      expect(api.output()).toMatch(/API processes\s+— 2/);
      for (let i = 0; i < 20; i++) expect(await get(port, '/api/health')).toBe(200);
      const first = pidsThatAnswered(api.output());
      expect(first.size).toBe(2);

      // One dies (what it was answering is lost, as with any crash): once the primary has
      // seen it, the port keeps answering through the other, and another is started.
      const [victim] = first;
      process.kill(victim!, 'SIGKILL');
      await api.waitFor(/an API process died; starting another/);
      for (let i = 0; i < 20; i++) expect(await get(port, '/api/health')).toBe(200);
      await expect.poll(async () => {
        await get(port, '/api/health');
        return [...pidsThatAnswered(api.output())].filter((pid) => !first.has(pid)).length;
      }, { timeout: 20_000, interval: 100 }).toBe(1);

      api.child.kill('SIGTERM');
      expect(await exitOf(api.child)).toBe(0);
      await expect(get(port, '/api/health')).rejects.toThrow();
    } finally {
      api.killAll('SIGKILL');
    }
  });

  it('refuses API_PROCESSES > 1 with the embedded database, saying why', async () => {
    const api = startProcess('apps/api/src/main.ts', { API_PROCESSES: '2', DATA_DIR: `/tmp/${files.name}`, START_REDIS: 'false', REDIS_URL: TEST_REDIS_URL });
    expect(await exitOf(api.child)).toBe(1);
    expect(api.output()).toContain('API_PROCESSES > 1 needs DATABASE_URL');
  });
});
