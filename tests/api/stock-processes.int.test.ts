import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@gmao/db';
import { TEST_JWT_SECRET, TEST_REDIS_URL } from '../support/env.js';
import { exitOf, startProcess, processTestDatabase } from '../support/processes.js';

/** The stock's concurrency guarantee across API processes (issue 12): the lock is PostgreSQL's. */
let files: Awaited<ReturnType<typeof processTestDatabase>>;
beforeAll(async () => {
  files = await processTestDatabase('stk');
});
afterAll(async () => {
  await files?.drop();
});

/** One request on a connection of its own (the cluster deals out connections, not requests). */
function request(port: number, method: string, path: string, body?: object, token?: string): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request(
      {
        host: '127.0.0.1', port, path, method, agent: false, timeout: 15_000,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

describe('stock across two API processes', () => {
  it('50 simultaneous issues of the last 5 units through two processes: 5 successes, 45 insufficient_stock, ledger = on hand = 0', { timeout: 60_000 }, async () => {
    const api = startProcess('apps/api/src/main.ts', {
      DATABASE_URL: files.url, REDIS_URL: TEST_REDIS_URL, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: files.prefix, LOG_LEVEL: 'info', START_REDIS: 'false', NODE_ENV: 'production', API_PROCESSES: '2',
    });
    const database = createDatabase({ url: files.url, poolMax: 2 });
    try {
      const [, portText] = await api.waitFor(/GMAO de territoire — http:\/\/localhost:(\d+)/);
      const port = Number(portText);
      const login = await request(port, 'POST', '/api/v1/auth/login', { email: 'admin@ght-demo.fr', password: 'Demo!2026' });
      expect(login.status).toBe(200);
      const token = login.json.accessToken as string;
      const store = (await request(port, 'GET', '/api/v1/stores', undefined, token)).json.items.find((s: { name: string }) => s.name === 'Atelier biomédical');
      const part = await request(port, 'POST', '/api/v1/parts', { reference: 'HOT-PART-1', description: 'Pièce très demandée' }, token);
      expect(part.status).toBe(201);
      const receipt = await request(port, 'POST', '/api/v1/stock/movements', { type: 'receipt', storeId: store.id, partId: part.json.id, quantity: 5 }, token);
      expect(receipt.status).toBe(201);

      const results = await Promise.all(Array.from({ length: 50 }, () =>
        request(port, 'POST', '/api/v1/stock/movements', { type: 'issue', storeId: store.id, partId: part.json.id, quantity: 1 }, token)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 409)).toHaveLength(45);
      expect(results.filter((r) => r.status === 409).every((r) => r.json.code === 'insufficient_stock')).toBe(true);
      // Both processes answered some of them.
      const pids = new Set([...api.output().matchAll(/\{[^\n]*"msg":"request"[^\n]*\}/g)]
        .map((m) => (JSON.parse(m[0]) as { pid: number }).pid));
      expect(pids.size).toBe(2);

      const row = await database.db.selectFrom('stock').select('onHand').where('partId', '=', part.json.id).executeTakeFirstOrThrow();
      const ledger = await database.db.selectFrom('stockMovements').select((eb) => eb.fn.sum<string>('delta').as('sum')).where('partId', '=', part.json.id).executeTakeFirstOrThrow();
      expect(row.onHand).toBe(0);
      expect(Number(ledger.sum)).toBe(0);
      api.child.kill('SIGTERM');
      expect(await exitOf(api.child)).toBe(0);
    } finally {
      await database.close();
      api.killAll('SIGKILL');
    }
  });
});
