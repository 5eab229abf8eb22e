import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/** On a phone: the technician's electrical-safety checklist on a CF device shows the CF limits. */
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let workOrderId: string;
let unknownDevice: Json;
let techToken: string;

async function login(who: { email: string; password: string }): Promise<{ token: string; userId: string; homeSiteId: string }> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(res.status).toBe(200);
  const pair = (await res.json()) as { accessToken: string; user: { id: string; homeSite: { id: string } } };
  return { token: pair.accessToken, userId: pair.user.id, homeSiteId: pair.user.homeSite.id };
}

async function call(token: string, method: string, path: string, body?: object, version?: number): Promise<Json> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = String(version);
  const res = await fetch(`${server.url}/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = (await res.json().catch(() => ({}))) as Json;
  expect(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`).toBe(true);
  return json;
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const engineer = await login(ENGINEER);
  const tech = await login(TECH);
  // A patient monitor of the technician's site, its model class I with CF applied parts.
  const cats = (await call(engineer.token, 'GET', '/equipment-categories')).items as Json[];
  const monitors = cats.find((c) => c.code === 'MONI-MULTI')!;
  const device = (await call(engineer.token, 'GET', `/equipment?siteId=${tech.homeSiteId}&categoryId=${monitors.id}&status=in_service&limit=1`)).items[0];
  const model = await call(engineer.token, 'GET', `/equipment-models/${device.model.id}`);
  await call(engineer.token, 'PATCH', `/equipment-models/${model.id}`, { electricalClass: 'I', appliedPartType: 'CF' }, model.version);
  const wo = await call(engineer.token, 'POST', '/work-orders', {
    equipmentId: device.id, type: 'electrical_safety', description: 'Contrôle de sécurité électrique annuel', assigneeIds: [tech.userId],
  });
  workOrderId = wo.id;
  // A defibrillator whose model's class is not known yet.
  techToken = tech.token;
  const defibs = cats.find((c) => c.code === 'CARD-DEF')!;
  unknownDevice = (await call(engineer.token, 'GET', `/equipment?siteId=${tech.homeSiteId}&categoryId=${defibs.id}&status=in_service&limit=1`)).items[0];
  const unknownModel = await call(engineer.token, 'GET', `/equipment-models/${unknownDevice.model.id}`);
  await call(engineer.token, 'PATCH', `/equipment-models/${unknownModel.id}`, { electricalClass: null, appliedPartType: null }, unknownModel.version);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('electrical safety on a phone', () => {
  it('the technician\'s checklist on a CF device shows the CF limits', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/work-orders/${workOrderId}`);
    await page.getByTestId('login-email').fill(TECH.email);
    await page.getByTestId('login-password').fill(TECH.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('work-order-page').waitFor();

    await page.getByTestId('checklist-template-iec').waitFor({ state: 'attached' });
    await page.getByTestId('checklist-template').selectOption('iec-62353');
    // The method is asked for an electrical-safety template; the limits follow it.
    const method = page.getByTestId('checklist-method-select');
    expect(await method.inputValue()).toBe('direct');
    await method.selectOption('direct');
    await page.getByTestId('checklist-add-template').click();

    const applied = page.getByTestId('checklist-applied_part_leakage_current');
    await applied.waitFor();
    expect(await applied.locator('.checklist-label').innerText()).toContain('type CF');
    const limits = await applied.getByTestId('checklist-limits').innerText();
    expect(limits).toContain('≤ 50 µA');
    expect(limits).toContain('0,05 mA');
    expect(limits).not.toContain('5 000');
    expect(await applied.getByTestId('checklist-method').innerText()).toBe(fr.leakageMethods.direct);
    // Class I: the protective earth is measured; the insulation minimums are marked as practice.
    expect(await page.getByTestId('checklist-protective_earth_resistance').getByTestId('checklist-limits').innerText()).toContain('≤ 0,3 Ω');
    await page.getByTestId('checklist-insulation_resistance').getByTestId('checklist-practice').waitFor();

    // 100 µA passed a BF limit; on a CF device it fails.
    await applied.getByTestId('checklist-value').fill('100');
    await applied.getByTestId('checklist-value').press('Enter');
    await applied.getByTestId('checklist-outcome').filter({ hasText: fr.checklistOutcomes.fail }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('a technician sets an unknown model\'s class from the device\'s page', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/inventory/${unknownDevice.id}`);
    await page.getByTestId('login-email').fill(TECH.email);
    await page.getByTestId('login-password').fill(TECH.password);
    await page.getByTestId('login-submit').click();
    const panel = page.getByTestId('model-electrical-panel');
    await panel.getByTestId('model-electrical-unknown').waitFor();
    await panel.getByTestId('model-electrical-edit').click();
    await panel.getByTestId('model-electrical-class').selectOption('I');
    await panel.getByTestId('model-applied-part-type').selectOption('CF');
    await panel.getByTestId('model-emdn-code').fill('Z1203');
    await panel.getByTestId('model-electrical-save').click();
    await panel.getByTestId('model-electrical-class-value').filter({ hasText: fr.electricalClasses.I }).waitFor();
    expect(await panel.getByTestId('model-applied-part-value').innerText()).toBe(fr.appliedPartTypes.CF);
    expect(await panel.getByTestId('model-electrical-unknown').count()).toBe(0);
    expect(await call(techToken, 'GET', `/equipment-models/${unknownDevice.model.id}`)).toMatchObject({ electricalClass: 'I', appliedPartType: 'CF', emdnCode: 'Z1203' });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('an engineer creates a model with its electrical class from the new device form', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/inventory/new`);
    await page.getByTestId('login-email').fill(ENGINEER.email);
    await page.getByTestId('login-password').fill(ENGINEER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('model-search').fill('Corpuls C3 essai');
    await page.getByTestId('model-create-open').click();
    const form = page.getByTestId('model-create');
    await form.getByTestId('model-category').selectOption({ index: 1 });
    await form.getByTestId('model-electrical-class').selectOption('internal');
    await form.getByTestId('model-applied-part-type').selectOption('CF');
    await form.getByTestId('model-emdn-code').fill('z120301');
    await form.getByTestId('model-basic-udi-di').fill('  4260123456CORPC3  ');
    await form.getByTestId('model-create-save').click();
    await page.getByTestId('model-chosen').getByTestId('model-electrical').filter({ hasText: fr.electricalClasses.internal }).waitFor();
    const engineer = await login(ENGINEER);
    const { items } = await call(engineer.token, 'GET', `/equipment-models?q=${encodeURIComponent('C3 essai')}`);
    expect(items).toHaveLength(1);
    expect(await call(engineer.token, 'GET', `/equipment-models/${items[0].id}`)).toMatchObject({
      electricalClass: 'internal', appliedPartType: 'CF', emdnCode: 'Z120301', basicUdiDi: '4260123456CORPC3',
    });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await context.close();
  });
});
