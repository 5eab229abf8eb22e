import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { finessCheckKey } from '@gmao/domain';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import en from '../../apps/web/src/i18n/en.ts';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * Validation messages follow the UI language: the contracts' French messages, zod's generic
 * ones and the API's problems never show in French in the English UI, and a form left empty
 * names the fields to fill in instead of `Invalid input: expected boolean, received null`.
 */
const ADMIN = { email: 'admin@ght-demo.fr', password: 'Demo!2026' };

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let deviceId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const { accessToken, user } = (await login.json()) as { accessToken: string; user: { homeSite: { id: string } } };
  const list = await fetch(`${server.url}/api/v1/equipment?siteId=${user.homeSite.id}&status=in_service&limit=1`, { headers: { authorization: `Bearer ${accessToken}` } });
  deviceId = ((await list.json()) as { items: { id: string }[] }).items[0]!.id;
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

/** A signed-in page whose remembered language is `locale`. */
async function signedIn(locale: 'fr' | 'en', path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: locale === 'fr' ? 'fr-FR' : 'en-GB', timezoneId: 'Europe/Paris' });
  contexts.push(context);
  await context.addInitScript(`localStorage.setItem('gmao.locale', '${locale}')`);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-name').waitFor();
  return page;
}

const FRENCH = /[éèàùç]|Entrée|invalide|obligatoire|Décrivez|existe déjà|déjà utilisé/i;

describe('validation messages in the UI language', () => {
  it('an empty fault report, in English, names the fields to fill in, in English', async () => {
    const page = await signedIn('en', `/work-requests/new?equipmentId=${deviceId}`);
    await page.getByTestId('work-request-submit').click();
    const alert = await page.getByTestId('form-alert').innerText();
    expect(alert).toContain('Fill in or correct:');
    expect(alert).toContain(`“${en.workRequest.outOfService}”`);
    expect(alert).toContain(`“${en.workRequest.symptom}”`);
    const form = await page.locator('form').innerText();
    expect(form).not.toMatch(/Invalid input|expected boolean|received null/);
    expect(form).not.toMatch(FRENCH);
    expect(await page.locator('fieldset .field-error').innerText()).toBe(en.errors.required);
    expect(form).toContain('Describe the fault (5 characters at least)');

    // A wrong phone number: the contract's message, in English.
    await page.getByTestId('work-request-symptom').fill('Écran noir au démarrage');
    await page.getByTestId('work-request-oos-no').check();
    await page.getByTestId('work-request-callback-phone').fill('appelez-moi');
    await page.getByTestId('work-request-submit').click();
    await page.getByText('Invalid phone number').waitFor();
    expect(await page.getByTestId('form-alert').innerText()).toContain(`“${en.workRequest.callbackPhone}”`);
  });

  it('the same form, in French, says it in French', async () => {
    const page = await signedIn('fr', `/work-requests/new?equipmentId=${deviceId}`);
    await page.getByTestId('work-request-submit').click();
    const alert = await page.getByTestId('form-alert').innerText();
    expect(alert).toContain(`« ${fr.workRequest.outOfService} »`);
    expect(await page.locator('fieldset .field-error').innerText()).toBe(fr.errors.required);
    expect(await page.locator('form').innerText()).not.toMatch(/Entrée invalide|booléen attendu|Invalid input/);
  });

  it('a problem answered by the API (a short code already used) shows in English', async () => {
    const page = await signedIn('en', '/admin/sites');
    await page.getByTestId('site-create').click();
    await page.getByTestId('site-name').fill('Clinique Nouvelle');
    await page.getByTestId('site-short-code').fill('CHU');
    await page.getByTestId('site-finess').fill(`45000099${finessCheckKey('45000099')}`);
    await page.getByTestId('site-save').click();
    const alert = page.getByTestId('form-alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe(en.errors.api.duplicate);
    const form = await page.getByTestId('site-form').innerText();
    expect(form).toContain(en.errors.alreadyUsed);
    expect(form).not.toMatch(FRENCH);
  });

  it('the user menu says “Your sites:” without the French space', async () => {
    const page = await signedIn('en', '/');
    const text = await page.getByTestId('user-sites').locator('.visually-hidden').textContent();
    expect(text).toMatch(/^Your sites: \S/);
  });
});
