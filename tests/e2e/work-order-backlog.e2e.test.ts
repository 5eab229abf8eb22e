import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/** Runs in the page (evaluate callbacks); the tests' TypeScript has no DOM library. */
declare function getComputedStyle(element: unknown): { color: string; display: string };

/**
 * The engineer's backlog: a new electrical-safety work order created from the SPA shows up
 * filtered by its type; a completed work order is verified and closed from the list; phones get cards.
 */
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
/** A valid 1×1 PNG, as the signature pad would send it. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Session {
  token: string;
  userId: string;
  homeSiteId: string;
}

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let engineer: Session;
let tech: Session;
/** The device the engineer picks in the SPA, and the one of the work order seeded as completed. */
let devicePicked: Json;
let deviceSeeded: Json;
let seeded: Json;
const contexts: BrowserContext[] = [];

async function login(who: { email: string; password: string }): Promise<Session> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(res.status, `login ${who.email}`).toBe(200);
  const pair = (await res.json()) as { accessToken: string; user: { id: string; homeSite: { id: string } } };
  return { token: pair.accessToken, userId: pair.user.id, homeSiteId: pair.user.homeSite.id };
}

async function call(s: Session, method: string, path: string, body?: object, version?: number): Promise<Json> {
  const headers: Record<string, string> = { authorization: `Bearer ${s.token}` };
  if (body) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = String(version);
  const res = await fetch(`${server.url}/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = (await res.json().catch(() => ({}))) as Json;
  expect(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`).toBe(true);
  return json;
}

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
}

const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  engineer = await login(ENGINEER);
  tech = await login(TECH);
  const devices = (await call(engineer, 'GET', `/equipment?siteId=${tech.homeSiteId}&status=in_service&limit=2`)).items as Json[];
  [devicePicked, deviceSeeded] = devices as [Json, Json];
  // The electrical-safety checklist follows the model's class (tests/e2e/electrical-safety.e2e.test.ts): class I, type BF here.
  const model = await call(engineer, 'GET', `/equipment-models/${devicePicked.model.id}`);
  await call(engineer, 'PATCH', `/equipment-models/${model.id}`, { electricalClass: 'I', appliedPartType: 'BF' }, model.version);

  // A work order done by the CHU's technician, waiting for the engineer's verification.
  let wo = await call(engineer, 'POST', '/work-orders', {
    equipmentId: deviceSeeded.id,
    type: 'corrective',
    priority: 'high',
    description: 'Alarme batterie intermittente',
    assigneeIds: [tech.userId],
  });
  expect(wo.state).toBe('assigned');
  wo = await call(tech, 'POST', `/work-orders/${wo.id}/transitions`, { to: 'in_progress' }, wo.version);
  wo = await call(tech, 'PATCH', `/work-orders/${wo.id}`, { diagnosis: 'Batterie en fin de vie', actions: 'Remplacement de la batterie, essais' }, wo.version);
  wo = await call(tech, 'POST', `/work-orders/${wo.id}/labour`, { minutes: 45 });
  wo = await call(tech, 'POST', `/work-orders/${wo.id}/signature`, { name: 'Thomas Technicien', image: PNG });
  seeded = await call(tech, 'POST', `/work-orders/${wo.id}/transitions`, { to: 'completed' }, wo.version);
  expect(seeded.state).toBe('completed');
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

describe('the work-order backlog', () => {
  it('the engineer creates an electrical-safety work order, finds it by type, then verifies and closes a completed one', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await page.goto(`${server.url}/work-orders`);
    await signIn(page, ENGINEER);
    await page.getByTestId('backlog-page').waitFor();
    // The bare URL names the current site, so that the view can be shared.
    await page.waitForURL((url) => url.searchParams.get('siteId') === engineer.homeSiteId);

    // The new work order, on a device found by its inventory number.
    await page.getByTestId('backlog-new').click();
    await page.getByTestId('work-order-new-page').waitFor();
    await page.getByTestId('new-wo-device-search').fill(devicePicked.inventoryNumber);
    await page.getByTestId('new-wo-device-option').filter({ hasText: devicePicked.inventoryNumber }).first().click();
    expect(await page.getByTestId('new-wo-device-number').innerText()).toBe(devicePicked.inventoryNumber);
    await page.waitForURL((url) => url.searchParams.get('equipmentId') === devicePicked.id);
    expect(await page.getByTestId('new-wo-type').inputValue()).toBe('preventive');
    expect(await page.getByTestId('new-wo-priority').inputValue()).toBe('normal');

    // Too short a description: the contract's message, next to the field.
    await page.getByTestId('new-wo-type').selectOption('electrical_safety');
    await expect.poll(() => page.getByTestId('new-wo-template').inputValue()).toBe('iec-62353');
    await page.getByTestId('new-wo-template-items').filter({ hasText: 'Courant de fuite' }).waitFor();
    // The leakage method, asked for the electrical-safety template: the limits follow it.
    expect(await page.getByTestId('new-wo-method').inputValue()).toBe('direct');
    await page.getByTestId('new-wo-method').selectOption('alternative');
    await page.getByTestId('new-wo-description').fill('abc');
    await page.getByTestId('new-wo-submit').click();
    await page.getByTestId('form-alert').filter({ hasText: fr.errors.invalidForm }).waitFor();
    expect(await page.getByTestId('new-wo-description').getAttribute('aria-invalid')).toBe('true');

    // The technician of the device's site comes first, without the "other site" mark.
    const siteTeam = page.getByTestId('new-wo-assignees-site');
    expect(await siteTeam.innerText()).toContain('Thomas Technicien');
    expect(await siteTeam.innerText()).not.toContain(fr.woExtra.assignees.crossSite);
    expect(await page.getByTestId('new-wo-assignees-others').innerText()).toContain(fr.woExtra.assignees.crossSite);
    await siteTeam.getByTestId(`new-wo-assignee-${tech.userId}`).check();
    await page.getByTestId('new-wo-assignees-count').filter({ hasText: '1 technicien choisi' }).waitFor();
    await page.getByTestId('new-wo-description').fill('Contrôle de sécurité électrique annuel');
    await page.getByTestId('new-wo-submit').click();

    await page.getByTestId('work-order-page').waitFor();
    const number = (await page.getByTestId('work-order-number').innerText()).trim();
    const createdId = new URL(page.url()).pathname.split('/').pop()!;
    const created = await call(engineer, 'GET', `/work-orders/${createdId}`);
    expect(created).toMatchObject({ number, type: 'electrical_safety', priority: 'normal', state: 'assigned', deviceOutOfService: false });
    expect(created.assignees).toEqual([expect.objectContaining({ id: tech.userId, crossSite: false })]);
    const checklist = (await call(engineer, 'GET', `/work-orders/${createdId}/checklist`)).items as Json[];
    expect(checklist.map((i) => i.key)).toContain('protective_earth_resistance');
    // Class I by the alternative method: 1 mA of equipment leakage.
    expect(checklist.find((i) => i.key === 'equipment_leakage_current')).toMatchObject({ method: 'alternative', max: 1000 });

    // Back to the backlog, filtered by type: the link carries the filter.
    await page.getByTestId('nav-backlog').click();
    await page.getByTestId('backlog-page').waitFor();
    await page.getByTestId('backlog-filter-type').selectOption('electrical_safety');
    await page.waitForURL((url) => url.searchParams.get('type') === 'electrical_safety');
    const row = page.getByTestId('backlog-row').filter({ hasText: number });
    await row.waitFor();
    expect(await row.getByTestId('backlog-type').innerText()).toBe(fr.workOrderTypes.electrical_safety);
    expect(await row.getByTestId('backlog-state').innerText()).toBe(fr.workOrderStates.assigned);
    expect(await row.getByTestId('backlog-assignees').innerText()).toContain('Thomas Technicien');
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    const types = await page.getByTestId('backlog-type').allInnerTexts();
    expect(new Set(types)).toEqual(new Set([fr.workOrderTypes.electrical_safety]));
    // The seeded corrective work order is completed: not in the open list, whatever its type.
    expect(await page.getByTestId('backlog-row').filter({ hasText: seeded.number }).count()).toBe(0);

    // A shared link shows the same list.
    const shared = await newPage({ width: 1280, height: 900 });
    await shared.goto(page.url());
    await signIn(shared, ENGINEER);
    await shared.getByTestId('backlog-row').filter({ hasText: number }).waitFor();
    expect(new URL(shared.url()).searchParams.get('type')).toBe('electrical_safety');

    // "À vérifier": the completed work orders; the planner verifies and closes from the list.
    await page.getByTestId('backlog-filter-type').selectOption('');
    await page.getByTestId('backlog-filter-to-verify').click();
    await page.waitForURL((url) => url.searchParams.get('state') === 'completed' && !url.searchParams.has('type'));
    expect(await page.getByTestId('backlog-filter-to-verify').getAttribute('aria-pressed')).toBe('true');
    // "Overdue" only concerns open work orders: not offered with the completed ones.
    expect(await page.getByTestId('backlog-filter-overdue').isDisabled()).toBe(true);
    const done = page.getByTestId('backlog-row').filter({ hasText: seeded.number });
    await done.waitFor();
    expect(await page.getByTestId('backlog-row').filter({ hasText: number }).count()).toBe(0);
    expect(await done.getByTestId('backlog-state').innerText()).toBe(fr.workOrderStates.completed);

    // Changing one's mind keeps it completed.
    await done.getByTestId('backlog-close').click();
    await done.getByTestId('backlog-close-cancel').click();
    await done.getByTestId('backlog-close-confirm').waitFor({ state: 'detached' });
    await done.getByTestId('backlog-close').waitFor();
    expect((await call(engineer, 'GET', `/work-orders/${seeded.id}`)).state).toBe('completed');

    await done.getByTestId('backlog-close').click();
    await done.getByTestId('backlog-close-confirm').click();
    await done.getByTestId('backlog-state').filter({ hasText: fr.workOrderStates.closed }).waitFor();
    await page.getByTestId('form-alert').filter({ hasText: seeded.number }).waitFor();
    expect(await done.getByTestId('backlog-close').count()).toBe(0);
    const closed = await call(engineer, 'GET', `/work-orders/${seeded.id}`);
    expect(closed).toMatchObject({ state: 'closed', closedAt: expect.any(String) });
  });

  it('a stale row shows the conflict and reloads', async () => {
    // A second completed work order, closed behind the page's back.
    let wo = await call(engineer, 'POST', '/work-orders', {
      equipmentId: devicePicked.id, type: 'preventive', description: 'Maintenance préventive annuelle', assigneeIds: [tech.userId],
    });
    wo = await call(tech, 'POST', `/work-orders/${wo.id}/transitions`, { to: 'in_progress' }, wo.version);
    wo = await call(tech, 'PATCH', `/work-orders/${wo.id}`, { diagnosis: 'RAS', actions: 'Maintenance selon le constructeur' }, wo.version);
    wo = await call(tech, 'POST', `/work-orders/${wo.id}/labour`, { minutes: 30 });
    wo = await call(tech, 'POST', `/work-orders/${wo.id}/signature`, { name: 'Thomas Technicien', image: PNG });
    wo = await call(tech, 'POST', `/work-orders/${wo.id}/transitions`, { to: 'completed', conformity: 'conforming' }, wo.version);

    const page = await newPage({ width: 1280, height: 900 });
    await page.goto(`${server.url}/work-orders?siteId=${engineer.homeSiteId}&state=completed`);
    await signIn(page, ENGINEER);
    const row = page.getByTestId('backlog-row').filter({ hasText: wo.number });
    await row.waitFor();
    await call(engineer, 'POST', `/work-orders/${wo.id}/transitions`, { to: 'closed' }, wo.version);

    await row.getByTestId('backlog-close').click();
    await row.getByTestId('backlog-close-confirm').click();
    const conflict = fr.backlog.closeConflict.replace('{state}', fr.workOrderStates.closed);
    await row.getByTestId('backlog-row-error').filter({ hasText: conflict }).waitFor();
    await row.getByTestId('backlog-state').filter({ hasText: fr.workOrderStates.closed }).waitFor();
  });

  it('pages through a long backlog, marks overdue and cross-site work, filters the overdue', async () => {
    // 26 quality controls at CH1: one overdue by an hour, one done by the CHU's technician.
    const ch1 = ((await call(engineer, 'GET', '/sites?limit=50')).items as Json[]).find((s) => s.shortCode === 'CH1')!;
    const device = (await call(engineer, 'GET', `/equipment?siteId=${ch1.id}&status=in_service&limit=1`)).items[0] as Json;
    const base = { equipmentId: device.id, type: 'quality_control', priority: 'low', description: 'Contrôle qualité périodique' };
    const late = await call(engineer, 'POST', '/work-orders', { ...base, priority: 'critical', dueAt: new Date(Date.now() - 3600_000).toISOString() });
    const lent = await call(engineer, 'POST', '/work-orders', { ...base, priority: 'high', assigneeIds: [tech.userId] });
    expect(lent.assignees[0]).toMatchObject({ id: tech.userId, crossSite: true });
    for (let i = 0; i < 24; i++) await call(engineer, 'POST', '/work-orders', base);

    const page = await newPage({ width: 1280, height: 900 });
    await page.goto(`${server.url}/work-orders?siteId=${ch1.id}&type=quality_control`);
    await signIn(page, ENGINEER);
    await page.getByTestId('backlog-row').first().waitFor();
    // The API's order: critical first (the overdue one), then high.
    const rows = page.getByTestId('backlog-row');
    expect(await rows.count()).toBe(25);
    await page.getByTestId('backlog-more').waitFor();
    const first = rows.nth(0);
    expect(await first.getByTestId('backlog-link').innerText()).toBe(late.number);
    await first.getByTestId('backlog-overdue').waitFor();
    expect(await first.getByTestId('backlog-due').locator('.due-overdue').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 38, 30)');
    expect(await rows.nth(1).getByTestId('backlog-link').innerText()).toBe(lent.number);
    expect(await rows.nth(1).getByTestId('backlog-cross-site').innerText()).toBe(fr.woExtra.assignees.crossSite);
    expect(await rows.nth(2).getByTestId('backlog-overdue').count()).toBe(0);

    // Scrolling to the end loads the next page (infinite scroll).
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.getByTestId('backlog-count').filter({ hasText: '26' }).waitFor();
    expect(await page.getByTestId('backlog-count').innerText()).toContain(fr.backlog.end);
    expect(await page.getByTestId('backlog-more').count()).toBe(0);

    await page.getByTestId('backlog-filter-overdue-quick').click();
    await page.waitForURL((url) => url.searchParams.get('overdue') === '1');
    await page.getByTestId('backlog-count').filter({ hasText: '1 résultat' }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getByTestId('backlog-link').innerText()).toBe(late.number);
  });

  it('a technician assigns only himself, sees the API’s problems next to the fields, and is told why not on another site', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await page.goto(`${server.url}/work-orders/new?equipmentId=${devicePicked.id}`);
    await signIn(page, TECH);
    await page.getByTestId('new-wo-device-chosen').waitFor();
    const choices = page.getByTestId('new-wo-assignees').locator('input[type="checkbox"]');
    await page.getByTestId(`new-wo-assignee-${tech.userId}`).waitFor();
    expect(await choices.count()).toBe(1);

    // A due date long past: the API's 400 names body.dueAt, shown next to the field.
    await page.getByTestId('new-wo-description').fill('Vérification après chute');
    await page.getByTestId('new-wo-due').fill('2020-01-15');
    await page.getByTestId('new-wo-submit').click();
    await page.getByTestId('form-alert').filter({ hasText: 'échéance' }).waitFor();
    expect(await page.getByTestId('new-wo-due').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toContain('/work-orders/new');

    // A device of CH1, where he has no role: no form, an explanation instead.
    const ch1 = ((await call(tech, 'GET', '/sites?limit=50')).items as Json[]).find((s) => s.shortCode === 'CH1')!;
    const elsewhere = (await call(tech, 'GET', `/equipment?siteId=${ch1.id}&status=in_service&limit=1`)).items[0] as Json;
    await page.goto(`${server.url}/work-orders/new?equipmentId=${elsewhere.id}`);
    await page.getByTestId('new-wo-forbidden').waitFor();
    expect(await page.getByTestId('new-wo-submit').count()).toBe(0);
  });

  it('shows cards on a phone, without sideways scrolling', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${server.url}/work-orders?siteId=all&state=all`);
    await signIn(page, ENGINEER);
    const row = page.getByTestId('backlog-row').first();
    await row.waitFor();
    // Every site: each card names its site.
    await row.getByTestId('backlog-site').waitFor();
    expect(await page.getByTestId('backlog-site').first().innerText()).toMatch(/^[A-Z0-9]+$/);

    // Rows are cards: no visible header line, each row a block within the screen.
    const layout = await row.evaluate((tr) => {
      const style = getComputedStyle(tr);
      const box = tr.getBoundingClientRect();
      const head = tr.closest('table')!.querySelector('thead')!.getBoundingClientRect();
      return { display: style.display, width: box.width, left: box.left, headHeight: head.height };
    });
    expect(layout.display).toBe('flex');
    expect(layout.headHeight).toBeLessThanOrEqual(1);
    expect(layout.left).toBeGreaterThanOrEqual(0);
    expect(layout.left + layout.width).toBeLessThanOrEqual(390);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    // The quick filters and the search stay usable.
    await page.getByTestId('backlog-filter-to-verify').click();
    await page.waitForURL((url) => url.searchParams.get('state') === 'completed');
    await page.getByTestId('backlog-filter-q').fill(seeded.number);
    await page.waitForURL((url) => url.searchParams.get('q') === seeded.number);
    // A work-order number is searched in every state: the closed one shows even in the "to verify" view.
    await page.getByTestId('backlog-row').filter({ hasText: seeded.number }).waitFor();
    expect(await page.getByTestId('backlog-row').count()).toBe(1);
    await page.getByTestId('backlog-filter-open').click();
    await page.getByTestId('backlog-filters-toggle').click();
    await page.getByTestId('backlog-filter-state').selectOption('closed');
    await page.getByTestId('backlog-row').filter({ hasText: seeded.number }).waitFor();
    expect(await page.getByTestId('backlog-row').count()).toBe(1);

    // The new-work-order form fits the screen too.
    await page.goto(`${server.url}/work-orders/new?equipmentId=${devicePicked.id}`);
    await page.getByTestId('new-wo-device-chosen').waitFor();
    await page.getByTestId('new-wo-submit').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  });
});
