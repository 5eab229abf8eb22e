import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';

/** Large JSON answers are compressed when the client accepts it (COMPRESS_MIN_BYTES); request bodies never are inflated. */
let ctx: TestContext;
let engineer: Session;

beforeAll(async () => {
  ctx = await createTestContext();
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

describe('compression', () => {
  it('compresses a page of devices with brotli or gzip, as the client accepts, to the same JSON', async () => {
    const plain = await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment?limit=50', headers: engineer.auth });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(2048);

    const br = await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment?limit=50', headers: { ...engineer.auth, 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());

    const gzip = await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment?limit=50', headers: { ...engineer.auth, 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('sends small answers as they are', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('never inflates a compressed request body', async () => {
    const body = zlib.gzipSync(JSON.stringify({ email: 'admin@ght-demo.fr', password: 'Demo!2026' }));
    const res = await ctx.app.inject({
      method: 'POST', url: '/api/v1/auth/login', payload: body,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});
