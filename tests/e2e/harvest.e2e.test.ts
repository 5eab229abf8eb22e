import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import en from '../../apps/web/src/i18n/en.ts';

/** On a phone: the site manager records the parts taken from a device decommissioned for parts harvesting (issue 12). */
const MANAGER = { email: 'responsable.ch1@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.ch1@ght-demo.fr', password: 'Demo!2026' };
let server: { url: string; close(): Promise<void> };
let browser: Browser;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function signIn(who: { email: string; password: string }): Promise<{ token: string; siteId: string }> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  const pair = (await res.json()) as { accessToken: string; user: { homeSite: { id: string } } };
  return { token: pair.accessToken, siteId: pair.user.homeSite.id };
}
async function call(token: string, method: string, path: string, body?: object): Promise<Json> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Json;
}

let manager: { token: string; siteId: string };
let device: Json;
let part: Json;

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  manager = await signIn(MANAGER);
  const tech = await signIn(TECH);
  device = (await call(tech.token, 'GET', `/equipment?siteId=${tech.siteId}&status=in_service&limit=1`)).items[0];
  part = await call(manager.token, 'POST', '/parts', { reference: 'RECUP-E2E-01', description: 'Carte d’alimentation récupérée', unit: 'piece' });
  const request = await call(tech.token, 'POST', `/equipment/${device.id}/decommissions`, { reason: 'parts_harvesting', comment: 'Carte mère HS' });
  await call(manager.token, 'POST', `/equipment/${device.id}/decommissions/${request.id}/decision`, { decision: 'approve' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('parts harvested from a réforme, on a phone', () => {
  it('the site manager records them into a store of the device site and sees them listed, in French then English', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/inventory/${device.id}`);
    await page.getByTestId('login-email').fill(MANAGER.email);
    await page.getByTestId('login-password').fill(MANAGER.password);
    await page.getByTestId('login-submit').click();

    await page.getByTestId('harvest-empty').waitFor();
    await page.getByTestId('harvest-open').click();
    // Nothing chosen: nothing to send.
    expect(await page.getByTestId('harvest-submit').isDisabled()).toBe(true);
    await page.getByTestId('harvest-search').fill('RECUP-E2E');
    await page.getByTestId('harvest-choice').filter({ hasText: 'RECUP-E2E-01' }).click();
    await page.getByTestId('harvest-quantity').fill('2');
    // A cost that is not an amount is refused in the form.
    await page.getByTestId('harvest-cost').fill('douze');
    await page.getByTestId('harvest-submit').click();
    await page.getByText('Montant en euros').waitFor();
    await page.getByTestId('harvest-cost').fill('12,50');
    await page.getByTestId('harvest-note').fill('Démontage après réforme');
    await page.getByTestId('harvest-submit').click();
    await page.getByTestId('harvest-done').filter({ hasText: '2 pièces entrées en stock' }).waitFor();
    const item = page.getByTestId('harvest-item');
    await item.first().waitFor();
    expect(await item.first().innerText()).toContain('2 × RECUP-E2E-01');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // The stock: a harvest movement naming the device, at the value given.
    const moves = (await call(manager.token, 'GET', `/stock/movements?equipmentId=${device.id}`)).items as Json[];
    expect(moves).toEqual([expect.objectContaining({ type: 'harvest', partId: part.id, delta: 2, unitCostCents: 1250, reason: 'Démontage après réforme' })]);
    const stores = (await call(manager.token, 'GET', `/stores?siteId=${device.site.id}`)).items as Json[];
    expect(stores.map((s) => s.id)).toContain(moves[0]!.storeId);

    // In English: the section's texts, no raw key.
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('locale-switch').selectOption('en');
    await page.locator('#eq-harvest-title').filter({ hasText: en.harvest.title }).waitFor();
    expect(await page.getByTestId('harvest').innerText()).not.toMatch(/harvest\.[a-z]/);
    await context.close();
  });
});
