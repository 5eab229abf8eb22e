import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * What people met on the work-order pages (issue 9, item 15): why a technician of another site
 * cannot take a request and whom to ask; a second fault report warned of the open one; "Effacer
 * les filtres" resetting the site; the completion's missing items going as they are fixed; the
 * labour total saying travel comes on top; cards saying which due date they show and flagging a
 * passed response time; 44 px phone and radio fields.
 */
const PASSWORD = 'Demo!2026';
const CARE = 'soignant.chu@ght-demo.fr';
const TECH_CHU = 'tech.chu@ght-demo.fr';
const TECH_CH1 = 'tech.ch1@ght-demo.fr';
const ENGINEER = 'ingenieur@ght-demo.fr';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: { url: string; db: Kysely<DB>; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];
const tokens = new Map<string, string>();
let chuId: string;
let ch1Id: string;
let devices: Json[];

async function token(email: string): Promise<string> {
  if (!tokens.has(email)) {
    const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    tokens.set(email, ((await res.json()) as { accessToken: string }).accessToken);
  }
  return tokens.get(email)!;
}

async function api(email: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${await token(email)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as Json;
}

/** A CHU device nobody else uses in this file, and a fault report on it by care staff. */
let nextDevice = 0;
async function report(symptom: string): Promise<{ device: Json; order: Json }> {
  const device = devices[nextDevice++]!;
  const order = await api(CARE, '/work-requests', { equipmentId: device.id, symptom, deviceOutOfService: false });
  return { device, order };
}

async function signedIn(email: string, path: string, width = 390): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: width < 600 });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-name').waitFor();
  return page;
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const sites = (await api(ENGINEER, '/sites?limit=50')).items as Json[];
  chuId = sites.find((s) => s.shortCode === 'CHU')!.id;
  ch1Id = sites.find((s) => s.shortCode === 'CH1')!.id;
  devices = (await api(CARE, `/equipment?siteId=${chuId}&status=in_service&limit=20`)).items;
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

describe('work orders, as their users meet them', () => {
  it('a technician of another site is told why he cannot take a request, and who can assign it', async () => {
    const { order } = await report('Alarme de débit intermittente');
    const page = await signedIn(TECH_CH1, `/work-orders/${order.id}`);
    const notice = page.getByTestId('work-order-cannot-take');
    await notice.waitFor();
    expect(await page.getByTestId('work-order-assign-me').count()).toBe(0);
    expect(await notice.innerText()).toContain('CHU Démo');
    await page.getByTestId('work-order-planner').first().waitFor();
    const planners = await page.getByTestId('work-order-planner').allInnerTexts();
    expect(planners[0]).toBe(`Hélène Marchand — ${fr.roles.site_manager}`);
    expect(planners).toContain(`Étienne Ingénieur — ${fr.roles.engineer}`);

    // The site's own technician may take it: no such notice.
    const own = await signedIn(TECH_CHU, `/work-orders/${order.id}`);
    await own.getByTestId('work-order-assign-me').waitFor();
    expect(await own.getByTestId('work-order-cannot-take').count()).toBe(0);
  });

  it('a second fault report on a device is warned of the open one, with a link to it', async () => {
    const { device, order } = await report('Écran qui clignote');
    const page = await signedIn(CARE, `/work-requests/new?equipmentId=${device.id}`);
    const warning = page.getByTestId('work-request-open-reports');
    await warning.waitFor();
    expect(await warning.innerText()).toContain(order.number);
    await page.getByTestId('work-request-open-link').click();
    await page.getByTestId('work-order-number').filter({ hasText: order.number }).waitFor();

    // A device without an open report: no warning.
    const quiet = devices[nextDevice++]!;
    await page.goto(`${server.url}/work-requests/new?equipmentId=${quiet.id}`);
    await page.getByTestId('work-request-submit').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('work-request-open-reports').count()).toBe(0);
  });

  it('"Effacer les filtres" brings the current site back too', async () => {
    const page = await signedIn(ENGINEER, `/work-orders?siteId=${ch1Id}`, 1280);
    await page.getByTestId('backlog-page').waitFor();
    const clear = page.getByTestId('backlog-filter-clear');
    expect(await clear.isEnabled()).toBe(true);
    await clear.click();
    await page.waitForURL((url) => url.searchParams.get('siteId') === chuId);
    expect(await page.getByTestId('backlog-filter-site').inputValue()).toBe(chuId);
    expect(await clear.isEnabled()).toBe(false);
  });

  it('the completion’s missing items go as each is fixed; the labour total says travel comes on top', async () => {
    const { order } = await report('Ne s’allume plus');
    const page = await signedIn(TECH_CHU, `/work-orders/${order.id}`);
    await page.getByTestId('work-order-assign-me').click();
    await page.getByTestId('work-order-to-in_progress').click();
    await page.getByTestId('work-order-state').filter({ hasText: fr.workOrderStates.in_progress }).waitFor();
    // Completion asks for the verdict (none for a corrective work order) before it lists what is missing.
    await page.getByTestId('work-order-to-completed').click();
    await page.getByTestId('work-order-verdict').waitFor();
    await page.getByTestId('work-order-confirm').click();
    const items = page.getByTestId('work-order-missing-item');
    await page.getByTestId('work-order-missing').waitFor();
    const m = fr.workOrder.missing;
    expect(await items.allInnerTexts()).toEqual([m.diagnosis, m.actions, m.labour, m.signature]);

    await page.getByTestId('work-order-diagnosis').fill('Fusible d’alimentation grillé');
    await page.getByTestId('work-order-actions').fill('Remplacement du fusible, essais');
    await page.getByTestId('work-order-save-report').click();
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.allInnerTexts()).toEqual([m.labour, m.signature]);

    await page.getByTestId('labour-travel').fill('20');
    await page.getByTestId('labour-quick-30').click();
    // The work order's minutes come with the answer, the travel once the entries are read again.
    await page.getByTestId('work-order-labour-total').filter({ hasText: 'trajet' }).waitFor();
    expect(await page.getByTestId('work-order-labour-total').innerText()).toBe('Total : 30 min de travail + 20 min de trajet');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.allInnerTexts()).toEqual([m.signature]);
  });

  it('a card says which due date it shows, and flags a passed response time', async () => {
    const { device, order } = await report('Batterie qui ne tient plus la charge');
    const late = await report('Bip continu au démarrage');
    await server.db.updateTable('workOrders').set({ dueResponseAt: new Date(Date.now() - 2 * 3600_000) }).where('id', '=', late.order.id).execute();

    const page = await signedIn(CARE, `/inventory/${device.id}`);
    const card = page.getByTestId('work-order-card').filter({ hasText: order.number });
    await card.waitFor();
    expect(await card.getByTestId('work-order-due').innerText()).toMatch(/^Réponse attendue avant le /);
    expect(await card.getByTestId('work-order-late').count()).toBe(0);

    await page.goto(`${server.url}/inventory/${late.device.id}`);
    const lateCard = page.getByTestId('work-order-card').filter({ hasText: late.order.number });
    await lateCard.waitFor();
    expect(await lateCard.getByTestId('work-order-due').innerText()).toMatch(/^Réponse attendue avant le /);
    expect(await lateCard.getByTestId('work-order-late').innerText()).toBe(fr.workOrders.responseLate);

    // Once the work has started, the card shows the repair due date.
    const started = await api(TECH_CHU, `/work-orders/${order.id}/assignees`, { userId: (await api(TECH_CHU, '/me')).id });
    const res = await fetch(`${server.url}/api/v1/work-orders/${order.id}/transitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(TECH_CHU)}`, 'content-type': 'application/json', 'if-match': String(started.version) },
      body: JSON.stringify({ to: 'in_progress' }),
    });
    expect(res.status).toBe(200);
    await page.goto(`${server.url}/inventory/${device.id}`);
    await card.waitFor();
    expect(await card.getByTestId('work-order-due').innerText()).toMatch(/^Réparation attendue avant le /);

    // The backlog flags it too.
    const backlog = await signedIn(ENGINEER, `/work-orders?siteId=${chuId}&q=${late.order.number}`, 1280);
    const row = backlog.getByTestId('backlog-row').filter({ hasText: late.order.number });
    await row.waitFor();
    expect(await row.getByTestId('backlog-response-late').innerText()).toBe(fr.workOrders.responseLate);
  });

  it('the phone field and the radio buttons are as tall as the other fields (44 px touch targets)', async () => {
    const page = await signedIn(CARE, `/work-requests/new?equipmentId=${devices[nextDevice++]!.id}`);
    await page.getByTestId('work-request-submit').waitFor();
    const height = async (testid: string) => (await page.getByTestId(testid).boundingBox())!.height;
    const name = await height('work-request-callback-name');
    expect(name).toBeGreaterThanOrEqual(44);
    expect(await height('work-request-callback-phone')).toBe(name);
    for (const radio of ['work-request-oos-yes', 'work-request-oos-no']) {
      const label = (await page.getByTestId(radio).locator('xpath=..').boundingBox())!;
      expect(label.height, radio).toBeGreaterThanOrEqual(44);
      expect((await page.getByTestId(radio).boundingBox())!.width, radio).toBeGreaterThanOrEqual(20);
    }
  });
});
