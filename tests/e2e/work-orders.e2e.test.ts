import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/** On a phone: a technician reports a fault, takes the work order, fills the checklist, signs and completes. */
const TECH = { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' };
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let token: string;
let device: { id: string; inventoryNumber: string; model: { id: string } };

const api = async (path: string) =>
  (await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TECH) });
  const pair = (await login.json()) as { accessToken: string; user: { homeSite: { id: string } } };
  token = pair.accessToken;
  device = (await api(`/equipment?siteId=${pair.user.homeSite.id}&status=in_service&limit=1`)).items[0];
  // The checklist's items follow the model's electrical class (tests/e2e/electrical-safety.e2e.test.ts): class I, type BF here.
  const model = await api(`/equipment-models/${device.model.id}`);
  const classed = await fetch(`${server.url}/api/v1/equipment-models/${model.id}`, {
    method: 'PATCH', body: JSON.stringify({ electricalClass: 'I', appliedPartType: 'BF' }),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': String(model.version) },
  });
  expect(classed.status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function answerChecklist(page: Page, key: string, action: { outcome?: 'pass' | 'fail'; value?: string }) {
  const item = page.getByTestId(`checklist-${key}`);
  if (action.outcome) await item.getByTestId(`checklist-${action.outcome}`).click();
  else {
    await item.getByTestId('checklist-value').fill(action.value!);
    await item.getByTestId('checklist-value').press('Enter');
  }
  await item.getByTestId('checklist-outcome').waitFor();
}

describe('work orders on a phone', () => {
  it('a technician closes a work order with a checklist, a measurement and a signature', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/inventory/${device.id}`);
    await page.getByTestId('login-email').fill(TECH.email);
    await page.getByTestId('login-password').fill(TECH.password);
    await page.getByTestId('login-submit').click();

    // The fault report, device out of service.
    await page.getByTestId('equipment-report-fault').click();
    await page.getByTestId('work-request-symptom').fill('Écran noir au démarrage');
    await page.getByTestId('work-request-oos-yes').check();
    await page.getByTestId('work-request-submit').click();
    await page.getByTestId('work-order-card').first().waitFor();
    expect((await api(`/equipment/${device.id}`)).status).toBe('out_of_service');
    await page.getByTestId('work-order-card').first().locator('a').click();
    await page.getByTestId('work-order-page').waitFor();

    await page.getByTestId('work-order-assign-me').click();
    await page.getByTestId('work-order-to-in_progress').click();
    await page.getByTestId('work-order-state').filter({ hasText: fr.workOrderStates.in_progress }).waitFor();

    // Completing too early lists what is missing, in French.
    await page.getByTestId('work-order-to-completed').click();
    await page.getByTestId('work-order-back-yes').check();
    await page.getByTestId('work-order-confirm').click();
    const missing = page.getByTestId('work-order-missing');
    await missing.waitFor();
    expect(await missing.innerText()).toMatch(/diagnostic/i);

    // Checklist with measurements judged by the API, time, report, signature.
    // Any template of the territory can be added; the IEC 62353 one is offered first.
    await page.getByTestId('checklist-template-iec').waitFor({ state: 'attached' });
    await page.getByTestId('checklist-template').selectOption('iec-62353');
    await page.getByTestId('checklist-add-template').click();
    await answerChecklist(page, 'visual_inspection', { outcome: 'pass' });
    await answerChecklist(page, 'protective_earth_resistance', { value: '0,12' });
    expect(await page.getByTestId('checklist-protective_earth_resistance').getByTestId('checklist-outcome').innerText()).toBe(fr.checklistOutcomes.pass);
    await answerChecklist(page, 'equipment_leakage_current', { value: '620' });
    expect(await page.getByTestId('checklist-equipment_leakage_current').getByTestId('checklist-outcome').innerText()).toBe(fr.checklistOutcomes.fail);
    await answerChecklist(page, 'applied_part_leakage_current', { value: '40' });
    await answerChecklist(page, 'functional_test', { outcome: 'pass' });
    await page.getByTestId('labour-quick-30').click();
    await page.getByTestId('work-order-labour-total').filter({ hasText: '30' }).waitFor();
    await page.getByTestId('work-order-diagnosis').fill('Carte d’alimentation défectueuse');
    await page.getByTestId('work-order-actions').fill('Remplacement de la carte, essais');
    await page.getByTestId('work-order-save-report').click();
    const canvas = page.getByTestId('signature-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 60, { steps: 6 });
    await page.mouse.move(box.x + 200, box.y + 30, { steps: 6 });
    await page.mouse.up();
    await page.getByTestId('signature-save').click();
    await page.getByTestId('work-order-signed').waitFor();

    // A failed measurement: the verdict is required, at best non conforming; "not evaluated" is not offered.
    await page.getByTestId('work-order-to-completed').click();
    await page.getByTestId('work-order-verdict-failed').waitFor();
    expect(await page.getByTestId('work-order-verdict-none').count()).toBe(0);
    await page.getByTestId('work-order-verdict-non_conforming').check();
    await page.getByTestId('work-order-verdict-note').fill('Courant de fuite de l’appareil hors limites');
    // A non-conforming device is not put back in service by the completion: the question is gone.
    expect(await page.getByTestId('work-order-back-yes').count()).toBe(0);
    await page.getByTestId('work-order-confirm').click();
    await page.getByTestId('work-order-state').filter({ hasText: fr.workOrderStates.completed }).waitFor();
    expect(await page.getByTestId('work-order-conformity').innerText()).toContain(fr.conformities.non_conforming);
    // The technician sees that an engineer decides the restart, without the form.
    await page.getByTestId('work-order-restart').waitFor();
    expect(await page.getByTestId('work-order-restart-submit').count()).toBe(0);

    const orders = (await api(`/work-orders?equipmentId=${device.id}`)).items;
    // The list answers summaries: the labour and signature are on the work order.
    expect(await api(`/work-orders/${orders[0].id}`)).toMatchObject({ state: 'completed', labourMinutes: 30, signature: { name: expect.any(String) } });
    expect((await api(`/equipment/${device.id}`)).status).toBe('out_of_service');
    const register = await api(`/equipment/${device.id}/register`);
    expect(register.entries.at(-1)).toMatchObject({
      number: orders[0].number, conformity: 'non_conforming', conformityNote: 'Courant de fuite de l’appareil hors limites', restartedAt: null,
    });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await context.close();
  });
});
