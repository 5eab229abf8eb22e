import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium, expectNoSideScroll, sideOverflow } from '../support/browser.js';

/**
 * Grouped purchasing on a 390 px phone (ADR 0014): an engineer finds the part below minimum
 * in the proposal, changes a store's quantity, places the order, downloads it as CSV and
 * receives it; the stores get their parts.
 */
const ADMIN = { email: 'admin@ght-demo.fr', password: 'Demo!2026' };
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const PHONE = { width: 390, height: 844 };
const SUPPLIER = 'Fournisseur E2E Achats';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;
let part: Json;
let stores: Json[];

async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<Json> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as Json;
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  token = ((await login.json()) as { accessToken: string }).accessToken;
  part = await api('/parts', { body: { reference: 'E2E-ACH-0001', description: 'Porte de pompe volumétrique', defaultSupplier: SUPPLIER } });
  // Two stores of two different sites: one with 1 part for a minimum of 4 (maximum 6), one empty for a minimum of 2.
  const all = (await api('/stores')).items as Json[];
  stores = [all[0]!, all.find((s) => s.siteId !== all[0]!.siteId)!];
  await api('/stock/movements', { body: { type: 'receipt', storeId: stores[0]!.id, partId: part.id, quantity: 1, unitCostCents: 4250 } });
  await api(`/stock/${stores[0]!.id}/${part.id}`, { method: 'PATCH', body: { minimum: 4, maximum: 6 } });
  await api(`/stock/${stores[1]!.id}/${part.id}`, { method: 'PATCH', body: { minimum: 2 } });

  context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true, acceptDownloads: true });
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('grouped purchasing on a phone', () => {
  it('proposes, orders, downloads and receives a grouped order', async () => {
    await page.goto(`${server.url}/purchasing`);
    await page.getByTestId('login-email').fill(ENGINEER.email);
    await page.getByTestId('login-password').fill(ENGINEER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('proposal-group').first().waitFor();

    await page.getByTestId('purchasing-filter-supplier').selectOption({ label: SUPPLIER });
    const line = page.locator(`[data-testid="proposal-line"][data-reference="${part.reference}"]`);
    await line.waitFor();
    await expect.poll(() => page.getByTestId('proposal-line').count()).toBe(1);
    const quantities = line.getByTestId('proposal-quantity');
    expect(await quantities.count()).toBe(2);
    const shown = await Promise.all([0, 1].map((i) => quantities.nth(i).inputValue()));
    expect(shown.map(Number).sort()).toEqual([2, 5]);
    const emptyStore = line.locator(`[data-testid="proposal-allocation"][data-store-id="${stores[1]!.id}"]`).getByTestId('proposal-quantity');
    await emptyStore.fill('3');
    await page.getByTestId('proposal-total').filter({ hasText: '340,00' }).waitFor();
    await expectNoSideScroll(page, 'proposal');

    await page.getByTestId('proposal-create').click();
    await page.getByTestId('form-alert').filter({ hasText: /Commande CG-\d{6} passée/ }).waitFor();
    const detail = page.getByTestId('order-detail');
    await detail.waitFor();
    await expect.poll(() => detail.getByTestId('order-allocation').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('0 reçu(s) sur 3'), expect.stringContaining('0 reçu(s) sur 5')]),
    );
    await page.getByTestId('proposal-empty').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), detail.getByTestId('order-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^commande-groupee-CG-\d{6}\.csv$/);

    await detail.getByTestId('receive-quantity').fill('8');
    await detail.getByTestId('receive-submit').click();
    await detail.getByTestId('detail-state').filter({ hasText: 'Reçue' }).waitFor();
    await page.getByTestId('form-alert').filter({ hasText: 'Réception enregistrée : 2 entrée(s) en stock.' }).waitFor();
    const after = await sideOverflow(page);
    expect(after.scrollWidth, after.culprits.join(', ')).toBeLessThanOrEqual(PHONE.width);

    const levels = await Promise.all(stores.map((s) => api(`/stock?storeId=${s.id}&partId=${part.id}`)));
    expect(levels.map((l) => l.items[0].onHand)).toEqual([6, 3]);
  });
});
