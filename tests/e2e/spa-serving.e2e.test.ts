import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../support/web-build.js';
import { createTestContext, problemOf, type TestContext } from '../support/app.js';

/** The API serves the built SPA: history-mode routes, cache headers, and problems under /api. */
let ctx: TestContext;
let asset: string;
beforeAll(async () => {
  const dist = await ensureWebBuilt();
  ctx = await createTestContext({ webDistDir: dist });
  const file = fs.readdirSync(path.join(dist, 'assets')).find((f) => f.endsWith('.js'));
  asset = `/assets/${file}`;
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

  it('keeps problems for the API and for missing files', async () => {
    const api = await ctx.app.inject({ method: 'GET', url: '/api/v1/inconnu' });
    expect(problemOf(api).code).toBe('route_not_found');
    const missing = await ctx.app.inject({ method: 'GET', url: '/assets/absent-123.js' });
    expect(missing.statusCode).toBe(404);
  });
});
