import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };

interface DeviceSummary {
  id: string;
  inventoryNumber: string;
  serialNumber: string | null;
  supplier: string | null;
  site: { id: string };
}

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let token: string;
let chuId: string;
/** A device of the CHU, picked through the API: the UI must find and show the same one. */
let device: DeviceSummary;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
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

describe('the inventory in the SPA', () => {
  const contexts: BrowserContext[] = [];

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(TECH),
    });
    expect(res.status).toBe(200);
    const pair = (await res.json()) as { accessToken: string; user: { homeSite: { id: string } | null } };
    token = pair.accessToken;
    expect(pair.user.homeSite).not.toBeNull();
    chuId = pair.user.homeSite!.id;
    const list = await api<{ items: DeviceSummary[] }>(`/equipment?siteId=${chuId}&limit=1`);
    expect(list.items.length).toBe(1);
    device = list.items[0]!;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('finds a device, opens it, edits its supplier and shows the edit in the history', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    await page.goto(`${server.url}/`);
    await page.getByTestId('login-form').waitFor();
    await signIn(page);

    // Inventaire: the list opens on the technician's current site, and says so in the URL.
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('equipment-row').first().waitFor();
    expect(await page.getByTestId('nav-inventory').innerText()).toBe(fr.nav.inventory);
    await page.waitForURL((url) => url.searchParams.get('siteId') === chuId);
    // The technician may register devices at their site.
    expect(await page.getByTestId('equipment-create').innerText()).toBe(fr.inventory.create);

    // Search by serial number (or inventory number when the device has none).
    const text = device.serialNumber ?? device.inventoryNumber;
    await page.getByTestId('inventory-search').fill(text);
    await page.waitForURL((url) => url.searchParams.get('q') === text);
    const link = page.getByTestId('equipment-link').filter({ hasText: device.inventoryNumber });
    await link.waitFor();

    // The view survives a reload: the filters live in the URL.
    await page.reload();
    await link.waitFor();
    expect(await page.getByTestId('inventory-search').inputValue()).toBe(text);

    await link.click();
    await page.waitForURL(`${server.url}/inventory/${device.id}`);
    expect(await page.getByTestId('equipment-inventory-number').innerText()).toBe(device.inventoryNumber);
    await page.getByTestId('history-item').first().waitFor();

    // Edit the supplier.
    const supplier = `Fournisseur E2E ${Date.now()}`;
    await page.getByTestId('equipment-edit').click();
    await page.getByTestId('equipment-form').waitFor();
    expect(await page.getByTestId('eq-inventory-number').inputValue()).toBe(device.inventoryNumber);
    await page.getByTestId('eq-supplier').fill(supplier);
    await page.getByTestId('equipment-save').click();

    await page.getByTestId('form-alert').filter({ hasText: fr.equipment.saved }).waitFor();
    expect(await page.getByTestId('equipment-supplier').innerText()).toBe(supplier);
    // Newest first: the edit heads the timeline, with the changed field and its new value.
    const latest = page.getByTestId('history-item').first();
    await latest.getByTestId('history-kind').filter({ hasText: fr.historyKinds.updated }).waitFor();
    const changes = await latest.getByTestId('history-changes').innerText();
    expect(changes).toContain(fr.equipment.supplier);
    expect(changes).toContain(supplier);

    // The API agrees.
    const stored = await api<DeviceSummary>(`/equipment/${device.id}`);
    expect(stored.supplier).toBe(supplier);
  });

  it('on a phone, shows the list as cards, the device page, and resolves a QR label link', async () => {
    const page = await newPage({ width: 360, height: 740 });
    await page.goto(`${server.url}/e/${encodeURIComponent(device.inventoryNumber)}`);
    await page.getByTestId('login-form').waitFor();
    await signIn(page);

    // The label's link lands on the device page.
    await page.waitForURL(`${server.url}/inventory/${device.id}`);
    expect(await page.getByTestId('equipment-inventory-number').innerText()).toBe(device.inventoryNumber);
    await page.getByTestId('history-item').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    await page.getByTestId('equipment-back').click();
    await page.getByTestId('equipment-row').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    // Filters fold away on a phone.
    expect(await page.getByTestId('inventory-filters').isVisible()).toBe(false);
    await page.getByTestId('inventory-filters-toggle').click();
    await page.getByTestId('inventory-filters').waitFor({ state: 'visible' });

    // An unknown label says so.
    await page.goto(`${server.url}/e/INCONNU-0000`);
    await page.getByTestId('lookup-not-found').waitFor();
    expect(await page.getByTestId('lookup-not-found').innerText()).toBe(fr.lookup.notFound);
  });
});
