import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { postCostLedger, type DB } from '@gmao/db';
import { addMonths, parisDay } from '@gmao/domain';
import { ensureWebBuilt } from '../support/web-build.js';
import { launchChromium } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { WEB_DIST } from '../../scripts/lib/web-build.js';

/**
 * The cost allocation screens (issue 15, ADR 0023) on a 390 px phone, against the real API and
 * database. Before the browser: the territory admin sets the convention through the API,
 * technicians lend a hand on other sites' work orders last month (and the month before), and
 * the worker's posting (`postCostLedger`) writes the inter-site ledger; a month four months ago
 * is closed. Then a site manager reads, drills into, approves and downloads last month's
 * statement; the admin adds a convention version; an engineer creates, edits (If-Match, a 412
 * after a change through the API) and deactivates a maintenance contract.
 */
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'Demo!2026';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface SiteRow { id: string; name: string; shortCode: string }

const today = parisDay(new Date());
const CURRENT = today.slice(0, 7);
/** Last month: ended, its lines posted, approvable. */
const LAST = addMonths(`${CURRENT}-01`, -1).slice(0, 7);
/** The month before: ended too (the English test approves it). */
const BEFORE = addMonths(`${CURRENT}-01`, -2).slice(0, 7);
/** A month closed already (no version may apply from it). */
const CLOSED = addMonths(`${CURRENT}-01`, -4).slice(0, 7);
const NEXT_YEAR = `${Number(today.slice(0, 4)) + 1}-01-01`;

let ctx: TestContext;
let db: Kysely<DB>;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
let sites: SiteRow[];
let chu: SiteRow;
let ch1: SiteRow;
let ch2: SiteRow;
let ch1WorkOrder: { id: string; number: string };
let ch2Device: Json;
let chuDevice: Json;

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

async function login(email: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function call(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function api(token: string, path: string): Promise<Json> {
  const res = await call(token, 'GET', path);
  expect(res.status, path).toBe(200);
  return res.body;
}

beforeAll(async () => {
  await ensureWebBuilt();
  ctx = await createTestContext({ webDistDir: WEB_DIST });
  db = ctx.database.db;
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();

  const ids = await demoIds(db);
  const admin = await login('admin@ght-demo.fr');
  sites = ((await api(admin, '/sites?limit=200')).items as SiteRow[]).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  chu = sites.find((s) => s.shortCode === 'CHU')!;
  ch1 = sites.find((s) => s.shortCode === 'CH1')!;
  ch2 = sites.find((s) => s.shortCode === 'CH2')!;
  ch2Device = ((await api(admin, `/equipment?siteId=${ch2.id}&limit=1`)).items as Json[])[0]!;
  chuDevice = ((await api(admin, `/equipment?siteId=${chu.id}&limit=1`)).items as Json[])[0]!;

  // The convention, through the API: technician 45 €/h, travel 0.50 €/min, no overhead, contracts by devices.
  const convention = await call(admin, 'POST', '/cost-conventions', {
    appliesFrom: `${Number(today.slice(0, 4)) - 1}-01-01`, technicianHourlyRateCents: 4_500, engineerHourlyRateCents: 6_000, travelMode: 'per_minute',
    travelCentsPerMinute: 50, travelCentsPerKm: 0, overheadPercent: 0, contractSplit: 'devices', note: 'Convention initiale',
  });
  expect(convention.status, JSON.stringify(convention.body)).toBe(201);

  // Technicians lent to another site: labour recorded on that site's work orders.
  let seq = 0;
  const workOrder = async (siteId: string, startedAt: string) => {
    seq++;
    const device = await db.selectFrom('equipment').select('id').where('siteId', '=', siteId).orderBy('inventoryNumber').executeTakeFirstOrThrow();
    return db.insertInto('workOrders').values({
      territoryId: ids.territoryId, siteId, equipmentId: device.id, number: `BT-E2E-${String(seq).padStart(4, '0')}`, type: 'corrective', priority: 'normal',
      symptom: 'Alarme occlusion', requestedBy: ids.user('ingenieur@ght-demo.fr'), requestedAt: new Date(new Date(startedAt).getTime() - 3_600_000), state: 'in_progress',
    }).returning(['id', 'number']).executeTakeFirstOrThrow();
  };
  const labour = async (workOrderId: string, email: string, minutes: number, travelMinutes: number, startedAt: string) => {
    const userId = ids.user(email);
    await db.insertInto('workOrderLabour').values({ workOrderId, technicianId: userId, minutes, travelMinutes, startedAt, recordedBy: userId }).execute();
  };
  const at = (month: string, day: string) => `${month}-${day}T09:00:00+01:00`;
  // Last month: CHU's technician 2 h + 30 min of travel at CH1 (90 € + 15 €) and 1 h 40 at CH2 (75 €); CH1's 1 h at the CHU (45 €).
  ch1WorkOrder = await workOrder(ch1.id, at(LAST, '10'));
  await labour(ch1WorkOrder.id, 'tech.chu@ght-demo.fr', 120, 30, at(LAST, '10'));
  const ch2Wo = await workOrder(ch2.id, at(LAST, '12'));
  await labour(ch2Wo.id, 'tech.chu@ght-demo.fr', 100, 0, at(LAST, '12'));
  const chuWo = await workOrder(chu.id, at(LAST, '14'));
  await labour(chuWo.id, 'tech.ch1@ght-demo.fr', 60, 0, at(LAST, '14'));
  // The month before: CHU's technician 1 h at CH1 (45 €).
  const beforeWo = await workOrder(ch1.id, at(BEFORE, '08'));
  await labour(beforeWo.id, 'tech.chu@ght-demo.fr', 60, 0, at(BEFORE, '08'));
  // A month closed long ago.
  await db.insertInto('costPeriods').values({ territoryId: ids.territoryId, month: `${CLOSED}-01`, closedAt: new Date() }).execute();

  // The worker's posting.
  const posted = await postCostLedger(db, { territoryId: ids.territoryId });
  expect(posted.lines).toBe(5);
}, 300_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await ctx?.close();
});

async function newContext(locale: 'fr' | 'en'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true, acceptDownloads: true });
  contexts.push(context);
  await context.addInitScript(`localStorage.setItem('gmao.locale', '${locale}')`);
  return context;
}

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-greeting').waitFor();
  return page;
}

async function signedIn(email: string, locale: 'fr' | 'en' = 'fr'): Promise<{ page: Page; context: BrowserContext }> {
  const context = await newContext(locale);
  return { page: await signIn(context, email), context };
}

async function noSidewaysScroll(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
}

describe('cost allocation screens (real API)', () => {
  it('a site manager reads last month, who owes whom, drills into their own site’s lines, approves and downloads (390 px)', async () => {
    const { page, context } = await signedIn('responsable.ch1@ght-demo.fr');
    // The nav has the entry (cost.statement.read); the page opens on the newest month.
    expect(await page.getByTestId('nav-cost-allocation').count()).toBe(1);
    await page.goto(`${url}/cost-allocation`);
    await page.getByTestId('cost-statement').waitFor();
    expect(page.url()).toContain(`month=${LAST}`);
    // A second tab, opened before the approval (it will be stale).
    const stale = await context.newPage();
    await stale.goto(`${url}/cost-allocation?month=${LAST}`);
    await stale.getByTestId(`cost-approve-${ch1.id}`).waitFor();

    // 90 + 15 + 75 + 45 €.
    expect(nbsp(await page.getByTestId('cost-total').innerText())).toBe('225,00 €');
    const nets = Object.fromEntries(await Promise.all((await page.getByTestId('cost-site').all()).map(async (card) =>
      [await card.locator('h3').innerText(), nbsp(await card.getByTestId('cost-site-net').innerText())] as const)));
    // The CHU gave 180 € and received 45 €; CH1 gave 45 € and received 105 €; CH2 received 75 €.
    expect(nets[chu.name]).toBe('+135,00 €');
    expect(nets[ch1.name]?.replace('\u2212', '-')).toBe('-60,00 €');
    expect(nets[ch2.name]?.replace('\u2212', '-')).toBe('-75,00 €');
    const pairs = (await page.getByTestId('cost-pair-owes').allInnerTexts()).map(nbsp).sort();
    expect(pairs).toEqual([`${ch1.name} doit 60,00 € à ${chu.name}`, `${ch2.name} doit 75,00 € à ${chu.name}`].sort());
    // Every total is shown, but the lines only of the manager's own site: one site card and one pair offer them.
    expect(await page.getByTestId('cost-site-lines').count()).toBe(1);
    expect(await page.getByTestId('cost-pair-lines').count()).toBe(1);
    await noSidewaysScroll(page);

    // Drill-down from the pair CH1 ↔ CHU: the labour and travel at CH1, the labour at the CHU.
    const lineRequests: URL[] = [];
    page.on('request', (r) => { if (r.url().includes(`/cost-statements/${LAST}/lines`)) lineRequests.push(new URL(r.url())); });
    await page.getByTestId('cost-pair-lines').click();
    await page.getByTestId('cost-line').first().waitFor();
    expect(lineRequests.at(-1)?.searchParams.get('siteId')).toBe(ch1.id);
    expect(lineRequests.at(-1)?.searchParams.get('counterpartSiteId')).toBe(chu.id);
    expect(await page.getByTestId('cost-line').count()).toBe(3);
    const amounts = (await page.getByTestId('cost-line-amount').allInnerTexts()).map(nbsp);
    expect(amounts.map((a) => a.replace(/[^\d,]/g, '')).sort()).toEqual(['15,00', '45,00', '90,00']);
    const links = page.getByTestId('cost-line-work-order');
    const hrefs = await Promise.all((await links.all()).map((l) => l.getAttribute('href')));
    expect(hrefs).toContain(`/work-orders/${ch1WorkOrder.id}`);
    expect(await links.allInnerTexts()).toContain(`Bon ${ch1WorkOrder.number}`);
    expect(await page.getByTestId('cost-lines-more').count()).toBe(0);
    // A kind filter asks again: only the travel line.
    await page.getByTestId('cost-lines-kind').selectOption('travel');
    await expect.poll(() => lineRequests.at(-1)?.searchParams.get('kind')).toBe('travel');
    await expect.poll(() => page.getByTestId('cost-line').count()).toBe(1);
    expect(nbsp(await page.getByTestId('cost-line-amount').innerText())).toContain('15,00');
    await noSidewaysScroll(page);

    // « Approuver le relevé de mon site »: only for the manager's site; the real POST records it.
    expect(await page.getByTestId(`cost-approve-${chu.id}`).count()).toBe(0);
    await page.getByTestId(`cost-approve-${ch1.id}`).click();
    await page.getByTestId('cost-site-approved').waitFor();
    expect(await page.getByTestId(`cost-approve-${ch1.id}`).count()).toBe(0);
    const approvals = await db.selectFrom('costPeriodApprovals').select(['siteId', 'month']).execute();
    expect(approvals.map((a) => a.siteId)).toEqual([ch1.id]);
    // The stale tab tries again: the API's 409 in words, and the statement read again.
    await stale.getByTestId(`cost-approve-${ch1.id}`).click();
    await stale.getByText('Le relevé de ce site est déjà approuvé pour ce mois.').waitFor();
    await stale.getByTestId('cost-site-approved').waitFor();
    expect(await db.selectFrom('costPeriodApprovals').select('siteId').execute()).toHaveLength(1);

    // The CSV download, with the session's token: the month's totals in it.
    const requested = page.waitForRequest((r) => new URL(r.url()).pathname === `/api/v1/cost-statements/${LAST}.csv`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cost-download-csv').click()]);
    expect((await requested).headers().authorization).toMatch(/^Bearer /);
    expect(download.suggestedFilename()).toMatch(new RegExp(`${LAST}.*\\.csv$`));
    const csv = nbsp(await readFile((await download.path())!, 'utf8'));
    const rows = csv.replace(/^\ufeff/, '').trim().split(/\r?\n/).map((r) => r.split(';'));
    expect(rows[0]!.slice(0, 6)).toEqual(['Type', 'Site', 'Contrepartie', 'Donné (€)', 'Reçu (€)', 'Solde (€)']);
    const siteRow = (name: string) => rows.find((r) => r[0] === 'site' && r[1] === name)?.slice(3, 7);
    expect(siteRow(chu.name)).toEqual(['180,00', '45,00', '135,00', '4']);
    expect(siteRow(ch1.name)).toEqual(['45,00', '105,00', '-60,00', '3']);
    expect(siteRow(ch2.name)).toEqual(['0,00', '75,00', '-75,00', '1']);
    expect(rows.find((r) => r[0] === 'site' && r[1] === ch1.name)?.[7]).toMatch(/^approuvé par Romain Responsable/);
    // What the sites gave adds up to the month's total (225 €).
    const gave = rows.filter((r) => r[0] === 'site').reduce((sum, r) => sum + Math.round(Number(r[3]!.replace(',', '.')) * 100), 0);
    expect(gave).toBe(22_500);
    // The manager's own site's lines only: the three of the pair with the CHU.
    expect(rows.filter((r) => r[0] === 'ligne').map((r) => r[11]).sort()).toEqual(['15,00', '45,00', '90,00']);
  });

  it('the territory admin adds a convention version with fixed shares: a live total, the API’s refusals in words, then the version', async () => {
    const admin = await login('admin@ght-demo.fr');
    // The API refuses shares that do not make 100 (the form never sends them: it says so first).
    const shares = (a: number, b: number, c: number) => [{ siteId: sites[0]!.id, percent: a }, { siteId: sites[1]!.id, percent: b }, { siteId: sites[2]!.id, percent: c }];
    const refused = await call(admin, 'POST', '/cost-conventions', {
      appliesFrom: NEXT_YEAR, technicianHourlyRateCents: 4_500, engineerHourlyRateCents: 6_000, travelMode: 'per_minute', travelCentsPerMinute: 50,
      overheadPercent: 0, contractSplit: 'fixed_shares', fixedShares: shares(50, 30.5, 19), note: '',
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'cost_convention_fixed_shares_not_100', detail: 'Les parts fixes doivent faire exactement 100 %.' });

    const { page } = await signedIn('admin@ght-demo.fr');
    await page.goto(`${url}/cost-allocation/convention`);
    await page.getByTestId('convention-version').waitFor();
    expect(await page.getByTestId('convention-version').count()).toBe(1);
    expect(await page.getByTestId('convention-state').innerText()).toBe('En vigueur');
    expect(nbsp(await page.getByTestId('convention-technician').innerText())).toBe('45,00 € / h');
    await page.getByTestId('convention-new').click();
    // Prefilled from the version in force.
    expect(await page.getByTestId('convention-technician-rate').inputValue()).toBe('45');
    await page.getByTestId('convention-engineer-rate').fill('62,50');
    await page.getByTestId('convention-travel-per_km').check();
    await page.getByTestId('convention-travel-km').fill('0,40');
    await page.getByTestId('convention-split').selectOption('fixed_shares');
    const inputs = page.getByTestId('convention-share');
    expect(await inputs.count()).toBe(sites.length);
    await inputs.nth(0).fill('50');
    await inputs.nth(1).fill('30,5');
    expect(await page.getByTestId('convention-shares-total').innerText()).toMatch(/Total : 80,5 % — il manque 19,5 %/);
    const posts: unknown[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cost-conventions') posts.push(r.postDataJSON()); });
    // Not 100: refused before sending.
    await page.getByTestId('convention-save').click();
    await page.getByTestId('convention-form').getByText('Les parts fixes doivent faire exactement 100 %.').first().waitFor();
    expect(posts).toHaveLength(0);
    await inputs.nth(2).fill('19,5');
    expect(await page.getByTestId('convention-shares-total').innerText()).toBe('Total : 100 %');
    expect(await page.getByTestId('convention-form').getByText('Les parts fixes doivent faire exactement 100 %.').count()).toBe(0);
    await noSidewaysScroll(page);

    // A day of a closed month: the API's 409 in the UI's words, nothing recorded.
    await page.getByTestId('convention-applies-from').fill(`${CLOSED}-15`);
    await page.getByTestId('convention-save').click();
    await page.getByTestId('convention-form').getByText('Cette date tombe dans un mois déjà clôturé').first().waitFor();
    expect(posts).toHaveLength(1);
    expect((await api(admin, '/cost-conventions')).items).toHaveLength(1);
    await page.getByTestId('convention-applies-from').fill(NEXT_YEAR);
    await page.getByTestId('convention-save').click();
    await page.getByText(`Version applicable à partir du 01/01/${NEXT_YEAR.slice(0, 4)} enregistrée.`).waitFor();
    await expect.poll(() => page.getByTestId('convention-version').count()).toBe(2);
    expect(await page.getByTestId('convention-state').allInnerTexts()).toEqual(['À venir', 'En vigueur']);
    // Recorded as typed.
    const list = await api(admin, '/cost-conventions');
    expect(list.items).toHaveLength(2);
    const created = (list.items as Json[]).find((v) => v.appliesFrom === NEXT_YEAR);
    expect(created).toMatchObject({
      technicianHourlyRateCents: 4_500, engineerHourlyRateCents: 6_250, travelMode: 'per_km', travelCentsPerKm: 40, travelCentsPerMinute: 0,
      overheadPercent: 0, contractSplit: 'fixed_shares', fixedShares: shares(50, 30.5, 19.5), createdBy: { name: 'Alice Administratrice' },
    });
    // The version in force stays the first one until then.
    expect(list.currentId).not.toBe(created!.id);
  });

  it('an engineer creates a maintenance contract, edits it (If-Match: a 412 after a change through the API offers the latest version), then deactivates it', async () => {
    const engineer = await login('ingenieur@ght-demo.fr');
    const year = today.slice(0, 4);
    const { page } = await signedIn('ingenieur@ght-demo.fr');
    const puts: { ifMatch: string | undefined; body: Json }[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && new URL(r.url()).pathname.startsWith('/api/v1/maintenance-contracts/')) puts.push({ ifMatch: r.headers()['if-match'], body: r.postDataJSON() as Json });
    });
    await page.goto(`${url}/cost-allocation/contracts`);
    await page.getByTestId('contracts-none').waitFor();

    // Creation: a CHU-paid contract covering a CHU device.
    await page.getByTestId('contract-new').click();
    await page.getByTestId('contract-reference').fill('CT-E2E-IRM');
    await page.getByTestId('contract-vendor').fill('Siemens Healthineers');
    await page.getByTestId('contract-payer').selectOption(chu.id);
    await page.getByTestId('contract-cost').fill('120 000');
    await page.getByTestId('contract-starts').fill(`${year}-01-01`);
    await page.getByTestId('contract-ends').fill(`${year}-12-31`);
    await page.getByTestId('new-wo-device-search').fill(String(chuDevice.inventoryNumber));
    await page.getByTestId('new-wo-device-option').first().click();
    await expect.poll(() => page.getByTestId('contract-device').count()).toBe(1);
    await noSidewaysScroll(page);
    await page.getByTestId('contract-save').click();
    await page.getByText('Contrat CT-E2E-IRM créé.').waitFor();
    await page.getByTestId('contract').waitFor();
    expect(nbsp(await page.getByTestId('contract-total').innerText())).toBe('Coût total : 120 000,00 €');
    const listed = (await api(engineer, '/maintenance-contracts')).items as Json[];
    expect(listed).toHaveLength(1);
    const id = listed[0]!.id as string;
    const first = await api(engineer, `/maintenance-contracts/${id}`);
    expect(first).toMatchObject({ reference: 'CT-E2E-IRM', vendor: 'Siemens Healthineers', payerSiteId: chu.id, totalCostCents: 12_000_000, equipmentIds: [chuDevice.id], active: true });

    // The form opens on it; meanwhile someone changes the vendor through the API.
    await page.getByTestId('contract-edit').click();
    await page.getByTestId('contract-device').waitFor();
    expect(await page.getByTestId('contract-device').innerText()).toContain(String(chuDevice.inventoryNumber));
    expect(await page.getByTestId('contract-cost').inputValue()).toBe('120000');
    const { id: _id, active: _a, version, coveredBySite: _c, devices: _d, coveredDevices: _cd, createdAt: _ca, updatedAt: _u, ...fields } = first;
    const concurrent = await call(engineer, 'PUT', `/maintenance-contracts/${id}`, { ...fields, vendor: 'Siemens Healthineers France' }, { 'if-match': String(version) });
    expect(concurrent.status, JSON.stringify(concurrent.body)).toBe(200);
    // Another device (any site, from the inventory search) and another cost: the save is refused (412).
    await page.getByTestId('new-wo-device-search').fill(String(ch2Device.inventoryNumber));
    await page.getByTestId('new-wo-device-option').first().click();
    await expect.poll(() => page.getByTestId('contract-device').count()).toBe(2);
    await page.getByTestId('contract-cost').fill('125 000,50');
    await page.getByTestId('contract-save').click();
    await page.getByTestId('contract-reload').waitFor();
    expect(puts[0]).toMatchObject({ ifMatch: String(version), body: { totalCostCents: 12_500_050, equipmentIds: [chuDevice.id, ch2Device.id] } });
    expect((await api(engineer, `/maintenance-contracts/${id}`)).totalCostCents).toBe(12_000_000);
    // « Recharger » starts again from the latest version: its vendor, its device, its cost; the change is made again.
    await page.getByTestId('contract-reload').click();
    await expect.poll(() => page.getByTestId('contract-vendor').inputValue()).toBe('Siemens Healthineers France');
    await expect.poll(() => page.getByTestId('contract-device').count()).toBe(1);
    expect(await page.getByTestId('contract-cost').inputValue()).toBe('120000');
    await page.getByTestId('new-wo-device-search').fill(String(ch2Device.inventoryNumber));
    await page.getByTestId('new-wo-device-option').first().click();
    await expect.poll(() => page.getByTestId('contract-device').count()).toBe(2);
    await page.getByTestId('contract-save').click();
    await page.getByText('Contrat CT-E2E-IRM enregistré.').waitFor();
    expect(puts[1]).toMatchObject({ ifMatch: String(concurrent.body.version), body: { vendor: 'Siemens Healthineers France', equipmentIds: [chuDevice.id, ch2Device.id] } });
    expect(await page.getByTestId('contract').innerText()).toContain('2 équipements couverts');
    const saved = await api(engineer, `/maintenance-contracts/${id}`);
    expect(saved).toMatchObject({ vendor: 'Siemens Healthineers France', totalCostCents: 12_000_000, devices: 2 });
    expect(new Set(saved.equipmentIds)).toEqual(new Set([chuDevice.id, ch2Device.id]));
    expect(saved.version).toBe(concurrent.body.version + 1);

    // Deactivation after a confirmation: gone from the active list, shown (marked) with the deactivated ones.
    await page.getByTestId('contract-deactivate').click();
    await page.getByTestId('contract-deactivate-yes').click();
    await page.getByText('Contrat CT-E2E-IRM désactivé.').waitFor();
    await page.getByTestId('contracts-none').waitFor();
    await page.getByTestId('contracts-inactive').check();
    await page.getByTestId('contract').waitFor();
    expect(await page.getByTestId('contract').innerText()).toContain('Désactivé');
    expect(await page.getByTestId('contract-edit').count()).toBe(0);
    expect((await api(engineer, `/maintenance-contracts/${id}`)).active).toBe(false);
  });

  it('speaks English when English is chosen (the month before, approved meanwhile in another tab)', async () => {
    const { page } = await signedIn('responsable.ch1@ght-demo.fr', 'en');
    await page.goto(`${url}/cost-allocation?month=${BEFORE}`);
    await page.getByTestId('cost-statement').waitFor();
    await page.getByRole('heading', { name: 'Cost allocation between sites' }).waitFor();
    expect(nbsp(await page.getByTestId('cost-total').innerText())).toBe('€45.00');
    expect(nbsp(await page.getByTestId('cost-pair-owes').innerText())).toBe(`${ch1.name} owes ${chu.name} €45.00`);
    await page.getByTestId(`cost-approve-${ch1.id}`).waitFor();
    const manager = await login('responsable.ch1@ght-demo.fr');
    expect((await call(manager, 'POST', `/cost-statements/${BEFORE}/approvals`, { siteId: ch1.id })).status).toBe(201);
    await page.getByTestId(`cost-approve-${ch1.id}`).click();
    await page.getByText('This site’s statement is already approved for this month.').waitFor();
    await page.getByTestId('cost-site-approved').waitFor();
  });
});
