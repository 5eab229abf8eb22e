import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../support/web-build.js';
import { createTestContext, problemOf, type TestContext } from '../support/app.js';

/** The API serves the built SPA: history-mode routes, cache headers, and problems under /api. */
let ctx: TestContext;
let asset: string;
/** The main bundle, as index.html loads it, and its size on disk. */
let main: { url: string; bytes: number };
let webDist: string;
beforeAll(async () => {
  const dist = await ensureWebBuilt();
  webDist = dist;
  ctx = await createTestContext({ webDistDir: dist });
  const file = fs.readdirSync(path.join(dist, 'assets')).find((f) => f.endsWith('.js'));
  asset = `/assets/${file}`;
  const src = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(fs.readFileSync(path.join(dist, 'index.html'), 'utf8'))?.[1];
  if (!src) throw new Error('index.html loads no /assets/*.js');
  main = { url: src, bytes: fs.statSync(path.join(dist, src)).size };
});
afterAll(async () => {
  await ctx?.close();
});

describe('serving the SPA', () => {
  it('answers / and any app route with index.html, never cached', async () => {
    for (const url of ['/', '/login', '/admin/sites', '/une/route/profonde']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="app"');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    expect((await ctx.app.inject({ method: 'HEAD', url: '/login' })).statusCode).toBe(200);
  });

  it('serves hashed assets as immutable', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: asset });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends the JavaScript precompressed as the browser accepts it (brotli, gzip, or as is)', async () => {
    const get = (acceptEncoding?: string) =>
      ctx.app.inject({ method: 'GET', url: main.url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

    const br = await get('gzip, deflate, br, zstd');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.rawPayload.length).toBeLessThan(main.bytes / 2);
    expect(zlib.brotliDecompressSync(br.rawPayload).length).toBe(main.bytes);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);

    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(main.bytes / 2);
    expect(zlib.gunzipSync(gz.rawPayload).length).toBe(main.bytes);
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const identity = await get();
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.rawPayload.length).toBe(main.bytes);
    expect(String(identity.headers.vary)).toMatch(/accept-encoding/i);

    // The scanner's WebAssembly keeps its type, so that the browser compiles it while it arrives.
    const wasm = fs.readdirSync(path.join(webDist, 'assets')).find((f) => f.endsWith('.wasm'));
    if (wasm) {
      const res = await ctx.app.inject({ method: 'GET', url: `/assets/${wasm}`, headers: { 'accept-encoding': 'br' } });
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toBe('application/wasm');
    }
  });

  it('is the production build, as `pnpm build` makes it (not Vue’s development build)', () => {
    const source = fs.readFileSync(path.join(webDist, main.url), 'utf8');
    expect(source.includes('[Vue warn]'), 'Vue warnings bundled: a development build').toBe(false);
  });

  it('keeps index.html never cached, compressed or not', async () => {
    for (const url of ['/', '/index.html', '/work-orders']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
    }
  });

  it('keeps problems for the API and for missing files', async () => {
    const api = await ctx.app.inject({ method: 'GET', url: '/api/v1/inconnu' });
    expect(problemOf(api).code).toBe('route_not_found');
    const missing = await ctx.app.inject({ method: 'GET', url: '/assets/absent-123.js' });
    expect(missing.statusCode).toBe(404);
  });
});
