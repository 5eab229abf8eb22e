import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../support/web-build.js';
import { startTestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import fr from '../../apps/web/src/i18n/fr.ts';

/**
 * Issue 12 on a phone (390 px): a technician of the CHU, on a work order, issues a part from
 * the local store in one tap, then finds a part that only CH de Bellerive (CH1) holds and
 * requests it in two taps; CH1's site manager approves and ships it; the technician receives
 * it. The API then shows the stock moved and each (store, part)'s ledger equal to its on hand.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const PASSWORD = 'Demo!2026';
const TECH = 'tech.chu@ght-demo.fr';
const MANAGER_CH1 = 'responsable.ch1@ght-demo.fr';

let server: { url: string; close(): Promise<void> };
let browser: Browser;
const tokens: Record<string, string> = {};
let chuId: string;
let ch1Id: string;
let ch1Store: Json;
let chuStores: Json[];
let remotePart: Json;
let localPart: Json;
let order: Json;

async function login(email: string): Promise<Json> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(200);
  const pair = (await res.json()) as Json;
  tokens[email] = pair.accessToken;
  return pair.user;
}
async function api(email: string, path: string, init: { method?: string; body?: unknown; version?: number } = {}): Promise<Json> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${tokens[email]}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.version === undefined ? {} : { 'if-match': String(init.version) }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const json = res.status === 204 ? {} : ((await res.json()) as Json);
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const ADMIN = 'admin@ght-demo.fr';
const ENGINEER = 'ingenieur@ght-demo.fr';

async function stockOf(storeId: string, partId: string): Promise<Json | undefined> {
  return (await api(ADMIN, `/stock?storeId=${storeId}&partId=${partId}`)).items[0];
}
/** The ledger of a (store, part): its deltas add up to its on hand. */
async function ledgerOf(storeId: string, partId: string): Promise<{ sum: number; types: string[] }> {
  const items = (await api(ADMIN, `/stock/movements?storeId=${storeId}&partId=${partId}&limit=200`)).items as Json[];
  return { sum: items.reduce((n, m) => n + m.delta, 0), types: items.map((m) => m.type).sort() };
}

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const [tech] = await Promise.all([login(TECH), login(MANAGER_CH1), login(ADMIN), login(ENGINEER)]);
  chuId = tech.homeSite.id;
  const sites = (await api(ADMIN, '/sites?limit=50')).items as Json[];
  ch1Id = sites.find((s) => s.shortCode === 'CH1')!.id;

  // A device of the CHU with a model; two parts of the catalogue made compatible with it.
  const devices = (await api(ADMIN, `/equipment?siteId=${chuId}&status=in_service&limit=50`)).items as Json[];
  const device = devices.find((d) => d.model)!;
  const suffix = Date.now().toString(36).toUpperCase();
  remotePart = await api(ADMIN, '/parts', {
    method: 'POST', body: { reference: `E2E-FAR-${suffix}`, description: 'Module batterie (stock à Bellerive seulement)', compatibleModelIds: [device.model.id], lastUnitCostCents: 4200 },
  });
  localPart = await api(ADMIN, '/parts', {
    method: 'POST', body: { reference: `E2E-LOC-${suffix}`, description: 'Fusible temporisé (stock au CHU)', compatibleModelIds: [device.model.id], lastUnitCostCents: 150 },
  });
  // Stock: the remote part only at CH1, the local one at the CHU.
  ch1Store = ((await api(ADMIN, `/stores?siteId=${ch1Id}`)).items as Json[]).find((s) => s.active)!;
  chuStores = ((await api(ADMIN, `/stores?siteId=${chuId}`)).items as Json[]).filter((s) => s.active);
  await api(ADMIN, '/stock/movements', { method: 'POST', body: { type: 'receipt', storeId: ch1Store.id, partId: remotePart.id, quantity: 5, unitCostCents: 4000 } });
  await api(ADMIN, '/stock/movements', { method: 'POST', body: { type: 'receipt', storeId: chuStores[0]!.id, partId: localPart.id, quantity: 4, unitCostCents: 150 } });

  // A corrective work order of the device, assigned to the technician and started.
  order = await api(ENGINEER, '/work-orders', { method: 'POST', body: { equipmentId: device.id, type: 'corrective', description: 'Batterie HS, fusible grillé', assigneeIds: [tech.id] } });
  order = await api(TECH, `/work-orders/${order.id}/transitions`, { method: 'POST', body: { to: 'in_progress' }, version: order.version });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(email: string, path: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  return { context, page };
}

async function noSideScroll(page: Page): Promise<void> {
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
}

describe('parts and transfers on a phone', () => {
  it('a technician issues a local part in one tap and requests a part from another site; its manager approves and ships it; the technician receives it', async () => {
    // ---- The technician, on the work order.
    const tech = await signIn(TECH, `/work-orders/${order.id}`);
    let page = tech.page;
    await page.getByTestId('work-order-page').waitFor();
    const section = page.getByTestId('wo-section-parts');
    if ((await section.locator('details').getAttribute('open')) === null) await page.getByTestId('wo-section-parts-toggle').click();
    expect(await section.innerText()).toContain(fr.woExtra.parts.compatibleTitle);

    // One tap: quantity 1 from the local store.
    const local = section.locator(`[data-testid="part-offer"][data-part-id="${localPart.id}"]`);
    await local.waitFor();
    expect(await local.getByTestId('part-local').innerText()).toContain('4');
    // More than the shelf holds: the API's 409 insufficient_stock is said under the part, nothing moves.
    await local.getByTestId('part-issue-quantity').fill('9');
    await local.getByTestId('part-issue').click();
    await local.getByRole('alert').filter({ hasText: 'Stock insuffisant' }).waitFor();
    expect((await stockOf(chuStores[0]!.id, localPart.id))!.onHand).toBe(4);
    await local.getByTestId('part-issue-quantity').fill('1');
    await local.getByTestId('part-issue').click();
    await section.getByTestId('part-issued-list').filter({ hasText: localPart.reference }).waitFor();
    expect((await api(TECH, `/work-orders/${order.id}/parts`)).items).toMatchObject([{ partId: localPart.id, storeId: chuStores[0]!.id, quantity: 1 }]);
    expect((await stockOf(chuStores[0]!.id, localPart.id))!.onHand).toBe(3);
    await local.getByTestId('part-local').filter({ hasText: '3' }).waitFor();
    // Given back to the store, then issued again in one tap.
    const issuedLine = section.getByTestId('part-issued-list').getByTestId('part-item').filter({ hasText: localPart.reference });
    await issuedLine.getByTestId('part-return-open').click();
    expect(await issuedLine.getByTestId('part-return-quantity').inputValue()).toBe('1');
    await issuedLine.getByTestId('part-return-confirm').click();
    await issuedLine.getByTestId('part-net').filter({ hasText: '0' }).waitFor();
    expect((await stockOf(chuStores[0]!.id, localPart.id))!.onHand).toBe(4);
    await local.getByTestId('part-local').filter({ hasText: '4' }).waitFor();
    await local.getByTestId('part-issue').click();
    await local.getByTestId('part-local').filter({ hasText: '3' }).waitFor();
    expect((await stockOf(chuStores[0]!.id, localPart.id))!.onHand).toBe(3);

    // None on the site for the other part: CH1 has some, with its distance. Two taps: the line, then confirm.
    const remote = section.locator(`[data-testid="part-offer"][data-part-id="${remotePart.id}"]`);
    expect(await remote.getByTestId('part-local-total').innerText()).toBe('Aucune disponible sur le site');
    const line = remote.getByTestId('part-remote-open').filter({ hasText: 'Bellerive' });
    expect(await line.innerText()).toMatch(/5 disponibles/);
    expect(await line.innerText()).toMatch(/km/);
    await line.click();
    await remote.getByTestId('part-request-confirm').click();
    const transferLine = section.getByTestId('part-transfer').filter({ hasText: remotePart.reference });
    await transferLine.waitFor();
    expect(await transferLine.getByTestId('part-transfer-state').innerText()).toBe(fr.transferStates.requested);
    await noSideScroll(page);
    const [transfer] = (await api(TECH, `/stock/transfers?workOrderId=${order.id}`)).items as Json[];
    expect(transfer).toMatchObject({
      state: 'requested', partId: remotePart.id, sourceStoreId: ch1Store.id, destinationSiteId: chuId, quantityRequested: 1, workOrderId: order.id,
    });
    expect(chuStores.map((s) => s.id)).toContain(transfer!.destinationStoreId);

    // ---- CH1's site manager approves, then ships.
    const manager = await signIn(MANAGER_CH1, `/stock/transfers?siteId=${ch1Id}`);
    page = manager.page;
    const card = page.locator(`[data-testid="transfer-card"][data-transfer-id="${transfer!.id}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain(remotePart.reference);
    expect(await card.getByTestId('transfer-state').innerText()).toBe(fr.transferStates.requested);
    // The owning site approves, rejects or cancels; it does not receive.
    expect(await card.getByTestId('transfer-receive').count()).toBe(0);
    await card.getByTestId('transfer-approve').click();
    expect(await card.getByTestId('transfer-quantity').inputValue()).toBe('1');
    await card.getByTestId('transfer-confirm').click();
    await card.getByTestId('transfer-state').filter({ hasText: fr.transferStates.approved }).waitFor();
    await card.getByTestId('transfer-ship').click();
    await card.getByTestId('transfer-confirm').click();
    await card.getByTestId('transfer-state').filter({ hasText: fr.transferStates.shipped }).waitFor();
    expect(await card.getByTestId('transfer-q-inTransit').innerText()).toBe('1');
    expect(await card.getByTestId('transfer-steps').innerText()).toContain('Expédié par vous');
    await noSideScroll(page);
    expect((await stockOf(ch1Store.id, remotePart.id))!.onHand).toBe(4);
    await manager.context.close();

    // ---- The technician receives it on the transfers page of the CHU.
    page = tech.page;
    await page.goto(`${server.url}/stock/transfers?siteId=${chuId}`);
    const incoming = page.locator(`[data-testid="transfer-card"][data-transfer-id="${transfer!.id}"]`);
    await incoming.waitFor();
    expect(await incoming.getByTestId('transfer-direction').innerText()).toBe(fr.transfers.direction.in);
    expect(await incoming.getByTestId('transfer-approve').count()).toBe(0);
    await incoming.getByTestId('transfer-receive').click();
    await incoming.getByTestId('transfer-confirm').click();
    await incoming.getByTestId('transfer-state').filter({ hasText: fr.transferStates.received }).waitFor();
    expect(await incoming.getByTestId('transfer-steps').innerText()).toContain('Réceptionné par vous');
    // The balance between sites (this month): the CHU received parts from CH1.
    const pair = page.getByTestId('transfer-balance-pair').filter({ hasText: '→' });
    await pair.first().waitFor();
    expect(await page.getByTestId('transfer-balance').innerText()).toMatch(/a reçu/);
    await noSideScroll(page);
    await tech.context.close();

    // ---- The stock moved, and the ledger holds.
    const done = await api(ADMIN, `/stock/transfers/${transfer!.id}`);
    expect(done).toMatchObject({ state: 'received', quantityShipped: 1, quantityReceived: 1, quantityLost: 0, quantityInTransit: 0, unitCostCents: 4000, valueShippedCents: 4000 });
    expect((await stockOf(ch1Store.id, remotePart.id))!.onHand).toBe(4);
    expect((await stockOf(transfer!.destinationStoreId, remotePart.id))!.onHand).toBe(1);
    const source = await ledgerOf(ch1Store.id, remotePart.id);
    expect(source).toEqual({ sum: 4, types: ['receipt', 'transfer_out'] });
    const destination = await ledgerOf(transfer!.destinationStoreId, remotePart.id);
    expect(destination).toEqual({ sum: 1, types: ['transfer_in'] });
    const issued = await ledgerOf(chuStores[0]!.id, localPart.id);
    expect(issued).toEqual({ sum: 3, types: ['issue', 'issue', 'receipt', 'return'] });
  });

  it('records a partial receipt with its loss reason; a card changed meanwhile shows the problem and its new state; a shipped transfer is received from the work order', async () => {
    const destinationStoreId = chuStores[0]!.id;
    const ask = (quantity: number) => api(TECH, '/stock/transfers', { method: 'POST', body: { sourceStoreId: ch1Store.id, destinationStoreId, partId: remotePart.id, quantity } });
    // Shipped by CH1 through the API: 2 parts.
    let partial = await ask(2);
    partial = await api(MANAGER_CH1, `/stock/transfers/${partial.id}/approve`, { method: 'POST', body: {}, version: partial.version });
    partial = await api(MANAGER_CH1, `/stock/transfers/${partial.id}/ship`, { method: 'POST', body: {}, version: partial.version });
    const onHandBefore = (await stockOf(destinationStoreId, remotePart.id))?.onHand ?? 0;

    const { context, page } = await signIn(TECH, `/stock/transfers?siteId=${chuId}&state=shipped`);
    const card = page.locator(`[data-testid="transfer-card"][data-transfer-id="${partial.id}"]`);
    await card.waitFor();
    await card.getByTestId('transfer-receive').click();
    expect(await card.getByTestId('transfer-quantity').inputValue()).toBe('2');
    await card.getByTestId('transfer-quantity').fill('1');
    expect(await card.getByTestId('transfer-loss').innerText()).toBe('1 pièce sera enregistrée comme perdue.');
    await card.getByTestId('transfer-confirm').click();
    await card.getByRole('alert').filter({ hasText: fr.transfers.lossReasonRequired.split(' | ')[1]! }).waitFor();
    await card.getByTestId('transfer-text').fill('Une cellule arrivée brisée');
    await card.getByTestId('transfer-confirm').click();
    await card.getByTestId('transfer-state').filter({ hasText: fr.transferStates.received }).waitFor();
    expect(await card.getByTestId('transfer-q-lost').innerText()).toBe('1');
    expect(await card.innerText()).toContain('Une cellule arrivée brisée');
    expect(await api(ADMIN, `/stock/transfers/${partial.id}`)).toMatchObject({ state: 'received', quantityReceived: 1, quantityLost: 1, lossReason: 'Une cellule arrivée brisée' });
    expect((await stockOf(destinationStoreId, remotePart.id))!.onHand).toBe(onHandBefore + 1);
    await context.close();

    // The manager's page shows a request the requester then cancels: approving it answers the problem, the card shows "Annulé".
    const stale = await ask(1);
    const manager = await signIn(MANAGER_CH1, `/stock/transfers?siteId=${ch1Id}&state=requested`);
    const staleCard = manager.page.locator(`[data-testid="transfer-card"][data-transfer-id="${stale.id}"]`);
    await staleCard.waitFor();
    await api(TECH, `/stock/transfers/${stale.id}/cancel`, { method: 'POST', body: { reason: 'Pièce trouvée sur place' }, version: stale.version });
    await staleCard.getByTestId('transfer-approve').click();
    await staleCard.getByTestId('transfer-confirm').click();
    await staleCard.getByTestId('transfer-state').filter({ hasText: fr.transferStates.cancelled }).waitFor();
    expect((await staleCard.getByRole('alert').first().innerText()).trim()).not.toBe('');
    expect(await staleCard.getByTestId('transfer-approve').count()).toBe(0);
    expect(await staleCard.innerText()).toContain('Pièce trouvée sur place');
    expect((await api(ADMIN, `/stock/transfers/${stale.id}`)).state).toBe('cancelled');
    await manager.context.close();

    // A transfer asked for the work order and shipped is received from the work order in one tap; the part is then on the site's shelf.
    let forOrder = await api(TECH, '/stock/transfers', { method: 'POST', body: { sourceStoreId: ch1Store.id, destinationStoreId, partId: remotePart.id, quantity: 1, workOrderId: order.id } });
    forOrder = await api(MANAGER_CH1, `/stock/transfers/${forOrder.id}/approve`, { method: 'POST', body: {}, version: forOrder.version });
    await api(MANAGER_CH1, `/stock/transfers/${forOrder.id}/ship`, { method: 'POST', body: {}, version: forOrder.version });
    const { onHand: onSite, reserved: heldBefore } = (await stockOf(destinationStoreId, remotePart.id))!;
    const tech = await signIn(TECH, `/work-orders/${order.id}`);
    const section = tech.page.getByTestId('wo-section-parts');
    await tech.page.getByTestId('work-order-page').waitFor();
    if ((await section.locator('details').getAttribute('open')) === null) await tech.page.getByTestId('wo-section-parts-toggle').click();
    const line = section.getByTestId('part-transfer').filter({ has: tech.page.getByTestId('part-transfer-receive') });
    expect(await line.getByTestId('part-transfer-state').innerText()).toBe(fr.transferStates.shipped);
    await line.getByTestId('part-transfer-receive').click();
    await section.getByTestId('part-transfer-receive').waitFor({ state: 'detached' });
    expect(await section.innerText()).toContain(`1 × ${remotePart.reference} réceptionné(s)`);
    expect(await section.getByTestId('part-transfer-state').allInnerTexts()).toEqual([fr.transferStates.received, fr.transferStates.received]);
    // The part came for this work order: it is held for it (a reservation), and used in one tap.
    expect((await api(ADMIN, `/stock/transfers/${forOrder.id}`)).state).toBe('received');
    // (The earlier transfer for this work order, received on the transfers page, is held for it as well.)
    const held = heldBefore + 1;
    expect(await stockOf(destinationStoreId, remotePart.id)).toMatchObject({ onHand: onSite + 1, reserved: held });
    const reservation = section.getByTestId('part-reservation').filter({ hasText: remotePart.reference });
    await reservation.filter({ hasText: `${held} ×` }).waitFor();
    await reservation.getByTestId('part-reservation-issue').click();
    await reservation.waitFor({ state: 'detached' });
    expect(await stockOf(destinationStoreId, remotePart.id)).toMatchObject({ onHand: onSite + 1 - held, reserved: 0 });
    await tech.context.close();
  });
});
