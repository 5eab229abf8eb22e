import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import en from '../../apps/web/src/i18n/en.ts';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * The stock pages on a phone (390 px): a site manager finds the parts below their minimum,
 * receives some and counts them; a technician finds a part held only at another site and asks
 * for a transfer; the same pages in English show no raw i18n key.
 */
const MANAGER = { email: 'responsable.ch1@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
/** packages/db/src/seed/demo-stock.ts DEMO_ONLY_ELSEWHERE_REFERENCE: held only at CH3. */
const ONLY_ELSEWHERE = 'PDR-CELL-O2-EV800';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let server: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];

async function token(user: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}
async function api(user: { email: string; password: string }, path: string): Promise<Json> {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${await token(user)}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

async function signedIn(user: { email: string; password: string }, path: string, locale: 'fr' | 'en' = 'fr'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: locale === 'fr' ? 'fr-FR' : 'en-GB', timezoneId: 'Europe/Paris', hasTouch: true });
  contexts.push(context);
  await context.addInitScript(`localStorage.setItem('gmao.locale', '${locale}')`);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-name').waitFor();
  return page;
}

/** Nothing wider than the phone's screen. */
async function fitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

describe('stock pages on a phone', () => {
  it('a site manager filters below minimum, receives a part and counts it', async () => {
    const page = await signedIn(MANAGER, '/');
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-stock').click();
    await page.getByTestId('stock-page').waitFor();
    await page.getByTestId('stock-row').first().waitFor();
    // The manager's site (CH de Bellerive) is shown by default.
    const siteId = await page.getByTestId('stock-site').inputValue();
    expect(siteId).not.toBe('');
    expect(page.url()).toContain(`siteId=${siteId}`);

    await page.getByTestId('stock-below-minimum').check();
    await page.waitForURL(/belowMinimum=true/);
    await page.getByTestId('stock-row-below').first().waitFor();
    const rows = page.getByTestId('stock-row');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    expect(await page.getByTestId('stock-row-below').count()).toBe(count);
    expect((await rows.first().innerText())).toContain(fr.stock.belowBadge);

    // Open the first part: its detail, its movements (the demo's receipt).
    const row = rows.first();
    const reference = (await row.getByTestId('stock-row-reference').innerText()).trim();
    const before = Number(await row.getByTestId('stock-row-on-hand').innerText());
    await row.getByTestId('stock-row-open').click();
    const detail = page.getByTestId('stock-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toContain(reference);
    expect(Number(await page.getByTestId('stock-detail-on-hand').innerText())).toBe(before);
    await fitsPhone(page);

    // A receipt: 5 at 12,50 €.
    await page.getByTestId('stock-action-receipt').click();
    await page.getByTestId('stock-quantity').fill('5');
    await page.getByTestId('stock-unit-cost').fill('12,50');
    await page.getByTestId('stock-supplier').fill('Medisupply');
    await page.getByTestId('stock-po').fill('BC-2026-117');
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-detail-on-hand').filter({ hasText: String(before + 5) }).waitFor();
    expect(Number(await row.getByTestId('stock-row-on-hand').innerText())).toBe(before + 5);
    const first = page.getByTestId('stock-movement').first();
    await first.getByTestId('stock-movement-type').filter({ hasText: fr.stockMovementTypes.receipt }).waitFor();
    expect(await first.getByTestId('stock-movement-delta').innerText()).toBe('+5');
    expect(await first.innerText()).toContain('BC-2026-117');
    expect(await first.innerText()).toContain('Romain Responsable');

    // A count: without a reason it is refused; the same quantity changes nothing; one fewer is recorded.
    await page.getByTestId('stock-action-count').click();
    await page.getByTestId('stock-counted').fill(String(before + 4));
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-form-count').locator('.field-error').first().waitFor();
    expect(await page.getByTestId('stock-form-count').getByTestId('form-alert').innerText()).toContain(fr.stock.forms.reason);
    await page.getByTestId('stock-counted').fill(String(before + 5));
    await page.getByTestId('stock-reason').fill('Inventaire tournant');
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-form-count').getByText(fr.stock.forms.countUnchanged).waitFor();
    await page.getByTestId('stock-counted').fill(String(before + 4));
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-detail-on-hand').filter({ hasText: String(before + 4) }).waitFor();
    const counted = page.getByTestId('stock-movement').first();
    await counted.getByTestId('stock-movement-type').filter({ hasText: fr.stockMovementTypes.adjustment }).waitFor();
    expect(await counted.getByTestId('stock-movement-delta').innerText()).toBe('\u22121');
    expect(await counted.getByTestId('stock-movement-reason').innerText()).toBe('Inventaire tournant');
    await fitsPhone(page);

    // The ledger agrees.
    const stock = await api(MANAGER, `/stock?siteId=${siteId}&q=${encodeURIComponent(reference)}`);
    expect(stock.items.some((s: Json) => s.partReference === reference && s.onHand === before + 4)).toBe(true);
  });

  it('a technician finds a part held only at another site and asks for a transfer', async () => {
    // At their own site, an issue of more than is available: the API's 409, in words.
    const page = await signedIn(TECH, '/stock');
    await page.getByTestId('stock-row').first().waitFor();
    await page.getByTestId('stock-row-open').first().click();
    await page.getByTestId('stock-action-issue').click();
    const available = Number(await page.getByTestId('stock-detail-available').innerText());
    await page.getByTestId('stock-quantity').fill(String(available + 50));
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-form-issue').getByText('Stock insuffisant').first().waitFor();
    expect(await page.getByTestId('stock-form-issue').locator('.field-error').innerText()).toContain(`${available} disponible`);
    // A work order is named by its number; one that does not exist is said so, in words.
    await page.getByTestId('stock-quantity').fill('1');
    await page.getByTestId('stock-work-order').fill('BT-1999-999999');
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-form-issue').getByText('Aucun bon de travail ne porte ce numéro.').waitFor();
    // A technician's return goes with a work order.
    await page.getByTestId('stock-action-return').click();
    await page.getByTestId('stock-quantity').fill('1');
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-form-return').getByText('Un retour se rattache au bon de travail').waitFor();
    // Receipts and counts are for the site's managers and engineers.
    expect(await page.getByTestId('stock-action-receipt').count()).toBe(0);

    await page.goto(`${server.url}/stock/availability`);
    await page.getByTestId('stock-availability-page').waitFor();
    await page.getByTestId('availability-q').fill('cellule o2 evita');
    await page.getByTestId('availability-submit').click();
    const item = page.getByTestId('availability-item').filter({ hasText: ONLY_ELSEWHERE });
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.getByTestId('availability-site').innerText()).toBe('CH des Trois-Rivières');
    expect(await item.getByTestId('availability-distance').innerText()).toMatch(/km$/);
    await fitsPhone(page);

    await item.getByTestId('availability-request').click();
    await item.getByTestId('transfer-quantity').fill('1');
    await item.getByTestId('transfer-reason').fill('Cellule O₂ épuisée sur le respirateur de réanimation');
    await item.getByTestId('transfer-submit').click();
    const link = item.getByTestId('transfer-see-all');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/stock/transfers');

    const part = (await api(TECH, `/parts?q=${ONLY_ELSEWHERE}`)).items[0] as Json;
    const transfers = await api(TECH, `/stock/transfers?partId=${part.id}&state=requested`);
    expect(transfers.items).toHaveLength(1);
    expect(transfers.items[0]).toMatchObject({ state: 'requested', quantityRequested: 1, reason: 'Cellule O₂ épuisée sur le respirateur de réanimation' });
  });

  it('in English, the stock pages show no raw i18n key', async () => {
    const RAW = /\b(stock|nav|common|partUnits|stockMovementTypes)\.[a-zA-Z]+/;
    const page = await signedIn(MANAGER, '/stock', 'en');
    await page.getByTestId('stock-row').first().waitFor();
    await page.getByTestId('stock-row-open').first().click();
    await page.getByTestId('stock-movement').first().waitFor();
    // The API's 409 in English.
    await page.getByTestId('stock-action-issue').click();
    await page.getByTestId('stock-quantity').fill('99999');
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-form-issue').getByText(en.errors.api.insufficient_stock).first().waitFor();
    await page.getByTestId('stock-action-receipt').click();
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(RAW);
    expect(text).toContain('Spare parts stock');
    expect(text).toContain('On hand');

    await page.goto(`${server.url}/stock/availability?q=${ONLY_ELSEWHERE}`);
    await page.getByTestId('availability-item').first().waitFor();
    await page.getByTestId('availability-request').first().click();
    expect(await page.locator('main').innerText()).not.toMatch(RAW);

    await page.goto(`${server.url}/stock/parts`);
    await page.getByTestId('part-row').first().waitFor();
    await page.getByTestId('part-create').click();
    expect(await page.locator('main').innerText()).not.toMatch(RAW);
  });
});
