import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/web-build.js';
import { readPdf } from '../support/documents.js';
import { TEST_JWT_SECRET, TEST_REDIS_URL } from '../support/env.js';
import { exitOf, startProcess as start, processTestDatabase } from '../support/processes.js';
import { ensureServerBuilt } from '../support/server-build.js';

/**
 * The production build (ADR 0008): node itself runs the bundles, with nothing of tsx. What
 * they find at run time from their dist/ folders — the migrations, the import parser
 * thread, the PDF fonts (the npm package and apps/api/assets/fonts), the npm packages
 * they import — is found as it is from the sources.
 */
let files: Awaited<ReturnType<typeof processTestDatabase>>;
let url: string;
beforeAll(async () => {
  [files] = await Promise.all([processTestDatabase('pb'), ensureServerBuilt()]);
  ({ url } = files);
});
afterAll(async () => {
  await files?.drop();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the production build', () => {
  it('node runs the API bundle: health, sign-in and /me, an upload read by the parser thread, a PDF with the embedded fonts', async () => {
    const api = start('apps/api/dist/main.js', {
      DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: files.prefix, LOG_LEVEL: 'warn', START_REDIS: 'false', NODE_ENV: 'production',
    });
    try {
      const [, port] = await api.waitFor(/GMAO de territoire — http:\/\/localhost:(\d+)/);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/api/health`)).status).toBe(200);

      const login = async (email: string) => {
        const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'Demo!2026' }) });
        expect(res.status).toBe(200);
        return { authorization: `Bearer ${((await res.json()) as Json).accessToken}` };
      };
      const tech = await login('tech.chu@ght-demo.fr');
      const me = await fetch(`${base}/api/v1/me`, { headers: tech });
      expect(me.status).toBe(200);
      const site = ((await me.json()) as Json).homeSite.id as string;

      // The parser thread is packages/db/dist/imports/table-reader-thread.js.
      const form = new FormData();
      form.set('siteId', site);
      form.set('file', new Blob(['N° inventaire;N° série\r\nPB-001;SN-1\r\n'], { type: 'text/csv' }), 'inventaire.csv');
      const upload = await fetch(`${base}/api/v1/equipment-imports`, { method: 'POST', headers: tech, body: form });
      const uploaded = (await upload.json()) as Json;
      expect(upload.status, JSON.stringify(uploaded)).toBe(201);
      expect(uploaded).toMatchObject({ format: 'csv', separator: ';', rowCount: 1 });

      // DejaVu Sans from its npm package, the CJK fallback from apps/api/assets/fonts.
      const care = await login('soignant.chu@ght-demo.fr');
      const device = ((await (await fetch(`${base}/api/v1/equipment?siteId=${site}&status=in_service&limit=1`, { headers: care })).json()) as Json).items[0];
      const request = await fetch(`${base}/api/v1/work-requests`, {
        method: 'POST', headers: { ...care, 'content-type': 'application/json' },
        body: JSON.stringify({ equipmentId: device.id, symptom: 'Écran noir, signalé par 王小明', deviceOutOfService: false }),
      });
      expect(request.status).toBe(201);
      const report = await fetch(`${base}/api/v1/work-orders/${((await request.json()) as Json).id}/report.pdf`, { headers: care });
      expect(report.status).toBe(200);
      const pdf = await readPdf(new Uint8Array(await report.arrayBuffer()));
      expect(pdf.items.map((i) => i.str).join('')).toContain('王小明');

      api.child.kill('SIGTERM');
      expect(await exitOf(api.child)).toBe(0);
      expect(api.output()).not.toMatch(/"level":(50|60)/);
    } finally {
      api.killAll('SIGKILL');
    }
  });

  it('node runs the worker bundle, which stops cleanly on SIGTERM', async () => {
    const worker = start('apps/worker/dist/main.js', { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: files.prefix, LOG_LEVEL: 'info' });
    try {
      await worker.waitFor(/worker started/);
      worker.child.kill('SIGTERM');
      expect(await exitOf(worker.child)).toBe(0);
    } finally {
      worker.killAll('SIGKILL');
    }
  });

  it('the database commands run from their bundles', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'packages/db/dist/cli/migrate.js')], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url }, encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Database up to date \(\d+ migrations\)\./);
    expect(r.status).toBe(0);
  });
});
