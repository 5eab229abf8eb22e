import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../apps/api/src/plugins/errors.js';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { withDemoWorkOrders } from '../support/fixtures.js';
import { multipartBody } from '../support/fuzz.js';

/**
 * What PostgreSQL cannot hold is a 400 naming the field (a 401 for a forged token), not a
 * 500: the causes the fuzz test (fuzz.int.test.ts) and the attacker's probe found.
 */
let ctx: TestContext;
let admin: Session;
let ids: Awaited<ReturnType<typeof withDemoWorkOrders>>;
type Res = Awaited<ReturnType<TestContext['app']['inject']>>;

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await withDemoWorkOrders(ctx.database.db);
  admin = await login(ctx.app, 'admin@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (url: string, headers: Record<string, string> = admin.auth) => ctx.app.inject({ method: 'GET', url, headers });
const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: admin.auth });

/** A 400 problem whose errors name `path`. */
function expectBadField(res: Res, path: string) {
  expect(res.statusCode, res.body).toBe(400);
  expect(problemOf(res).errors?.map((e) => e.path)).toContain(path);
}

const b64 = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const aDevice = async () => (await get(`/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0] as { id: string };

describe('text PostgreSQL cannot store: NUL (U+0000), half a surrogate pair', () => {
  it('is refused in any JSON text field, at any depth, and in object keys', async () => {
    const device = await aDevice();
    expectBadField(await post('/api/v1/work-requests', { equipmentId: device.id, symptom: 'Écran noir', deviceOutOfService: false, callbackName: 'Mme\u0000X' }), 'body.callbackName');
    const wo = (await post('/api/v1/work-orders', { equipmentId: device.id, type: 'corrective', description: 'Contrôle' })).json() as { id: string };
    expectBadField(await post(`/api/v1/work-orders/${wo.id}/parts`, { reference: 'a\u0000', description: 'Joint', quantity: 1 }), 'body.reference');
    // Half a surrogate pair is not Unicode either: jsonb (the audit record) refuses it.
    const started = await ctx.database.db.selectFrom('workOrders').select('id').where('state', '=', 'in_progress').executeTakeFirstOrThrow();
    expectBadField(await post(`/api/v1/work-orders/${started.id}/parts`, { reference: 'J-1', description: '\uDFFF\uD800', quantity: 1 }), 'body.description');
    expectBadField(await post('/api/v1/checklist-templates', { code: 'fuzz', name: 'Fuzz', items: [{ key: 'a', label: 'x\u0000', kind: 'check', mandatory: true }] }), 'body.items.0.label');
    expectBadField(await post('/api/v1/equipment-models', { manufacturer: 'Acme', modelName: 'M', categoryId: ids.site('CHU'), 'x\u0000': 1 }), 'body.x\u0000');
  });

  it('is refused in the query string (q=) and in an uploaded file name', async () => {
    expectBadField(await get('/api/v1/technicians?q=a%00b'), 'querystring.q');
    expectBadField(await get('/api/v1/sites?q=%00'), 'querystring.q');
    expectBadField(await get('/api/v1/equipment?q=CHU%00'), 'querystring.q');
    const upload = multipartBody({ siteId: ids.site('CHU') }, { name: 'inv\u0000.csv', type: 'text/csv', data: Buffer.from('Numéro d’inventaire\r\nX-1\r\n') });
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/equipment-imports', payload: upload.payload, headers: { ...admin.auth, 'content-type': upload.contentType } });
    expectBadField(res, 'body.file.filename');
  });
});

describe('keyset cursors', () => {
  it('still page through every list', async () => {
    for (const list of ['sites', 'users', 'equipment-models', 'equipment', 'work-orders']) {
      const first = (await get(`/api/v1/${list}?limit=2`)).json() as { items: { id: string }[]; nextCursor: string };
      const second = await get(`/api/v1/${list}?limit=2&cursor=${first.nextCursor}`);
      expect(second.statusCode, `${list}: ${second.body}`).toBe(200);
      expect(second.json().items[0].id, list).not.toBe(first.items[0]!.id);
    }
  });

  it('forged with the wrong shape are a 400 naming the cursor', async () => {
    const forged: [string, unknown][] = [
      ['sites', ['Hôpital', 'not-a-uuid']],
      ['sites', ['Hôpital\u0000', '00000000-0000-4000-8000-000000000000']],
      ['users', ['Alice', 'epoch']],
      ['equipment-models', ['<', '2026-02-30', 'A']],
      ['equipment', ['CHU\u0000']],
      ['equipment', [1e308]],
      ['work-orders', [1, '2026-13-45 99:99:99+00', 'OT-1']],
      ['work-orders', [1, '0000-01-01 00:00:00+00', 'OT-1']],
      ['work-orders', [7, 'infinity', 'OT-1']],
      ['work-orders', { rank: 1 }],
    ];
    for (const [list, key] of forged) expectBadField(await get(`/api/v1/${list}?cursor=${b64(key)}`), 'querystring.cursor');
    for (const junk of ['%25', '!!!', 'W10', 'x'.repeat(500)]) expectBadField(await get(`/api/v1/users?cursor=${junk}`), 'querystring.cursor');
  });
});

describe('dates out of range', () => {
  it('are a 400 naming the field in filters and bodies; the edges of 1900–2200 pass', async () => {
    expectBadField(await get('/api/v1/equipment?warrantyEndsBefore=0000-01-01'), 'querystring.warrantyEndsBefore');
    expectBadField(await get('/api/v1/equipment/export.csv?warrantyEndsBefore=9999-12-31'), 'querystring.warrantyEndsBefore');
    expect((await get('/api/v1/equipment?warrantyEndsBefore=2200-12-31&limit=1')).statusCode).toBe(200);
    expect((await get('/api/v1/equipment?warrantyEndsBefore=1900-01-01&limit=1')).statusCode).toBe(200);
    const device = await aDevice();
    expectBadField(await post(`/api/v1/equipment/${device.id}/decommissions`, { reason: 'donation', decommissionDate: '0000-01-01' }), 'body.decommissionDate');
    expectBadField(await post('/api/v1/work-orders', { equipmentId: device.id, type: 'corrective', description: 'Contrôle', dueAt: '0000-01-01T00:00:00Z' }), 'body.dueAt');
  });
});

describe('a signed token whose claims are not ours', () => {
  it('is a 401 invalid_token, not a 500', async () => {
    const sign = (payload: object) => ctx.app.jwt.sign(payload as { sub: string; tid: string; jti: string });
    const tokens = [
      sign({ sub: 'not-a-uuid', tid: ids.territoryId, jti: 'x' }),
      sign({ sub: `${admin.userId}\u0000`, tid: ids.territoryId, jti: 'x' }),
      sign({ sub: 42, tid: ids.territoryId, jti: 'x' }),
      sign({ sub: admin.userId, tid: 'not-a-uuid', jti: 'x' }),
      sign({ tid: ids.territoryId }),
    ];
    for (const token of tokens) {
      const res = await get('/api/v1/me', { authorization: `Bearer ${token}` });
      expect(res.statusCode, res.body).toBe(401);
      expect(problemOf(res).code).toBe('invalid_token');
    }
  });
});

describe('broken multipart framing', () => {
  it('is a 400, not a 500', async () => {
    const wo = (await ctx.database.db.selectFrom('workOrders').select('id').where('state', '=', 'in_progress').executeTakeFirstOrThrow()).id;
    const bodies = [
      { payload: 'no boundary here', contentType: 'multipart/form-data' },
      { payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nunterminated', contentType: 'multipart/form-data; boundary=x' },
      { payload: 'x', contentType: `multipart/form-data; boundary=${'b'.repeat(300)}` },
    ];
    for (const url of ['/api/v1/equipment-imports', `/api/v1/work-orders/${wo}/attachments`]) {
      for (const b of bodies) {
        const res = await ctx.app.inject({ method: 'POST', url, payload: b.payload, headers: { ...admin.auth, 'content-type': b.contentType } });
        expect(res.statusCode, `${url} ${b.contentType}: ${res.body}`).toBe(400);
        expect(problemOf(res).code).toBe('invalid_multipart');
      }
    }
  });
});

describe('a PostgreSQL data error that validation let through', () => {
  it('is a 400 invalid_value (the safety net), not a 500', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    const db = ctx.database.db;
    app.get('/nul', async () => sql`select ${'a\u0000'}::text`.execute(db));
    app.get('/uuid', async () => sql`select ${'nope'}::uuid`.execute(db));
    app.get('/date', async () => sql`select ${'0000-01-01'}::date`.execute(db));
    app.get('/overflow', async () => sql`select ${'99999999999'}::int`.execute(db));
    app.get('/bug', async () => sql`select 1/0`.execute(db));
    for (const url of ['/nul', '/uuid', '/date', '/overflow']) {
      const res = await app.inject({ url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(problemOf(res).code).toBe('invalid_value');
    }
    // A division by zero is our bug, not the client's input: it stays a 500.
    expect((await app.inject({ url: '/bug' })).statusCode).toBe(500);
    await app.close();
  });
});
