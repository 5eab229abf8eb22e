import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '@readme/openapi-parser';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

let ctx: TestContext;
let tech: Session;
const logLines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  ctx = await createTestContext({
    env: { CORS_ORIGINS: 'https://gmao.example.fr', BODY_LIMIT_BYTES: '2048' },
    logger: { level: 'info', stream },
  });
  tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const FILE_MEDIA_TYPES: Record<string, string> = {
  svg: 'image/svg+xml', pdf: 'application/pdf', csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const PROBLEM_KEYS = ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type'];

function expectProblem(res: Awaited<ReturnType<typeof ctx.app.inject>>, status: number, code?: string) {
  expect(res.statusCode).toBe(status);
  const p = problemOf(res);
  for (const k of PROBLEM_KEYS) expect(p).toHaveProperty(k);
  expect(p.status).toBe(status);
  expect(p.type).toMatch(/^https:\/\//);
  if (code) expect(p.code).toBe(code);
  return p;
}

describe('problem details for every error status', () => {
  it('400 invalid input lists each bad field', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'pas-un-email', password: '' } });
    const p = expectProblem(res, 400, 'validation_failed');
    expect(p.errors!.map((e) => e.path).sort()).toEqual(['body.email', 'body.password']);
  });
  it('400 invalid JSON', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expectProblem(res, 400, 'invalid_json');
  });
  it('400 bad path parameter', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/sites/not-a-uuid', headers: tech.auth });
    expect(expectProblem(res, 400).errors?.[0]?.path).toBe('params.id');
  });
  it('401 without a token', async () => {
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/api/v1/sites' }), 401, 'missing_token');
  });
  it('403 without the right', async () => {
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/api/v1/users', headers: tech.auth }), 403, 'forbidden');
  });
  it('404 for an unknown route and an unknown id', async () => {
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'route_not_found');
    expectProblem(await ctx.app.inject({ method: 'DELETE', url: '/api/v1/sites' }), 404, 'route_not_found');
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/api/v1/sites/00000000-0000-4000-8000-000000000000', headers: tech.auth }),
      404,
      'not_found',
    );
  });
  it('409, 412, 422 and 428 from the business rules', async () => {
    const admin = await login(ctx.app, 'admin@ght-demo.fr');
    const ids = await demoIds(ctx.database.db);
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.auth, payload: { email: 'tech.chu@ght-demo.fr', fullName: 'X Y', password: 'a-long-password-1' } }), 409, 'duplicate');
    const url = `/api/v1/sites/${ids.site('CHU')}`;
    expectProblem(await ctx.app.inject({ method: 'PATCH', url, headers: { ...admin.auth, 'if-match': '999' }, payload: { city: 'X' } }), 412, 'version_mismatch');
    expectProblem(await ctx.app.inject({ method: 'PATCH', url, headers: admin.auth, payload: { city: 'X' } }), 428, 'if_match_required');
    expectProblem(await ctx.app.inject({ method: 'POST', url: `/api/v1/users/${admin.userId}/deactivate`, headers: admin.auth }), 422, 'cannot_deactivate_self');
  });
  it('413 for an oversize body', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.fr', password: 'x'.repeat(5000) } });
    expectProblem(res, 413, 'body_too_large');
  });
  it('415 for a wrong content type', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'email=a' });
    expectProblem(res, 415, 'unsupported_media_type');
  });
  it('503 from /api/ready names the dependency that is down', async () => {
    const down = await createTestContext({ apiRedisUrl: 'redis://127.0.0.1:1' });
    try {
      const res = await down.app.inject({ method: 'GET', url: '/api/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', checks: { postgres: 'up', redis: 'down' } });
    } finally {
      await down.close();
    }
  });
});

describe('health, docs and headers', () => {
  it('/api/health and /api/ready answer without auth', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject({ method: 'GET', url: '/api/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up' } });
  });

  it('serves a valid OpenAPI 3.1 document in which every route has request and response schemas', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    expect(result.valid, JSON.stringify('errors' in result ? result.errors : [])).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking an arbitrary JSON document
    type Json = any;
    const operations = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(19);
    for (const { path, method, op } of operations) {
      const ok = Object.entries(op.responses ?? {}).find(([s]) => s.startsWith('2'));
      expect(ok, `${method} ${path} has a success response`).toBeTruthy();
      const [status, response] = ok as [string, Json];
      if (status !== '204') {
        // A route named like a file (…/label.svg, …/export.csv) documents that media type; the others JSON.
        // Downloads of stored files (attachments) are binary of their own type.
        const binary = response.content?.['application/octet-stream'] ? 'application/octet-stream' : null;
        const mediaType = FILE_MEDIA_TYPES[/\.(\w+)$/.exec(path)?.[1] ?? ''] ?? binary ?? 'application/json';
        expect(response.content?.[mediaType]?.schema, `${method} ${path} response schema (${mediaType})`).toBeTruthy();
      }
      // Actions without a body: (de)activating a user, marking notifications read.
      if (['post', 'patch', 'put'].includes(method) && !/\/((de)?activate|read|read-all)$/.test(path)) {
        const content = op.requestBody?.content ?? {};
        expect(content['application/json']?.schema ?? content['multipart/form-data']?.schema, `${method} ${path} request schema`).toBeTruthy();
      }
      if (path.includes('{')) expect(op.parameters?.length, `${method} ${path} parameters`).toBeGreaterThan(0);
    }
    const ui = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('sets security headers and echoes a request id', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const generated = await ctx.app.inject({ method: 'GET', url: '/api/health' });
    expect(String(generated.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
    // On every answer, errors and unknown routes included.
    for (const answer of [res, await ctx.app.inject({ method: 'GET', url: '/api/v1/me' }), await ctx.app.inject({ method: 'GET', url: '/api/v1/nowhere' })]) {
      expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['content-security-policy']).toContain("object-src 'none'");
    }
  });

  it('keeps the API\'s answers out of browser and proxy caches, unless a route says otherwise', async () => {
    const read = await ctx.app.inject({ method: 'GET', url: '/api/v1/sites', headers: tech.auth });
    expect(read.statusCode).toBe(200);
    expect(read.headers['cache-control']).toBe('private, no-store');
    // Errors too: a 401 and a 404 of the API.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/sites' })).headers['cache-control']).toBe('private, no-store');
    const device = await ctx.database.db.selectFrom('equipment').select('id').orderBy('inventoryNumber').limit(1).executeTakeFirstOrThrow();
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment/00000000-0000-4000-8000-000000000000', headers: tech.auth })).headers['cache-control'])
      .toBe('private, no-store');
    // A label is revalidated, not forbidden from caches: the route's own header stays.
    const label = await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/${device.id}/label.svg`, headers: tech.auth });
    expect(label.statusCode).toBe(200);
    expect(label.headers['cache-control']).toBe('private, no-cache');
  });

  it('allows CORS only for the configured origins', async () => {
    const allowed = await ctx.app.inject({ method: 'OPTIONS', url: '/api/v1/sites', headers: { origin: 'https://gmao.example.fr', 'access-control-request-method': 'GET' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://gmao.example.fr');
    const denied = await ctx.app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://evil.example.com' } });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never logs a password or a token', async () => {
    const s = await login(ctx.app, 'ingenieur@ght-demo.fr');
    await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: s.refreshToken } });
    await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: s.auth });
    const all = logLines.join('');
    expect(all).toContain('/api/v1/auth/login');
    expect(all).not.toContain('Demo!2026');
    expect(all).not.toContain(s.accessToken);
    expect(all).not.toContain(s.refreshToken);
  });
});
