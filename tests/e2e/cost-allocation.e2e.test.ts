import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import {
  CostConventionList, CostConventionVersion, CostStatement, CostStatementMonths, LedgerLinePage, MaintenanceContract, MaintenanceContractPage,
} from '@gmao/contracts';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';

/**
 * The cost allocation screens (issue 15, ADR 0023) on a 390 px phone. Sign-in, the user, the sites
 * and the device search are the real test API; the cost endpoints (statements, approvals, exports,
 * convention, maintenance contracts) are answered by `context.route` with JSON parsed by the
 * contracts' own schemas, until their API is merged (then switch these to the real API).
 */
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'Demo!2026';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface SiteRow { id: string; name: string; shortCode: string }

let server: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];
let sites: SiteRow[];
let chu: SiteRow;
let ch1: SiteRow;
let third: SiteRow;
let device: Json;
let coveredDevice: Json;

async function login(email: string): Promise<{ accessToken: string }> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accessToken: string };
}

async function api(token: string, path: string): Promise<Json> {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const { accessToken } = await login('admin@ght-demo.fr');
  sites = ((await api(accessToken, '/sites?limit=200')).items as SiteRow[]).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  chu = sites.find((s) => s.shortCode === 'CHU') ?? sites[0]!;
  ch1 = sites.find((s) => s.shortCode === 'CH1')!;
  third = sites.find((s) => s.id !== chu.id && s.id !== ch1.id)!;
  device = ((await api(accessToken, `/equipment?siteId=${third.id}&limit=1`)).items as Json[])[0]!;
  coveredDevice = ((await api(accessToken, `/equipment?siteId=${chu.id}&limit=1`)).items as Json[])[0]!;
}, 300_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

async function signedIn(email: string, locale: 'fr' | 'en' = 'fr'): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
  contexts.push(context);
  await context.addInitScript(`localStorage.setItem('gmao.locale', '${locale}')`);
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-greeting').waitFor();
  return { page, context };
}

const json = (route: Route, body: unknown, status = 200) =>
  route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
const problem = (route: Route, status: number, code: string, detail: string) =>
  route.fulfill({ status, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status, code, detail }) });

async function noSidewaysScroll(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
}

const zero = { labour: 0, travel: 0, partTransfer: 0, sharedContract: 0 };
const UUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function statement(approvedCh1: boolean): Json {
  return CostStatement.parse({
    month: '2026-11', state: 'open', closedAt: null, approvable: true, totalCents: 215_000,
    awaitingSiteIds: [chu.id, ...(approvedCh1 ? [] : [ch1.id]), third.id],
    sites: [
      { siteId: chu.id, siteName: chu.name, gaveCents: 200_000, receivedCents: 15_000, netCents: 185_000, lines: 7, approval: null,
        gaveByKind: { ...zero, labour: 150_000, partTransfer: 50_000 }, receivedByKind: { ...zero, sharedContract: 15_000 } },
      { siteId: ch1.id, siteName: ch1.name, gaveCents: 15_000, receivedCents: 120_000, netCents: -105_000, lines: 5,
        approval: approvedCh1 ? { approvedBy: { id: UUID(9), name: 'Responsable CH1' }, approvedAt: '2026-12-01T09:00:00.000Z' } : null,
        gaveByKind: { ...zero, sharedContract: 15_000 }, receivedByKind: { ...zero, labour: 100_000, travel: 20_000 } },
      { siteId: third.id, siteName: third.name, gaveCents: 0, receivedCents: 80_000, netCents: -80_000, lines: 2, approval: null,
        gaveByKind: zero, receivedByKind: { ...zero, labour: 30_000, partTransfer: 50_000 } },
    ],
    pairs: [
      { siteAId: chu.id, siteBId: ch1.id, aGaveCents: 120_000, bGaveCents: 15_000, netCents: 105_000, lines: 5 },
      { siteAId: chu.id, siteBId: third.id, aGaveCents: 80_000, bGaveCents: 0, netCents: 80_000, lines: 2 },
    ],
    // A site manager reads only their own site's lines.
    detailSiteIds: [ch1.id],
  });
}

function line(id: number, extra: Json = {}): Json {
  return {
    id, month: '2026-11', occurredOn: '2026-11-14', creditorSiteId: chu.id, debtorSiteId: ch1.id, kind: 'labour', amountCents: 9_000,
    quantity: 90, unitCostCents: 100, sourceType: 'work_order_labour', sourceId: UUID(100 + id), sourceMonth: '2026-11-01',
    workOrder: { id: UUID(200 + id), number: `BT-2026-00${4000 + id}` }, equipment: { id: UUID(300), label: 'Pousse-seringue — Fresenius' },
    user: { id: UUID(400), name: 'Tech CHU' }, part: null, conventionVersionId: null, correction: false, description: '',
    createdAt: '2026-11-15T10:00:00.000Z', ...extra,
  };
}

describe('cost allocation screens (stubbed cost API)', () => {
  it('a site manager reads the month, who owes whom, drills into their own site’s lines, approves and downloads (390 px)', async () => {
    const { page, context } = await signedIn('responsable.ch1@ght-demo.fr');
    let approved = false;
    const lineQueries: URLSearchParams[] = [];
    let downloadAuth: string | undefined;
    await context.route(/\/api\/v1\/cost-statements(\/[^?]*)?(\?.*)?$/, async (route) => {
      const url = new URL(route.request().url());
      const path = url.pathname.replace('/api/v1', '');
      const method = route.request().method();
      if (path === '/cost-statements') {
        return json(route, CostStatementMonths.parse({ items: [
          { month: '2026-11', state: 'open', totalCents: 215_000, approvals: approved ? 1 : 0, sites: 3 },
          { month: '2026-10', state: 'closed', totalCents: 90_000, approvals: 3, sites: 3 },
        ] }));
      }
      if (path === '/cost-statements/2026-11') return json(route, statement(approved));
      if (path === '/cost-statements/2026-11/lines') {
        lineQueries.push(url.searchParams);
        const first = !url.searchParams.get('cursor');
        return json(route, LedgerLinePage.parse(first
          ? { items: [line(1), line(2, { correction: true, amountCents: -1_500 })], nextCursor: 'next-page' }
          : { items: [line(3, { correction: true, sourceMonth: '2026-10-01', month: '2026-11', description: 'Contre-passation de octobre 2026' })], nextCursor: null }));
      }
      if (path === '/cost-statements/2026-11/approvals' && method === 'POST') {
        expect(route.request().postDataJSON()).toMatchObject({ siteId: ch1.id });
        // Someone of the site approved it in another tab meanwhile: a 409, and the statement shows it.
        approved = true;
        return problem(route, 409, 'already_approved', 'Le site a déjà approuvé ce relevé.');
      }
      if (path === '/cost-statements/2026-11.csv') {
        downloadAuth = await route.request().headerValue('authorization') ?? undefined;
        return route.fulfill({ status: 200, contentType: 'text/csv', headers: { 'content-disposition': 'attachment; filename="releve-2026-11.csv"' }, body: 'mois;site\n2026-11;CHU\n' });
      }
      return problem(route, 404, 'route_not_found', `Aucune route ${method} ${path}.`);
    });

    // The nav has the entry (cost.statement.read); the page opens on the newest month.
    expect(await page.getByTestId('nav-cost-allocation').count()).toBe(1);
    await page.goto(`${server.url}/cost-allocation`);
    await page.getByTestId('cost-statement').waitFor();
    expect(page.url()).toContain('month=2026-11');
    const plain = async (testid: string) => (await page.getByTestId(testid).innerText()).replace(/[\u00a0\u202f]/g, ' ');
    expect(await plain('cost-total')).toBe('2 150,00 €');
    expect(await page.getByTestId('cost-site').count()).toBe(3);
    expect((await page.getByTestId('cost-site-net').first().innerText()).replace(/[\u00a0\u202f]/g, ' ')).toBe('+1 850,00 €');
    const pairs = (await page.getByTestId('cost-pair-owes').allInnerTexts()).map((t) => t.replace(/[\u00a0\u202f]/g, ' '));
    expect(pairs).toEqual([`${ch1.name} doit 1 050,00 € à ${chu.name}`, `${third.name} doit 800,00 € à ${chu.name}`]);
    // Every total is shown, but the lines only of the manager's own site: one site card and one pair offer them.
    expect(await page.getByTestId('cost-site-lines').count()).toBe(1);
    expect(await page.getByTestId('cost-pair-lines').count()).toBe(1);
    await noSidewaysScroll(page);

    // Drill-down from the pair: asked for from the manager's side, keyset « Charger plus ».
    await page.getByTestId('cost-pair-lines').click();
    await page.getByTestId('cost-line').first().waitFor();
    expect(lineQueries.at(-1)?.get('siteId')).toBe(ch1.id);
    expect(lineQueries.at(-1)?.get('counterpartSiteId')).toBe(chu.id);
    expect(await page.getByTestId('cost-line').count()).toBe(2);
    expect(await page.getByTestId('cost-line-work-order').first().getAttribute('href')).toBe(`/work-orders/${UUID(201)}`);
    expect(await page.getByTestId('cost-line-work-order').first().innerText()).toBe('Bon BT-2026-004001');
    expect(await page.getByTestId('cost-line-correction').count()).toBe(1);
    await page.getByTestId('cost-lines-more').click();
    await page.getByTestId('cost-line').nth(2).waitFor();
    expect(lineQueries.at(-1)?.get('cursor')).toBe('next-page');
    expect(await page.getByTestId('cost-line-counter-entry').innerText()).toBe('Contre-passation');
    expect(await page.getByTestId('cost-lines-more').count()).toBe(0);
    // A kind filter asks again from the first page.
    await page.getByTestId('cost-lines-kind').selectOption('travel');
    await expect.poll(() => lineQueries.at(-1)?.get('kind')).toBe('travel');
    await noSidewaysScroll(page);
    // « Approuver le relevé de mon site »: only for the manager's site; a 409 is said in words and the statement read again.
    expect(await page.getByTestId(`cost-approve-${chu.id}`).count()).toBe(0);
    await page.getByTestId(`cost-approve-${ch1.id}`).click();
    await page.getByText('Le relevé de ce site est déjà approuvé pour ce mois.').waitFor();
    await page.getByTestId('cost-site-approved').waitFor();
    expect(await page.getByTestId(`cost-approve-${ch1.id}`).count()).toBe(0);

    // The CSV download, with the session's token.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cost-download-csv').click()]);
    expect(download.suggestedFilename()).toBe('releve-2026-11.csv');
    expect(downloadAuth).toMatch(/^Bearer /);
  });

  it('the territory admin adds a convention version with fixed shares: a live total, and the API’s refusal in words', async () => {
    const { page, context } = await signedIn('admin@ght-demo.fr');
    const current = CostConventionVersion.parse({
      id: UUID(1), appliesFrom: '2026-01-01', appliesTo: null, technicianHourlyRateCents: 4_500, engineerHourlyRateCents: 6_000,
      travelMode: 'per_minute', travelCentsPerMinute: 50, travelCentsPerKm: 0, overheadPercent: 10, contractSplit: 'devices', fixedShares: null,
      note: 'Convention initiale', createdBy: { id: UUID(2), name: 'Admin GHT' }, createdAt: '2025-12-20T10:00:00.000Z',
    });
    const versions: Json[] = [current];
    const posted: Json[] = [];
    await context.route(/\/api\/v1\/cost-conventions(\?.*)?$/, async (route) => {
      if (route.request().method() === 'GET') return json(route, CostConventionList.parse({ items: versions, currentId: UUID(1) }));
      const body = route.request().postDataJSON() as Json;
      posted.push(body);
      if (body.appliesFrom === '2026-10-01') return problem(route, 409, 'cost_convention_applies_too_early', 'Mois clos.');
      const created = CostConventionVersion.parse({
        ...body, id: UUID(3), appliesTo: null, createdBy: { id: UUID(2), name: 'Admin GHT' }, createdAt: '2026-12-01T10:00:00.000Z',
      });
      versions[0] = { ...current, appliesTo: '2026-12-31' };
      versions.unshift(created);
      return json(route, created, 201);
    });

    await page.goto(`${server.url}/cost-allocation/convention`);
    await page.getByTestId('convention-version').waitFor();
    expect(await page.getByTestId('convention-state').innerText()).toBe('En vigueur');
    expect((await page.getByTestId('convention-technician').innerText()).replace(/[\u00a0\u202f]/g, ' ')).toBe('45,00 € / h');
    await page.getByTestId('convention-new').click();
    // Prefilled from the version in force.
    expect(await page.getByTestId('convention-technician-rate').inputValue()).toBe('45');
    await page.getByTestId('convention-engineer-rate').fill('62,50');
    await page.getByTestId('convention-travel-per_km').check();
    await page.getByTestId('convention-travel-km').fill('0,40');
    await page.getByTestId('convention-split').selectOption('fixed_shares');
    const shares = page.getByTestId('convention-share');
    expect(await shares.count()).toBe(sites.length);
    await shares.nth(0).fill('50');
    await shares.nth(1).fill('30,5');
    expect(await page.getByTestId('convention-shares-total').innerText()).toMatch(/Total : 80,5 % — il manque 19,5 %/);
    // Not 100: refused before sending.
    await page.getByTestId('convention-save').click();
    await page.getByTestId('convention-form').getByText('Les parts fixes doivent faire exactement 100 %.').first().waitFor();
    expect(posted).toHaveLength(0);
    await shares.nth(2).fill('19,5');
    expect(await page.getByTestId('convention-shares-total').innerText()).toBe('Total : 100 %');
    // The refusal goes once the shares add up.
    expect(await page.getByTestId('convention-form').getByText('Les parts fixes doivent faire exactement 100 %.').count()).toBe(0);
    await noSidewaysScroll(page);

    // A day of a closed month: the API's 409 in the UI's words.
    await page.getByTestId('convention-applies-from').fill('2026-10-01');
    await page.getByTestId('convention-save').click();
    await page.getByTestId('convention-form').getByText('Cette date tombe dans un mois déjà clôturé').first().waitFor();
    await page.getByTestId('convention-applies-from').fill('2027-01-01');
    await page.getByTestId('convention-save').click();
    await page.getByText('Version applicable à partir du 01/01/2027 enregistrée.').waitFor();
    expect(posted.at(-1)).toMatchObject({
      appliesFrom: '2027-01-01', technicianHourlyRateCents: 4_500, engineerHourlyRateCents: 6_250, travelMode: 'per_km', travelCentsPerKm: 40,
      travelCentsPerMinute: 0, overheadPercent: 10, contractSplit: 'fixed_shares',
      fixedShares: [{ siteId: sites[0]!.id, percent: 50 }, { siteId: sites[1]!.id, percent: 30.5 }, { siteId: sites[2]!.id, percent: 19.5 }],
    });
    await expect.poll(() => page.getByTestId('convention-version').count()).toBe(2);
    expect(await page.getByTestId('convention-state').allInnerTexts()).toEqual(['À venir', 'En vigueur']);
  });

  it('an engineer edits a maintenance contract (a covered device added from the inventory search; a 412 offers the latest version), then deactivates it', async () => {
    const { page, context } = await signedIn('ingenieur@ght-demo.fr');
    let contract = MaintenanceContract.parse({
      id: UUID(50), reference: 'CT-2026-IRM', vendor: 'Siemens Healthineers', payerSiteId: chu.id, startsOn: '2026-01-01', endsOn: '2026-12-31',
      totalCostCents: 12_000_000, note: '', active: true, coveredBySite: [{ siteId: chu.id, devices: 1, acquisitionValueCents: 0 }], devices: 1,
      equipmentIds: [coveredDevice.id], version: 3, createdAt: '2026-01-02T10:00:00.000Z', updatedAt: '2026-01-02T10:00:00.000Z',
    });
    const patches: { ifMatch?: string; body: Json }[] = [];
    await context.route(/\/api\/v1\/maintenance-contracts(\/[^?]*)?(\?.*)?$/, async (route) => {
      const url = new URL(route.request().url());
      const path = url.pathname.replace('/api/v1', '');
      const method = route.request().method();
      if (path === '/maintenance-contracts') {
        // As the API: active=true lists the active ones only, no filter lists both; lists carry no equipmentIds.
        const shown = url.searchParams.get('active') === 'true' && !contract.active ? [] : [{ ...contract, equipmentIds: undefined }];
        return json(route, MaintenanceContractPage.parse({ items: shown, nextCursor: null }));
      }
      if (path === `/maintenance-contracts/${UUID(50)}` && method === 'GET') return json(route, contract);
      if (path === `/maintenance-contracts/${UUID(50)}/deactivate` && method === 'POST') {
        contract = { ...contract, active: false, version: contract.version + 1 };
        return json(route, contract);
      }
      if (path === `/maintenance-contracts/${UUID(50)}` && method === 'PUT') {
        const ifMatch = (await route.request().headerValue('if-match')) ?? undefined;
        patches.push({ ifMatch, body: route.request().postDataJSON() as Json });
        if (patches.length === 1) {
          // Someone saved it meanwhile.
          contract = { ...contract, version: 4, vendor: 'Siemens Healthineers France' };
          return problem(route, 412, 'version_mismatch', 'Version périmée.');
        }
        contract = MaintenanceContract.parse({ ...contract, ...(patches.at(-1)!.body), version: 5, devices: 2, coveredBySite: [
          { siteId: chu.id, devices: 1, acquisitionValueCents: 0 }, { siteId: third.id, devices: 1, acquisitionValueCents: 0 },
        ] });
        return json(route, contract);
      }
      return problem(route, 404, 'route_not_found', `Aucune route ${method} ${path}.`);
    });

    await page.goto(`${server.url}/cost-allocation/contracts`);
    await page.getByTestId('contract').waitFor();
    expect((await page.getByTestId('contract-total').innerText()).replace(/[\u00a0\u202f]/g, ' ')).toBe('Coût total : 120 000,00 €');
    await page.getByTestId('contract-edit').click();
    // The covered device is named from the inventory (GET /equipment/{id}).
    await page.getByTestId('contract-device').waitFor();
    expect(await page.getByTestId('contract-device').innerText()).toContain(String(coveredDevice.inventoryNumber));
    expect(await page.getByTestId('contract-cost').inputValue()).toBe('120000');
    // The inventory's device search (the new work order's picker), any site.
    await page.getByTestId('new-wo-device-search').fill(String(device.inventoryNumber));
    await page.getByTestId('new-wo-device-option').first().click();
    await expect.poll(() => page.getByTestId('contract-device').count()).toBe(2);
    await page.getByTestId('contract-cost').fill('125 000,50');
    await noSidewaysScroll(page);
    await page.getByTestId('contract-save').click();
    await page.getByTestId('contract-reload').waitFor();
    expect(patches[0]).toMatchObject({ ifMatch: '3', body: { totalCostCents: 12_500_050, equipmentIds: [coveredDevice.id, device.id] } });
    // « Recharger » starts again from the latest version (its vendor), then the save goes with its version.
    await page.getByTestId('contract-reload').click();
    await expect.poll(() => page.getByTestId('contract-vendor').inputValue()).toBe('Siemens Healthineers France');
    // The form is the latest version's again: its devices, its cost; the change is made again.
    await expect.poll(() => page.getByTestId('contract-device').count()).toBe(1);
    expect(await page.getByTestId('contract-cost').inputValue()).toBe('120000');
    await page.getByTestId('new-wo-device-search').fill(String(device.inventoryNumber));
    await page.getByTestId('new-wo-device-option').first().click();
    await expect.poll(() => page.getByTestId('contract-device').count()).toBe(2);
    await page.getByTestId('contract-save').click();
    await page.getByText('Contrat CT-2026-IRM enregistré.').waitFor();
    expect(patches[1]).toMatchObject({ ifMatch: '4', body: { vendor: 'Siemens Healthineers France', totalCostCents: 12_000_000, equipmentIds: [coveredDevice.id, device.id] } });
    expect(await page.getByTestId('contract').innerText()).toContain('2 équipements couverts');

    // Deactivation after a confirmation: gone from the active list, shown (marked) with the deactivated ones.
    await page.getByTestId('contract-deactivate').click();
    await page.getByTestId('contract-deactivate-yes').click();
    await page.getByText('Contrat CT-2026-IRM désactivé.').waitFor();
    await page.getByTestId('contracts-none').waitFor();
    await page.getByTestId('contracts-inactive').check();
    await page.getByTestId('contract').waitFor();
    expect(await page.getByTestId('contract').innerText()).toContain('Désactivé');
    expect(await page.getByTestId('contract-edit').count()).toBe(0);
  });

  it('speaks English when English is chosen', async () => {
    const { page, context } = await signedIn('responsable.ch1@ght-demo.fr', 'en');
    await context.route(/\/api\/v1\/cost-statements(\/[^?]*)?(\?.*)?$/, (route) => {
      const path = new URL(route.request().url()).pathname.replace('/api/v1', '');
      if (path === '/cost-statements') return json(route, { items: [{ month: '2026-11', state: 'open', totalCents: 215_000, approvals: 0, sites: 3 }] });
      if (path === '/cost-statements/2026-11') return json(route, statement(false));
      if (path.endsWith('/approvals')) return problem(route, 409, 'period_closed', 'Mois clos.');
      return problem(route, 404, 'route_not_found', 'Aucune route.');
    });
    await page.goto(`${server.url}/cost-allocation`);
    await page.getByTestId('cost-statement').waitFor();
    await page.getByRole('heading', { name: 'Cost allocation between sites' }).waitFor();
    expect((await page.getByTestId('cost-pair-owes').first().innerText()).replace(/[\u00a0\u202f]/g, ' ')).toBe(`${ch1.name} owes ${chu.name} €1,050.00`);
    await page.getByTestId(`cost-approve-${ch1.id}`).click();
    await page.getByText('This month is already closed: every site approved its statement.').waitFor();
  });
});
