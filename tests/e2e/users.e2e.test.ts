import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';

/** A territory admin creating an account: a weak password is refused under its field. */
const ADMIN = { email: 'admin@ght-demo.fr', password: 'Demo!2026' };

let server: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Signs in as the territory admin on the users page. */
async function openUsersAsAdmin(page: Page): Promise<void> {
  await page.goto(`${server.url}/admin/users`);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
}

/** The texts that describe a field (its hint and its error), as a screen reader reads them. */
async function describedText(page: Page, field: Locator): Promise<string> {
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  return (await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()))).join(' ');
}

describe('creating a user in the SPA', () => {
  it('shows why a weak password is refused, under the password field, then creates with a strong one', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    try {
      const page = await context.newPage();
      await openUsersAsAdmin(page);
      await page.getByTestId('user-create').click();
      const form = page.getByTestId('user-create-form');
      await form.getByTestId('user-full-name').fill('Marie Dupont');
      await form.getByTestId('user-email').fill('marie.dupont@ght-demo.fr');
      const password = form.getByTestId('user-password');
      await expect.poll(() => form.textContent()).toContain('ni mot de passe courant');
      await password.fill('MarieDupont2026');
      await form.getByTestId('user-save').click();
      await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
      expect(await describedText(page, password)).toContain('Mot de passe trop faible : il ne doit pas reprendre votre adresse e-mail ou votre nom.');

      await password.fill('Tr0mbone-Glacier-88');
      await form.getByTestId('user-save').click();
      await expect.poll(async () => (await page.getByTestId('user-list').textContent()) ?? '').toContain('marie.dupont@ght-demo.fr');
    } finally {
      await context.close();
    }
  });

  it('in English, says in English that the password is too weak', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', timezoneId: 'Europe/Paris' });
    await context.addInitScript(`localStorage.setItem('gmao.locale', 'en')`);
    try {
      const page = await context.newPage();
      await openUsersAsAdmin(page);
      await page.getByTestId('user-create').click();
      const form = page.getByTestId('user-create-form');
      await form.getByTestId('user-full-name').fill('Paul Martin');
      await form.getByTestId('user-email').fill('paul.martin@ght-demo.fr');
      const password = form.getByTestId('user-password');
      await password.fill('azertyuiopqsdf');
      await form.getByTestId('user-save').click();
      await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
      const messages = await describedText(page, password);
      expect(messages).toContain('Password too weak');
      expect(messages).not.toMatch(/Mot de passe|Valeur invalide|Invalid value/);
    } finally {
      await context.close();
    }
  });
});
