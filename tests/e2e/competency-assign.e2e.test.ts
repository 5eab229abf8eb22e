import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CertificateList, CompetencyCoverage, WorkOrderCandidates } from '@gmao/contracts';
import { ensureWebBuilt } from '../support/web-build.js';
import { launchChromium, expectNoSideScroll } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/app.js';
import fr from '../../apps/web/src/i18n/fr.ts';
import en from '../../apps/web/src/i18n/en.ts';

/**
 * Choosing whom to send (issue 14) in the built SPA at 390 px, against the real API: an
 * engineer raises a technician's level on the technician's sheet and sees the gap leave the
 * coverage page, then opens a work order on a device of that category, sees the technician
 * ranked first (« Recommandé ») with the reasons in words, assigns them in one tap; then
 * picks someone without the skill, is asked to confirm, cancels: nothing changes. The home
 * page's notice lists the expiring certificates of the demo map for the engineer, and only
 * their own to a technician who has some.
 */
const PASSWORD = 'Demo!2026';
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: PASSWORD };
const TECH = { email: 'tech.chu@ght-demo.fr', password: PASSWORD };
/** A CHU technician whose demo certificates (dialysis, autoclaves) expire within 90 days. */
const KARIM = { email: 'karim.benali@ght-demo.fr', password: PASSWORD };
const PHONE = { width: 390, height: 844 };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ctx: TestContext;
let url: string;
let browser: Browser;
let engineerToken: string;
let techId: string;
let techName: string;
let chuId: string;
/** An equipment category with devices at the CHU and nobody competent in the territory, and its maintenance skill. */
let gap: { code: string; skillId: string; skillName: string };
/** A fault report on a device of that category at the CHU. */
let order: Json;
const contexts: BrowserContext[] = [];

async function signIn(who: { email: string; password: string }): Promise<{ token: string; userId: string; homeSiteId: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(res.status, `login ${who.email}`).toBe(200);
  const pair = (await res.json()) as { accessToken: string; user: { id: string; homeSite: { id: string } } };
  return { token: pair.accessToken, userId: pair.user.id, homeSiteId: pair.user.homeSite.id };
}

async function call(token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Json;
  expect(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`).toBe(true);
  return json;
}

async function openPage(path: string, who: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  return page;
}

/** The category's flags on the coverage page, in words. */
async function coverageFlags(page: Page, code: string): Promise<string[]> {
  const card = page.locator(`[data-testid="coverage-category"][data-category-code="${code}"]`);
  await card.waitFor();
  return card.getByTestId('coverage-flags').locator('li').allInnerTexts();
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const frDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

beforeAll(async () => {
  const webDist = await ensureWebBuilt();
  ctx = await createTestContext({ webDistDir: webDist });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();

  const engineer = await signIn(ENGINEER);
  engineerToken = engineer.token;
  const tech = await signIn(TECH);
  techId = tech.userId;
  chuId = tech.homeSiteId;
  techName = (await ctx.database.db.selectFrom('users').select('fullName').where('id', '=', techId).executeTakeFirstOrThrow()).fullName;

  // A category the demo map leaves without anyone competent, with devices at the technician's site, whose skill they lack.
  const coverage = (await call(engineerToken, 'GET', '/competency/coverage')) as CompetencyCoverage;
  const held = new Set(((await call(engineerToken, 'GET', `/users/${techId}/skills`)).items as Json[]).map((s) => s.skillId as string));
  const category = coverage.categories.find(
    (c) => c.territory.noOneCompetent && c.skillIds.length === 1 && !held.has(c.skillIds[0]!) && c.sites.some((s) => s.siteId === chuId && s.devices > 0),
  );
  if (!category) throw new Error('the demo map has no category without anyone competent with devices at the CHU');
  const skill = await ctx.database.db.selectFrom('skills').select(['id', 'name']).where('id', '=', category.skillIds[0]!).executeTakeFirstOrThrow();
  gap = { code: category.code, skillId: skill.id, skillName: skill.name };

  // The technician proposes it for themselves as a beginner; the engineer raises it in the UI below.
  const proposed = await call(tech.token, 'PUT', `/users/${techId}/skills/${gap.skillId}`, { level: 'beginner', evidence: 'Compagnonnage E2E' });
  expect(proposed.validated).toBe(false);

  // A fault report on one of the category's devices at the CHU.
  const devices = (await call(engineerToken, 'GET', `/equipment?siteId=${chuId}&categoryId=${category.categoryId}&status=in_service&limit=5`)).items as Json[];
  expect(devices.length, `devices of ${category.code} at the CHU`).toBeGreaterThan(0);
  order = await call(engineerToken, 'POST', '/work-requests', { equipmentId: devices[0]!.id, symptom: 'Ne s’allume plus (E2E compétences)', deviceOutOfService: false });
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await ctx?.close();
});

describe('whom to send, on a phone', () => {
  it('an engineer raises a technician’s level, sees the gap leave, assigns the top candidate in one tap, and is asked before choosing someone without the skill', async () => {
    const page = await openPage('/competency/coverage', ENGINEER);
    await page.getByTestId('competency-coverage-page').waitFor();
    expect(await coverageFlags(page, gap.code)).toContain(fr.competency.coverage.flags.noOneCompetent);

    // The technician's sheet: their proposal, raised to confirmed (an engineer's write validates it).
    await page.goto(`${url}/competency/people/${techId}`);
    await page.getByTestId('competency-person-page').waitFor();
    const item = page.locator('[data-testid="user-skill"][data-skill-code]').filter({ hasText: gap.skillName });
    await item.waitFor();
    expect(await item.getByTestId('user-skill-state').innerText()).toBe(fr.competency.proposed);
    await item.getByTestId('user-skill-edit').click();
    await page.getByTestId('skill-form').waitFor();
    await page.getByTestId('skill-level').selectOption('confirmed');
    await page.getByTestId('skill-submit').click();
    await page.getByTestId('skill-form').waitFor({ state: 'detached' });
    await expect.poll(() => item.getByTestId('user-skill-level').innerText()).toBe(fr.skillLevels.confirmed);
    expect(await item.getByTestId('user-skill-state').innerText()).toBe(fr.competency.validated);

    // The gap has left the coverage page.
    await page.goto(`${url}/competency/coverage`);
    await page.getByTestId('competency-coverage-page').waitFor();
    await expect.poll(() => coverageFlags(page, gap.code)).not.toContain(fr.competency.coverage.flags.noOneCompetent);

    // The work order: « Affecter un technicien… » ranks the candidates, the technician first.
    await page.goto(`${url}/work-orders/${order.id}`);
    await page.getByTestId('work-order-number').filter({ hasText: order.number }).waitFor();
    await page.getByTestId('work-order-assign-open').click();
    const panel = page.getByTestId('candidates-panel');
    await panel.getByTestId('candidate').first().waitFor();
    expect(squash(await panel.getByTestId('candidates-requirement').innerText())).toContain(
      fr.candidates.requirement.replace('{requirement}', fr.candidates.requirementShort.replace('{skill}', gap.skillName).replace('{level}', fr.candidates.levels.confirmed)),
    );
    const first = panel.getByTestId('candidate').first();
    expect(await first.getAttribute('data-user-id')).toBe(techId);
    expect(await first.getByTestId('candidate-name').innerText()).toBe(techName);
    expect(await first.getByTestId('candidate-recommended').innerText()).toBe(fr.candidates.recommended);
    expect(await first.getByTestId('candidate-level').innerText()).toBe(fr.candidates.levels.confirmed);
    expect(await first.getByTestId('candidate-proposed').count()).toBe(0);
    expect(squash(await first.getByTestId('candidate-site').innerText())).toContain(fr.candidates.sameSite);
    // The reasons, in words, as the API wrote them in French.
    const api = (await call(engineerToken, 'GET', `/work-orders/${order.id}/candidates`)) as WorkOrderCandidates;
    expect(api.items[0]!.userId).toBe(techId);
    const reasons = await first.getByTestId('candidate-reasons').locator('li').allInnerTexts();
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons).toEqual(api.items[0]!.reasons);
    expect(reasons.join(' ')).not.toMatch(/[a-z]+_[a-z]+/);
    // The first 8 of the territory's people, then « Voir plus ».
    expect(api.items.length).toBeGreaterThan(8);
    expect(await panel.getByTestId('candidate').count()).toBe(8);
    await expectNoSideScroll(page, 'candidates');
    await panel.getByTestId('candidates-more').click();
    await expect.poll(() => panel.getByTestId('candidate').count()).toBe(Math.min(16, api.items.length));
    expect(await panel.getByTestId('candidate').evaluateAll((els) => els.map((e) => e.getAttribute('data-user-id')))).toEqual(
      api.items.slice(0, 16).map((c) => c.userId),
    );
    await page.screenshot({ path: '/tmp/competency-assign-390.png', fullPage: true });

    // One tap: assigned, no question asked.
    await first.getByTestId('candidate-assign').click();
    await page.getByTestId('work-order-assignee').filter({ hasText: techName }).waitFor();
    expect(await page.getByTestId('candidate-confirm').isVisible()).toBe(false);
    expect(((await call(engineerToken, 'GET', `/work-orders/${order.id}`)).assignees as Json[]).map((a) => a.id)).toEqual([techId]);

    // Someone without the skill: the confirmation first, and cancelling changes nothing.
    await page.getByTestId('work-order-assign-open').click();
    await panel.getByTestId('candidate').first().waitFor();
    expect(await panel.getByTestId('candidate').first().getByTestId('candidate-assigned').innerText()).toBe(fr.candidates.assigned);
    const without = panel.getByTestId('candidate').filter({ has: page.getByTestId('candidate-no-skill') }).first();
    const withoutName = await without.getByTestId('candidate-name').innerText();
    // Found by the filter box too.
    await panel.getByTestId('candidates-filter').fill(withoutName.toLowerCase());
    await expect.poll(() => panel.getByTestId('candidate').first().getByTestId('candidate-name').innerText()).toBe(withoutName);
    await panel.getByTestId('candidate').first().getByTestId('candidate-assign').click();
    const dialog = page.getByTestId('candidate-confirm');
    await dialog.waitFor();
    expect(await dialog.getAttribute('role')).toBe('alertdialog');
    expect(squash(await dialog.getByTestId('candidate-confirm-text').innerText())).toBe(
      fr.candidates.confirm.text
        .replace('{name}', withoutName)
        .replace('{requirement}', fr.candidates.requirementShort.replace('{skill}', gap.skillName).replace('{level}', fr.candidates.levels.confirmed)),
    );
    await expectNoSideScroll(page, 'confirmation');
    await page.screenshot({ path: '/tmp/competency-assign-confirm-390.png' });
    await dialog.getByTestId('candidate-confirm-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('work-order-assignee').allInnerTexts()).toEqual([techName]);
    expect(((await call(engineerToken, 'GET', `/work-orders/${order.id}`)).assignees as Json[]).map((a) => a.id)).toEqual([techId]);

    // Asked again and confirmed: assigned all the same (as a second person).
    await panel.getByTestId('candidate').first().getByTestId('candidate-assign').click();
    await dialog.getByTestId('candidate-confirm-yes').click();
    await page.getByTestId('work-order-assignee').filter({ hasText: withoutName }).waitFor();
    const assignees = (await page.getByTestId('work-order-assignee').allInnerTexts()).map(squash);
    expect(assignees).toHaveLength(2);
    expect(assignees.some((a) => a.startsWith(techName)) && assignees.some((a) => a.startsWith(withoutName))).toBe(true);
    await page.getByTestId('work-order-assign-open').click();
    await panel.getByTestId('candidate').first().waitFor();

    // In English, the API's reasons come in English (the panel asks again when the language changes).
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('nav-toggle').click();
    await panel.getByTestId('candidates-filter').fill('');
    const english = (await call(engineerToken, 'GET', `/work-orders/${order.id}/candidates?lang=en`)) as WorkOrderCandidates;
    expect(english.items[0]!.reasons).not.toEqual(api.items[0]!.reasons);
    await expect.poll(() => panel.getByTestId('candidate').first().getByTestId('candidate-reasons').locator('li').allInnerTexts()).toEqual(english.items[0]!.reasons);
    expect(squash(await panel.getByTestId('candidates-requirement').innerText())).toContain(
      en.candidates.requirement.replace('{requirement}', en.candidates.requirementShort.replace('{skill}', gap.skillName).replace('{level}', en.candidates.levels.confirmed)),
    );
    expect(await panel.getByTestId('candidate').first().getByTestId('candidate-assigned').innerText()).toBe(en.candidates.assigned);
  });
});

describe('when the API does not rank', () => {
  it('falls back to the search by name on a 404 of the route, and says a failure in words', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    contexts.push(context);
    let answer: 'missing' | 'failing' = 'missing';
    await context.route(/\/api\/v1\/work-orders\/[^/]+\/candidates(\?.*)?$/, (route) =>
      answer === 'missing'
        ? route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, code: 'route_not_found', detail: 'Aucune route GET.' }) })
        : route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'internal_error', detail: 'Erreur interne : l’incident est journalisé (voir requestId).' }) }),
    );
    const page = await context.newPage();
    await page.goto(`${url}/work-orders/${order.id}`);
    await page.getByTestId('login-email').fill(ENGINEER.email);
    await page.getByTestId('login-password').fill(ENGINEER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('work-order-number').filter({ hasText: order.number }).waitFor();
    await page.getByTestId('work-order-assign-open').click();
    // Today's picker: look people up by name.
    await page.getByTestId('assignee-picker').waitFor();
    expect(await page.getByTestId('candidates-panel').count()).toBe(0);
    await page.getByTestId('assignee-search').fill('Camille');
    await page.getByTestId('assignee-option').first().waitFor();
    await page.getByTestId('work-order-assign-open').click();

    // Any other failure: said in words, with « Réessayer » and the search by name.
    answer = 'failing';
    await page.getByTestId('work-order-assign-open').click();
    const panel = page.getByTestId('candidates-panel');
    await panel.getByTestId('form-alert').filter({ hasText: 'Erreur interne' }).waitFor();
    await panel.getByTestId('candidates-retry').waitFor();
    await expectNoSideScroll(page, 'candidates error');
    await panel.getByTestId('candidates-by-name').click();
    await page.getByTestId('assignee-picker').waitFor();
  });
});

describe('the expiring-certificate notice on the home page', () => {
  it('lists the territory’s expired and expiring certificates to an engineer, with links to the sheets and the coverage', async () => {
    const list = (await call(engineerToken, 'GET', '/competency/certificates?withinDays=90')) as CertificateList;
    expect(list.items.length).toBeGreaterThan(0);
    const page = await openPage('/', ENGINEER);
    await page.getByTestId('home-greeting').waitFor();
    const notice = page.getByTestId('certificate-notice');
    await notice.waitFor();
    const n = list.items.length;
    const count = fr.candidates.notice.team.split(' | ')[Math.min(n, 2)]!.replace('{n}', String(n)).replace('{days}', '90');
    expect(squash(await notice.getByTestId('certificate-notice-count').innerText())).toBe(count);
    const items = notice.getByTestId('certificate-notice-item');
    expect(await items.count()).toBe(Math.min(n, 5));
    const firstCert = list.items[0]!;
    const firstItem = items.first();
    expect(await firstItem.getAttribute('data-user-id')).toBe(firstCert.userId);
    expect(await firstItem.innerText()).toContain(firstCert.skillName);
    expect(await firstItem.innerText()).toContain(frDate(firstCert.certificateExpiresAt));
    expect(await firstItem.getByTestId('certificate-notice-person').getAttribute('href')).toBe(`/competency/people/${firstCert.userId}`);
    if (firstCert.expired) expect(await firstItem.getByTestId('certificate-notice-expired').innerText()).toContain(fr.candidates.notice.expired);
    await expectNoSideScroll(page, 'home notice');
    await notice.getByTestId('certificate-notice-coverage').click();
    await page.getByTestId('competency-coverage-page').waitFor();
  });

  it('shows a technician only their own certificates, and nothing to one who has none expiring', async () => {
    const karim = await signIn(KARIM);
    const mine = ((await call(engineerToken, 'GET', '/competency/certificates?withinDays=90')) as CertificateList).items.filter((c) => c.userId === karim.userId);
    expect(mine.length).toBeGreaterThan(0);
    const page = await openPage('/', KARIM);
    const notice = page.getByTestId('certificate-notice');
    await notice.waitFor();
    const own = fr.candidates.notice.own.split(' | ')[Math.min(mine.length, 2)]!.replace('{n}', String(mine.length)).replace('{days}', '90');
    expect(squash(await notice.getByTestId('certificate-notice-count').innerText())).toBe(own);
    expect((await notice.getByTestId('certificate-notice-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-user-id'))))).toEqual(mine.map(() => karim.userId));
    expect(await notice.getByTestId('certificate-notice-person').count()).toBe(0);
    expect(await notice.getByTestId('certificate-notice-sheet').getAttribute('href')).toBe(`/competency/people/${karim.userId}`);

    // In English.
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('nav-toggle').click();
    const ownEn = en.candidates.notice.own.split(' | ')[Math.min(mine.length, 2)]!.replace('{n}', String(mine.length)).replace('{days}', '90');
    await expect.poll(async () => squash(await notice.getByTestId('certificate-notice-count').innerText())).toBe(ownEn);

    // The CHU's first technician has no certificate expiring (the demo's is valid 400 days): no notice.
    const tech = await openPage('/', TECH);
    await tech.getByTestId('home-greeting').waitFor();
    await tech.waitForLoadState('networkidle');
    expect(await tech.getByTestId('certificate-notice').count()).toBe(0);
  });
});
