import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';

/**
 * The home page's stock alerts panel on a 390 px phone: a site manager sees the open
 * below-minimum alerts of their site (the demo seed raised them), without scrolling
 * sideways; a technician and care staff see no panel.
 */
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'Demo!2026';

let server: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];

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

async function signedIn(email: string, uiLocale: 'fr' | 'en' = 'fr'): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
  contexts.push(context);
  await context.addInitScript(`localStorage.setItem('gmao.locale', '${uiLocale}')`);
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-greeting').waitFor();
  return page;
}

async function api<T>(token: string, path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('stock alerts on the home page', () => {
  it('shows a site manager the open alerts of their site at 390 px, without sideways scrolling', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'responsable.ch1@ght-demo.fr', password: PASSWORD }),
    });
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { roles: { siteId: string | null }[] } };
    const siteId = user.roles.find((r) => r.siteId)!.siteId!;
    const open = await api<{ items: { partReference: string; onHand: number; minimum: number }[] }>(accessToken, `/stock/alerts?siteId=${siteId}&limit=10`);
    expect(open.items.length).toBeGreaterThan(0);

    const page = await signedIn('responsable.ch1@ght-demo.fr');
    const panel = page.getByTestId('stock-alerts');
    await panel.getByTestId('stock-alert').first().waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).innerText()).toContain('Alertes de stock');
    const first = await panel.getByTestId('stock-alert').first().innerText();
    expect(first).toContain(open.items[0]!.partReference);
    expect(first).toContain(`En stock ${open.items[0]!.onHand} / minimum ${open.items[0]!.minimum}`);
    expect(first).toMatch(/Depuis le \d{2}\/\d{2}\/\d{4}/);
    // The demo's site has more than a page of them: the count says so, "Afficher plus" shows the next five.
    expect(open.items.length).toBe(10);
    expect(await panel.getByTestId('stock-alert').count()).toBe(5);
    expect(await panel.getByTestId('stock-alerts-count').innerText()).toBe('5 alertes ou plus');
    await panel.getByTestId('stock-alerts-more').click();
    await panel.getByTestId('stock-alert').nth(9).waitFor();
    expect(await panel.getByTestId('stock-alert').nth(5).innerText()).toContain(open.items[5]!.partReference);
    await page.waitForLoadState('networkidle');
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE.width);
  });

  it('speaks English when English is the chosen language (the home page is a shell page: the panel loads its texts)', async () => {
    const page = await signedIn('responsable.ch1@ght-demo.fr', 'en');
    const panel = page.getByTestId('stock-alerts');
    await panel.getByTestId('stock-alert').first().waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await panel.getByRole('heading', { level: 2 }).innerText()).toContain('Stock alerts');
    expect(await panel.getByTestId('stock-alert').first().innerText()).toMatch(/On hand \d+ \/ minimum \d+/);
    expect(await panel.innerText()).not.toContain('stockAlerts.');
  });

  it('shows no panel to a technician or to care staff', async () => {
    for (const email of ['tech.ch1@ght-demo.fr', 'soignant.chu@ght-demo.fr']) {
      const page = await signedIn(email);
      await page.waitForLoadState('networkidle');
      expect(await page.getByTestId('stock-alerts').count(), email).toBe(0);
    }
  });
});
