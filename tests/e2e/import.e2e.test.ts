import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { ensureWebBuilt } from '../support/web-build.js';
import { launchChromium } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/app.js';
import { ROOT } from '../../scripts/lib/web-build.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * The import wizard (upload → mapping → dry run → commit through a real worker) and the scan
 * page's manual input, in the built SPA. The API and the workers run in this process: the
 * commit is a BullMQ job, which startTestServer() alone would leave waiting.
 */
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };

interface DeviceSummary {
  id: string;
  inventoryNumber: string;
}

let ctx: TestContext;
let workers: RunningWorkers;
let url: string;
let webDist: string;
let browser: Browser;
let token: string;
let chuId: string;
/** Code of a room of the CHU: the file's "Salle" column. */
let roomCode: string;
/** A device of the CHU, for the scan page. */
let device: DeviceSummary;

async function api<T>(pathname: string): Promise<T> {
  const res = await fetch(`${url}/api/v1${pathname}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, pathname).toBe(200);
  return (await res.json()) as T;
}

async function signIn(page: Page): Promise<void> {
  await page.getByTestId('login-email').fill(TECH.email);
  await page.getByTestId('login-password').fill(TECH.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-name').waitFor();
}

/** The page does not scroll sideways. */
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

const HEADER = "N° inventaire;Salle;Type;Marque;Modèle;N° série;Fournisseur;Mise en service;Prix d'achat;Statut";
const stamp = Date.now().toString(36).toUpperCase();
const number = (n: number) => `E2E-${stamp}-${n}`;

/** Three devices; the second one's commissioning date (31 February) is wrong in the first file. */
function inventoryCsv(badDate: boolean): string {
  return [
    HEADER,
    `${number(1)};${roomCode};Pousse-seringue électrique;B. Braun;Perfusor Space;SN-${stamp}-1;B. Braun Médical;02/01/2020;2 800,50 €;En service`,
    `${number(2)};${roomCode};Pousse-seringue électrique;B. Braun;Perfusor Space;SN-${stamp}-2;B. Braun Médical;${badDate ? '31/02/2020' : '28/02/2020'};2 800,50;En service`,
    `${number(3)};;Pousse-seringue électrique;B. Braun;Perfusor Space;SN-${stamp}-3;;;;En stock`,
  ].join('\r\n');
}

/** As Excel writes a CSV in France: Windows-1252 (every character here is Latin-1, but €). */
function windows1252(text: string): Buffer {
  return Buffer.from([...text].map((ch) => (ch === '€' ? 0x80 : ch.charCodeAt(0))));
}

describe('importing an inventory and scanning in the SPA', () => {
  const contexts: BrowserContext[] = [];

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    webDist = await ensureWebBuilt();
    ctx = await createTestContext({ webDistDir: webDist });
    workers = await startWorkers({ db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const address = ctx.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    url = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(TECH),
    });
    expect(res.status).toBe(200);
    const pair = (await res.json()) as { accessToken: string; user: { homeSite: { id: string } | null } };
    token = pair.accessToken;
    chuId = pair.user.homeSite!.id;
    const tree = await api<{ items: { kind: string; code: string }[] }>(`/sites/${chuId}/locations`);
    roomCode = tree.items.find((l) => l.kind === 'room')!.code;
    device = (await api<{ items: DeviceSummary[] }>(`/equipment?siteId=${chuId}&limit=1`)).items[0]!;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await workers?.close();
    await ctx?.close();
  });

  it('uploads a file, shows its problem by row and column, then imports the corrected file through the worker', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await page.goto(`${url}/`);
    await page.getByTestId('login-form').waitFor();
    await signIn(page);

    // From the inventory list, on the technician's site.
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('equipment-import').click();
    await page.waitForURL((u) => u.pathname === '/inventory/import' && u.searchParams.get('siteId') === chuId);
    expect(await page.getByTestId('import-site').inputValue()).toBe(chuId);

    // Step 1: the file, with its name and size.
    await page.getByTestId('import-file-input').setInputFiles({ name: 'inventaire.csv', mimeType: 'text/csv', buffer: windows1252(inventoryCsv(true)) });
    expect(await page.getByTestId('import-file-name').innerText()).toBe('inventaire.csv');
    expect(await page.getByTestId('import-file-size').innerText()).toMatch(/octets|ko/);
    await page.getByTestId('import-upload').click();

    // Step 2: the mapping is prefilled from the French headers; the sample shows the rows.
    await page.getByTestId('import-mapping').waitFor();
    await page.waitForURL((u) => !!u.searchParams.get('import'));
    expect(await page.getByTestId('import-file-summary').innerText()).toContain('windows-1252');
    expect(await page.getByTestId('import-map-inventoryNumber').inputValue()).toBe('N° inventaire');
    expect(await page.getByTestId('import-map-location').inputValue()).toBe('Salle');
    expect(await page.getByTestId('import-map-manufacturer').inputValue()).toBe('Marque');
    expect(await page.getByTestId('import-map-commissioningDate').inputValue()).toBe('Mise en service');
    expect(await page.getByTestId('import-map-acquisitionCost').inputValue()).toBe("Prix d'achat");
    expect(await page.getByTestId('import-map-udi').inputValue()).toBe('');
    expect(await page.getByTestId('import-sample').innerText()).toContain('31/02/2020');
    // Save the mapping for the site on the way.
    await page.getByTestId('import-save-mapping').check();
    await page.getByTestId('import-save-mapping-name').fill(`Export E2E ${stamp}`);
    await page.getByTestId('import-dry-run').click();

    // Step 3: one problem, on row 3 (the header is row 1), column "Mise en service".
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-row-count').innerText()).toBe('3');
    expect(await page.getByTestId('import-valid-rows').innerText()).toBe('2');
    expect(await page.getByTestId('import-problem-count').innerText()).toBe('1');
    const problem = page.getByTestId('import-problem');
    expect(await problem.count()).toBe(1);
    expect(await problem.getByTestId('import-problem-row').innerText()).toBe('3');
    expect(await problem.getByTestId('import-problem-column-name').innerText()).toBe('Mise en service');
    expect(await problem.getByTestId('import-problem-message').innerText()).toContain('31/02/2020');
    await page.getByTestId('import-problem-column').selectOption({ label: 'Mise en service' });
    expect(await problem.count()).toBe(1);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await page.getByTestId('form-alert').filter({ hasText: `Export E2E ${stamp}` }).waitFor();

    // Back to the mapping and forth: the choices are kept.
    await page.getByTestId('import-edit-mapping').click();
    expect(await page.getByTestId('import-map-commissioningDate').inputValue()).toBe('Mise en service');

    // The corrected file, uploaded again: the mapping saved for the site comes back.
    await page.getByTestId('import-back-to-file').click();
    await page.getByTestId('import-file-input').setInputFiles({ name: 'inventaire-corrige.csv', mimeType: 'text/csv', buffer: Buffer.from(inventoryCsv(false), 'utf8') });
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-mapping').waitFor();
    expect(await page.getByTestId('import-file-summary').innerText()).toContain('inventaire-corrige.csv');
    const preset = page.getByTestId('import-preset');
    expect(await preset.locator('option:checked').innerText()).toContain(`Export E2E ${stamp}`);
    expect(await page.getByTestId('import-map-commissioningDate').inputValue()).toBe('Mise en service');
    // The third row has no supplier: a default one, found by its label.
    await page.getByLabel(fr.imports.defaultSupplier).fill('Biomédical Services');
    await page.getByTestId('import-dry-run').click();

    await page.getByTestId('import-all-valid').waitFor();
    expect(await page.getByTestId('import-problem-count').innerText()).toBe('0');
    expect(await page.getByTestId('import-valid-rows').innerText()).toBe('3');
    const commit = page.getByTestId('import-commit');
    expect(await commit.isEnabled()).toBe(true);
    expect(await commit.innerText()).toBe('Importer 3 équipements');
    await commit.click();

    // Step 4: the job runs to the end, then the summary.
    await page.getByTestId('import-job').waitFor();
    await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-progress').getAttribute('value')).toBe('100');
    expect(await page.getByTestId('import-phase').innerText()).toBe(fr.imports.done);
    expect(await page.getByTestId('import-devices').innerText()).toBe('3 équipements importés');

    // A reload of the page shows the finished import again (the URL holds its id).
    await page.reload();
    await page.getByTestId('import-result').waitFor();
    expect(await page.getByTestId('import-devices').innerText()).toBe('3 équipements importés');

    // The inventory of the site has the imported devices.
    await page.getByTestId('import-see-inventory').click();
    await page.waitForURL((u) => u.pathname === '/inventory' && u.searchParams.get('siteId') === chuId);
    await page.getByTestId('inventory-search').fill(number(2));
    const link = page.getByTestId('equipment-link').filter({ hasText: number(2) });
    await link.waitFor();
    await link.click();
    await page.waitForURL(/\/inventory\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('equipment-inventory-number').innerText()).toBe(number(2));
    expect(await page.getByTestId('equipment-serial').innerText()).toBe(`SN-${stamp}-2`);
    // The list answers summaries: the supplier is on the device (GET /equipment/{id}).
    const listed = await api<{ items: { id: string }[] }>(`/equipment?q=${encodeURIComponent(`E2E-${stamp}`)}&limit=10`);
    const devices = await Promise.all(listed.items.map((e) => api<{ inventoryNumber: string; supplier: string | null }>(`/equipment/${e.id}`)));
    expect(devices.map((e) => [e.inventoryNumber, e.supplier])).toEqual([
      [number(1), 'B. Braun Médical'], [number(2), 'B. Braun Médical'], [number(3), 'Biomédical Services'],
    ]);
  });

  it('on a phone, the wizard fits the screen down to the problems table', async () => {
    const page = await newPage({ width: 360, height: 740 });
    await page.goto(`${url}/inventory/import`);
    await page.getByTestId('login-form').waitFor();
    await signIn(page);
    await page.getByTestId('import-file-form').waitFor();
    const csv = inventoryCsv(true).replaceAll(`E2E-${stamp}-`, `E2E-${stamp}-P`);
    await page.getByTestId('import-file-input').setInputFiles({ name: 'inventaire-telephone.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-mapping').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    // A reload before the commit resumes at the mapping: the file is not asked for again.
    await page.reload();
    await page.getByTestId('import-mapping').waitFor();
    await page.getByTestId('form-alert').filter({ hasText: 'inventaire-telephone.csv' }).waitFor();
    expect(await page.getByTestId('import-map-inventoryNumber').inputValue()).toBe('N° inventaire');
    expect(await page.getByTestId('import-file-summary').innerText()).toContain('inventaire-telephone.csv');

    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-problem').first().waitFor();
    expect(await page.getByTestId('import-problem-count').innerText()).toBe('1');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    // A commit job that refused the file (the data changed after the dry run): a reload shows
    // its problems by row and column.
    const importId = new URL(page.url()).searchParams.get('import')!;
    const { suggestedMapping } = await api<{ suggestedMapping: Record<string, string> }>(`/equipment-imports/${importId}`);
    const problem = { row: 3, column: 'N° inventaire', field: 'inventoryNumber', value: `E2E-${stamp}-P2`, message: 'n° d’inventaire déjà utilisé' };
    await ctx.database.db
      .updateTable('equipmentImports')
      .set({
        status: 'failed',
        mapping: JSON.stringify(suggestedMapping),
        error: "1 problème(s) dans le fichier : rien n'a été importé.",
        report: JSON.stringify({ rowCount: 3, problemCount: 1, problems: [problem] }),
      })
      .where('id', '=', importId)
      .execute();
    await page.reload();
    await page.getByTestId('import-failed').waitFor();
    expect(await page.getByTestId('import-failed').innerText()).toContain("1 problème(s) dans le fichier");
    const refused = page.getByTestId('import-problem');
    expect(await refused.count()).toBe(1);
    expect(await refused.getByTestId('import-problem-row').innerText()).toBe('3');
    expect(await refused.getByTestId('import-problem-message').innerText()).toBe(problem.message);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    // Back to a dry run with the commit's mapping (the dry run's one, here).
    await page.getByTestId('import-back-to-report').click();
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-problem-count').innerText()).toBe('1');
  });

  it('scan page: without a camera it says so, and a typed code opens the device or explains what is wrong', async () => {
    const page = await newPage({ width: 360, height: 740 });
    await page.goto(`${url}/`);
    await page.getByTestId('login-form').waitFor();
    await signIn(page);

    // On a phone the scanner is in the header.
    await page.getByTestId('header-scan').click();
    await page.waitForURL(`${url}/scan`);
    // Headless Chromium has no camera: the page says so and offers the manual input.
    const status = page.getByTestId('scan-camera-status');
    await status.filter({ hasText: /.+/ }).waitFor();
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 15_000 }).not.toBe('starting');
    expect(['no-camera', 'denied']).toContain(await status.getAttribute('data-state'));
    expect([fr.scan.noCamera, fr.scan.denied]).toContain(await status.locator('.scan-status-title').innerText());
    expect(await page.getByTestId('scan-video').isVisible()).toBe(false);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    // A malformed GS1 code: the API's French message says what is wrong.
    const input = page.getByTestId('scan-manual-input');
    await input.fill('(01)09506000134353');
    await page.getByTestId('scan-manual-submit').click();
    await page.getByTestId('scan-invalid').waitFor();
    expect(await page.getByTestId('scan-error-detail').innerText()).toContain('clé de contrôle');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    // A well-formed code of no device.
    await page.getByTestId('scan-again').click();
    await input.fill('INCONNU-0000');
    await page.getByTestId('scan-manual-submit').click();
    await page.getByTestId('scan-not-found').waitFor();
    expect(await page.getByTestId('scan-error-detail').innerText()).toBe('Aucun équipement ne correspond à ce code.');

    // An existing inventory number opens the device page.
    await page.getByTestId('scan-again').click();
    await input.fill(device.inventoryNumber);
    await page.getByTestId('scan-manual-submit').click();
    await page.waitForURL(`${url}/inventory/${device.id}`);
    expect(await page.getByTestId('equipment-inventory-number').innerText()).toBe(device.inventoryNumber);
  });

  it('bundles the barcode polyfill’s wasm and serves it from the app itself', async () => {
    const assets = fs.readdirSync(path.join(webDist, 'assets'));
    const wasm = assets.find((f) => /^zxing_reader-.*\.wasm$/.test(f));
    expect(wasm).toBeDefined();
    // The polyfill's chunk points at that file (not at a CDN, which hospitals cannot reach).
    const chunk = assets.find((f) => f.startsWith('barcode-polyfill-') && f.endsWith('.js'));
    expect(fs.readFileSync(path.join(webDist, 'assets', chunk!), 'utf8')).toContain(wasm);
    // Not in the main bundle: browsers with a native BarcodeDetector never load it.
    const index = assets.find((f) => /^index-.*\.js$/.test(f));
    expect(fs.readFileSync(path.join(webDist, 'assets', index!), 'utf8')).not.toContain('zxing');

    const res = await fetch(`${url}/assets/${wasm}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/wasm');
    // The very wasm the polyfill's glue code was built for.
    const webRequire = createRequire(path.join(ROOT, 'apps/web/package.json'));
    const ponyfill = (await import(pathToFileURL(webRequire.resolve('barcode-detector/ponyfill')).href)) as { ZXING_WASM_SHA256: string };
    const sha = createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
    expect(sha).toBe(ponyfill.ZXING_WASM_SHA256);
  });
});
