import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDatabase, type Database } from '@gmao/db';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { withDemoWorkOrders } from '../support/fixtures.js';

/**
 * Issue 10, ADR 0010: the equipment and work-order list pages are served again from the
 * API process's page cache only while PostgreSQL's snapshot is unchanged, so that a commit
 * by anyone (this API, another process, the worker, psql) is in the very next answer.
 *
 * The other test files of the run write to the same PostgreSQL server (other databases,
 * same transaction ids), which changes the snapshot too; so a test first reads a page until
 * it is served from the cache, then changes the data and reads it once more.
 */
let ctx: TestContext;
let other: Database;
let engineer: Session;
let technician: Session;
let care: Session;
let ids: Awaited<ReturnType<typeof withDemoWorkOrders>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await withDemoWorkOrders(ctx.database.db);
  // Another client of the same database, as another API process or the worker would be.
  other = createDatabase({ url: ctx.deps.config.DATABASE_URL!, poolMax: 2 });
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  technician = await login(ctx.app, 'tech.chu@ght-demo.fr');
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
});
afterAll(async () => {
  await other?.close();
  await ctx?.close();
});

async function read(s: Session, url: string, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { ...s.auth, ...headers } });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

/** Reads `url` until an answer comes from the cache; returns that answer. */
async function untilHit(s: Session, url: string): Promise<Json> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const res = await read(s, url);
    if (res.headers['x-page-cache'] === 'hit') return res.json();
  }
  throw new Error(`${url} never came from the page cache in 20 s`);
}

const EQUIPMENT = '/api/v1/equipment?limit=5';

describe('page cache', () => {
  it('serves a page read again from the cache, the same as rendered', async () => {
    const first = await read(engineer, EQUIPMENT);
    expect(first.headers['x-page-cache']).toBeDefined();
    const hit = await untilHit(engineer, EQUIPMENT);
    expect(hit).toEqual(first.json());
    expect(hit.items).toHaveLength(5);
  });

  it('shows at once a change committed through the API', async () => {
    const before = await untilHit(engineer, EQUIPMENT);
    const device = before.items[0];
    const full = (await read(engineer, `/api/v1/equipment/${device.id}`)).json();
    const patched = await ctx.app.inject({
      method: 'PATCH', url: `/api/v1/equipment/${device.id}`, headers: { ...engineer.auth, 'if-match': `"${full.version}"` },
      payload: { serialNumber: 'SN-PAGE-CACHE-API' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const after = (await read(engineer, EQUIPMENT)).json();
    expect(after.items[0]).toMatchObject({ id: device.id, serialNumber: 'SN-PAGE-CACHE-API', version: full.version + 1 });
  });

  it('shows at once a change committed by another client of the database', async () => {
    for (let round = 0; round < 5; round++) {
      const before = await untilHit(engineer, EQUIPMENT);
      const serial = `SN-OTHER-${round}`;
      await sql`update equipment set serial_number = ${serial} where id = ${before.items[1].id}`.execute(other.db);
      const after = (await read(engineer, EQUIPMENT)).json();
      expect(after.items[1].serialNumber).toBe(serial);
    }
  });

  it('shows a change whose transaction was under way while the page was rendered and served again', async () => {
    const before = await untilHit(engineer, EQUIPMENT);
    let commit!: () => void;
    const proceed = new Promise<void>((r) => (commit = r));
    let updated!: () => void;
    const didUpdate = new Promise<void>((r) => (updated = r));
    const transaction = other.db.transaction().execute(async (trx) => {
      await sql`update equipment set serial_number = 'SN-LATE-COMMIT' where id = ${before.items[2].id}`.execute(trx);
      updated();
      await proceed;
    });
    await didUpdate;
    // Not committed: the page, rendered and served again meanwhile, does not show it...
    const during = await untilHit(engineer, EQUIPMENT);
    expect(during.items[2].serialNumber).toBe(before.items[2].serialNumber);
    // ...and the next read after the commit does.
    commit();
    await transaction;
    const after = (await read(engineer, EQUIPMENT)).json();
    expect(after.items[2].serialNumber).toBe('SN-LATE-COMMIT');
  });

  it('shows at once a new work order in the lists of whoever it concerns', async () => {
    const url = '/api/v1/work-orders?limit=200';
    const before = await untilHit(engineer, url);
    expect(before.nextCursor).toBeNull(); // the whole demo backlog is on the page
    await untilHit(care, url);
    const { items: [device] } = (await read(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json();
    const created = await ctx.app.inject({
      method: 'POST', url: '/api/v1/work-requests', headers: care.auth,
      payload: { equipmentId: device.id, symptom: 'Alarme occlusion permanente', deviceOutOfService: false },
    });
    expect(created.statusCode, created.body).toBe(201);
    for (const s of [engineer, care]) {
      const { items } = (await read(s, url)).json();
      expect(items.map((w: Json) => w.id)).toContain(created.json().id);
    }
  });

  it('never serves one user the page rendered for another', async () => {
    const url = '/api/v1/work-orders?limit=50';
    const forEngineer = await untilHit(engineer, url);
    const forCare = (await read(care, url)).json();
    // Care staff see their sites' work orders and their requests, not the whole territory's.
    expect(forCare.items.length).toBeLessThan(forEngineer.items.length);
    const mine = await untilHit(technician, '/api/v1/work-orders?assignee=me&limit=50');
    const engineersMine = (await read(engineer, '/api/v1/work-orders?assignee=me&limit=50')).json();
    expect(mine.items.length).toBeGreaterThan(0);
    for (const w of mine.items as Json[]) expect(w.assignees.map((a: Json) => a.id)).toContain(technician.userId);
    for (const w of engineersMine.items as Json[]) expect(w.assignees.map((a: Json) => a.id)).toContain(engineer.userId);
  });

  it('does not cache what depends on the clock (overdue work orders)', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await read(engineer, '/api/v1/work-orders?overdue=true&limit=50');
      expect(res.headers['x-page-cache']).toBeUndefined();
    }
  });

  it('compresses a page served from the cache like a rendered one', async () => {
    const url = '/api/v1/equipment?limit=50';
    const plain = await untilHit(engineer, url);
    for (const until = Date.now() + 20_000; ;) {
      const res = await read(engineer, url, { 'accept-encoding': 'br' });
      if (res.headers['x-page-cache'] !== 'hit' && Date.now() < until) continue;
      expect(res.headers['x-page-cache']).toBe('hit');
      expect(res.headers['content-encoding']).toBe('br');
      expect(JSON.parse(zlib.brotliDecompressSync(res.rawPayload).toString())).toEqual(plain);
      break;
    }
  });

  it('answers HEAD like GET, from the cache or not', async () => {
    const page = await untilHit(engineer, EQUIPMENT);
    const length = Buffer.byteLength(JSON.stringify(page));
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({ method: 'HEAD', url: EQUIPMENT, headers: engineer.auth });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
      expect(Number(res.headers['content-length'])).toBe(length);
    }
  });

  it('still refuses a request without a valid token, cached page or not', async () => {
    await untilHit(engineer, EQUIPMENT);
    const res = await ctx.app.inject({ method: 'GET', url: EQUIPMENT, headers: { authorization: 'Bearer nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-page-cache']).toBeUndefined();
  });
});
