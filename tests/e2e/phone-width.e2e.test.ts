import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium, sideOverflow } from '../support/browser.js';

/**
 * Every main page of the router, on a 390 px phone, as a user who may see it: nothing scrolls
 * sideways, even with the longest texts the API accepts (a symptom with unbroken words and a
 * URL, a 64-character inventory number, an 80-character serial number, a long supplier).
 */
const ADMIN = { email: 'admin@ght-demo.fr', password: 'Demo!2026' };
const PHONE = { width: 390, height: 844 };

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let device: { id: string; inventoryNumber: string };
let order: { id: string; number: string };
let plan: { id: string };
/** A person of the competency map, holding a skill with a long unbroken name and evidence. */
let skilledPerson: string;

async function api<T = Record<string, any>>(token: string, path: string, body?: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as T;
}

const LONG_WORD = 'Dysfonctionnement'.repeat(6);
const LONG_URL = `https://support.fabricant.example.com/${'documentation/'.repeat(8)}notice-technique.pdf?reference=${'X'.repeat(60)}`;
const LONG_SYMPTOM = `Alarme ${LONG_WORD} au démarrage ; voir ${LONG_URL} ; ${'A'.repeat(120)} ${'mots courts '.repeat(30)}`;

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const { accessToken: token, user } = (await login.json()) as { accessToken: string; user: { homeSite: { id: string } } };
  device = await api(token, '/equipment', {
    inventoryNumber: `INV-${'0123456789'.repeat(5)}-ABCDEFGH`,
    siteId: user.homeSite.id,
    serialNumber: 'SN'.padEnd(80, '7'),
    // Commissioned: it gets planned work (a row on its maintenance plan's page).
    commissioningDate: '2024-01-15',
    supplier: 'Fournisseur'.repeat(14),
    notes: `${'Remarque'.repeat(40)} ${LONG_URL}`,
  });
  order = await api(token, '/work-requests', {
    equipmentId: device.id,
    symptom: LONG_SYMPTOM,
    deviceOutOfService: false,
    callbackName: 'Interlocuteur'.repeat(9),
    callbackPhone: '+33 1 23 45 67 89',
  });
  // A part with long unbroken texts, in stock at the admin's home site (the stock pages).
  const part = await api(token, '/parts', {
    reference: `PDR-${'LONGUE'.repeat(9)}`,
    manufacturer: 'Fabricant'.repeat(12),
    manufacturerPartNumber: 'MPN'.padEnd(80, '9'),
    description: `Cellule ${LONG_WORD} ${'B'.repeat(150)}`,
    defaultSupplier: 'Fournisseur'.repeat(10),
  });
  const stores = await api<{ items: { id: string; siteId: string }[] }>(token, `/stores?siteId=${user.homeSite.id}`);
  await api(token, '/stock/movements', {
    type: 'receipt', storeId: stores.items[0]!.id, partId: part.id, quantity: 3, unitCostCents: 1234,
    supplier: 'Fournisseur'.repeat(10), purchaseOrderReference: 'BC'.padEnd(60, '0'),
  });
  // A maintenance plan of the device, with a long unbroken name and skill (the plans' pages).
  const skill = await api<{ id: string }>(token, '/skills', {
    code: `LONG-${Date.now()}`, name: 'Compétence'.repeat(10), skillCategory: 'custom',
  });
  plan = await api(token, '/maintenance-plans', {
    name: `Plan ${'Maintenancepréventive'.repeat(8)}`, equipmentId: device.id, workOrderType: 'preventive', trigger: 'meter', every: 500, unit: 'hours',
    anchorDate: new Date().toISOString().slice(0, 10), requiredSkillId: skill.id, requiredLevel: 'expert', regulatory: true, performedBy: 'vendor',
  });
  // The competency map: a skill with a long unbroken name, held with a long evidence text.
  const longSkill = await api<{ id: string }>(token, '/skills', { code: 'LONG-SKILL', name: 'Compétence'.repeat(15), skillCategory: 'custom' });
  const matrix = await api<{ people: { userId: string }[] }>(token, '/competency/matrix');
  skilledPerson = matrix.people[0]!.userId;
  const put = await fetch(`${server.url}/api/v1/users/${skilledPerson}/skills/${longSkill.id}`, {
    method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ level: 'expert', evidence: 'Justificatif'.repeat(20), certificateExpiresAt: '2027-01-15' }),
  });
  expect(put.status).toBe(200);
  context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function expectNoSideScroll(path: string, ready: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.getByTestId(ready).first().waitFor();
  // Let late lists, images and the label settle.
  await page.waitForLoadState('networkidle');
  const result = await sideOverflow(page);
  expect(result.innerWidth).toBe(PHONE.width);
  expect(result.scrollWidth, `${path} is ${result.scrollWidth}px wide: ${result.culprits.join(', ')}`).toBeLessThanOrEqual(result.innerWidth);
  // Nor is anything cut off at the right edge (an element wider than the screen inside a box that hides it).
  expect(result.culprits, path).toEqual([]);
}

describe('every main page on a 390 px phone', () => {
  it('the sign-in page', async () => {
    await expectNoSideScroll('/login', 'login-submit');
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-name').waitFor();
  });

  // [path, a test id present once the page has its content]
  const pages: [string, () => string, string][] = [
    ['home', () => '/', 'app-name'],
    ['inventory list', () => '/inventory?siteId=all', 'equipment-row'],
    ['device page with a long-symptom work order', () => `/inventory/${device.id}`, 'work-order-card'],
    ['device lookup (QR code)', () => `/e/${encodeURIComponent(device.inventoryNumber)}`, 'equipment-inventory-number'],
    ['new device', () => '/inventory/new', 'equipment-form'],
    ['import', () => '/inventory/import', 'import-file-form'],
    ['fault report', () => `/work-requests/new?equipmentId=${device.id}`, 'work-request-submit'],
    ['my requests', () => '/work-requests', 'work-order-card'],
    ['my work orders', () => '/work-orders/mine', 'work-order-list'],
    ['work-order backlog', () => '/work-orders?siteId=all', 'backlog-row'],
    ['new work order', () => '/work-orders/new', 'work-order-new-page'],
    ['work-order page', () => `/work-orders/${order.id}`, 'work-order-page'],
    ['stock transfers', () => '/stock/transfers', 'transfers-page'],
    ['scan', () => '/scan', 'scan-page'],
    ['notifications', () => '/notifications', 'notifications-page'],
    ['stock', () => `/stock?siteId=all&q=${'LONGUE'.repeat(9)}`, 'stock-row'],
    ['stock availability', () => `/stock/availability?q=${'LONGUE'.repeat(9)}`, 'availability-item'],
    ['parts catalogue', () => '/stock/parts', 'part-row'],
    ['planning calendar (month)', () => '/maintenance/calendar?view=month&siteId=all', 'pm-period'],
    ['planning calendar (week)', () => '/maintenance/calendar?view=week&siteId=all', 'pm-week'],
    ['planning workload', () => '/maintenance/workload', 'pm-workload-row'],
    ['planning compliance', () => '/maintenance/compliance?siteId=all', 'pm-rate-total'],
    ['sites', () => '/admin/sites', 'site-row'],
    ['locations', () => '/admin/locations', 'location-node'],
    ['users', () => '/admin/users', 'user-row'],
    ['settings', () => '/admin/settings', 'settings-page'],
    ['maintenance plans', () => '/maintenance/plans', 'plan-row'],
    ['maintenance plan', () => `/maintenance/plans/${plan.id}`, 'plan-device-row'],
    ['new maintenance plan', () => '/maintenance/plans/new', 'plan-form'],
    ['maintenance coverage', () => '/maintenance/coverage', 'coverage-page'],
    // The competency map's pages (the heat map scrolls inside its own frame: tests/e2e/competency.e2e.test.ts).
    ['competency coverage', () => '/competency/coverage', 'coverage-category'],
    ['skill sheet', () => `/competency/people/${skilledPerson}`, 'user-skill'],
    ['skill catalogue', () => '/competency/skills', 'skills-item'],
    ['not found', () => '/no-such-page', 'not-found-page'],
  ];
  for (const [name, path, ready] of pages) {
    it(name, async () => {
      await expectNoSideScroll(path(), ready);
    });
  }
});
