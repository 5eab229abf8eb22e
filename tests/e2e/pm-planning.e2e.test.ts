import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sql } from 'kysely';
import { pino } from 'pino';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { addDays, parisDay } from '@gmao/domain';
import { ensureWebBuilt } from '../support/web-build.js';
import { launchChromium } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/app.js';
import { calendarPeriod, formatMinutes, mondayOf } from '../../apps/web/src/lib/pm-planning.ts';
import fr from '../../apps/web/src/i18n/fr.ts';
import en from '../../apps/web/src/i18n/en.ts';

/**
 * The engineer's planning views (issue 13) in the built SPA, at 390 px (one check at 1280 px):
 * a plan with a lead time generates work due now (through the queue and a real worker); the
 * engineer finds it in the calendar on its due day with the counts and hours, moves one within
 * its window with « Déplacer », sees a move outside the window and a stale one refused in words,
 * assigns one to the CHU's technician, who then sees it in « Mes bons de travail ». The workload
 * shows an overloaded week at a site without technician hours; the compliance page lists overdue
 * regulatory work first. One check in English.
 */
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
const ADMIN = { email: 'admin@ght-demo.fr', password: 'Demo!2026' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** Runs in the page (a string: the tests are compiled without the DOM's types). */
declare function getComputedStyle(element: unknown): { color: string };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Session {
  token: string;
  userId: string;
  homeSiteId: string;
}

let ctx: TestContext;
let workers: RunningWorkers;
let url: string;
let browser: Browser;
let engineer: Session;
let tech: Session;
const contexts: BrowserContext[] = [];

const today = parisDay(new Date());
/** The plan's occurrence: due in two days, tolerance two days either side, generated now (lead time 14 days). */
const due = addDays(today, 2);
const windowStart = addDays(due, -2);
const windowEnd = addDays(due, 2);
/** Two other days of the window in the due day's week (the week view shows them): where the engineer moves one, and where someone else moves another meanwhile. */
const [moveTo, staleTo] = [1, -1, 2, -2].map((n) => addDays(due, n)).filter((d) => mondayOf(d) === mondayOf(due)) as [string, string];
/** The work orders generated at the CHU: moved in the UI and assigned; moved meanwhile by someone else; made overdue. */
let woMoved: Json;
let woStale: Json;
let woLate: Json;
let plan: Json;
/** The site whose technicians have no hours for maintenance. */
let ehpad: Json;

async function login(who: { email: string; password: string }): Promise<Session> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(res.status, `login ${who.email}`).toBe(200);
  const pair = (await res.json()) as { accessToken: string; user: { id: string; homeSite: { id: string } } };
  return { token: pair.accessToken, userId: pair.user.id, homeSiteId: pair.user.homeSite.id };
}

async function raw(s: Session, method: string, path: string, body?: object, version?: number): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = { authorization: `Bearer ${s.token}` };
  if (body) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = String(version);
  const res = await fetch(`${url}/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Json };
}

async function call(s: Session, method: string, path: string, body?: object, version?: number): Promise<Json> {
  const { status, json } = await raw(s, method, path, body, version);
  expect(status < 300, `${method} ${path}: ${status} ${JSON.stringify(json)}`).toBe(true);
  return json;
}

async function newPage(viewport: { width: number; height: number }, locale: 'fr' | 'en' = 'fr'): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: locale === 'fr' ? 'fr-FR' : 'en-GB', timezoneId: 'Europe/Paris' });
  if (locale === 'en') await context.addInitScript(`localStorage.setItem('gmao.locale', 'en')`);
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
}

const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');
/** Text as read, spaces normalised (no-break spaces included). */
const text = async (page: Page, testid: string, within?: string) =>
  (await (within ? page.locator(within).getByTestId(testid) : page.getByTestId(testid)).first().innerText()).replace(/\s+/g, ' ').trim();
const count = (n: number) => (n === 1 ? '1 intervention' : `${n} interventions`);
const frDay = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

async function waitForJob(s: Session, jobId: string): Promise<Json> {
  for (let i = 0; i < 300; i++) {
    const job = await call(s, 'GET', `/jobs/${jobId}`);
    if (job.state === 'completed' || job.state === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}

beforeAll(async () => {
  const webDist = await ensureWebBuilt();
  ctx = await createTestContext({ webDistDir: webDist });
  workers = await startWorkers({ db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
  engineer = await login(ENGINEER);
  tech = await login(TECH);

  // A model with at least three devices at the CHU and some at the EHPAD, whose one technician (shared with the CHU) gets no hours.
  const sites = (await call(engineer, 'GET', '/sites?limit=100')).items as Json[];
  const chu = engineer.homeSiteId;
  ehpad = sites.find((s) => s.shortCode === 'EHPAD')!;
  const modelsAt = async (siteId: string) => {
    const counts = new Map<string, number>();
    for (const d of (await call(engineer, 'GET', `/equipment?siteId=${siteId}&status=in_service&limit=200`)).items as Json[]) {
      if (d.model?.id) counts.set(d.model.id, (counts.get(d.model.id) ?? 0) + 1);
    }
    return counts;
  };
  const atChu = await modelsAt(chu);
  const atEhpad = await modelsAt(ehpad.id);
  const [modelId] = [...atChu.entries()].filter(([id, n]) => n >= 3 && atEhpad.has(id)).sort((a, b) => a[1] - b[1])[0]!;
  const admin = await login(ADMIN);
  for (const u of (await call(admin, 'GET', `/users?siteId=${ehpad.id}&role=technician&limit=100`)).items as Json[]) {
    await call(admin, 'PATCH', `/users/${u.id}`, { weeklyHours: 0 }, u.version);
  }

  plan = await call(engineer, 'POST', '/maintenance-plans', {
    name: 'Maintenance annuelle E2E planification', modelId, workOrderType: 'preventive', trigger: 'calendar', every: 1, unit: 'years',
    anchorDate: due, leadTimeDays: 14, toleranceDaysBefore: 2, toleranceDaysAfter: 2, estimatedMinutes: 90, regulatory: true,
  });
  const run = await call(engineer, 'POST', '/pm/generate', {});
  const job = await waitForJob(engineer, run.jobId);
  expect(job.state, JSON.stringify(job)).toBe('completed');
  const generated = (await call(engineer, 'GET', `/work-orders?planId=${plan.id}&siteId=${chu}&limit=100`)).items as Json[];
  expect(generated.length).toBeGreaterThanOrEqual(3);
  [woMoved, woStale, woLate] = [...generated].sort((a, b) => String(a.number).localeCompare(String(b.number))) as [Json, Json, Json];

  // Overdue regulatory work: a due date already passed (what the API cannot set).
  const past = addDays(today, -10);
  await sql`update work_orders set due_date = ${past}::date, planned_date = ${past}::date, window_start = ${addDays(past, -2)}::date, window_end = ${addDays(past, 2)}::date where id = ${woLate.id}::uuid`.execute(ctx.database.db);
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await workers?.close();
  await ctx?.close();
});

describe('the planning views', () => {
  it('calendar on a phone: the generated work on its day, « Déplacer » within the window, refusals in words, « Affecter » to a technician who sees it', async () => {
    const chu = engineer.homeSiteId;
    const expected = await call(engineer, 'GET', `/pm/calendar?from=${due}&to=${due}&siteId=${chu}`);
    const day = (expected.days as Json[]).find((d) => d.date === due)!;
    expect(day.count).toBeGreaterThanOrEqual(3);

    const page = await newPage(PHONE);
    await page.goto(`${url}/maintenance/calendar`);
    await signIn(page, ENGINEER);
    await page.getByTestId('pm-calendar-page').waitFor();
    // The bare URL becomes the month of today at the user's site: a shareable address.
    await page.waitForURL((u) => u.searchParams.get('view') === 'month' && u.searchParams.get('siteId') === chu && u.searchParams.get('date') === `${today.slice(0, 7)}-01`);
    expect(await page.getByTestId('pm-site').inputValue()).toBe(chu);
    // Tabs to the other views and to the plans.
    expect(await page.getByTestId('pm-tab-plans').getAttribute('href')).toBe('/maintenance/plans');
    if (due.slice(0, 7) !== today.slice(0, 7)) await page.getByTestId('pm-next').click();

    // Phones: the month as a list of the days with work.
    await page.getByTestId('pm-day-list').waitFor();
    const dayRow = `[data-testid="pm-day"][data-date="${due}"]`;
    await page.locator(dayRow).waitFor();
    expect(await text(page, 'pm-day-count', dayRow)).toBe(count(day.count));
    expect(await text(page, 'pm-day-hours', dayRow)).toBe(formatMinutes(day.estimatedMinutes, 'fr'));
    expect(day.estimatedMinutes).toBe(90 * day.count);
    expect(await text(page, 'pm-day-regulatory', dayRow)).toContain(`${day.regulatoryCount} réglementaire`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    // The week view, reached from the buttons: the same day, with its items.
    await page.getByTestId('pm-view-week').click();
    const weeksAhead = (Date.parse(mondayOf(due)) - Date.parse(mondayOf(today))) / (7 * 86_400_000);
    for (let i = 0; i < weeksAhead; i++) await page.getByTestId('pm-next').click();
    await page.waitForURL((u) => u.searchParams.get('view') === 'week' && u.searchParams.get('date') === mondayOf(due));
    const item = (id: string) => page.locator(`[data-testid="pm-item"][data-work-order="${id}"]`);
    await item(woMoved.id).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    // « Déplacer »: a date input limited to the window; a day outside it is refused in words.
    await item(woMoved.id).click();
    await page.getByTestId('pm-panel').waitFor();
    expect(await text(page, 'pm-panel-window')).toBe(`du ${frDay(windowStart)} au ${frDay(windowEnd)}`);
    await page.getByTestId('pm-move-open').click();
    expect(await page.getByTestId('pm-move-date').getAttribute('min')).toBe(windowStart);
    expect(await page.getByTestId('pm-move-date').getAttribute('max')).toBe(windowEnd);
    await page.getByTestId('pm-move-date').fill(addDays(due, 3));
    await page.getByTestId('pm-move-confirm').click();
    await page.locator('[data-testid="pm-move-form"] .field-error').filter({ hasText: 'hors de la fenêtre de tolérance' }).waitFor();
    // Within the window: moved, and the calendar shows it on its new day.
    await page.getByTestId('pm-move-date').fill(moveTo);
    await page.getByTestId('pm-move-confirm').click();
    await page.getByTestId('form-alert').filter({ hasText: `Bon ${woMoved.number} déplacé au` }).waitFor();
    await expect.poll(() => text(page, 'pm-panel-planned')).toBe(frDay(moveTo));
    const moved = await call(engineer, 'GET', `/work-orders/${woMoved.id}`);
    expect(moved.plannedDate).toBe(moveTo);
    // The API refuses a day outside the window too, in words.
    const refused = await raw(engineer, 'PUT', `/work-orders/${woMoved.id}/planned-date`, { plannedDate: addDays(due, 5) }, moved.version);
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('outside_tolerance');
    expect(refused.json.detail).toContain('hors de la fenêtre de tolérance');
    await page.getByTestId('pm-panel-close').click();

    // Someone else moved another one meanwhile: the stale move is refused in words, and the calendar reloaded.
    await item(woStale.id).click();
    await page.getByTestId('pm-panel').waitFor();
    await call(engineer, 'PUT', `/work-orders/${woStale.id}/planned-date`, { plannedDate: staleTo }, woStale.version);
    await page.getByTestId('pm-move-open').click();
    await page.getByTestId('pm-move-date').fill(addDays(due, 2));
    await page.getByTestId('pm-move-confirm').click();
    await page.locator('[data-testid="pm-move-form"] .field-error').filter({ hasText: fr.errors.versionMismatch }).waitFor();
    expect(await text(page, 'pm-move-form')).toContain(fr.pmPlanning.calendar.reloaded);
    await expect.poll(() => text(page, 'pm-panel-planned')).toBe(frDay(staleTo));
    await page.getByTestId('pm-panel-close').click();

    // « Affecter »: the work order page's ranked candidates (issue 14), from the calendar.
    await item(woMoved.id).click();
    await page.getByTestId('pm-assign-open').click();
    await page.getByTestId('candidates-panel').waitFor();
    const ranked = await call(engineer, 'GET', `/work-orders/${woMoved.id}/candidates?limit=200`);
    const thomas = (ranked.items as Json[]).find((c) => c.userId === tech.userId)!;
    await page.getByTestId('candidates-filter').fill('Thomas');
    await page.getByTestId('candidate').filter({ hasText: 'Thomas Technicien' }).getByTestId('candidate-assign').click();
    // Someone who does not meet a known requirement is assigned after a confirmation.
    if (ranked.requiredSkillId !== null && !thomas.meetsRequirement) await page.getByTestId('candidate-confirm-yes').click();
    await page.getByTestId('form-alert').filter({ hasText: 'Thomas Technicien' }).waitFor();
    await expect.poll(() => text(page, 'pm-panel-assignees')).toBe('Thomas Technicien');
    const assigned = await call(engineer, 'GET', `/work-orders/${woMoved.id}`);
    expect(assigned.assignees.map((a: Json) => a.id)).toEqual([tech.userId]);
    await page.getByTestId('pm-panel-close').click();
    expect(await text(page, 'pm-item-assignees', `[data-testid="pm-item"][data-work-order="${woMoved.id}"]`)).toBe('Thomas Technicien');

    // The technician finds it in « Mes bons de travail ».
    const techPage = await newPage(PHONE);
    await techPage.goto(`${url}/work-orders/mine`);
    await signIn(techPage, TECH);
    await techPage.getByTestId('work-order-list').waitFor();
    await techPage.getByTestId('work-order-number').filter({ hasText: woMoved.number }).waitFor();
    // Technicians have no « Planification » entry.
    expect(await techPage.getByTestId('nav-planning').count()).toBe(0);
  });

  it('calendar on a desktop: the month grid with counts, hours and the regulatory mark; a drag to another day of the window', async () => {
    const chu = engineer.homeSiteId;
    // The month of woStale's day (moved by someone else in the phone test).
    const from = (await call(engineer, 'GET', `/work-orders/${woStale.id}`)).plannedDate as string;
    expect(from).toBe(staleTo);
    const grid = calendarPeriod('month', from);
    const inGrid = (d: string) => d >= grid.from && d <= grid.to;
    const page = await newPage(DESKTOP);
    await page.goto(`${url}/maintenance/calendar?view=month&date=${from}&siteId=${chu}`);
    await signIn(page, ENGINEER);
    await page.getByTestId('pm-month-grid').waitFor();
    await page.getByTestId('nav-planning').waitFor();
    const expected = await call(engineer, 'GET', `/pm/calendar?from=${windowStart}&to=${windowEnd}&siteId=${chu}`);
    for (const d of (expected.days as Json[]).filter((x) => inGrid(x.date))) {
      const cell = `[data-testid="pm-day-cell"][data-date="${d.date}"]`;
      await page.locator(cell).getByTestId('pm-day-count').waitFor();
      expect(await text(page, 'pm-day-count', cell)).toBe(count(d.count));
      expect(await text(page, 'pm-day-hours', cell)).toBe(formatMinutes(d.estimatedMinutes, 'fr'));
      if (d.regulatoryCount > 0) expect(await text(page, 'pm-day-regulatory', cell)).toContain('réglementaire');
    }
    // Seven columns Monday first, no sideways scroll.
    expect(await page.locator('.pm-weekday').first().innerText()).toMatch(/^lun/i);
    expect(await pageWidth(page)).toBeLessThanOrEqual(DESKTOP.width);

    // Drag woStale to another day of its window (not its due day, which holds many); days outside it are marked while dragging.
    const to = [windowEnd, windowStart, addDays(due, 1), addDays(due, -1)].find((d) => d !== from && inGrid(d))!;
    const outsideDay = [addDays(windowEnd, 1), addDays(windowStart, -1)].find(inGrid)!;
    const chip = page.locator(`[data-testid="pm-day-cell"][data-date="${from}"] [data-testid="pm-item"][data-work-order="${woStale.id}"]`);
    await chip.waitFor();
    expect(await chip.getAttribute('draggable')).toBe('true');
    const target = page.locator(`[data-testid="pm-day-cell"][data-date="${to}"]`);
    const outside = page.locator(`[data-testid="pm-day-cell"][data-date="${outsideDay}"]`);
    await chip.hover();
    await page.mouse.down();
    await target.hover();
    await target.hover({ position: { x: 20, y: 40 } });
    expect(await outside.getAttribute('data-droppable')).toBe('no');
    expect(await outside.innerText()).toContain(fr.pmPlanning.calendar.notDroppable);
    expect(await target.getAttribute('data-droppable')).toBe('ok');
    await page.mouse.up();
    await page.getByTestId('form-alert').filter({ hasText: `Bon ${woStale.number} déplacé au` }).waitFor();
    expect((await call(engineer, 'GET', `/work-orders/${woStale.id}`)).plannedDate).toBe(to);
    await page.locator(`[data-testid="pm-day-cell"][data-date="${to}"] [data-testid="pm-item"][data-work-order="${woStale.id}"]`).waitFor();
  });

  it('workload: an overloaded week at a site without technician hours, in words and colour, with the lending legend (phone: a card per site)', async () => {
    const from = mondayOf(today);
    const workload = await call(engineer, 'GET', `/pm/workload?from=${from}&to=${addDays(from, 55)}`);
    const site = (workload.sites as Json[]).find((s) => s.site.id === ehpad.id)!;
    expect(site.weeklyCapacityMinutes).toBe(0);
    const week = (site.weeks as Json[]).find((w) => w.weekStart === mondayOf(due))!;
    expect(week).toMatchObject({ overloaded: true, capacityMinutes: 0 });
    expect(week.dueMinutes).toBeGreaterThan(0);

    const page = await newPage(PHONE);
    await page.goto(`${url}/maintenance/workload`);
    await signIn(page, ENGINEER);
    await page.getByTestId('pm-workload-list').waitFor();
    await page.waitForURL((u) => u.searchParams.get('from') === from);
    const cell = page.locator(`[data-testid="pm-workload-row"][data-site="${site.site.id}"] [data-testid="pm-workload-cell"][data-week="${week.weekStart}"]`);
    expect(await cell.getAttribute('data-tone')).toBe('overloaded');
    const cellText = (await cell.innerText()).replace(/\s+/g, ' ');
    expect(cellText).toContain(fr.pmPlanning.workload.overloaded);
    expect(cellText).toContain(`${formatMinutes(week.dueMinutes, 'fr')} / 0 h`);
    expect(cellText).toContain(fr.pmPlanning.workload.noCapacity);
    // Colour too: the overloaded mark is white on red.
    expect(await cell.getByTestId('pm-workload-tone').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
    expect(await text(page, 'pm-workload-legend')).toContain('Prêter du travail entre sites');
    expect(await page.getByTestId('pm-lending-week').first().innerText()).toContain(site.site.name);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });

  it('compliance: the overdue regulatory work first, with a link, the days overdue and the rates', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${url}/maintenance/compliance?siteId=all`);
    await signIn(page, ENGINEER);
    await page.getByTestId('pm-overdue').waitFor();
    const row = page.locator(`[data-testid="pm-overdue-item"][data-work-order="${woLate.id}"]`);
    await row.waitFor();
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain('en retard depuis 10 jours');
    expect(await row.getByTestId('pm-overdue-link').innerText()).toBe(woLate.number);
    // First on the page: before the rates.
    const order = await page.evaluate<boolean>(`(() => {
      const overdue = document.querySelector('[data-testid="pm-overdue"]');
      const rate = document.querySelector('[data-testid="pm-rate-total"]');
      return !!(overdue.compareDocumentPosition(rate) & Node.DOCUMENT_POSITION_FOLLOWING);
    })()`);
    expect(order).toBe(true);
    const compliance = await call(engineer, 'GET', `/pm/compliance?from=${addDays(today, -365)}&to=${today}`);
    expect(compliance.regulatory.due).toBeGreaterThanOrEqual(1);
    expect(await text(page, 'pm-rate-value', '[data-testid="pm-rate-regulatory"]')).toMatch(/^(\d+ % — \d+ \/ \d+|—)$/);
    await page.getByTestId('pm-compliance-by-site').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await row.getByTestId('pm-overdue-link').click();
    await page.getByTestId('work-order-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/work-orders/${woLate.id}`);
  });

  it('in English: the compliance and the calendar speak English', async () => {
    const page = await newPage(PHONE, 'en');
    await page.goto(`${url}/maintenance/compliance?siteId=all`);
    await signIn(page, ENGINEER);
    await page.getByTestId('pm-overdue').waitFor();
    expect(await page.locator('h1').innerText()).toBe(en.pmPlanning.compliance.title);
    expect((await page.locator(`[data-testid="pm-overdue-item"][data-work-order="${woLate.id}"]`).innerText()).replace(/\s+/g, ' ')).toContain('overdue by 10 days');
    await page.getByTestId('pm-tab-calendar').click();
    await page.getByTestId('pm-calendar-page').waitFor();
    expect(await page.locator('h1').innerText()).toBe(en.pmPlanning.calendar.title);
    expect(await page.getByTestId('nav-planning').innerText()).toBe(en.nav.planning);
  });
});
