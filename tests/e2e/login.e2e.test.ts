import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';
import en from '../../apps/web/src/i18n/en.ts';

const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };

interface MeSummary {
  fullName: string;
  homeSite: { name: string } | null;
}

let server: { url: string; close(): Promise<void> };
let browser: Browser;
/** What the API says about the technician: the UI must show the same. */
let tech: MeSummary;

async function fetchMe(url: string): Promise<MeSummary> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(TECH),
  });
  expect(res.status).toBe(200);
  const pair = (await res.json()) as { refreshToken: string; user: MeSummary };
  await fetch(`${url}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken: pair.refreshToken }),
  });
  return pair.user;
}

async function signIn(page: Page): Promise<void> {
  await page.getByTestId('login-email').fill(TECH.email);
  await page.getByTestId('login-password').fill(TECH.password);
  await page.getByTestId('login-submit').click();
  // The app's header (always shown, whatever the viewport) replaces the login page.
  await page.getByTestId('app-name').waitFor();
}

describe('signing in to the SPA', () => {
  const contexts: BrowserContext[] = [];

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    tech = await fetchMe(server.url);
    expect(tech.homeSite).not.toBeNull();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('signs in in French, shows the home site, switches to English and signs out', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    await page.goto(`${server.url}/`);

    // Not signed in: the guard sends us to the login page, in French by default.
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.getByTestId('login-submit').innerText()).toBe(fr.login.submit);

    // A wrong password is refused with a message, and we stay on the login page.
    await page.getByTestId('login-email').fill(TECH.email);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('form-alert').filter({ hasText: fr.login.invalidCredentials }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    await signIn(page);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByTestId('user-name').innerText()).toBe(tech.fullName);
    expect(await page.getByTestId('home-greeting').innerText()).toContain(tech.fullName);
    expect(await page.getByTestId('current-site-name').innerText()).toBe(tech.homeSite?.name);
    expect(await page.getByTestId('home-roles').innerText()).toContain(fr.roles.technician);
    expect(await page.getByTestId('nav-home').innerText()).toBe(fr.nav.home);
    // A technician is no site manager: no Users entry.
    expect(await page.getByTestId('nav-users').count()).toBe(0);

    // Switch to English: the text changes and <html lang> follows.
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('nav-home').filter({ hasText: en.nav.home }).waitFor();
    expect(en.nav.home).not.toBe(fr.nav.home);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('home-roles').innerText()).toContain(en.roles.technician);
    expect(await page.getByTestId('logout').innerText()).toBe(en.layout.logout);

    // A reload keeps both the session (refresh token) and the language.
    await page.reload();
    await page.getByTestId('home-greeting').waitFor();
    expect(await page.getByTestId('nav-home').innerText()).toBe(en.nav.home);
    expect(await page.getByTestId('current-site-name').innerText()).toBe(tech.homeSite?.name);

    // Sign out: back on the login page, and the session is gone for good.
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.evaluate("localStorage.getItem('gmao.refreshToken')")).toBeNull();
    await page.goto(`${server.url}/`);
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('on a phone, returns to the wanted page after sign-in and opens the collapsed navigation', async () => {
    const page = await newPage({ width: 360, height: 740 });
    await page.goto(`${server.url}/admin/locations`);
    await page.getByTestId('login-form').waitFor();
    await signIn(page);
    await page.waitForURL(`${server.url}/admin/locations`);

    const toggle = page.getByTestId('nav-toggle');
    const nav = page.getByTestId('nav');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);

    await toggle.click();
    await nav.waitFor({ state: 'visible' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('logout').isVisible()).toBe(true);
    // The page does not scroll sideways at 360px.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    // Following a link navigates and folds the menu again.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('home-greeting').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await nav.waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  });
});
