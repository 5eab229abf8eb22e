import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { KPI_KEYS } from '@gmao/contracts';
import { addMonths } from '@gmao/domain';
import { rebuildKpiRollups } from '@gmao/db';
import { ensureWebBuilt } from '../support/web-build.js';
import { launchChromium, expectNoSideScroll } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/app.js';
import { WEB_DIST } from '../../scripts/lib/web-build.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * The dashboards (issue 15). On a 390 px phone, in French, the site manager of the second demo
 * site opens the home page: their site's six indicators against the territory's, each a number
 * in its unit or « — », the transfers to approve and the balance card; then downloads the
 * statement of the last ended month (GET /cost-statements/{month}.csv: that step passes once
 * the statements' endpoint is there). At 1280 px, the indicators page draws a chart with its
 * table (the same numbers, for screen readers), and printing shows the table and hides the
 * navigation.
 */
const MANAGER = { email: 'responsable.ch1@ght-demo.fr', password: 'Demo!2026' };
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** A value as the cards write it: a number (with its unit) or « — ». */
const KPI_VALUE = /^(—|-?\d[\d\s\u00a0\u202f]*(,\d+)?(\s?%|\s?h|\s?€)?)$/;

let ctx: TestContext;
let url: string;
let browser: Browser;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const lastMonth = addMonths(`${today.slice(0, 7)}-01`, -1).slice(0, 7);

beforeAll(async () => {
  await ensureWebBuilt();
  ctx = await createTestContext({ webDistDir: WEB_DIST });
  // The demo's records rolled up over the last year, as the worker keeps them.
  const territory = await ctx.database.db.selectFrom('territories').select('id').executeTakeFirstOrThrow();
  await rebuildKpiRollups(ctx.database.db, { territoryId: territory.id, from: addMonths(today, -13), to: today });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

async function login(context: BrowserContext, path: string, who: { email: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  return page;
}

describe('the site manager’s home page on a phone', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true, acceptDownloads: true });
    page = await login(context, '/', MANAGER);
  });
  afterAll(async () => context?.close());

  it('shows the site’s six indicators against the territory, its transfers to approve and its balance card', async () => {
    const panel = page.getByTestId('home-site-kpis');
    await panel.getByTestId('kpi-card').first().waitFor();
    const cards = panel.getByTestId('kpi-card');
    expect(await cards.count()).toBe(6);
    expect(await cards.getByTestId('kpi-label').allInnerTexts()).toEqual(KPI_KEYS.map((k) => fr.dashboards.kpi[k].label));
    const values = await cards.getByTestId('kpi-value').allInnerTexts();
    expect(values).toHaveLength(6);
    for (const v of values) expect(v.trim()).toMatch(KPI_VALUE);
    // Each with what it is computed from, and the territory's value beside it.
    for (const f of await cards.getByTestId('kpi-fraction').allInnerTexts()) expect(f).toContain('÷');
    for (const v of await cards.getByTestId('kpi-territory').allInnerTexts()) expect(v).toMatch(/^Territoire : /);
    // The demo has devices and technicians at every site: those two have a value.
    const byKpi = Object.fromEntries(KPI_KEYS.map((k, i) => [k, values[i]!.trim()]));
    expect(byKpi.techniciansPer1000).not.toBe('—');
    expect(byKpi.availability).toMatch(/%$/);

    await page.getByTestId('home-transfers').getByText(/Aucune demande de transfert|Voir les transferts/).first().waitFor();
    const balance = page.getByTestId('home-balance');
    await balance.waitFor();
    await expect.poll(async () => (await balance.innerText()).includes('Chargement')).toBe(false);
    expect(await page.getByTestId('home-statement-download').innerText()).toBe('Télécharger le relevé du mois');
    // The panels of other roles are not there; the existing ones still are.
    expect(await page.getByTestId('home-my-work').count()).toBe(0);
    await page.getByTestId('home-site').waitFor();
    await page.waitForLoadState('networkidle');
    await expectNoSideScroll(page, 'home page');
  });

  it('downloads the statement of the last ended month', async () => {
    const downloading = page.waitForEvent('download', { timeout: 15_000 });
    downloading.catch(() => undefined);
    const requested = page.waitForRequest((r) => new URL(r.url()).pathname === `/api/v1/cost-statements/${lastMonth}.csv`);
    await page.getByTestId('home-statement-download').click();
    // Through the API client: with the session's token, not a bare link.
    expect((await requested).headers().authorization).toMatch(/^Bearer /);
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`${lastMonth}.*\\.csv$`));
  });
});

describe('the other roles’ home pages on a phone', () => {
  it('an engineer sees the territory’s six with small trends, the overdue regulatory work and the fragile competencies', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, '/', ENGINEER);
    const panel = page.getByTestId('home-engineer-kpis');
    await panel.getByTestId('kpi-card').first().waitFor();
    expect(await panel.getByTestId('kpi-label').allInnerTexts()).toEqual(KPI_KEYS.map((k) => fr.dashboards.kpi[k].label));
    // A small chart in a card, its numbers in a table for screen readers.
    await panel.locator('[data-kpi="techniciansPer1000"] [data-testid="kpi-chart"] svg').waitFor();
    expect(await panel.locator('[data-kpi="techniciansPer1000"] [data-testid="kpi-trend-row"]').count()).toBe(12);
    await page.getByTestId('home-overdue-regulatory').getByRole('heading', { name: 'Travaux réglementaires en retard' }).waitFor();
    await page.getByTestId('home-fragile').getByRole('link', { name: 'Voir la couverture des compétences' }).waitFor();
    // The demo map leaves categories without anyone competent.
    await page.getByTestId('home-fragile-item').first().waitFor();
    await page.waitForLoadState('networkidle');
    await expectNoSideScroll(page, 'engineer home page');
    // The indicators page, its tables as labelled cards, fits the phone too.
    await page.getByTestId('home-indicators-link').click();
    await page.getByTestId('kpi-site-row').first().waitFor();
    await page.locator('[data-testid="kpi-chart"] svg').first().waitFor();
    await page.waitForLoadState('networkidle');
    await expectNoSideScroll(page, 'indicators page');
    await context.close();
  });

  it('a technician sees their work of today and this week, and their overdue items', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, '/', { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' });
    const panel = page.getByTestId('home-my-work');
    await panel.getByTestId('my-work-all').waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).innerText()).toBe('Mon travail');
    expect(await page.getByTestId('home-site-kpis').count()).toBe(0);
    await page.waitForLoadState('networkidle');
    await expectNoSideScroll(page, 'technician home page');
    await context.close();
  });
});

describe('the indicators page on a desktop', () => {
  it('draws a monthly trend with its table, and prints the table without the navigation', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await login(context, '/indicators', ENGINEER);
    await page.getByTestId('kpi-page').waitFor();
    await page.getByTestId('nav-indicators').waitFor();
    await page.getByTestId('kpi-page').getByTestId('kpi-card').first().waitFor();
    expect(await page.getByTestId('kpi-page').getByTestId('kpi-card').count()).toBe(6);

    const trend = page.locator('[data-testid="kpi-trend"][data-kpi="techniciansPer1000"]');
    // The chart (ECharts, loaded with its own chunk) draws an SVG.
    await trend.locator('[data-testid="kpi-chart"] svg').waitFor();
    const table = trend.getByTestId('kpi-trend-table');
    // The table is there for screen readers, visually hidden until asked for.
    expect(await table.getByTestId('kpi-trend-row').count()).toBe(12);
    expect(await table.locator('caption').innerText()).toBe(`${fr.dashboards.kpi.techniciansPer1000.label}, par mois`);
    const wrap = trend.getByTestId('kpi-trend-table-wrap');
    const width = async () => (await wrap.boundingBox())?.width ?? 0;
    expect(await width()).toBeLessThanOrEqual(1);
    await trend.getByTestId('kpi-table-toggle').click();
    expect(await width()).toBeGreaterThan(100);
    const values = await table.locator('td[data-column="value"]').allInnerTexts();
    expect(values.some((v) => /\d/.test(v))).toBe(true);
    await trend.getByTestId('kpi-table-toggle').click();

    // Printing: the navigation goes, every trend's table shows with its chart.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('nav').isVisible()).toBe(false);
    expect(await page.getByTestId('kpi-filters').isVisible()).toBe(false);
    expect(await width()).toBeGreaterThan(100);
    expect(await trend.locator('[data-testid="kpi-chart"]').isVisible()).toBe(true);
    expect(await page.getByTestId('kpi-by-site').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });
});
