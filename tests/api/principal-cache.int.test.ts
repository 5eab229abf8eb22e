import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '@gmao/db';
import { TEST_JWT_SECRET, TEST_REDIS_URL } from '../support/env.js';
import { exitOf, startProcess, type StartedProcess, processTestDatabase } from '../support/processes.js';
import { DEMO_PASSWORD } from '../support/app.js';

/**
 * Two API processes on one database and one Redis, as behind a load balancer: each keeps
 * users' roles in memory (PRINCIPAL_CACHE_SECONDS), and a role revoked or an account
 * deactivated through one is refused by the other within a second.
 */
let files: Awaited<ReturnType<typeof processTestDatabase>>;
let database: Database;
let a: { proc: StartedProcess; base: string };
let b: { proc: StartedProcess; base: string };

async function startApi(url: string) {
  const proc = startProcess('apps/api/src/main.ts', {
    DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_JWT_SECRET,
    QUEUE_PREFIX: files.prefix, LOG_LEVEL: 'warn', START_REDIS: 'false', NODE_ENV: 'production',
    // Long enough that only the published change can explain a refusal within a second.
    PRINCIPAL_CACHE_SECONDS: '300',
  });
  const [, port] = await proc.waitFor(/GMAO de territoire — http:\/\/localhost:(\d+)/);
  return { proc, base: `http://127.0.0.1:${port}/api/v1` };
}

async function call(base: string, path: string, token: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

async function loginOn(base: string, email: string) {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { accessToken: string; user: { id: string } };
  return { token: body.accessToken, userId: body.user.id };
}

/** Polls `check` until it is true; returns how long it took, or fails after `withinMs`. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  files = await processTestDatabase('pc');
  database = createDatabase({ url: files.url, poolMax: 2 });
  [a, b] = await Promise.all([startApi(files.url), startApi(files.url)]);
}, 60_000);

afterAll(async () => {
  for (const api of [a, b]) {
    if (!api) continue;
    api.proc.child.kill('SIGTERM');
    await exitOf(api.proc.child);
  }
  await database?.close();
  await files?.drop();
});

describe('principal cache across API processes', () => {
  it('keeps roles in memory, and forgets them on every process as soon as they change through the API', async () => {
    const admin = await loginOn(a.base, 'admin@ght-demo.fr');
    const tech = await loginOn(a.base, 'tech.chu@ght-demo.fr');
    // A technician may not list the users; made territory admin on A, they may on B.
    expect((await call(b.base, '/users?limit=1', tech.token)).status).toBe(403);
    const granted = await call(a.base, `/users/${tech.userId}/roles`, admin.token, {
      method: 'POST', body: JSON.stringify({ role: 'territory_admin', siteId: null }),
    });
    expect(granted.status).toBe(201);
    await within(1000, async () => (await call(b.base, '/users?limit=1', tech.token)).status === 200);

    // B keeps the roles in memory: a change written behind the API's back is not seen.
    await database.db.updateTable('users').set({ active: false }).where('id', '=', tech.userId).execute();
    expect((await call(b.base, '/users?limit=1', tech.token)).status).toBe(200);
    await database.db.updateTable('users').set({ active: true }).where('id', '=', tech.userId).execute();

    // Revoked through A: refused by B within a second.
    const revoked = await call(a.base, `/users/${tech.userId}/roles/${String(granted.body!.id)}`, admin.token, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    const tookRevoke = await within(1000, async () => (await call(b.base, '/users?limit=1', tech.token)).status === 403);

    // Deactivated through B: A refuses the account within a second.
    expect((await call(a.base, '/me', tech.token)).status).toBe(200);
    const deactivated = await call(b.base, `/users/${tech.userId}/deactivate`, admin.token, { method: 'POST' });
    expect(deactivated.status).toBe(200);
    const tookDeactivate = await within(1000, async () => {
      const res = await call(a.base, '/me', tech.token);
      return res.status === 401 && res.body?.code === 'account_disabled';
    });
    expect(tookRevoke + tookDeactivate).toBeLessThan(2000);
  });

  it('serves GET /me from memory, and shows a site renamed through another process within a second', async () => {
    const admin = await loginOn(a.base, 'admin@ght-demo.fr');
    const engineer = await loginOn(a.base, 'ingenieur@ght-demo.fr');
    const before = await call(b.base, '/me', engineer.token);
    expect(before.status).toBe(200);
    const home = before.body!.homeSite as { id: string; name: string };
    // Behind the API's back, B keeps showing what it has in memory.
    await database.db.updateTable('users').set({ fullName: 'Changé en SQL' }).where('id', '=', engineer.userId).execute();
    expect((await call(b.base, '/me', engineer.token)).body!.fullName).toBe(before.body!.fullName);

    const site = await call(a.base, `/sites/${home.id}`, admin.token);
    const renamed = await fetch(`${a.base}/sites/${home.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', 'if-match': String(site.body!.version) },
      body: JSON.stringify({ name: `${home.name} (renommé)` }),
    });
    expect(renamed.status).toBe(200);
    await within(1000, async () => {
      const me = await call(b.base, '/me', engineer.token);
      return (me.body!.homeSite as { name: string }).name === `${home.name} (renommé)`
        && (me.body!.roles as { siteName: string | null }[]).some((r) => r.siteName === `${home.name} (renommé)`);
    });
  });
});
