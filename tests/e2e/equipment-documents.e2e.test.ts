import fs from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * Documents and decommissioning in the built SPA: the device's QR label, a réforme asked for
 * by a technician and approved by the site manager, label sheets (PDF) for a selection, and
 * the CSV export of the filtered list.
 */
const MANAGER = { email: 'responsable.ch1@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.ch1@ght-demo.fr', password: 'Demo!2026' };

interface DeviceSummary {
  id: string;
  inventoryNumber: string;
  status: string;
}

/** The CSV export's header line (French Excel: `;`). */
const CSV_HEADER = [
  "N° d'inventaire", 'Site', 'Localisation', 'Catégorie', 'Fabricant', 'Modèle', 'Classe de risque', 'N° de série', 'UDI-DI',
  'Fournisseur', "Date d'acquisition", "Coût d'acquisition (€)", 'Date de mise en service', 'Fin de garantie', 'Propriété',
  'Statut', 'Mode de maintenance', 'Criticité', 'Score EM', 'Entité UDI',
].join(';');

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let token: string;
let ch1Id: string;
/** Devices of CH1 in the active inventory, by inventory number. */
let devices: DeviceSummary[];

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Every device GET /equipment returns for these filters, through its keyset pages. */
async function listAll(filters: string): Promise<DeviceSummary[]> {
  const all: DeviceSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: DeviceSummary[]; nextCursor: string | null } = await api(
      `/equipment?${filters}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-name').waitFor();
}

/** The page does not scroll sideways. */
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/** Clicks and returns the download the click starts. */
async function downloadOf(page: Page, click: () => Promise<void>): Promise<{ download: Download; body: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { download, body: fs.readFileSync(file) };
}

/** Records of a CSV (CRLF between records, quoted cells may hold line breaks). */
function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      records.push(text.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

describe('labels, exports and decommissioning in the SPA', () => {
  const contexts: BrowserContext[] = [];

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
    contexts.push(context);
    return context.newPage();
  }

  async function openSignedIn(path: string, user: { email: string; password: string }, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await newPage(viewport);
    await page.goto(`${server.url}${path}`);
    await page.getByTestId('login-form').waitFor();
    await signIn(page, user);
    return page;
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(MANAGER),
    });
    expect(res.status).toBe(200);
    const pair = (await res.json()) as { accessToken: string; user: { homeSite: { id: string; shortCode: string } | null } };
    token = pair.accessToken;
    expect(pair.user.homeSite?.shortCode).toBe('CH1');
    ch1Id = pair.user.homeSite!.id;
    devices = (await api<{ items: DeviceSummary[] }>(`/equipment?siteId=${ch1Id}&limit=5`)).items;
    expect(devices.length).toBe(5);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('shows the device’s label; the technician asks for a réforme, the site manager approves it', async () => {
    const device = devices[0]!;

    // The technician of CH1 opens the device: its label is shown (fetched with the token).
    const tech = await openSignedIn(`/inventory/${device.id}`, TECH);
    await tech.waitForURL(`${server.url}/inventory/${device.id}`);
    const image = tech.getByTestId('equipment-label-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: { complete: boolean; naturalWidth: number }) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    expect(await tech.getByTestId('equipment-label').innerText()).toContain(`${server.url}/e/${encodeURIComponent(device.inventoryNumber)}`);

    // The label downloads as SVG.
    const svg = await downloadOf(tech, () => tech.getByTestId('equipment-label-download').click());
    expect(svg.download.suggestedFilename()).toMatch(/^etiquette-.*\.svg$/);
    expect(svg.body.toString('utf8')).toContain(`>${device.inventoryNumber}</text>`);

    // The technician asks for the réforme; only the site manager decides.
    await tech.getByTestId('decommission-request').click();
    await tech.getByTestId('decommission-reason-select').selectOption('scrap');
    await tech.getByTestId('decommission-comment').fill('Carte mère HS, réparation non rentable');
    await tech.getByTestId('decommission-submit').click();
    await tech.getByTestId('form-alert').filter({ hasText: fr.decommission.requested }).waitFor();
    const pending = tech.getByTestId('decommission-pending');
    await pending.waitFor();
    expect(await tech.getByTestId('decommission-reason').innerText()).toBe(fr.decommissionReasons.scrap);
    expect(await tech.getByTestId('decommission-approve').count()).toBe(0);
    expect(await tech.getByTestId('decommission-request').count()).toBe(0);
    expect(await pending.innerText()).toContain(fr.decommission.waitingManager);
    await tech.getByTestId('history-kind').filter({ hasText: fr.historyKinds.decommission_requested }).first().waitFor();

    // The site manager, in another browser, sees the request and approves it.
    const manager = await openSignedIn(`/inventory/${device.id}`, MANAGER);
    await manager.getByTestId('decommission-pending').waitFor();
    expect(await manager.getByTestId('decommission-requested-by').innerText()).toContain('Camille Technicienne');
    await manager.getByTestId('decommission-decision-comment').fill('Accord : mise au rebut par la filière DEEE');
    manager.once('dialog', (dialog) => void dialog.accept());
    await manager.getByTestId('decommission-approve').click();

    // The device is réformé: banner, no more edit, move or status actions; record and history stay.
    const banner = manager.getByTestId('decommissioned-banner');
    await banner.waitFor();
    const bannerText = await banner.innerText();
    expect(bannerText).toContain('Réformé le ');
    expect(bannerText).toContain(`(${fr.decommissionReasons.scrap})`);
    await manager.getByTestId('form-alert').filter({ hasText: fr.decommission.approved }).waitFor();
    expect(await manager.getByTestId('equipment-edit').count()).toBe(0);
    expect(await manager.getByTestId('equipment-move').count()).toBe(0);
    expect(await manager.locator('[data-testid^="status-to-"]').count()).toBe(0);
    expect(await manager.getByTestId('status-badge').first().innerText()).toBe(fr.equipmentStatuses.decommissioned);
    await manager.getByTestId('history-kind').filter({ hasText: fr.historyKinds.decommissioned }).first().waitFor();
    const past = manager.getByTestId('decommission-past');
    expect(await past.count()).toBe(1);
    expect(await past.innerText()).toContain('Accord : mise au rebut');
    expect(await manager.getByTestId('decommission-request').count()).toBe(0);

    // Gone from the default inventory list; back with the "Réformé" status filter.
    await manager.goto(`${server.url}/inventory?siteId=${ch1Id}&q=${encodeURIComponent(device.inventoryNumber)}`);
    await manager.getByTestId('inventory-empty').waitFor();
    await manager.getByTestId('inventory-status').locator('summary').click();
    const decommissioned = manager.getByTestId('inventory-status-decommissioned');
    expect((await decommissioned.locator('xpath=..').innerText()).trim()).toBe(fr.equipmentStatuses.decommissioned);
    await decommissioned.check();
    await manager.getByTestId('equipment-link').filter({ hasText: device.inventoryNumber }).waitFor();

    // The technician's page, once reloaded, shows it too.
    await tech.reload();
    await tech.getByTestId('decommissioned-banner').waitFor();
  });

  it('downloads the label sheet (PDF) of two selected devices', async () => {
    const page = await openSignedIn(`/inventory?siteId=${ch1Id}`, MANAGER);
    const rows = page.getByTestId('equipment-row');
    await rows.first().waitFor();
    const count = page.getByTestId('selection-count');
    expect(await count.innerText()).toBe('Aucun équipement sélectionné');
    expect(await page.getByTestId('labels-pdf').isDisabled()).toBe(true);

    // Select all the rows shown, then clear.
    await page.getByTestId('select-shown').check();
    expect(await count.innerText()).toBe(`${await rows.count()} équipements sélectionnés`);
    await page.getByTestId('selection-clear').click();
    expect(await count.innerText()).toBe('Aucun équipement sélectionné');

    await rows.nth(0).getByTestId('equipment-select').check();
    await rows.nth(1).getByTestId('equipment-select').check();
    expect(await count.innerText()).toBe('2 équipements sélectionnés');
    expect(await page.getByTestId('select-shown').evaluate((box: { indeterminate: boolean }) => box.indeterminate)).toBe(true);

    await page.getByTestId('label-format').selectOption('a4-2x5');
    const pdf = await downloadOf(page, () => page.getByTestId('labels-pdf').click());
    expect(pdf.download.suggestedFilename()).toBe('etiquettes.pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.getByTestId('form-alert').filter({ hasText: 'Planches téléchargées : 2 étiquettes.' }).waitFor();

    // On a phone, the list with its selection fits the screen.
    const phone = await openSignedIn(`/inventory?siteId=${ch1Id}`, MANAGER, { width: 360, height: 740 });
    await phone.getByTestId('equipment-row').first().waitFor();
    await phone.getByTestId('equipment-row').nth(1).getByTestId('equipment-select').check();
    expect(await phone.getByTestId('selection-count').innerText()).toBe('1 équipement sélectionné');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
  });

  it('exports the filtered list as CSV, every device the list holds', async () => {
    const filters = `siteId=${ch1Id}&status=in_service`;
    const page = await openSignedIn(`/inventory?${filters}`, MANAGER);
    await page.getByTestId('equipment-row').first().waitFor();

    await page.getByTestId('export-menu').locator('summary').click();
    const csv = await downloadOf(page, () => page.getByTestId('export-csv').click());
    expect(csv.download.suggestedFilename()).toMatch(/^inventaire-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.getByTestId('form-alert').filter({ hasText: csv.download.suggestedFilename() }).waitFor();
    expect(await page.getByTestId('export-progress').count()).toBe(0);

    // UTF-8 with a BOM, `;`, the French header, then one line per device of the same list.
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = csvRecords(csv.body.toString('utf8').replace(/^\uFEFF/, ''));
    expect(records[0]).toBe(CSV_HEADER);
    const expected = await listAll(filters);
    expect(expected.length).toBeGreaterThan(50);
    expect(records.length - 1).toBe(expected.length);
    expect(records.slice(1).map((r) => r.split(';')[0]!.replace(/^"|"$/g, ''))).toEqual(expected.map((d) => d.inventoryNumber));
  });

  it('on a phone, the device page shows the label and the réforme without scrolling sideways', async () => {
    const device = devices[1]!;
    const page = await openSignedIn(`/inventory/${device.id}`, TECH, { width: 360, height: 740 });
    const image = page.getByTestId('equipment-label-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: { complete: boolean; naturalWidth: number }) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    await page.getByTestId('decommission-request').click();
    await page.getByTestId('decommission-form').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  });
});
