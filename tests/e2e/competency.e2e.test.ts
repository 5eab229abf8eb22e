import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CompetencyNeeds, type CompetencyCoverage } from '@gmao/contracts';
import { ensureWebBuilt } from '../support/web-build.js';
import { launchChromium, expectNoSideScroll } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/app.js';
import { WEB_DIST } from '../../scripts/lib/web-build.js';
import fr from '../../apps/web/src/i18n/fr.ts';
import en from '../../apps/web/src/i18n/en.ts';

/**
 * The competency map in the SPA (issue 14), on a 390 px phone, in French: an engineer filters
 * the heat map, opens a technician's sheet, validates the technician's proposal in a category
 * the coverage page shows as « Personne de compétent », raises it to confirmed and sees the gap
 * leave the coverage page; a technician proposes a skill for themselves and cannot validate it;
 * the catalogue adds and retires a skill; the coverage reads in English once. Then, at 1280 px,
 * the heat map with 40 more people × 60 more skills keeps its headers stuck while it scrolls.
 */
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

let ctx: TestContext;
let url: string;
let browser: Browser;
let techId: string;
let techName: string;
/** An equipment category with devices and nobody competent, with its maintenance skill. */
let gap: { code: string; label: string; skillId: string; skillName: string };

async function signIn(who: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  await ensureWebBuilt();
  ctx = await createTestContext({ webDistDir: WEB_DIST });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();

  const db = ctx.database.db;
  const tech = await db.selectFrom('users').select(['id', 'fullName']).where('email', '=', TECH.email).executeTakeFirstOrThrow();
  techId = tech.id;
  techName = tech.fullName;
  // A category the demo map leaves without anyone competent, whose skill the technician lacks.
  const engineer = await signIn(ENGINEER);
  const coverage = (await (await api(engineer, 'GET', '/competency/coverage')).json()) as CompetencyCoverage;
  const held = new Set(((await (await api(engineer, 'GET', `/users/${techId}/skills`)).json()) as { items: { skillId: string }[] }).items.map((s) => s.skillId));
  const category = coverage.categories.find((c) => c.territory.noOneCompetent && c.skillIds.length > 0 && !c.skillIds.some((id) => held.has(id)));
  if (!category) throw new Error('the demo map has no category without anyone competent');
  const skill = await db.selectFrom('skills').select(['id', 'name']).where('id', '=', category.skillIds[0]!).executeTakeFirstOrThrow();
  gap = { code: category.code, label: category.label, skillId: skill.id, skillName: skill.name };
  // The technician proposes it for themselves, as a beginner.
  const techToken = await signIn(TECH);
  const proposed = await api(techToken, 'PUT', `/users/${techId}/skills/${gap.skillId}`, { level: 'beginner', evidence: 'Compagnonnage E2E' });
  expect(proposed.status).toBe(200);
  expect(((await proposed.json()) as { validated: boolean }).validated).toBe(false);
});
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

/**
 * The page, settled, does not scroll sideways, and nothing sticks out of the screen; the heat
 * map's own frame may hold a wider table (it scrolls inside), so only the frame is measured.
 */
async function settledNoSideScroll(page: Page, what: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expectNoSideScroll(page, what, { scrollers: ['[data-testid="matrix-scroll"]'] });
}

async function login(context: BrowserContext, path: string, who: { email: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  return page;
}

/** The category's card on the coverage page and its flags' words. */
async function coverageFlags(page: Page, code: string): Promise<string[]> {
  const card = page.locator(`[data-testid="coverage-category"][data-category-code="${code}"]`);
  await card.waitFor();
  return card.getByTestId('coverage-flags').locator('li').allInnerTexts();
}

describe('competency map on a phone', () => {
  it('an engineer filters the heat map, validates and raises a technician’s skill, and the gap leaves the coverage page', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, '/competency/coverage', ENGINEER);
    await page.getByTestId('competency-coverage-page').waitFor();
    // The gap: nobody competent in the category; fragile categories come first.
    expect(await coverageFlags(page, gap.code)).toContain(fr.competency.coverage.flags.noOneCompetent);
    const firstFlags = await page.getByTestId('coverage-category').first().getByTestId('coverage-flags').innerText();
    expect(firstFlags).toContain(fr.competency.coverage.flags.noOneCompetent);
    await page.getByTestId('competency-needs').waitFor();
    expect(await page.getByTestId('needs-unavailable').count()).toBe(0);
    await settledNoSideScroll(page, 'coverage');

    // The nav's « Compétences » entry opens the heat map.
    await page.getByTestId('nav-toggle').click();
    expect(await page.getByTestId('nav-competency').innerText()).toBe(fr.nav.competency);
    expect(await page.getByTestId('nav-my-skills').innerText()).toBe(fr.nav.mySkills);
    await page.getByTestId('nav-competency').click();
    await page.getByTestId('competency-matrix-page').waitFor();
    await page.getByTestId('matrix-row').first().waitFor();
    const allRows = await page.getByTestId('matrix-row').count();
    const allSkills = await page.getByTestId('matrix-skill').count();
    expect(allRows).toBeGreaterThan(3);
    expect(await page.getByTestId('matrix-legend').innerText()).toContain(fr.competency.matrix.legendProposed);
    // Cells say their level to screen readers; the skills' full names are in the headers' titles.
    expect(await page.getByTestId('matrix-table').locator('td .visually-hidden').filter({ hasText: fr.skillLevels.expert }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('matrix-skill').first().getAttribute('title')).toBeTruthy();
    await settledNoSideScroll(page, 'heat map');

    // Filters: kind of skill (fewer columns), site (fewer rows), name (one row).
    await page.getByTestId('matrix-category').selectOption('electrical_safety');
    await expect.poll(() => page.getByTestId('matrix-skill').count()).toBeLessThan(allSkills);
    expect(await page.getByTestId('matrix-skill').count()).toBeGreaterThan(0);
    await page.getByTestId('matrix-category').selectOption('');
    await expect.poll(() => page.getByTestId('matrix-skill').count()).toBe(allSkills);
    const siteOptions = await page.getByTestId('matrix-site').locator('option').count();
    expect(siteOptions).toBeGreaterThan(2);
    await page.getByTestId('matrix-site').selectOption({ index: siteOptions - 1 });
    await expect.poll(() => page.getByTestId('matrix-row').count()).toBeLessThan(allRows);
    await page.getByTestId('matrix-site').selectOption('');
    await expect.poll(() => page.getByTestId('matrix-row').count()).toBe(allRows);
    await page.getByTestId('matrix-name').fill(techName.toLowerCase());
    await expect.poll(() => page.getByTestId('matrix-row').count()).toBe(1);
    expect(page.url()).toContain('q=');

    // Their sheet: the proposal waits, « Valider » validates it.
    await page.getByTestId('matrix-person').getByRole('link').click();
    await page.getByTestId('competency-person-page').waitFor();
    expect(await page.getByTestId('person-name').innerText()).toBe(techName);
    const item = page.locator(`[data-testid="user-skill"][data-skill-code]`).filter({ hasText: gap.skillName });
    await item.waitFor();
    expect(await item.getByTestId('user-skill-state').innerText()).toBe(fr.competency.proposed);
    expect(await item.getByTestId('user-skill-level').innerText()).toBe(fr.skillLevels.beginner);
    expect(await item.getByTestId('user-skill-by').innerText()).toContain(`Proposée par ${techName} le `);
    await settledNoSideScroll(page, 'sheet');
    await item.getByTestId('user-skill-validate').click();
    await page.getByText(fr.competency.person.validatedSaved.replace('{name}', gap.skillName)).waitFor();
    expect(await item.getByTestId('user-skill-state').innerText()).toBe(fr.competency.validated);
    expect(await item.getByTestId('user-skill-validate').count()).toBe(0);

    // A validated beginner does not make the category covered.
    await page.getByTestId('competency-tab-coverage').click();
    await page.getByTestId('competency-coverage-page').waitFor();
    expect(await coverageFlags(page, gap.code)).toContain(fr.competency.coverage.flags.noOneCompetent);
    await page.goBack();
    await page.getByTestId('competency-person-page').waitFor();

    // Raised to confirmed, with a certificate that expires soon.
    await item.getByTestId('user-skill-edit').click();
    await page.getByTestId('skill-form').waitFor();
    expect(await page.getByTestId('skill-form-note').innerText()).toBe(fr.competency.person.validatorNote);
    await page.getByTestId('skill-level').selectOption('confirmed');
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('skill-certificate').fill(soon);
    await settledNoSideScroll(page, 'sheet form');
    await page.getByTestId('skill-submit').click();
    await page.getByTestId('skill-form').waitFor({ state: 'detached' });
    expect(await item.getByTestId('user-skill-level').innerText()).toBe(fr.skillLevels.confirmed);
    expect(await item.getByTestId('user-skill-certificate').innerText()).toContain(fr.competency.certificate.expiring);
    // The history keeps the three steps.
    const history = await page.getByTestId('skill-history-entry').filter({ hasText: gap.skillName }).allInnerTexts();
    expect(history.length).toBeGreaterThanOrEqual(3);
    expect(history[0]).toContain(`${fr.skillLevels.beginner} → ${fr.skillLevels.confirmed}`);

    // The gap has left the coverage page; the certificate now flags it.
    await page.getByTestId('competency-tab-coverage').click();
    await page.getByTestId('competency-coverage-page').waitFor();
    await expect.poll(() => coverageFlags(page, gap.code)).not.toContain(fr.competency.coverage.flags.noOneCompetent);
    expect(await coverageFlags(page, gap.code)).toContain(fr.competency.coverage.flags.certificatesExpiringSoon);

    // In English once.
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('nav-toggle').click();
    await page.locator('h1').filter({ hasText: en.competency.coverage.title }).waitFor();
    expect(await coverageFlags(page, gap.code)).toContain(en.competency.coverage.flags.certificatesExpiringSoon);
    expect(await page.getByTestId('competency-tabs').innerText()).toContain(en.competency.tabs.matrix);
    expect(await page.getByTestId('competency-coverage-page').innerText()).not.toMatch(/competency\.|Personne de compétent|Experts confirmés/);
    await settledNoSideScroll(page, 'coverage in English');
    await context.close();
  });

  it('a technician proposes a skill for themselves and cannot validate it', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, '/', TECH);
    await page.getByTestId('home-greeting').waitFor();
    await page.getByTestId('home-shortcut-competency-person').click();
    await page.getByTestId('competency-person-page').waitFor();
    await page.locator('h1').filter({ hasText: fr.competency.person.mineTitle }).waitFor();
    // Their own proposals wait; no « Valider » anywhere on their own sheet.
    await page.getByTestId('user-skill').first().waitFor();
    expect(await page.getByTestId('user-skill-validate').count()).toBe(0);

    await page.getByTestId('skill-add').click();
    expect(await page.getByTestId('skill-add').count()).toBe(0);
    expect(await page.getByTestId('skill-form-note').innerText()).toBe(fr.competency.person.proposalNote);
    // Nothing chosen: said, nothing sent.
    await page.getByTestId('skill-submit').click();
    await page.getByTestId('skill-form').getByTestId('form-alert').waitFor();
    const options = page.getByTestId('skill-choice').locator('option');
    const chosen = await options.nth(1).getAttribute('value');
    const chosenName = (await options.nth(1).innerText()).replace(/ \([^()]*\)$/, '');
    await page.getByTestId('skill-choice').selectOption(chosen!);
    await page.getByTestId('skill-level').selectOption('confirmed');
    await page.getByTestId('skill-evidence').fill('Formation interne E2E');
    await settledNoSideScroll(page, 'technician form');
    await page.getByTestId('skill-submit').click();
    await page.getByText(fr.competency.person.proposedSaved.replace('{name}', chosenName)).waitFor();
    const item = page.getByTestId('user-skill').filter({ hasText: chosenName });
    expect(await item.getByTestId('user-skill-state').innerText()).toBe(fr.competency.proposed);
    expect(await item.getByTestId('user-skill-evidence').innerText()).toContain('Formation interne E2E');
    expect(await page.getByTestId('user-skill-validate').count()).toBe(0);
    // The API refuses a self-validation all the same.
    const token = await signIn(TECH);
    const refused = await api(token, 'PUT', `/users/${techId}/skills/${chosen}`, { level: 'confirmed', validated: true });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('skill_self_validation_forbidden');
    // Someone else's sheet: read only. No catalogue tab for a technician.
    expect(await page.getByTestId('competency-tab-skills').count()).toBe(0);
    await page.getByTestId('competency-tab-matrix').click();
    await page.getByTestId('matrix-row').first().waitFor();
    const other = page.getByTestId('matrix-person').filter({ hasNotText: techName }).first();
    await other.getByRole('link').click();
    await page.getByTestId('person-read-only').waitFor();
    expect(await page.getByTestId('skill-add').count()).toBe(0);
    expect(await page.getByTestId('user-skill-edit').count()).toBe(0);
    await context.close();
  });

  it('names the person on a sheet the matrix leaves out (a site manager without a skill), in French and English', async () => {
    // Was: the page took the name from the matrix, so such a sheet said « Personne ».
    const manager = await ctx.database.db.selectFrom('users').select(['id', 'fullName']).where('email', '=', 'responsable.ch1@ght-demo.fr').executeTakeFirstOrThrow();
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, `/competency/people/${manager.id}`, ENGINEER);
    await page.getByTestId('competency-person-page').waitFor();
    await page.getByTestId('person-empty').waitFor();
    expect(await page.getByTestId('person-name').innerText()).toBe(manager.fullName);
    expect(await page.locator('h1').innerText()).toBe(`${fr.competency.person.title} — ${manager.fullName}`);
    expect(await page.getByTestId('person-empty').innerText()).toBe(fr.competency.person.empty);
    // An engineer may add a skill to anyone on the map's roles.
    expect(await page.getByTestId('skill-add').innerText()).toBe(fr.competency.person.add);
    await settledNoSideScroll(page, 'site manager sheet');

    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('nav-toggle').click();
    await page.locator('h1').filter({ hasText: en.competency.person.title }).waitFor();
    expect(await page.getByTestId('person-name').innerText()).toBe(manager.fullName);
    expect(await page.getByTestId('person-empty').innerText()).toBe(en.competency.person.empty);
    expect(await page.getByTestId('competency-person-page').innerText()).not.toMatch(/competency\.|Personne|Fiche de/);
    await settledNoSideScroll(page, 'site manager sheet in English');
    await context.close();
  });

  it('a change made by someone else while the form is open is said in words and the sheet shows it (If-Match)', async () => {
    // Was: the sheet wrote without If-Match, so the last save silently undid the other's change.
    const engineerToken = await signIn(ENGINEER);
    const created = await api(engineerToken, 'POST', '/skills', { code: 'E2E-IFMATCH', name: 'Compétence concurrente E2E', skillCategory: 'custom' });
    expect(created.status).toBe(201);
    const skillId = ((await created.json()) as { id: string }).id;
    const tech1 = await ctx.database.db.selectFrom('users').select('id').where('email', '=', 'tech.ch1@ght-demo.fr').executeTakeFirstOrThrow();
    expect((await api(engineerToken, 'PUT', `/users/${tech1.id}/skills/${skillId}`, { level: 'beginner' })).status).toBe(200);

    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, `/competency/people/${tech1.id}`, ENGINEER);
    const item = page.locator('[data-testid="user-skill"][data-skill-code="E2E-IFMATCH"]');
    await item.waitFor();
    await item.getByTestId('user-skill-edit').click();
    await page.getByTestId('skill-level').selectOption('expert');
    // Meanwhile the site manager of CH1 raises it to confirmed.
    const manager = await signIn({ email: 'responsable.ch1@ght-demo.fr', password: 'Demo!2026' });
    expect((await api(manager, 'PUT', `/users/${tech1.id}/skills/${skillId}`, { level: 'confirmed' })).status).toBe(200);
    await page.getByTestId('skill-submit').click();
    await page.getByText(fr.errors.versionMismatch).waitFor();
    expect(await page.getByTestId('skill-form').count()).toBe(0);
    await expect.poll(() => item.getByTestId('user-skill-level').innerText()).toBe(fr.skillLevels.confirmed);
    await settledNoSideScroll(page, 'conflict on a sheet');
    await context.close();
  });

  it('drops a site filter in the URL that is no site of the territory, as other unknown URL values', async () => {
    // Was: /competency/matrix?siteId=nope (a stale or hand-edited link) showed « La requête
    // contient des valeurs invalides » and no map; an unknown site id an empty map, its select blank.
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, '/competency/matrix?siteId=nope&skillCategory=electrical_safety', ENGINEER);
    await page.getByTestId('competency-matrix-page').waitFor();
    await page.getByTestId('matrix-row').first().waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('siteId')).toBeNull();
    expect(new URL(page.url()).searchParams.get('skillCategory')).toBe('electrical_safety');
    expect(await page.getByTestId('form-alert').count()).toBe(0);

    await page.goto(`${url}/competency/coverage?siteId=00000000-0000-4000-8000-000000000000`);
    await page.getByTestId('coverage-category').first().waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('siteId')).toBeNull();
    expect(await page.getByTestId('competency-coverage-site').inputValue()).toBe('');
    expect(await page.getByTestId('form-alert').count()).toBe(0);
    await context.close();
  });

  it('the catalogue adds a skill and retires it', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, '/competency/skills', ENGINEER);
    await page.getByTestId('competency-skills-page').waitFor();
    await page.getByTestId('skills-item').first().waitFor();
    await page.getByTestId('skills-add').click();
    // A maintenance skill needs its equipment category: the contract's message says so.
    await page.getByTestId('skills-form-category').selectOption('equipment_maintenance');
    await page.getByTestId('skills-form-code').fill('E2E-MAINT');
    await page.getByTestId('skills-form-name').fill('Maintenance E2E');
    await page.getByTestId('skills-form-submit').click();
    await page.getByTestId('skills-form').getByText('Une compétence de maintenance porte sur une catégorie').waitFor();
    await page.getByTestId('skills-form-category').selectOption('custom');
    await page.getByTestId('skills-form-code').fill('e2e-anglais');
    await page.getByTestId('skills-form-name').fill('Anglais technique E2E');
    await settledNoSideScroll(page, 'catalogue form');
    await page.getByTestId('skills-form-submit').click();
    await page.getByText(fr.competency.skills.created.replace('{name}', 'Anglais technique E2E')).waitFor();
    const row = page.locator('[data-testid="skills-item"][data-code="E2E-ANGLAIS"]');
    await row.waitFor();
    // The same code again: the API's 409 is shown.
    await page.getByTestId('skills-add').click();
    await page.getByTestId('skills-form-code').fill('E2E-ANGLAIS');
    await page.getByTestId('skills-form-name').fill('Doublon');
    await page.getByTestId('skills-form-submit').click();
    await page.getByTestId('skills-form').getByText('Ce code de compétence est déjà utilisé').first().waitFor();

    await row.getByTestId('skills-retire').click();
    await page.getByText(fr.competency.skills.retiredDone.replace('{name}', 'Anglais technique E2E')).waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('skills-show-retired').check();
    await row.getByTestId('skills-item-retired').waitFor();
    expect(await row.getByTestId('skills-restore').count()).toBe(1);
    await settledNoSideScroll(page, 'catalogue');
    await context.close();
  });
});

describe('competency needs', () => {
  it('lists the proposed trainings and recruitments and exports them; a site filter narrows the coverage', async () => {
    const db = ctx.database.db;
    const ch1 = await db.selectFrom('sites').select(['id', 'name']).where('shortCode', '=', 'CH1').executeTakeFirstOrThrow();
    const needs = CompetencyNeeds.parse(await (await api(await signIn(ENGINEER), 'GET', '/competency/needs')).json());
    expect(needs.trainings.length).toBeGreaterThan(0);
    expect(needs.recruitments.length).toBeGreaterThan(0);
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await login(context, '/competency/coverage', ENGINEER);
    await page.getByTestId('competency-coverage-page').waitFor();
    // One tap from the top of the page to the needs, after every category.
    await page.getByTestId('coverage-to-needs').click();
    await expect.poll(() => page.getByTestId('competency-needs').evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(50);
    // The most urgent training first: trainer → trainees, site, distance, the gap in words.
    const first = needs.trainings[0]!;
    const training = page.getByTestId('need-training').first();
    await training.waitFor();
    expect(await page.getByTestId('need-training').count()).toBe(needs.trainings.length);
    const text = await training.innerText();
    expect(text).toContain(first.categoryLabel);
    expect(text).toContain(first.siteName);
    expect(text).toContain(`${fr.competency.needs.trainer} : ${first.trainer.name}`);
    for (const trainee of first.trainees) expect(text).toContain(trainee.name);
    expect(text).toContain(fr.competency.needs.gaps[first.gap]);
    expect(text).toContain(first.distanceKm === 0 ? fr.competency.needs.sameSite : first.distanceKm === null ? fr.competency.needs.unknownDistance : 'km');
    expect(await page.getByTestId('need-recruitment').count()).toBe(needs.recruitments.length);
    expect(await page.getByTestId('need-recruitment').first().innerText()).toContain(fr.competency.needs.gaps[needs.recruitments[0]!.gap]);
    // « Exporter CSV » and « Exporter Excel » download the files.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('needs-export-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('needs-export-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    await settledNoSideScroll(page, 'needs');

    // One site: each category shows that site's row only, and the filter is in the URL.
    const before = await page.getByTestId('coverage-category').count();
    await page.getByTestId('competency-coverage-site').selectOption(ch1.id);
    await expect.poll(() => page.url()).toContain(`siteId=${ch1.id}`);
    await expect.poll(async () => (await page.getByTestId('coverage-site-row').allInnerTexts()).every((r) => r.includes(ch1.name))).toBe(true);
    expect(await page.getByTestId('coverage-category').count()).toBeLessThanOrEqual(before);
    expect(await page.getByTestId('coverage-site-row').count()).toBe(await page.getByTestId('coverage-category').count());
    // The site's needs only.
    const siteNeeds = CompetencyNeeds.parse(await (await api(await signIn(ENGINEER), 'GET', `/competency/needs?siteId=${ch1.id}`)).json());
    await expect.poll(() => page.getByTestId('need-training').count()).toBe(siteNeeds.trainings.length);
    // The site goes along to the heat map's tab.
    await page.getByTestId('competency-tab-matrix').click();
    await page.getByTestId('competency-matrix-page').waitFor();
    expect(await page.getByTestId('matrix-site').inputValue()).toBe(ch1.id);

    // A server without the needs (404): a sentence, and the coverage still there.
    await context.route(/\/api\/v1\/competency\/needs(\?.*)?$/, (route) => route.fulfill({
      status: 404, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'Route introuvable.' }),
    }));
    await page.goto(`${url}/competency/coverage`);
    await page.getByTestId('needs-unavailable').waitFor();
    expect(await page.getByTestId('coverage-category').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('needs-export-csv').count()).toBe(0);
    await context.close();
  });
});

describe('competency heat map on a laptop', () => {
  it('keeps its headers stuck with 40 more people × 60 more skills', async () => {
    const db = ctx.database.db;
    const tech = await db.selectFrom('users').select(['territoryId']).where('id', '=', techId).executeTakeFirstOrThrow();
    const site = await db.selectFrom('roleGrants').select('siteId').where('userId', '=', techId).where('role', '=', 'technician').executeTakeFirstOrThrow();
    const engineer = await db.selectFrom('users').select('id').where('email', '=', ENGINEER.email).executeTakeFirstOrThrow();
    const territoryId = tech.territoryId;
    const users = await db.insertInto('users')
      .values(Array.from({ length: 40 }, (_, i) => ({
        territoryId, email: `grille${i}@e2e.test`, fullName: `Technicien Grille ${String(i).padStart(2, '0')}`, passwordHash: 'x', homeSiteId: site.siteId,
      })))
      .returning('id').execute();
    await db.insertInto('roleGrants').values(users.map((u) => ({ territoryId, userId: u.id, role: 'technician', siteId: site.siteId }))).execute();
    const skills = await db.insertInto('skills')
      .values(Array.from({ length: 60 }, (_, i) => ({
        territoryId, code: `E2E-GRILLE-${i}`, name: `Compétence de la grille numéro ${i} au nom assez long`, skillCategory: 'custom',
      })))
      .returning('id').execute();
    const levels = ['beginner', 'confirmed', 'expert'] as const;
    await db.insertInto('userSkills')
      .values(users.flatMap((u, i) => skills.filter((_, j) => (i + j) % 3 !== 0).map((s, j) => ({
        territoryId, userId: u.id, skillId: s.id, level: levels[(i + j) % 3]!, proposedBy: u.id,
        validated: (i + j) % 5 !== 0, validatedBy: (i + j) % 5 !== 0 ? engineer.id : null, validatedAt: (i + j) % 5 !== 0 ? new Date() : null,
      }))))
      .execute();

    const context = await browser.newContext({ viewport: LAPTOP, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await login(context, '/competency/matrix?skillCategory=custom', ENGINEER);
    await page.getByTestId('competency-matrix-page').waitFor();
    await expect.poll(() => page.getByTestId('matrix-row').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(40);
    expect(await page.getByTestId('matrix-skill').count()).toBeGreaterThanOrEqual(60);
    const head = page.getByTestId('matrix-skill').filter({ hasText: 'numéro 7 ' }).first();
    expect(await head.getAttribute('title')).toContain('Compétence de la grille numéro 7 au nom assez long');
    await settledNoSideScroll(page, 'heat map at 1280');

    // Scrolled to the far corner: the skills' row stays at the frame's top, the names' column at its left.
    const scroller = page.getByTestId('matrix-scroll');
    const frame = (await scroller.boundingBox())!;
    expect(frame.width).toBeLessThanOrEqual(LAPTOP.width);
    const sizes = await scroller.evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight }));
    expect(sizes.sw).toBeGreaterThan(sizes.cw);
    expect(sizes.sh).toBeGreaterThan(sizes.ch);
    await scroller.evaluate((el) => el.scrollTo(el.scrollWidth, el.scrollHeight));
    await page.waitForTimeout(100);
    const corner = (await page.getByTestId('matrix-corner').boundingBox())!;
    expect(Math.abs(corner.y - frame.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(corner.x - frame.x)).toBeLessThanOrEqual(2);
    const lastHead = (await page.getByTestId('matrix-skill').last().boundingBox())!;
    expect(Math.abs(lastHead.y - frame.y)).toBeLessThanOrEqual(2);
    const lastPerson = (await page.getByTestId('matrix-person').last().boundingBox())!;
    expect(Math.abs(lastPerson.x - frame.x)).toBeLessThanOrEqual(2);
    expect(lastPerson.y + lastPerson.height).toBeLessThanOrEqual(frame.y + frame.height + 2);
    // The frame fits the laptop's screen with room for the page's head.
    expect(frame.height).toBeLessThanOrEqual(LAPTOP.height);
    await context.close();
  });
});
