import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { addDays, parisDay } from '@gmao/domain';
import { ensureWebBuilt } from '../support/web-build.js';
import { launchChromium, expectNoSideScroll } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/app.js';
import { WEB_DIST } from '../../scripts/lib/web-build.js';
import fr from '../../apps/web/src/i18n/fr.ts';
import en from '../../apps/web/src/i18n/en.ts';

/**
 * Maintenance plans in the SPA (issue 13), on a 390 px phone, in French: an engineer creates a
 * plan for a model whose lead time makes work due now, sees its devices with their next due
 * dates, runs the generator (a real worker: the API and the workers run in this process) and
 * sees the work orders created; then leaves one device out of the plan with a reason and enters
 * a meter reading on its page. The plan list also reads in English; nothing scrolls sideways.
 */
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const PHONE = { width: 390, height: 844 };

let ctx: TestContext;
let workers: RunningWorkers;
let url: string;
let browser: Browser;
/** A model with devices getting work on the engineer's sites, and one of those devices. */
let model: { id: string; manufacturer: string; modelName: string };
let device: { id: string; inventoryNumber: string };

beforeAll(async () => {
  await ensureWebBuilt();
  ctx = await createTestContext({ webDistDir: WEB_DIST });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${address.port}`;
  workers = await startWorkers({ db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
  browser = await launchChromium();

  const db = ctx.database.db;
  const engineer = await db.selectFrom('users').select('id').where('email', '=', ENGINEER.email).executeTakeFirstOrThrow();
  const sites = (await db.selectFrom('roleGrants').select('siteId').where('userId', '=', engineer.id).where('role', '=', 'engineer').execute())
    .flatMap((r) => (r.siteId ? [r.siteId] : []));
  const row = await db.selectFrom('equipment as e').innerJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .select(['m.id', 'm.manufacturer', 'm.modelName', db.fn.countAll<number>().as('n')])
    .where('e.status', '=', 'in_service').where('e.siteId', 'in', sites)
    .groupBy(['m.id', 'm.manufacturer', 'm.modelName']).orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
  model = { id: row.id, manufacturer: row.manufacturer, modelName: row.modelName };
  device = await db.selectFrom('equipment').select(['id', 'inventoryNumber']).where('modelId', '=', model.id).where('status', '=', 'in_service')
    .where('siteId', 'in', sites).orderBy('inventoryNumber').limit(1).executeTakeFirstOrThrow();
});
afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await ctx?.close();
});

/** The page, settled, does not scroll sideways. */
async function settledNoSideScroll(page: Page, what: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expectNoSideScroll(page, what);
}

async function signIn(): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ENGINEER) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('maintenance plans on a phone', () => {
  it('an engineer creates a plan, generates its work orders, leaves a device out and enters a meter reading', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${url}/maintenance/plans`);
    await page.getByTestId('login-email').fill(ENGINEER.email);
    await page.getByTestId('login-password').fill(ENGINEER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('plans-page').waitFor();
    // The nav offers the page to engineers.
    await page.getByTestId('nav-toggle').click();
    expect(await page.getByTestId('nav-maintenance-plans').innerText()).toBe(fr.nav.maintenancePlans);
    await page.getByTestId('nav-toggle').click();

    await page.getByTestId('plan-new').click();
    await page.getByTestId('plan-form').waitFor();
    // Nothing filled in: the contract's messages show under the fields, nothing is sent.
    await page.getByTestId('plan-submit').click();
    await page.getByTestId('plan-scope-error').waitFor();
    expect(await page.getByTestId('form-alert').first().innerText()).toContain(fr.pmPlans.form.name);

    const today = parisDay(new Date());
    await page.getByTestId('plan-name').fill('Maintenance semestrielle E2E');
    await page.getByTestId('model-search').fill(model.modelName);
    await page.getByTestId('model-option').filter({ hasText: model.modelName }).first().click();
    await page.getByTestId('model-chosen').waitFor();
    await page.getByTestId('plan-every').fill('6');
    // The unit follows the trigger: a meter plan counts hours or cycles, a calendar one days to years.
    await page.getByTestId('plan-trigger').selectOption('meter');
    expect(await page.getByTestId('plan-unit').locator('option').allInnerTexts()).toEqual([fr.pmPlans.units.hours, fr.pmPlans.units.cycles]);
    await page.getByTestId('plan-trigger').selectOption('calendar');
    await page.getByTestId('plan-unit').selectOption('months');
    // Due in 10 days, generated 30 days ahead: due now.
    await page.getByTestId('plan-anchor').fill(addDays(today, 10));
    await page.getByTestId('plan-lead-time').fill('30');
    await page.getByTestId('plan-minutes').fill('90');
    expect(await page.getByTestId('plan-form').innerText()).toContain('Soit 1 h 30 min.');
    await page.getByTestId('plan-regulatory').check();
    // The required skill: one of the catalogue, grouped by skill category; the level stays disabled until a skill is chosen.
    expect(await page.getByTestId('plan-level').isDisabled()).toBe(true);
    expect(await page.getByTestId('plan-skill').locator('optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))).toContain(fr.skillCategories.electrical_safety);
    await page.getByTestId('plan-skill').selectOption({ label: 'Contrôles de sécurité électrique (IEC 62353)' });
    expect(await page.getByTestId('plan-level').locator('option').allInnerTexts()).toEqual([fr.pmPlans.form.levelDefault, 'Débutant', 'Confirmé', 'Expert']);
    await settledNoSideScroll(page, 'new plan');
    await page.getByTestId('plan-submit').click();

    // The plan's page: its fields, its devices with their next due date.
    await page.getByTestId('plan-page').waitFor();
    await page.getByTestId('plan-title').filter({ hasText: 'Maintenance semestrielle E2E' }).waitFor();
    expect(await page.getByTestId('plan-period').innerText()).toContain('Tous les 6 mois');
    expect(await page.getByTestId('plan-target').innerText()).toContain(`${model.manufacturer} ${model.modelName}`);
    // No level chosen: confirmed.
    expect(await page.getByTestId('plan-required-skill').innerText()).toBe('Contrôles de sécurité électrique (IEC 62353) (confirmé minimum)');
    await page.getByTestId('plan-device-row').first().waitFor();
    const dueDay = addDays(today, 10).split('-').reverse().join('/');
    expect(await page.getByTestId('plan-device-due').first().innerText()).toContain(dueDay);
    expect(await page.getByTestId('plan-device-work-order').count()).toBe(0);
    await settledNoSideScroll(page, 'plan page');

    // Someone else changes the plan while it is edited here: the 412 says so and offers the latest version.
    const planId = /\/maintenance\/plans\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await page.getByTestId('plan-edit').click();
    await page.getByTestId('plan-form').waitFor();
    const other = await signIn();
    const current = (await (await fetch(`${url}/api/v1/maintenance-plans/${planId}`, { headers: { authorization: `Bearer ${other}` } })).json()) as { version: number };
    const skills = (await (await fetch(`${url}/api/v1/skills?skillCategory=electrical_safety`, { headers: { authorization: `Bearer ${other}` } })).json()) as { items: { id: string }[] };
    const skillId = skills.items[0]!.id;
    const patched = await fetch(`${url}/api/v1/maintenance-plans/${planId}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json', 'if-match': String(current.version) },
      body: JSON.stringify({ requiredSkillId: skillId, requiredLevel: 'expert' }),
    });
    expect(patched.status).toBe(200);
    await page.getByTestId('plan-name').fill('Maintenance semestrielle E2E modifiée');
    await page.getByTestId('plan-submit').click();
    await page.getByTestId('plan-form').getByText(fr.pmPlans.form.stale).waitFor();
    // The input is still there until the latest version is asked for.
    expect(await page.getByTestId('plan-name').inputValue()).toBe('Maintenance semestrielle E2E modifiée');
    await page.getByTestId('plan-reload').click();
    // The reload has landed when the name is back to the stored one (the skill may already be the same).
    await expect.poll(() => page.getByTestId('plan-name').inputValue(), { timeout: 10_000 }).toBe('Maintenance semestrielle E2E');
    expect(await page.getByTestId('plan-skill').inputValue()).toBe(skillId);
    await expect.poll(() => page.getByTestId('plan-level').inputValue(), { timeout: 10_000 }).toBe('expert');
    await page.getByTestId('plan-cancel').click();
    await page.getByTestId('plan-fields').waitFor();

    // « Générer maintenant » for the territory: N work orders created, N > 0, their numbers listed.
    await page.getByTestId('plan-generate-button').click();
    const done = page.getByTestId('plan-generate').getByText(/bons? de travail créés?/);
    await done.waitFor({ timeout: 30_000 });
    const n = Number(/(\d+)/.exec(await done.innerText())?.[1] ?? 0);
    expect(n).toBeGreaterThan(0);
    await page.getByTestId('plan-device-work-order').first().waitFor();
    expect(await page.getByTestId('plan-device-work-order').first().innerText()).toMatch(/\S+/);

    // The device's page: the plan applies, with its work order; leave it out with a reason.
    await page.locator(`[data-testid="plan-device-row"][data-equipment-id="${device.id}"]`).getByTestId('plan-device-link').click();
    await page.getByTestId('equipment-pm-section').waitFor();
    const item = page.locator('[data-testid="pm-schedule-item"]').filter({ hasText: 'Maintenance semestrielle E2E' });
    await item.waitFor();
    expect(await item.getByTestId('pm-schedule-due').innerText()).toContain(dueDay);
    await item.getByTestId('pm-schedule-work-order').waitFor();
    await item.getByTestId('pm-opt-out').click();
    await item.getByTestId('pm-opt-out-confirm').click();
    await item.locator('.field-error').waitFor();
    await item.getByTestId('pm-opt-out-reason').fill('Appareil prêté au SAMU');
    await item.getByTestId('pm-opt-out-confirm').click();
    const optedOut = page.getByTestId('pm-opt-out-item').filter({ hasText: 'Maintenance semestrielle E2E' });
    await optedOut.waitFor();
    expect(await optedOut.getByTestId('pm-opt-out-text').innerText()).toBe('Appareil prêté au SAMU');
    expect(await page.locator('[data-testid="pm-schedule-item"]').filter({ hasText: 'Maintenance semestrielle E2E' }).count()).toBe(0);

    // A meter reading: a wrong number is refused in the form, then the reading is listed.
    await page.getByTestId('pm-reading-open').click();
    await page.getByTestId('pm-reading-unit').selectOption('hours');
    await page.getByTestId('pm-reading-value').fill('douze');
    await page.getByTestId('pm-reading-save').click();
    await page.getByTestId('pm-reading-form').getByText(fr.pmPlans.device.invalidNumber).waitFor();
    expect(await page.getByTestId('pm-reading-value').inputValue()).toBe('douze');
    await page.getByTestId('pm-reading-value').fill('1250,5');
    await page.getByTestId('pm-reading-save').click();
    await page.getByTestId('pm-reading').first().waitFor();
    expect(await page.getByTestId('pm-reading').first().innerText()).toMatch(/1\s?250,5 heures/);
    await settledNoSideScroll(page, 'device page');

    // Coverage: « Créer un plan » opens the form with the device's model chosen.
    await page.goto(`${url}/maintenance/coverage`);
    await page.getByTestId('coverage-page').waitFor();
    await page.getByTestId('coverage-create-plan').first().click();
    await page.getByTestId('plan-form').waitFor();
    await page.getByTestId('model-chosen').waitFor();

    // In English: the plan list reads in English.
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('nav-maintenance-plans').filter({ hasText: en.nav.maintenancePlans }).click();
    await page.getByTestId('plans-page').waitFor();
    await page.locator('h1').filter({ hasText: en.pmPlans.title }).waitFor();
    const row = page.getByTestId('plan-row').filter({ hasText: 'Maintenance semestrielle E2E' });
    await row.waitFor();
    expect(await row.getByTestId('plan-period').innerText()).toBe('Every 6 months');
    expect(await row.getByTestId('plan-regulatory').innerText()).toBe(en.pmPlans.regulatory);
    expect(await row.getByTestId('plan-target').innerText()).toContain('Model:');
    expect(await page.getByTestId('plans-page').innerText()).not.toMatch(/pmPlans\.|Tous les|Toutes les/);
    await settledNoSideScroll(page, 'plan list');

    // Deactivated after a confirmation: kept, listed only when asked for.
    await row.getByTestId('plan-link').click();
    await page.getByTestId('plan-deactivate').click();
    await page.getByTestId('plan-deactivate-confirm').getByText(en.pmPlans.plan.deactivateConfirm).waitFor();
    await page.getByTestId('plan-deactivate-yes').click();
    await page.getByTestId('plan-inactive-notice').waitFor();
    expect(await page.getByTestId('plan-edit').count()).toBe(0);
    await page.getByTestId('plan-back').click();
    await page.getByTestId('plans-page').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('plan-row').filter({ hasText: 'Maintenance semestrielle E2E' }).count()).toBe(0);
    await page.getByTestId('plans-inactive').check();
    await page.getByTestId('plan-row').filter({ hasText: 'Maintenance semestrielle E2E' }).getByTestId('plan-inactive').waitFor();
    await context.close();
  });
});
