/**
 * Obligations of maintenance and quality control, risk classes and UDI issuing entities
 * through the API (docs/regulatory.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeObligations, obligationMismatches, type RiskClass } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let tech: Session;
let engineer: Session;
let care: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const send = (s: Session, method: 'POST' | 'PATCH', url: string, payload: object, version?: number) =>
  ctx.app.inject({ method, url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
let seq = 0;
const inv = () => `REG-${Date.now().toString(36)}-${seq++}`;

async function categories(): Promise<Json[]> {
  return (await get(care, '/api/v1/equipment-categories')).json().items as Json[];
}
async function modelsOf(code: string): Promise<Json[]> {
  const cat = (await categories()).find((c) => c.code === code)!;
  return (await get(tech, `/api/v1/equipment-models?categoryId=${cat.id}`)).json().items as Json[];
}
async function reviewAll(session: Session, query = ''): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/equipment/obligation-review?limit=200${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await get(session, url);
    expect(res.statusCode).toBe(200);
    out.push(...(res.json().items as Json[]));
    cursor = res.json().nextCursor;
  } while (cursor);
  return out;
}

describe('categories and demo data', () => {
  it('flags the radiology categories as emitting ionising radiation, not ultrasound, MRI or dialysis', async () => {
    const cats = await categories();
    const ionising = cats.filter((c) => c.ionisingRadiation).map((c) => c.code).sort();
    expect(ionising).toEqual(['IMAG-ARC', 'IMAG-MAMMO', 'IMAG-MOB', 'IMAG-RX', 'IMAG-TDM']);
    for (const code of ['IMAG-ECHO', 'IMAG-IRM', 'DIAL-GEN']) expect(cats.find((c) => c.code === code)!.ionisingRadiation).toBe(false);
  });

  it('gives the demo analysers IVD classes and its defibrillators consistent MDR classes', async () => {
    for (const code of ['LABO-BIOC', 'LABO-HEMA', 'LABO-GAZ']) {
      for (const m of await modelsOf(code)) expect(m.riskClass).toBe('A');
    }
    expect(new Set((await modelsOf('CARD-DEF')).map((m) => m.riskClass))).toEqual(new Set(['IIb']));
    expect(new Set((await modelsOf('CARD-DAE')).map((m) => m.riskClass))).toEqual(new Set(['III']));
  });

  it('seeds the demo fleet with the computed obligations: nothing to review, no quality control on ultrasound, MRI or dialysis', async () => {
    expect(await reviewAll(engineer)).toEqual([]);
    const cats = await categories();
    const expected: Record<string, { maintenance: boolean; qualityControl: boolean; grounds: string[] }> = {
      'IMAG-ECHO': { maintenance: false, qualityControl: false, grounds: [] }, // class IIa, no ionising radiation
      'IMAG-IRM': { maintenance: false, qualityControl: false, grounds: [] },
      'DIAL-GEN': { maintenance: true, qualityControl: false, grounds: ['risk_class'] }, // class IIb
      'IMAG-MOB': { maintenance: true, qualityControl: true, grounds: ['ionising_radiation', 'risk_class'] },
    };
    for (const [code, want] of Object.entries(expected)) {
      const cat = cats.find((c) => c.code === code)!;
      const listed = (await get(care, `/api/v1/equipment?categoryId=${cat.id}&limit=1`)).json().items[0];
      const device = (await get(care, `/api/v1/equipment/${listed.id}`)).json();
      expect(device.computedObligations, code).toEqual({ ...want, mismatches: [] });
      expect({ m: device.maintenanceObligation, q: device.qualityControlObligation }, code).toEqual({ m: want.maintenance, q: want.qualityControl });
    }
  });
});

describe('the obligation review list', () => {
  it('lists a device whose manual flags disagree, without overriding them, until they are corrected', async () => {
    const [echo] = await modelsOf('IMAG-ECHO');
    const created = await send(tech, 'POST', '/api/v1/equipment', {
      inventoryNumber: inv(), siteId: ids.site('CHU'), modelId: echo!.id, maintenanceObligation: true, qualityControlObligation: true,
    });
    expect(created.statusCode).toBe(201);
    const device = created.json();
    // The manual flags are kept as given; the computed ones say otherwise.
    expect(device).toMatchObject({ maintenanceObligation: true, qualityControlObligation: true });
    expect(device.computedObligations).toEqual({ maintenance: false, qualityControl: false, grounds: [], mismatches: ['maintenance', 'qualityControl'] });

    const listed = await reviewAll(engineer);
    expect(listed.map((d) => d.id)).toEqual([device.id]);
    expect(listed[0]).toMatchObject({
      inventoryNumber: device.inventoryNumber, maintenanceObligation: true, qualityControlObligation: true,
      computedObligations: { mismatches: ['maintenance', 'qualityControl'] },
    });
    expect((await reviewAll(engineer, '&obligation=qualityControl')).map((d) => d.id)).toEqual([device.id]);
    expect(await reviewAll(engineer, `&siteId=${ids.site('CH1')}`)).toEqual([]);

    // Correcting one flag leaves the other to review; correcting both empties the list.
    const half = await send(tech, 'PATCH', `/api/v1/equipment/${device.id}`, { qualityControlObligation: false }, device.version);
    expect(half.statusCode).toBe(200);
    expect(half.json().computedObligations.mismatches).toEqual(['maintenance']);
    expect(await reviewAll(engineer, '&obligation=qualityControl')).toEqual([]);
    expect((await reviewAll(engineer, '&obligation=maintenance')).map((d) => d.id)).toEqual([device.id]);
    const done = await send(tech, 'PATCH', `/api/v1/equipment/${device.id}`, { maintenanceObligation: false }, half.json().version);
    expect(done.statusCode).toBe(200);
    expect(await reviewAll(engineer)).toEqual([]);
  });

  it('agrees with the domain rule on every device of a page, and flags a device whose class brings an obligation it lacks', async () => {
    const [pump] = await modelsOf('PERF-PSE'); // class IIb
    const created = (await send(tech, 'POST', '/api/v1/equipment', {
      inventoryNumber: inv(), siteId: ids.site('CHU'), modelId: pump!.id, maintenanceObligation: false,
    })).json();
    expect(created.computedObligations).toMatchObject({ maintenance: true, mismatches: ['maintenance'] });
    const listed = await reviewAll(engineer);
    expect(listed.map((d) => d.id)).toEqual([created.id]);
    for (const d of listed) {
      const c = computeObligations({ hasModel: d.model !== null, riskClass: d.model?.riskClass as RiskClass | null, ionisingRadiation: false });
      expect(obligationMismatches(d as never, c)).toEqual(d.computedObligations.mismatches);
    }
  });

  it('takes the computed obligations as the flags of a new device that does not give them', async () => {
    const [mobile] = await modelsOf('IMAG-MOB');
    const device = (await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), modelId: mobile!.id })).json();
    expect(device).toMatchObject({ maintenanceObligation: true, qualityControlObligation: true, computedObligations: { mismatches: [] } });
  });

  it('refuses bad filters with French messages', async () => {
    const bad = await get(engineer, '/api/v1/equipment/obligation-review?obligation=calibration');
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).code).toBe('validation_failed');
    const unknownSite = await get(engineer, '/api/v1/equipment/obligation-review?siteId=00000000-0000-4000-8000-000000000000');
    expect(unknownSite.statusCode).toBe(400);
    expect(problemOf(unknownSite).errors).toEqual([{ path: 'querystring.siteId', message: 'site inconnu' }]);
  });
});

describe('risk classes through the API', () => {
  it('creates a model of IVD class C and filters the inventory by IVD class', async () => {
    const lab = (await categories()).find((c) => c.code === 'LABO-BIOC')!;
    const res = await send(tech, 'POST', '/api/v1/equipment-models', { manufacturer: 'Abbott', modelName: `Alinity i ${inv()}`, categoryId: lab.id, riskClass: 'C' });
    expect(res.statusCode).toBe(201);
    expect(res.json().riskClass).toBe('C');
    const device = (await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), modelId: res.json().id })).json();
    expect(device.model.riskClass).toBe('C');
    // An IVD class brings no maintenance obligation by itself.
    expect(device.computedObligations).toEqual({ maintenance: false, qualityControl: false, grounds: [], mismatches: [] });
    const listed = (await get(care, '/api/v1/equipment?riskClass=C')).json().items as Json[];
    expect(listed.map((d) => d.id)).toEqual([device.id]);
    expect((await get(care, '/api/v1/equipment?riskClass=A&limit=1')).json().items[0].model.riskClass).toBe('A');
  });

  it('refuses an unknown class', async () => {
    const lab = (await categories()).find((c) => c.code === 'LABO-BIOC')!;
    const res = await send(tech, 'POST', '/api/v1/equipment-models', { manufacturer: 'Abbott', modelName: `X ${inv()}`, categoryId: lab.id, riskClass: 'E' });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors!.map((e) => e.path)).toEqual(['body.riskClass']);
  });
});

describe('UDI-DIs of the four issuing entities', () => {
  it('accepts a HIBCC UDI-DI with its entity recorded, stored as its data content', async () => {
    const res = await send(tech, 'POST', '/api/v1/equipment', {
      inventoryNumber: inv(), siteId: ids.site('CHU'), udiDi: '+A999123457', udiIssuingEntity: 'HIBCC', udiPi: '$$52001510X3',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ udiDi: 'A99912345', udiIssuingEntity: 'HIBCC', udiPi: '$$52001510X3' });
  });

  it('takes a UDI-DI without entity as a GS1 GTIN, as before', async () => {
    const res = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), udiDi: '09506000134352' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ udiDi: '09506000134352', udiIssuingEntity: 'GS1' });
    const cleared = await send(tech, 'PATCH', `/api/v1/equipment/${res.json().id}`, { udiDi: null }, res.json().version);
    expect(cleared.json()).toMatchObject({ udiDi: null, udiIssuingEntity: null });
  });

  it('refuses a UDI-DI that does not follow its entity’s format, an entity alone, and a UDI-PI with a DI', async () => {
    const bad = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), udiDi: '110375286415', udiIssuingEntity: 'IFA' });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors).toEqual([{ path: 'body.udiDi', message: expect.stringContaining('modulo 97') }]);
    const alone = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), udiIssuingEntity: 'ICCBBA' });
    expect(alone.statusCode).toBe(400);
    expect(problemOf(alone).errors!.map((e) => e.path)).toEqual(['body.udiDi']);
    const pi = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), udiPi: '(01)09506000134352(21)X' });
    expect(pi.statusCode).toBe(400);
    expect(problemOf(pi).errors!.map((e) => e.path)).toEqual(['body.udiPi']);
    const ok = await send(tech, 'POST', '/api/v1/equipment', { inventoryNumber: inv(), siteId: ids.site('CHU'), udiDi: '=/A9997AB3456T0123', udiIssuingEntity: 'ICCBBA' });
    expect(ok.json()).toMatchObject({ udiDi: 'A9997AB3456T0123', udiIssuingEntity: 'ICCBBA' });
  });
});
