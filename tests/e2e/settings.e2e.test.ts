import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * The territory's work-order settings (targets per priority, automatic closure, checklist
 * templates) and the maintenance register on the device page.
 */
const ADMIN = { email: 'admin@ght-demo.fr', password: 'Demo!2026' };
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
/** A 1×1 PNG, as the signature pad would send it. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];
let device: { id: string; inventoryNumber: string };
let completed: { id: string; number: string };

async function login(user: { email: string; password: string }): Promise<{ token: string; user: Json }> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  expect(res.status).toBe(200);
  const pair = (await res.json()) as { accessToken: string; user: Json };
  return { token: pair.accessToken, user: pair.user };
}

async function call(token: string, path: string, init: { method?: string; body?: unknown; ifMatch?: number } = {}): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.ifMatch !== undefined) headers['if-match'] = String(init.ifMatch);
  const res = await fetch(`${server.url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function ok(token: string, path: string, init: { method?: string; body?: unknown; ifMatch?: number } = {}): Promise<Json> {
  const res = await call(token, path, init);
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function signedInPage(user: { email: string; password: string }, path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
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

  // A completed corrective work order on a device of the CHU, done by its technician.
  const tech = await login(TECH);
  device = (await ok(tech.token, `/equipment?siteId=${tech.user.homeSite.id}&status=in_service&limit=1`)).items[0];
  let wo = await ok(tech.token, '/work-orders', {
    method: 'POST',
    body: { equipmentId: device.id, type: 'corrective', description: 'Alarme de pression intermittente' },
  });
  wo = await ok(tech.token, `/work-orders/${wo.id}/assignees`, { method: 'POST', body: { userId: tech.user.id } });
  wo = await ok(tech.token, `/work-orders/${wo.id}/transitions`, { method: 'POST', body: { to: 'in_progress' }, ifMatch: wo.version });
  wo = await ok(tech.token, `/work-orders/${wo.id}`, {
    method: 'PATCH', body: { diagnosis: 'Capteur de pression encrassé', actions: 'Nettoyage du capteur, essais' }, ifMatch: wo.version,
  });
  wo = await ok(tech.token, `/work-orders/${wo.id}/labour`, { method: 'POST', body: { minutes: 45 } });
  wo = await ok(tech.token, `/work-orders/${wo.id}/signature`, { method: 'POST', body: { name: tech.user.fullName, image: PNG } });
  wo = await ok(tech.token, `/work-orders/${wo.id}/transitions`, { method: 'POST', body: { to: 'completed' }, ifMatch: wo.version });
  expect(wo.state).toBe('completed');
  completed = { id: wo.id, number: wo.number };
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

describe('work-order settings', () => {
  it('the territory admin changes the high-priority repair time and the automatic closure', async () => {
    const page = await signedInPage(ADMIN, '/admin/settings');
    await page.getByTestId('settings-page').waitFor();
    await page.getByTestId('targets-form').waitFor();
    // Never changed: the defaults (high: repair within 2 days).
    await page.getByTestId('targets-defaults').waitFor();
    expect(await page.getByTestId('targets-high-repair').inputValue()).toBe('2');
    expect(await page.getByTestId('targets-high-repair-unit').inputValue()).toBe('days');

    // Client-side check: repair before response is refused next to the field.
    await page.getByTestId('targets-high-repair').fill('2');
    await page.getByTestId('targets-high-repair-unit').selectOption('hours');
    await page.getByTestId('targets-save').click();
    const highRepair = page.getByTestId('targets-row-high').locator('.field').filter({ has: page.getByTestId('targets-high-repair') });
    await highRepair.locator('.field-error').filter({ hasText: fr.settings.targets.repairBeforeResponse }).waitFor();

    await page.getByTestId('targets-high-repair').fill('3');
    await page.getByTestId('targets-high-repair-unit').selectOption('days');
    await page.getByTestId('auto-close-days').fill('30');
    await page.getByTestId('targets-save').click();
    await page.getByTestId('form-alert').filter({ hasText: fr.settings.targets.saved }).waitFor();
    expect(await page.getByTestId('targets-defaults').count()).toBe(0);

    const admin = await login(ADMIN);
    const settings = await ok(admin.token, '/settings/work-orders');
    expect(settings.priorityTargets.high).toEqual({ responseMinutes: 4 * 60, repairMinutes: 3 * 24 * 60 });
    expect(settings.autoCloseDays).toBe(30);
    expect(settings.version).toBeGreaterThan(0);

    // Someone else saves meanwhile: the page says so and reloads the current values.
    await ok(admin.token, '/settings/work-orders', {
      method: 'PUT',
      ifMatch: settings.version,
      body: { priorityTargets: { ...settings.priorityTargets, normal: { responseMinutes: 120, repairMinutes: 5 * 24 * 60 } }, autoCloseDays: 30 },
    });
    await page.getByTestId('auto-close-never').check();
    await page.getByTestId('targets-save').click();
    await page.getByTestId('form-alert').filter({ hasText: fr.settings.targets.conflict }).waitFor();
    await page.getByTestId('targets-reload').click();
    await expect.poll(() => page.getByTestId('targets-normal-response').inputValue()).toBe('2');
    expect(await page.getByTestId('targets-normal-response-unit').inputValue()).toBe('hours');
    expect(await page.getByTestId('auto-close-never').isChecked()).toBe(false);

    // "Never": no automatic closure.
    await page.getByTestId('auto-close-never').check();
    await page.getByTestId('targets-save').click();
    await expect.poll(async () => (await ok(admin.token, '/settings/work-orders')).autoCloseDays).toBeNull();
    expect((await ok(admin.token, '/settings/work-orders')).priorityTargets.high.repairMinutes).toBe(3 * 24 * 60);
  });

  it('an engineer adapts the IEC 62353 limits and sees the targets read-only', async () => {
    const page = await signedInPage(ENGINEER, '/admin/settings');
    await page.getByTestId('settings-page').waitFor();
    await page.getByTestId('targets-readonly').waitFor();
    expect(await page.getByTestId('targets-save').count()).toBe(0);
    expect(await page.getByTestId('targets-high-repair-value').innerText()).toBe('3 jours');

    const row = page.getByTestId('template-row').filter({ hasText: 'iec-62353' });
    await row.getByTestId('template-edit-open').click();
    const editor = page.getByTestId('template-edit');
    await editor.waitFor();
    const earth = editor.locator('[data-testid="template-item"][data-key="protective_earth_resistance"]');
    expect(await earth.getByTestId('template-item-max').inputValue()).toBe('0,3');

    // A measurement without a unit: the error shows next to that item's unit.
    await earth.getByTestId('template-item-unit').fill('');
    await editor.getByTestId('template-save').click();
    await earth.locator('.field').filter({ has: page.getByTestId('template-item-unit') }).locator('.field-error').waitFor();

    await earth.getByTestId('template-item-unit').fill('Ω');
    await earth.getByTestId('template-item-max').fill('0,2');
    await editor.getByTestId('template-save').click();
    await page.getByTestId('form-alert').filter({ hasText: 'enregistré' }).waitFor();
    await row.getByTestId('template-customized').waitFor();

    const engineer = await login(ENGINEER);
    const iec = await ok(engineer.token, '/checklist-templates/iec-62353');
    expect(iec.customized).toBe(true);
    expect(iec.items.find((i: Json) => i.key === 'protective_earth_resistance')).toMatchObject({ max: 0.2, unit: 'Ω', kind: 'measurement' });
    expect(iec.items).toHaveLength(7);

    // A class II copy: no protective earth, equipment leakage ≤ 100 µA, one check added.
    await row.getByTestId('template-duplicate').click();
    await editor.waitFor();
    await editor.getByTestId('template-name').fill('Sécurité électrique IEC 62353 (classe II)');
    await editor.getByTestId('template-code').fill('iec-62353-classe-ii');
    await editor.locator('[data-key="protective_earth_resistance"]').getByTestId('template-item-remove').click();
    await editor.locator('[data-key="equipment_leakage_current"]').getByTestId('template-item-max').fill('100');
    await editor.getByTestId('template-item-add').click();
    const added = editor.getByTestId('template-item').last();
    await added.getByTestId('template-item-label').fill('Étiquetage classe II présent');
    expect(await added.getAttribute('data-key')).toBe('etiquetage_classe_ii_present');
    await added.getByTestId('template-item-up').click();
    await editor.getByTestId('template-save').click();
    await page.getByTestId('template-row').filter({ hasText: 'iec-62353-classe-ii' }).waitFor();
    const copy = await ok(engineer.token, '/checklist-templates/iec-62353-classe-ii');
    expect(copy).toMatchObject({ builtIn: false, customized: false });
    expect(copy.items.map((i: Json) => i.key)).toEqual([
      'visual_inspection', 'insulation_resistance', 'insulation_resistance_applied_parts', 'equipment_leakage_current', 'applied_part_leakage_current',
      'etiquetage_classe_ii_present', 'functional_test',
    ]);
    expect(copy.items.find((i: Json) => i.key === 'equipment_leakage_current').max).toBe(100);

    // Delete the copy, then restore the built-in template, each after a confirmation.
    await page.getByTestId('template-row').filter({ hasText: 'iec-62353-classe-ii' }).getByTestId('template-edit-open').click();
    await editor.getByTestId('template-delete').click();
    await editor.getByTestId('template-confirm').click();
    await page.getByTestId('form-alert').filter({ hasText: 'supprimé' }).waitFor();
    expect((await call(engineer.token, '/checklist-templates/iec-62353-classe-ii')).status).toBe(404);
    // The list drops the deleted copy before the built-in row is the only one matching.
    await expect.poll(() => page.getByTestId('template-row').filter({ hasText: 'iec-62353-classe-ii' }).count()).toBe(0);

    await row.getByTestId('template-edit-open').click();
    await editor.getByTestId('template-reset').click();
    await editor.getByTestId('template-confirm-cancel').click();
    expect((await ok(engineer.token, '/checklist-templates/iec-62353')).customized).toBe(true);
    await editor.getByTestId('template-reset').click();
    await editor.getByTestId('template-confirm').click();
    await page.getByTestId('form-alert').filter({ hasText: 'rétabli' }).waitFor();
    const restored = await ok(engineer.token, '/checklist-templates/iec-62353');
    expect(restored).toMatchObject({ customized: false, version: 0 });
    expect(restored.items.find((i: Json) => i.key === 'protective_earth_resistance').max).toBe(0.3);
  });
});

describe('maintenance register on the device page', () => {
  it('lists the completed work order with its number, on a phone', async () => {
    const page = await signedInPage(TECH, `/inventory/${device.id}`, { width: 390, height: 844 });
    const register = page.getByTestId('equipment-register');
    await register.getByTestId('register-count').filter({ hasText: '1 opération' }).waitFor();
    await register.getByTestId('register-toggle').click();
    const entry = register.getByTestId('register-entry');
    await entry.first().waitFor();
    expect(await entry.count()).toBe(1);
    expect(await entry.getByTestId('register-entry-number').innerText()).toBe(completed.number);
    const text = await entry.innerText();
    expect(text).toContain(fr.workOrderNatures.corrective);
    expect(text).toContain('Capteur de pression encrassé');
    // The technician's employer: the legal entity of his home site (the CHU's), with its FINESS juridique.
    expect(await entry.getByTestId('register-entry-performer').first().innerText()).toMatch(/^Thomas Technicien — Centre hospitalier universitaire de Valmont-sur-Loire, FINESS \d{9}$/);
    expect(await entry.getByTestId('register-entry-date').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await entry.getByTestId('register-entry-conformity').innerText()).toBe(fr.conformities.not_evaluated);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // The PDF download goes through the API client.
    const [download] = await Promise.all([page.waitForEvent('download'), register.getByTestId('register-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);

    await entry.getByTestId('register-entry-number').click();
    await page.waitForURL(`**/work-orders/${completed.id}`);
  });
});
