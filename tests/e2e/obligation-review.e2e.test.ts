import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/** The engineers' list of devices whose obligation flags disagree with the legal obligations (docs/regulatory.md). */
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];
let device: Json;

async function api(path: string, init: { token?: string; method?: string; body?: unknown } = {}): Promise<Json> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Json;
}

async function signedInPage(user: { email: string; password: string }, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  return page;
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  // An ultrasound scanner (class IIa, no ionising radiation) recorded with both obligations ticked.
  const { accessToken, user } = await api('/auth/login', { method: 'POST', body: TECH });
  const categories = (await api('/equipment-categories', { token: accessToken })).items as Json[];
  const echo = categories.find((c) => c.code === 'IMAG-ECHO')!;
  const model = (await api(`/equipment-models?categoryId=${echo.id}`, { token: accessToken })).items[0];
  device = await api('/equipment', {
    token: accessToken, method: 'POST',
    body: { inventoryNumber: `OBL-${Date.now().toString(36)}`, siteId: user.homeSite.id, modelId: model.id, maintenanceObligation: true, qualityControlObligation: true },
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

describe('obligations to review', () => {
  it('lists the device for an engineer, one row per disagreeing flag, and the device page says why', async () => {
    const page = await signedInPage(ENGINEER, '/');
    await page.getByTestId('nav-obligation-review').click();
    await page.getByTestId('obligation-review').waitFor();
    const rows = page.getByTestId('obligation-review-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain(device.inventoryNumber);
    expect(await rows.nth(0).innerText()).toContain(fr.obligationKinds.maintenance);
    expect(await rows.nth(1).innerText()).toContain(fr.obligationKinds.qualityControl);

    // Only the quality-control disagreements.
    await page.getByTestId('obligation-filter-kind').selectOption('qualityControl');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.nth(0).innerText()).toContain(fr.obligationKinds.qualityControl);

    await page.getByRole('link', { name: device.inventoryNumber }).click();
    await page.getByTestId('equipment-obligation-mismatch').waitFor();
    expect(await page.getByTestId('equipment-obligation-mismatch').innerText()).toContain(fr.equipment.obligationMismatch);
    expect(await page.getByTestId('equipment-quality-control-obligation').innerText()).toContain('Selon la réglementation : Non');
  });

  it('is not offered to a technician', async () => {
    const page = await signedInPage(TECH, '/');
    await page.getByTestId('nav-inventory').waitFor();
    expect(await page.getByTestId('nav-obligation-review').count()).toBe(0);
    await page.goto(`${server.url}/inventory/obligations`);
    await page.waitForURL(/\/forbidden$/);
  });
});
