import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createDailyDigests, type DB } from '@gmao/db';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';

/**
 * The notifications on a 390 px phone: a technician with a digest of today (made by the
 * digest's own code) and one of yesterday sees the bell's count in the header, opens the
 * list, marks one read then all, and follows a work order's link — without sideways scrolling.
 */
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'Demo!2026';
const DAY = 24 * 3600_000;

let server: { url: string; db: Kysely<DB>; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];
let workOrder: { id: string; number: string };

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const db = server.db;
  const token = await accessToken('ingenieur@ght-demo.fr');
  const tech = await db.selectFrom('users').select(['id', 'territoryId']).where('email', '=', 'tech.chu@ght-demo.fr').executeTakeFirstOrThrow();
  const site = await db.selectFrom('sites').select('id').where('shortCode', '=', 'CHU').executeTakeFirstOrThrow();
  const device = await db.selectFrom('equipment').select('id').where('siteId', '=', site.id).where('status', '=', 'in_service').orderBy('inventoryNumber').limit(1).executeTakeFirstOrThrow();
  const res = await fetch(`${server.url}/api/v1/work-orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ equipmentId: device.id, type: 'electrical_safety', description: 'Contrôle de sécurité électrique annuel', assigneeIds: [tech.id], dueAt: new Date(Date.now() + DAY).toISOString() }),
  });
  expect(res.status).toBe(201);
  workOrder = (await res.json()) as { id: string; number: string };
  // Only this work order is due: overdue by two days.
  await sql`update work_orders set due_repair_at = case when id = ${workOrder.id} then now() - interval '2 days' else null end`.execute(db);
  await db.deleteFrom('notifications').execute();
  // Yesterday's digest, then today's, made by the digest's own code.
  const yesterday = new Date(Date.now() - DAY);
  await db.insertInto('notifications').values({
    territoryId: tech.territoryId, userId: tech.id, kind: 'digest_technician',
    digestDay: sql<string>`(${yesterday.toISOString()}::timestamptz at time zone 'Europe/Paris')::date`,
    payload: JSON.stringify({ overdueCount: 0, dueSoonCount: 1, dueSoonDays: 7, items: [] }), link: '/work-orders/mine',
    emailState: 'disabled', createdAt: yesterday,
  }).execute();
  await createDailyDigests(db, { dueSoonDays: 7, emailEnabled: false });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

async function accessToken(email: string): Promise<string> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  return ((await login.json()) as { accessToken: string }).accessToken;
}

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

const noSidewaysScroll = async (page: Page) => expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);

describe('notifications', () => {
  it('shows a technician the bell’s count at 390 px; the list, one marked read, then all', async () => {
    const page = await signedIn('tech.chu@ght-demo.fr');
    const bell = page.getByTestId('header-bell');
    await expect.poll(() => bell.getByTestId('header-bell-count').innerText().catch(() => '')).toBe('2');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 2 non lues');
    await noSidewaysScroll(page);

    await bell.click();
    await page.getByTestId('notification').nth(1).waitFor();
    const cards = page.getByTestId('notification');
    expect(await cards.count()).toBe(2);
    const today = await cards.first().innerText();
    expect(today).toMatch(/Vos bons de travail du \d{2}\/\d{2}\/\d{4}/);
    expect(today).toContain('1 en retard, aucun à échéance sous 7 jours');
    expect(today).toContain(workOrder.number);
    expect(today).toContain('Sécurité électrique');
    expect(today).toContain('Réglementaire');
    await noSidewaysScroll(page);

    await cards.first().getByTestId('notification-read').click();
    await expect.poll(() => cards.first().getAttribute('data-unread')).toBe('false');
    await expect.poll(() => bell.getByTestId('header-bell-count').innerText().catch(() => '')).toBe('1');
    expect(await cards.nth(1).getAttribute('data-unread')).toBe('true');

    await page.getByTestId('notifications-read-all').click();
    await expect.poll(() => bell.getByTestId('header-bell-count').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="notification"][data-unread="true"]').count()).toBe(0);
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, aucune non lue');

    // Unread only: nothing left.
    await page.getByTestId('notifications-unread-only').check();
    await page.getByTestId('notifications-empty').waitFor();

    // A work order's link leads to its page.
    await page.getByTestId('notifications-unread-only').uncheck();
    await page.getByRole('link', { name: workOrder.number }).first().click();
    await page.waitForURL(`**/work-orders/${workOrder.id}`);
  });

  it('speaks English when English is chosen, the bell included', async () => {
    const page = await signedIn('tech.chu@ght-demo.fr', 'en');
    const bell = page.getByTestId('header-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, none unread');
    await bell.click();
    await page.getByTestId('notification').first().waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Notifications');
    expect(await page.getByTestId('notification').first().innerText()).toContain('1 overdue, none due within 7 days');
    await noSidewaysScroll(page);
  });
});
