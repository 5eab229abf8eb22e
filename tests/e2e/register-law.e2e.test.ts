import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * The register as R.5212-28 reads it, in the SPA: the verdict asked at completion, the
 * engineer's restart of a non-conforming device, the register's performers, date, verdict
 * and evidence, and the site's legal entity (docs/regulatory.md).
 */
const ADMIN = { email: 'admin@ght-demo.fr', password: 'Demo!2026' };
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];

async function login(user: { email: string; password: string }): Promise<{ token: string; user: Json }> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  expect(res.status).toBe(200);
  const pair = (await res.json()) as { accessToken: string; user: Json };
  return { token: pair.accessToken, user: pair.user };
}

async function ok(token: string, path: string, init: { method?: string; body?: unknown; ifMatch?: number; raw?: { body: Buffer; type: string } } = {}): Promise<Json> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.raw) headers['content-type'] = init.raw.type;
  if (init.ifMatch !== undefined) headers['if-match'] = String(init.ifMatch);
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET', headers, body: init.raw ? new Uint8Array(init.raw.body) : init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Json) : {};
}

async function signedInPage(user: { email: string; password: string }, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  return page;
}

/** A work order of `type` on a fresh CHU device, worked on and signed by the technician, ready to complete. */
async function readyToComplete(type: string, index: number, extra: object = {}): Promise<{ device: Json; wo: Json; tech: { token: string; user: Json } }> {
  const tech = await login(TECH);
  const engineer = await login(ENGINEER);
  const device = (await ok(tech.token, `/equipment?siteId=${tech.user.homeSite.id}&status=in_service&limit=${index + 1}`)).items[index];
  let wo = await ok(engineer.token, '/work-orders', { method: 'POST', body: { equipmentId: device.id, type, description: 'Opération planifiée', assigneeIds: [tech.user.id], ...extra } });
  wo = await ok(tech.token, `/work-orders/${wo.id}/transitions`, { method: 'POST', body: { to: 'in_progress' }, ifMatch: wo.version });
  wo = await ok(tech.token, `/work-orders/${wo.id}`, { method: 'PATCH', body: { diagnosis: 'Contrôle annuel', actions: 'Opérations du constructeur' }, ifMatch: wo.version });
  wo = await ok(tech.token, `/work-orders/${wo.id}/labour`, { method: 'POST', body: { minutes: 30 } });
  wo = await ok(tech.token, `/work-orders/${wo.id}/signature`, { method: 'POST', body: { name: tech.user.fullName, image: PNG } });
  return { device, wo, tech };
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

describe('the verdict and the restart decision', () => {
  it('a preventive completion requires a verdict; non conforming, the device waits for the engineer, who puts it back in service', async () => {
    const { device, wo } = await readyToComplete('preventive', 5);
    const page = await signedInPage(TECH, `/work-orders/${wo.id}`);
    await page.getByTestId('work-order-to-completed').click();
    await page.getByTestId('work-order-verdict').waitFor();
    // Required for a preventive maintenance: no "not evaluated".
    expect(await page.getByTestId('work-order-verdict').innerText()).toContain(fr.woExtra.verdict.required);
    expect(await page.getByTestId('work-order-verdict-none').count()).toBe(0);
    await page.getByTestId('work-order-verdict-conforming_with_reservations').check();
    await page.getByTestId('work-order-verdict-note').waitFor();
    await page.getByTestId('work-order-verdict-non_conforming').check();
    await page.getByTestId('work-order-verdict-note').fill('Alarme sonore inaudible');
    await page.getByTestId('work-order-confirm').click();
    await page.getByTestId('work-order-state').filter({ hasText: fr.workOrderStates.completed }).waitFor();
    expect(await page.getByTestId('work-order-conformity').innerText()).toBe(`Résultat : ${fr.conformities.non_conforming} — Alarme sonore inaudible`);
    const engineer = await login(ENGINEER);
    expect((await ok(engineer.token, `/equipment/${device.id}`)).status).toBe('out_of_service');

    const eng = await signedInPage(ENGINEER, `/work-orders/${wo.id}`);
    await eng.getByTestId('work-order-restart-reason').fill('Haut-parleur remplacé, alarme testée');
    await eng.getByTestId('work-order-restart-submit').click();
    await eng.getByTestId('work-order-restart-done').waitFor();
    expect(await eng.getByTestId('work-order-restart-done').innerText()).toContain('Haut-parleur remplacé, alarme testée');
    expect(await eng.getByTestId('work-order-restart').count()).toBe(0);
    expect((await ok(engineer.token, `/equipment/${device.id}`)).status).toBe('in_service');

    // The register on the device page: the day of the work, who did it for which employer, the verdict and its note, the dates.
    await eng.goto(`${server.url}/inventory/${device.id}`);
    const register = eng.getByTestId('equipment-register');
    await register.getByTestId('register-toggle').click();
    const entry = register.getByTestId('register-entry').filter({ hasText: wo.number });
    await entry.waitFor();
    expect(await entry.getByTestId('register-entry-performer').first().innerText()).toMatch(/^Thomas Technicien — Centre hospitalier universitaire de Valmont-sur-Loire, FINESS \d{9}$/);
    expect(await entry.getByTestId('register-entry-conformity').innerText()).toBe(fr.conformities.non_conforming);
    expect(await entry.getByTestId('register-entry-note').innerText()).toBe('Alarme sonore inaudible');
    expect(await entry.innerText()).toContain('Remise en service :');
  });

  it('the register lists an external quality control with its accredited body and its report', async () => {
    const { device, wo, tech } = await readyToComplete('quality_control', 6, { qualityControlKind: 'external' });
    const boundary = `----e2e${Date.now()}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="rapport-cqe.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      Buffer.from('%PDF-1.7\n%rapport\n'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const report = await ok(tech.token, `/work-orders/${wo.id}/attachments`, { method: 'POST', raw: { body, type: `multipart/form-data; boundary=${boundary}` } });
    let fresh = await ok(tech.token, `/work-orders/${wo.id}/external-interventions`, {
      method: 'POST', body: { vendor: 'Qualimed Contrôles', technicianName: 'Léa Roux', accreditationReference: 'COFRAC 1-2345', reportAttachmentId: report.id },
    });
    fresh = await ok(tech.token, `/work-orders/${wo.id}/transitions`, { method: 'POST', body: { to: 'completed', conformity: 'conforming' }, ifMatch: fresh.version });
    expect(fresh.state).toBe('completed');

    const page = await signedInPage(TECH, `/inventory/${device.id}`);
    const register = page.getByTestId('equipment-register');
    await register.getByTestId('register-toggle').click();
    const entry = register.getByTestId('register-entry').filter({ hasText: wo.number });
    await entry.waitFor();
    expect(await entry.getByTestId('register-entry-qc').innerText()).toBe(fr.qualityControlKinds.external);
    expect(await entry.getByTestId('register-entry-body').innerText()).toBe('Organisme accrédité : Qualimed Contrôles (accréditation COFRAC 1-2345)');
    expect(await entry.getByTestId('register-entry-evidence').innerText()).toBe('rapport-cqe.pdf');
    expect(await entry.innerText()).toContain('Léa Roux — Qualimed Contrôles (prestataire externe)');
  });
});

describe('the site form', () => {
  it('records the legal entity (name and FINESS juridique) apart from the site’s own FINESS', async () => {
    const page = await signedInPage(ADMIN, '/admin/sites');
    await page.getByTestId('site-edit-CH3').click();
    const form = page.getByTestId('site-form');
    await form.waitFor();
    expect(await page.getByTestId('site-legal-entity-name').inputValue()).toBe('Centre hospitalier des Trois-Rivières');
    await page.getByTestId('site-legal-entity-finess').fill('2B0001234');
    await page.getByTestId('site-legal-entity-name').fill('Centre hospitalier de Haute-Corse');
    await page.getByTestId('site-save').click();
    await page.getByTestId('site-form').waitFor({ state: 'detached' });
    const admin = await login(ADMIN);
    const sites = (await ok(admin.token, '/sites?q=Trois')).items as Json[];
    expect(sites[0]).toMatchObject({ shortCode: 'CH3', legalEntityFiness: '2B0001234', legalEntityName: 'Centre hospitalier de Haute-Corse' });
    expect(sites[0]!.finess).not.toBe('2B0001234');
  });
});
