import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let tech: Session;
let techCh1: Session;
let engineer: Session;
let care: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
  techCh1 = await login(ctx.app, 'tech.ch1@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const send = (s: Session, method: 'POST' | 'PATCH', url: string, payload: object, version?: number) =>
  ctx.app.inject({ method, url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });

async function firstRoom(siteCode: string): Promise<Json> {
  const items = (await get(tech, `/api/v1/sites/${ids.site(siteCode)}/locations`)).json().items as Json[];
  return items.find((l) => l.kind === 'room')!;
}
async function aModel(code = 'PERF-PSE'): Promise<Json> {
  const cats = (await get(tech, '/api/v1/equipment-categories')).json().items as Json[];
  const cat = cats.find((c) => c.code === code)!;
  return (await get(tech, `/api/v1/equipment-models?categoryId=${cat.id}`)).json().items[0];
}
let seq = 0;
const inv = () => `TEST-${Date.now().toString(36)}-${seq++}`;

describe('catalog', () => {
  it('lists the category nomenclature with risk profiles', async () => {
    const cats = (await get(care, '/api/v1/equipment-categories')).json().items as Json[];
    expect(cats.length).toBeGreaterThanOrEqual(60);
    const vent = cats.find((c) => c.code === 'VENT-REA')!;
    expect(vent).toMatchObject({ label: 'Ventilateur de réanimation', defaultFunctionScore: 10, defaultCriticality: 'critical' });
    expect(cats.find((c) => c.id === vent.parentId)?.code).toBe('VENT');
  });

  it('creates models for technicians, not for care staff; duplicates are 409', async () => {
    const cats = (await get(tech, '/api/v1/equipment-categories')).json().items as Json[];
    const body = { manufacturer: 'Mindray', modelName: `BeneFusion ${inv()}`, categoryId: cats.find((c) => c.code === 'PERF-POMPE')!.id, riskClass: 'IIb', udiDi: '06971234567894' };
    expect((await send(care, 'POST', '/api/v1/equipment-models', body)).statusCode).toBe(403);
    const created = await send(tech, 'POST', '/api/v1/equipment-models', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ manufacturer: 'Mindray', categoryLabel: 'Pompe à perfusion volumétrique' });
    expect((await send(techCh1, 'POST', '/api/v1/equipment-models', body)).statusCode).toBe(409);
    const found = (await get(care, `/api/v1/equipment-models?q=${encodeURIComponent('mindray benefusion')}`)).json().items;
    expect(found.map((m: Json) => m.id)).toContain(created.json().id);
  });
});

describe('inventory search and filters', () => {
  it('pages through a site with a stable keyset sort, without duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await get(care, `/api/v1/equipment?siteId=${ids.site('EHPAD')}&limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((e: Json) => e.inventoryNumber));
      cursor = res.json().nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
    expect(seen.every((n) => n.startsWith('EHPAD-'))).toBe(true);
  });

  it('finds devices by free text, accent-insensitive, over category, model, serial and location', async () => {
    const defib = (await get(care, '/api/v1/equipment?q=defibrillateur&limit=200')).json().items as Json[];
    expect(defib.length).toBeGreaterThan(5);
    expect(defib.every((e) => /Défibrillateur/.test(e.category.label))).toBe(true);
    const one = defib[0]!;
    const bySerial = (await get(care, `/api/v1/equipment?q=${one.serialNumber.toLowerCase()}`)).json().items as Json[];
    expect(bySerial.map((e) => e.id)).toContain(one.id);
    const multi = (await get(care, `/api/v1/equipment?q=${encodeURIComponent('perfusor réanimation')}&limit=200`)).json().items as Json[];
    expect(multi.length).toBeGreaterThan(0);
    expect(multi.every((e) => e.model.modelName === 'Perfusor Space' && /Réanimation/.test(e.locationPath))).toBe(true);
  });

  it('filters by site, category family, status, criticality, location subtree and warranty', async () => {
    const cats = (await get(care, '/api/v1/equipment-categories')).json().items as Json[];
    const card = cats.find((c) => c.code === 'CARD')!;
    const res = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&categoryId=${card.id}&status=in_service&limit=200`)).json();
    expect(res.items.length).toBeGreaterThan(5);
    expect(res.items.every((e: Json) => e.site.shortCode === 'CHU' && e.category.code.startsWith('CARD-') && e.status === 'in_service')).toBe(true);

    const critical = (await get(care, `/api/v1/equipment?siteId=${ids.site('CH2')}&criticality=critical,high&limit=200`)).json().items as Json[];
    expect(critical.every((e) => ['critical', 'high'].includes(e.criticality))).toBe(true);

    const tree = (await get(care, `/api/v1/sites/${ids.site('CH3')}/locations`)).json().items as Json[];
    const building = tree.find((l) => l.kind === 'building')!;
    const inBuilding = (await get(care, `/api/v1/equipment?locationId=${building.id}&limit=200`)).json().items as Json[];
    expect(inBuilding.length).toBeGreaterThan(0);
    expect(inBuilding.every((e) => e.locationPath.startsWith(`${building.code} ›`))).toBe(true);

    const soon = (await get(care, '/api/v1/equipment?warrantyEndsBefore=2016-01-01&limit=200')).json().items as Json[];
    expect(soon.length).toBeGreaterThan(0);
    // The list answers summaries: the warranty end is on the device (GET /equipment/{id}).
    for (const e of soon) expect((await get(care, `/api/v1/equipment/${e.id}`)).json().warrantyEnd < '2016-01-01', e.inventoryNumber).toBe(true);

    expect((await get(care, '/api/v1/equipment?status=broken')).statusCode).toBe(400);
    expect((await get(care, '/api/v1/equipment?warrantyEndsBefore=31/12/2020')).statusCode).toBe(400);
  });

  it('shows the EM score and the planned-maintenance verdict in the list, with its parts on the device', async () => {
    const cats = (await get(care, '/api/v1/equipment-categories')).json().items as Json[];
    const vent = cats.find((c) => c.code === 'VENT-REA')!;
    const listed = (await get(care, `/api/v1/equipment?categoryId=${vent.id}&limit=1`)).json().items[0];
    expect(listed.emScore).toEqual({ total: 20, inPlannedMaintenance: true });
    const device = (await get(care, `/api/v1/equipment/${listed.id}`)).json();
    expect(device.emScore).toEqual({
      total: 20, inPlannedMaintenance: true,
      parts: [
        { name: 'function', value: 10, source: 'category' }, { name: 'physicalRisk', value: 5, source: 'category' },
        { name: 'maintenance', value: 5, source: 'category' }, { name: 'incidentHistory', value: 0, source: 'default' },
      ],
    });
  });
});

describe('writing the inventory', () => {
  it('creates a device in stock with little, and refuses one in service without the legal fields', async () => {
    const stock = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU') });
    expect(stock.statusCode).toBe(201);
    expect(stock.json()).toMatchObject({ status: 'in_stock', criticality: 'medium', emScore: null });
    expect(stock.json().missingLegalFields.sort()).toEqual(['commissioningDate', 'locationId', 'modelId', 'serialNumber', 'supplier']);

    const model = await aModel();
    const res = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), status: 'in_service', modelId: model.id });
    expect(res.statusCode).toBe(422);
    const p = problemOf(res);
    expect(p.code).toBe('legal_fields_missing');
    expect(p.errors!.map((e) => e.path).sort()).toEqual(['body.commissioningDate', 'body.locationId', 'body.serialNumber', 'body.supplier']);
    expect(p.detail).toContain('R.5212-28');

    const room = await firstRoom('CHU');
    const ok = await send(tech, 'POST', '/api/v1/equipment', {
      inventoryNumber: inv(), siteId: ids.site('CHU'), status: 'in_service', modelId: model.id, serialNumber: 'SN-1',
      supplier: 'B. Braun Medical', locationId: room.id, commissioningDate: '2025-03-01', acquisitionCostCents: 280000,
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'in_service', criticality: 'critical', missingLegalFields: [], acquisitionCostCents: 280000, commissioningDate: '2025-03-01' });
    // Syringe driver: function 9 + physical risk 5 (an overdose can kill) + maintenance 4 + history 0.
    expect(ok.json().emScore.total).toBe(18);
  });

  it('enforces site rights, unique inventory numbers and locations of the same site', async () => {
    const number = inv();
    expect((await send(techCh1, 'POST', '/api/v1/equipment', { inventoryNumber: number, siteId: ids.site('CHU') })).statusCode).toBe(403);
    expect((await send(care, 'POST', '/api/v1/equipment', { inventoryNumber: number, siteId: ids.site('CHU') })).statusCode).toBe(403);
    expect((await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: number, siteId: ids.site('CHU') })).statusCode).toBe(201);
    const dup = await send(engineer, 'POST', '/api/v1/equipment', { inventoryNumber: number, siteId: ids.site('CH2') });
    expect(dup.statusCode).toBe(409);
    expect(problemOf(dup).errors?.[0]?.path).toBe('body.inventoryNumber');
    const elsewhere = await firstRoom('CH1');
    const bad = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), locationId: elsewhere.id });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.[0]?.path).toBe('body.locationId');
  });

  it('updates with optimistic locking and records what changed', async () => {
    const device = (await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU') })).json();
    const url = `/api/v1/equipment/${device.id}`;
    expect((await send(tech, 'PATCH', url, { notes: 'x' })).statusCode).toBe(428);
    const ok = await send(tech, 'PATCH', url, { supplier: 'Dräger France', notes: 'Révisé' }, device.version);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ supplier: 'Dräger France', version: device.version + 1 });
    const stale = await send(tech, 'PATCH', url, { supplier: 'Autre' }, device.version);
    expect(stale.statusCode).toBe(412);
    expect(problemOf(stale).code).toBe('version_mismatch');
    expect((await send(techCh1, 'PATCH', url, { notes: 'y' }, device.version + 1)).statusCode).toBe(403);
    const history = (await get(care, `${url}/history`)).json().items as Json[];
    expect(history.map((h) => h.kind)).toEqual(['updated', 'created']);
    expect(history[0]).toMatchObject({ actor: { fullName: 'Thomas Technicien' } });
    expect(history[0]!.details.changed.supplier).toEqual({ from: null, to: 'Dräger France' });
  });

  it('follows the status transitions, with reasons recorded', async () => {
    const model = await aModel();
    const room = await firstRoom('CHU');
    let d = (await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), modelId: model.id })).json();
    const url = `/api/v1/equipment/${d.id}`;
    const missing = await send(tech, 'POST', `${url}/status`, { to: 'in_service', reason: 'Mise en service' }, d.version);
    expect(missing.statusCode).toBe(422);
    d = (await send(tech, 'PATCH', url, { serialNumber: 'SN-9', supplier: 'B. Braun Medical', commissioningDate: '2026-01-05' }, d.version)).json();
    d = (await send(tech, 'POST', `${url}/move`, { siteId: ids.site('CHU'), locationId: room.id }, d.version)).json();
    const up = await send(tech, 'POST', `${url}/status`, { to: 'in_service', reason: 'Mise en service après contrôle' }, d.version);
    expect(up.statusCode).toBe(200);
    d = up.json();
    const bad = await send(tech, 'POST', `${url}/status`, { to: 'on_loan', reason: 'x' }, d.version);
    expect(bad.statusCode).toBe(400);
    const illegal = await send(tech, 'POST', `${url}/status`, { to: 'decommissioned', reason: 'Plus utilisé' }, d.version);
    expect(illegal.statusCode).toBe(409);
    expect(problemOf(illegal).code).toBe('invalid_transition');
    const down = await send(tech, 'POST', `${url}/status`, { to: 'out_of_service', reason: 'Alarme occlusion' }, d.version);
    expect(down.statusCode).toBe(200);
    const back = await send(tech, 'POST', `${url}/status`, { to: 'on_loan', reason: 'Prêt' }, down.json().version);
    expect(back.statusCode).toBe(409);
    expect(problemOf(back).detail).toMatch(/under_maintenance.*in_service.*in_stock/);
    const history = (await get(care, `${url}/history`)).json().items as Json[];
    expect(history[0]).toMatchObject({ kind: 'status_changed', fromStatus: 'in_service', toStatus: 'out_of_service', reason: 'Alarme occlusion' });
    expect(history.map((h) => h.kind)).toEqual(['status_changed', 'status_changed', 'moved', 'updated', 'created']);
  });

  it('moves devices between sites only with a role at both', async () => {
    const d = (await send(engineer, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU') })).json();
    const url = `/api/v1/equipment/${d.id}`;
    const target = await firstRoom('CH1');
    expect((await send(tech, 'POST', `${url}/move`, { siteId: ids.site('CH1'), locationId: target.id }, d.version)).statusCode).toBe(403);
    const moved = await send(engineer, 'POST', `${url}/move`, { siteId: ids.site('CH1'), locationId: target.id, reason: 'Renfort' }, d.version);
    expect(moved.statusCode).toBe(200);
    expect(moved.json().site.shortCode).toBe('CH1');
    const h = (await get(care, `${url}/history`)).json().items[0];
    expect(h).toMatchObject({ kind: 'moved', fromSite: { id: ids.site('CHU') }, toSite: { id: ids.site('CH1') }, toLocationId: target.id, reason: 'Renfort' });
    expect((await ctx.database.db.selectFrom('auditLog').select('action').where('entityId', '=', d.id).execute()).map((a) => a.action))
      .toEqual(['equipment.create', 'equipment.move']);
  });
});

describe('scan lookup', () => {
  it('finds a device from its inventory number (any case) or its QR label', async () => {
    const d = (await get(care, `/api/v1/equipment?siteId=${ids.site('CH2')}&limit=1`)).json().items[0];
    const byNumber = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent(d.inventoryNumber.toLowerCase())}`);
    expect(byNumber.statusCode).toBe(200);
    expect(byNumber.json()).toMatchObject({ kind: 'inventory', items: [{ id: d.id }] });
    const label = `https://gmao.ght-demo.fr/e/${encodeURIComponent(d.inventoryNumber)}`;
    const byLabel = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent(label)}`);
    expect(byLabel.json()).toMatchObject({ kind: 'label', items: [{ id: d.id }] });
  });

  it('finds a device from a GS1 code of its UDI, and says what is wrong with a bad one', async () => {
    const d = (await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), udiDi: '09506000134352', serialNumber: 'ABC123' })).json();
    const bracketed = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent('(01)09506000134352(21)ABC123')}`);
    expect(bracketed.statusCode).toBe(200);
    expect(bracketed.json().kind).toBe('gs1');
    expect(bracketed.json().items.map((e: Json) => e.id)).toEqual([d.id]);
    const link = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent('https://id.gs1.org/01/09506000134352/21/ABC123')}`);
    expect(link.json().items.map((e: Json) => e.id)).toEqual([d.id]);
    const badCheck = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent('(01)09506000134353(21)ABC123')}`);
    expect(badCheck.statusCode).toBe(400);
    expect(problemOf(badCheck).code).toBe('invalid_code');
    const none = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent('(01)09506000134352(21)NOPE')}`);
    expect(none.statusCode).toBe(404);
    expect(problemOf(none).code).toBe('no_match');
  });

  it('reads every AI of the GS1 dictionary (variable measures, prices, URLs) and applies its rules', async () => {
    const d = (await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), udiDi: '09520123456788', serialNumber: 'SN-9' })).json();
    const codes = [
      '(01)09520123456788(3103)000195(3922)0299(21)SN-9',
      'https://id.gs1.org/01/09520123456788/21/SN-9?3103=000195&3922=0299&17=261200',
      `]d2010952012345678811240100${String.fromCharCode(29)}8200https://www.exemple.fr/dm${String.fromCharCode(29)}21SN-9`,
    ];
    for (const code of codes) {
      const found = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent(code)}`);
      expect(found.statusCode, code).toBe(200);
      expect(found.json().items.map((e: Json) => e.id)).toEqual([d.id]);
    }
    const refused: [string, RegExp][] = [
      ['https://id.gs1.org/01/09520123456788/21/SN-9/10/L1', /qualificatifs de AI 01 \(GTIN\) dans le mauvais ordre/],
      ['(21)SN-9', /l'AI 01, 03 ou 8006 doit figurer dans le même code/],
      ['(01)09520123456788(02)09520123456788(37)1', /ne peuvent pas figurer dans le même code/],
    ];
    for (const [code, why] of refused) {
      const res = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent(code)}`);
      expect(res.statusCode, code).toBe(400);
      expect(problemOf(res)).toMatchObject({ code: 'invalid_code', detail: expect.stringMatching(why) });
    }
  });
});

describe('search text follows location renames', () => {
  it('finds devices by the new label of their care unit', async () => {
    const manager = await login(ctx.app, 'responsable.ch1@ght-demo.fr');
    const tree = (await get(manager, `/api/v1/sites/${ids.site('CH1')}/locations`)).json().items as Json[];
    const unit = tree.find((l) => l.kind === 'care_unit')!;
    const before = (await get(manager, `/api/v1/equipment?locationId=${unit.id}&limit=200`)).json().items as Json[];
    expect(before.length).toBeGreaterThan(0);
    const renamed = await send(manager, 'PATCH', `/api/v1/locations/${unit.id}`, { label: 'Unité Zéphyrine' }, unit.version);
    expect(renamed.statusCode).toBe(200);
    const found = (await get(manager, `/api/v1/equipment?q=zephyrine&limit=200`)).json().items as Json[];
    expect(found.map((e) => e.id).sort()).toEqual(before.map((e) => e.id).sort());
    expect(found[0]!.locationPath).toContain('Unité Zéphyrine');
  });
});
