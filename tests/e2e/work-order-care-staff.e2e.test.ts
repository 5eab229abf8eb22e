import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';

/**
 * Issue 9, items 10 and 15: care staff of the ward open a work order of their site that
 * someone else reported. They see the fault and its progress, not who to call back, and not
 * the technicians' sections that are empty and that they cannot fill in; a section appears
 * once it holds something. The site's technician sees every section and the callback.
 */
const CARE = { email: 'soignant.chu@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
const CALLBACK = { callbackName: 'IDE de nuit', callbackPhone: '04 72 11 22 33' };
const TECH_SECTIONS = ['wo-section-report', 'wo-section-labour', 'wo-section-checklist', 'wo-section-externals', 'wo-section-parts', 'wo-section-attachments', 'wo-section-signature'];

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let techToken: string;
let order: { id: string; number: string };

async function login(user: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api<T = Record<string, any>>(token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  expect(res.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(300);
  return (await res.json()) as T;
}

async function openAs(user: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  await page.goto(`${server.url}/work-orders/${order.id}`);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('work-order-number').filter({ hasText: order.number }).waitFor();
  // The sections have loaded their lines: the history is always shown and counted.
  await page.getByTestId('wo-section-history').locator('.badge').waitFor();
  return page;
}

const visible = async (page: Page, testid: string) => page.getByTestId(testid).isVisible();

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  techToken = await login(TECH);
  const me = await api<{ homeSite: { id: string } }>(techToken, '/me');
  const device = (await api<{ items: { id: string }[] }>(techToken, `/equipment?siteId=${me.homeSite.id}&status=in_service&limit=1`)).items[0]!;
  order = await api(techToken, '/work-requests', {
    method: 'POST',
    body: { equipmentId: device.id, symptom: 'Le moniteur perd la courbe de SpO2', deviceOutOfService: false, ...CALLBACK },
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the work-order page for care staff', () => {
  it('shows the fault without the callback, and none of the technicians’ empty sections', async () => {
    const page = await openAs(CARE);
    expect(await page.getByText('Le moniteur perd la courbe de SpO2').first().isVisible()).toBe(true);
    expect(await page.content()).not.toContain(CALLBACK.callbackPhone);
    for (const section of TECH_SECTIONS) expect(await visible(page, section), section).toBe(false);
    expect(await visible(page, 'wo-section-history')).toBe(true);
    await page.context().close();
  });

  it('shows a section once it holds something', async () => {
    const tech = await api<{ id: string }>(techToken, '/me');
    await api(techToken, `/work-orders/${order.id}/assignees`, { method: 'POST', body: { userId: tech.id } });
    await api(techToken, `/work-orders/${order.id}/parts`, { method: 'POST', body: { reference: 'CAP-SPO2', description: 'Capteur SpO2', quantity: 1 } });
    const page = await openAs(CARE);
    await page.getByTestId('wo-section-parts').waitFor({ state: 'visible' });
    expect(await page.getByTestId('wo-section-parts').innerText()).toContain('CAP-SPO2');
    for (const section of TECH_SECTIONS.filter((s) => s !== 'wo-section-parts')) expect(await visible(page, section), section).toBe(false);
    await page.context().close();
  });

  it('the site’s technician sees every section and who to call back', async () => {
    const page = await openAs(TECH);
    for (const section of TECH_SECTIONS) expect(await visible(page, section), section).toBe(true);
    expect(await page.getByRole('link', { name: CALLBACK.callbackPhone }).isVisible()).toBe(true);
    await page.context().close();
  });
});
