import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * On a desktop: the site's engineer plans and documents a work order reported by care staff —
 * assigns a technician of another site (cross-site), raises the priority, records time, a
 * vendor intervention, a part, attachments and a manual measurement, and reads the history.
 */
const ENGINEER = { email: 'ingenieur@ght-demo.fr', password: 'Demo!2026' };
const CARE = { email: 'soignant.chu@ght-demo.fr', password: 'Demo!2026' };
const CAMILLE = 'Camille Technicienne';
const TECH_CH1 = { email: 'tech.ch1@ght-demo.fr', password: 'Demo!2026' };

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let engineerToken: string;
let order: { id: string; number: string; priority: 'critical' | 'high' | 'normal' | 'low' };

async function login(user: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api<T = Record<string, any>>(token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  expect(res.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(300);
  return (await res.json()) as T;
}

/** A 1×1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** Unfolds a section of the page if it is folded. */
async function openSection(page: Page, testid: string): Promise<void> {
  const details = page.getByTestId(testid).locator('details');
  if ((await details.getAttribute('open')) === null) await page.getByTestId(`${testid}-toggle`).click();
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  // Care staff of the CHU report a fault on one of its devices.
  const careToken = await login(CARE);
  const me = await api<{ homeSite: { id: string } }>(careToken, '/me');
  const device = (await api<{ items: { id: string }[] }>(careToken, `/equipment?siteId=${me.homeSite.id}&status=in_service&limit=1`)).items[0]!;
  order = await api(careToken, '/work-requests', {
    method: 'POST',
    body: { equipmentId: device.id, symptom: 'Alarme de pression intermittente', deviceOutOfService: false, callbackName: null, callbackPhone: null },
  });
  engineerToken = await login(ENGINEER);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the work-order page on a desktop', () => {
  it('an engineer assigns across sites, reprioritises and documents the work order', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/work-orders/${order.id}`);
    await page.getByTestId('login-email').fill(ENGINEER.email);
    await page.getByTestId('login-password').fill(ENGINEER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('work-order-number').filter({ hasText: order.number }).waitFor();

    // Triage while nobody has taken it: the priority (the fault report got one from the device's criticality).
    const priority = order.priority === 'critical' ? 'low' : 'critical';
    await page.getByTestId('priority-select').selectOption(priority);
    await page.getByTestId('priority-save').click();
    await page.getByTestId('work-order-priority').filter({ hasText: fr.workOrderPriorities[priority] }).waitFor();
    expect((await api(engineerToken, `/work-orders/${order.id}`)).priority).toBe(priority);

    // Assignment of a technician of another site, from the ranked candidates: her site and its distance before, marked after.
    const ranked = await api<{ items: { name: string; siteName: string; meetsRequirement: boolean }[]; requiredSkillId: string | null }>(
      engineerToken, `/work-orders/${order.id}/candidates`,
    );
    const camille = ranked.items.find((c) => c.name === CAMILLE)!;
    await page.getByTestId('work-order-assign-open').click();
    await page.getByTestId('candidates-filter').fill('Camille');
    const option = page.getByTestId('candidate').filter({ hasText: CAMILLE });
    await option.getByTestId('candidate-distance').waitFor();
    expect(await option.getByTestId('candidate-site').innerText()).toContain(camille.siteName);
    await option.getByTestId('candidate-assign').click();
    // Without the device's required skill, the choice is confirmed first.
    if (ranked.requiredSkillId !== null && !camille.meetsRequirement) await page.getByTestId('candidate-confirm-yes').click();
    const assignee = page.getByTestId('work-order-assignee').filter({ hasText: CAMILLE });
    await assignee.getByTestId('assignee-cross-site').waitFor();
    expect(await assignee.getByTestId('assignee-cross-site').innerText()).toBe(fr.woExtra.assignees.crossSite);
    await page.getByTestId('work-order-state').filter({ hasText: fr.workOrderStates.assigned }).waitFor();
    const assignees = (await api(engineerToken, `/work-orders/${order.id}`)).assignees;
    expect(assignees).toMatchObject([{ fullName: CAMILLE, crossSite: true }]);

    // Time of the cross-site technician, as a period, with the travel asked for first.
    await page.getByTestId('labour-technician').selectOption(assignees[0].id);
    await page.getByTestId('labour-cross-site').getByTestId('labour-travel').fill('40');
    await page.getByTestId('labour-mode-period').check();
    await page.getByTestId('labour-started-at').fill('2026-03-10T09:00');
    await page.getByTestId('labour-ended-at').fill('2026-03-10T10:30');
    await page.getByTestId('labour-add').click();
    await page.getByTestId('labour-item').filter({ hasText: CAMILLE }).filter({ hasText: '90 min' }).waitFor();
    await page.getByTestId('work-order-labour-total').filter({ hasText: '90' }).waitFor();
    const labour = (await api(engineerToken, `/work-orders/${order.id}/labour`)).items;
    expect(labour).toMatchObject([{ technician: { fullName: CAMILLE }, minutes: 90, travelMinutes: 40 }]);
    expect(Date.parse(labour[0].startedAt)).toBe(Date.parse('2026-03-10T09:00:00+01:00'));

    // A vendor intervention; the cost typed the French way reaches the API in cents.
    await openSection(page, 'wo-section-externals');
    await page.getByTestId('external-vendor').fill('Biomed Services SA');
    await page.getByTestId('external-reference').fill('RAP-2026-118');
    await page.getByTestId('external-cost').fill('1 234,50');
    await page.getByTestId('external-add').click();
    const external = page.getByTestId('external-item').filter({ hasText: 'Biomed Services SA' });
    await external.waitFor();
    expect(await external.innerText()).toMatch(/1\s?234,50\s?€/);
    const externals = (await api(engineerToken, `/work-orders/${order.id}/external-interventions`)).items;
    expect(externals).toMatchObject([{ vendor: 'Biomed Services SA', vendorReference: 'RAP-2026-118', costCents: 123450 }]);

    // A part.
    await openSection(page, 'wo-section-parts');
    await page.getByTestId('part-reference').fill('PCB-ALIM-01');
    await page.getByTestId('part-description').fill('Carte d’alimentation');
    await page.getByTestId('part-quantity').fill('2');
    await page.getByTestId('part-add').click();
    await page.getByTestId('part-item').filter({ hasText: 'PCB-ALIM-01' }).waitFor();
    expect((await api(engineerToken, `/work-orders/${order.id}/parts`)).items).toMatchObject([{ reference: 'PCB-ALIM-01', quantity: 2 }]);

    // A photo, listed with its thumbnail; a text file, refused with a clear message.
    await openSection(page, 'wo-section-attachments');
    await page.getByTestId('attachment-input').setInputFiles({ name: 'capteur.png', mimeType: 'image/png', buffer: PNG });
    const photo = page.getByTestId('attachment-item').filter({ hasText: 'capteur.png' });
    await photo.waitFor();
    expect(await photo.innerText()).toContain(fr.woExtra.attachments.types.png);
    await photo.getByTestId('attachment-thumb').waitFor();
    expect(await photo.getByTestId('attachment-thumb').getAttribute('src')).toMatch(/^blob:/);
    await page.getByTestId('attachment-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('pas une image') });
    const refused = page.getByTestId('attachment-error');
    await refused.waitFor();
    expect(await refused.innerText()).toBe(fr.woExtra.attachments.badType.replace('{name}', 'notes.txt'));
    // Over the server's limit (10 MiB by default): refused as too large.
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    await page.getByTestId('attachment-input').setInputFiles({ name: 'enorme.png', mimeType: 'image/png', buffer: big });
    await page.getByTestId('attachment-error').filter({ hasText: 'enorme.png' }).waitFor();
    expect(await page.getByTestId('attachment-error').innerText()).toBe(fr.woExtra.attachments.tooLarge.replace('{name}', 'enorme.png'));
    expect(await page.getByTestId('attachment-item').count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), photo.getByTestId('attachment-download').click()]);
    expect(fs.readFileSync(await download.path()).subarray(1, 4).toString()).toBe('PNG');

    // A vendor's report is one of the attachments (the list refreshes when the field is focused).
    await page.getByTestId('external-vendor').fill('Dräger Service');
    await page.getByTestId('external-report').focus();
    await page.getByTestId('external-report').selectOption({ label: 'capteur.png' });
    await page.getByTestId('external-add').click();
    await page.getByTestId('external-item').filter({ hasText: 'Dräger Service' }).getByTestId('external-report-open').waitFor();
    const attachmentsNow = (await api(engineerToken, `/work-orders/${order.id}/attachments`)).items;
    expect((await api(engineerToken, `/work-orders/${order.id}/external-interventions`)).items[1]).toMatchObject({ vendor: 'Dräger Service', reportAttachmentId: attachmentsNow[0].id });

    // A measurement added by hand, then answered.
    await page.getByTestId('checklist-manual-open').click();
    await page.getByTestId('checklist-manual-label').fill('Température de la sonde');
    await page.getByTestId('checklist-manual-kind').selectOption('measurement');
    await page.getByTestId('checklist-manual-add').click();
    // A measurement needs a unit: the error is shown next to the field.
    await page.getByTestId('checklist-manual-form').locator('.field-error').filter({ hasText: 'unité obligatoire' }).waitFor();
    await page.getByTestId('checklist-manual-unit').fill('°C');
    await page.getByTestId('checklist-manual-min').fill('35,5');
    await page.getByTestId('checklist-manual-max').fill('37');
    await page.getByTestId('checklist-manual-mandatory').check();
    await page.getByTestId('checklist-manual-add').click();
    const measure = page.getByTestId('work-order-checklist').locator('li').filter({ hasText: 'Température de la sonde' });
    await measure.waitFor();
    await measure.getByTestId('checklist-value').fill('36,2');
    await measure.getByTestId('checklist-value').press('Enter');
    await measure.getByTestId('checklist-outcome').filter({ hasText: fr.checklistOutcomes.pass }).waitFor();
    expect((await api(engineerToken, `/work-orders/${order.id}/checklist`)).items).toMatchObject([
      { label: 'Température de la sonde', kind: 'measurement', mandatory: true, unit: '°C', min: 35.5, max: 37, value: 36.2, outcome: 'pass' },
    ]);

    // The history lists the transitions, and follows a new one.
    await openSection(page, 'wo-section-history');
    const history = page.getByTestId('history-item');
    await history.filter({ hasText: `${fr.woExtra.history.created} → ${fr.workOrderStates.requested}` }).filter({ hasText: 'Sophie Soignante' }).waitFor();
    await history.filter({ hasText: `${fr.workOrderStates.requested} → ${fr.workOrderStates.assigned}` }).filter({ hasText: 'Étienne Ingénieur' }).waitFor();
    await page.getByTestId('work-order-to-in_progress').click();
    await history.filter({ hasText: `${fr.workOrderStates.assigned} → ${fr.workOrderStates.in_progress}` }).waitFor();
    expect(await history.count()).toBe(3);

    // The intervention report.
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('work-order-report-pdf').click()]);
    expect(report.suggestedFilename()).toBe(`${order.number}.pdf`);
    expect(fs.readFileSync(await report.path()).subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });

  it('on a phone, the cross-site technician finds the travel time first and nothing scrolls sideways', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/work-orders/${order.id}`);
    await page.getByTestId('login-email').fill(TECH_CH1.email);
    await page.getByTestId('login-password').fill(TECH_CH1.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('work-order-number').filter({ hasText: order.number }).waitFor();
    // Secondary sections start folded on a phone.
    expect(await page.getByTestId('wo-section-history').locator('details').getAttribute('open')).toBeNull();
    await page.getByTestId('labour-cross-site').getByTestId('labour-travel').fill('25');
    await page.getByTestId('labour-quick-15').click();
    await page.getByTestId('labour-item').filter({ hasText: '15 min' }).filter({ hasText: '+ 25 min de trajet' }).waitFor();
    for (const section of ['wo-section-externals', 'wo-section-parts', 'wo-section-history']) await openSection(page, section);
    await page.getByTestId('history-item').first().waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await context.close();
  });
});
