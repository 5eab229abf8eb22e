import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, withDemoWorkOrders } from '../support/fixtures.js';

/**
 * Electrical safety by device class (IEC 62353): the model's electrical class and
 * applied-part type, and the checklist whose items and limits follow them and the method.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let techChu: Session;
let care: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  techChu = await login(ctx.app, 'tech.chu@ght-demo.fr');
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const send = (s: Session, method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object, version?: number) =>
  ctx.app.inject({ method, url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });

async function categoryId(code: string): Promise<string> {
  const cats = (await get(engineer, '/api/v1/equipment-categories')).json().items as Json[];
  return cats.find((c) => c.code === code)!.id;
}

/** A CHU device in service of this category, its model set to this class and applied-part type. */
async function deviceOfClass(category: string, electricalClass: string | null, appliedPartType: string | null): Promise<Json> {
  const device = (await get(engineer, `/api/v1/equipment?siteId=${ids.site('CHU')}&categoryId=${await categoryId(category)}&status=in_service&limit=1`)).json().items[0];
  const model = (await get(engineer, `/api/v1/equipment-models/${device.model.id}`)).json();
  const res = await send(engineer, 'PATCH', `/api/v1/equipment-models/${model.id}`, { electricalClass, appliedPartType }, model.version);
  expect(res.statusCode).toBe(200);
  return device;
}

async function workOrderOn(device: Json): Promise<Json> {
  const res = await send(engineer, 'POST', '/api/v1/work-orders', {
    equipmentId: device.id, type: 'electrical_safety', description: 'Contrôle de sécurité électrique périodique', assigneeIds: [techChu.userId],
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

const byKey = (items: Json[]) => Object.fromEntries(items.map((i) => [i.key, i]));

describe('a model\'s electrical class, applied parts, Basic UDI-DI and EMDN code', () => {
  it('round-trip through the API, trimmed and normalised', async () => {
    const created = await send(techChu, 'POST', '/api/v1/equipment-models', {
      manufacturer: 'Mindray', modelName: 'BeneHeart D6', categoryId: await categoryId('CARD-DEF'),
      electricalClass: 'I', appliedPartType: 'CF', basicUdiDi: '  069453BENEHEARTD6XY  ', emdnCode: 'z12030501',
    });
    expect(created.statusCode).toBe(201);
    const model = created.json();
    expect(model).toMatchObject({ electricalClass: 'I', appliedPartType: 'CF', basicUdiDi: '069453BENEHEARTD6XY', emdnCode: 'Z12030501', version: 1 });
    expect((await get(care, `/api/v1/equipment-models/${model.id}`)).json()).toEqual(model);
    const listed = (await get(care, '/api/v1/equipment-models?q=BeneHeart')).json().items as Json[];
    expect(listed).toEqual([model]);

    const unknown = await send(techChu, 'POST', '/api/v1/equipment-models', { manufacturer: 'Mindray', modelName: 'BeneHeart D3', categoryId: await categoryId('CARD-DEF') });
    expect(unknown.json()).toMatchObject({ electricalClass: null, appliedPartType: null, basicUdiDi: null, emdnCode: null });

    const url = `/api/v1/equipment-models/${model.id}`;
    expect((await send(engineer, 'PATCH', url, { electricalClass: 'internal' })).statusCode).toBe(428);
    expect((await send(engineer, 'PATCH', url, { electricalClass: 'internal' }, 7)).statusCode).toBe(412);
    expect((await send(care, 'PATCH', url, { electricalClass: 'internal' }, 1)).statusCode).toBe(403);
    const patched = await send(engineer, 'PATCH', url, { electricalClass: 'internal', appliedPartType: 'BF', emdnCode: null }, 1);
    expect(patched.json()).toMatchObject({ electricalClass: 'internal', appliedPartType: 'BF', emdnCode: null, basicUdiDi: '069453BENEHEARTD6XY', version: 2 });
    const audit = await ctx.database.db.selectFrom('auditLog').select('action').where('entityId', '=', model.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['equipment_model.create', 'equipment_model.update']);
  });

  it('bad values are 400s naming the field, in French', async () => {
    const base = { manufacturer: 'Acme', modelName: 'Moniteur X', categoryId: await categoryId('MONI-MULTI') };
    const cases: [object, string, RegExp][] = [
      [{ electricalClass: 'III' }, 'body.electricalClass', /classe électrique : I, II ou internal/],
      [{ electricalClass: 'i' }, 'body.electricalClass', /classe électrique/],
      [{ appliedPartType: 'C' }, 'body.appliedPartType', /type de parties appliquées : none, B, BF ou CF/],
      [{ emdnCode: '12030501' }, 'body.emdnCode', /une lettre suivie de chiffres/],
      [{ emdnCode: 'Z123456789012' + '3' }, 'body.emdnCode', /13 caractères au plus/],
      [{ emdnCode: 'ZZ12' }, 'body.emdnCode', /code EMDN/],
      [{ basicUdiDi: 'x'.repeat(121) }, 'body.basicUdiDi', /120 caractères au plus/],
      [{ basicUdiDi: '   ' }, 'body.basicUdiDi', /Basic UDI-DI vide/],
    ];
    for (const [fields, path, message] of cases) {
      const res = await send(techChu, 'POST', '/api/v1/equipment-models', { ...base, ...fields });
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      const error = problemOf(res).errors!.find((e) => e.path === path);
      expect(error?.message, JSON.stringify(fields)).toMatch(message);
    }
    const model = (await send(techChu, 'POST', '/api/v1/equipment-models', base)).json();
    const bad = await send(engineer, 'PATCH', `/api/v1/equipment-models/${model.id}`, { appliedPartType: 'BFF' }, model.version);
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors!.map((e) => e.path)).toEqual(['body.appliedPartType']);
    expect((await send(engineer, 'PATCH', `/api/v1/equipment-models/${model.id}`, {}, model.version)).statusCode).toBe(400);
  });
});

describe('the electrical-safety checklist follows the device\'s class, applied parts and method', () => {
  it('a CF device gets the CF limits: 50 µA applied-part leakage, 100 µA fails', async () => {
    const wo = await workOrderOn(await deviceOfClass('MONI-MULTI', 'I', 'CF'));
    const res = await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353' });
    expect(res.statusCode).toBe(200);
    const items = byKey(res.json().items);
    expect(Object.keys(items)).toEqual([
      'visual_inspection', 'protective_earth_resistance', 'insulation_resistance', 'insulation_resistance_applied_parts',
      'equipment_leakage_current', 'applied_part_leakage_current', 'functional_test',
    ]);
    expect(items.applied_part_leakage_current).toMatchObject({ max: 50, unit: 'µA', method: 'direct', limitBasis: 'standard', measurableFrom: null });
    expect(items.applied_part_leakage_current.label).toContain('type CF');
    expect(items.protective_earth_resistance).toMatchObject({ max: 0.3, unit: 'Ω', method: null, limitBasis: 'standard' });
    expect(items.insulation_resistance).toMatchObject({ min: 2, unit: 'MΩ', limitBasis: 'practice' });
    expect(items.insulation_resistance_applied_parts).toMatchObject({ min: 70, limitBasis: 'practice' });
    expect(items.equipment_leakage_current).toMatchObject({ max: 500, method: 'direct' });
    const answered = await send(techChu, 'PUT', `/api/v1/work-orders/${wo.id}/checklist/${items.applied_part_leakage_current.id}`, { value: 100 });
    expect(answered.json()).toMatchObject({ value: 100, outcome: 'fail', max: 50 });
  });

  it('a class II device has no protective-earth item; the alternative method has its own limits', async () => {
    const wo = await workOrderOn(await deviceOfClass('PERF-PSE', 'II', 'BF'));
    const items = byKey((await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353', method: 'alternative' })).json().items);
    expect(items.protective_earth_resistance).toBeUndefined();
    expect(items.equipment_leakage_current).toMatchObject({ max: 500, method: 'alternative' });
    expect(items.applied_part_leakage_current).toMatchObject({ max: 5000, method: 'alternative' });
    expect(items.insulation_resistance).toMatchObject({ min: 7 });
  });

  it('an internally powered CF device: only the applied-part leakage is measured', async () => {
    const wo = await workOrderOn(await deviceOfClass('PERF-POMPE', 'internal', 'CF'));
    const items = (await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353' })).json().items as Json[];
    expect(items.filter((i) => i.kind === 'measurement').map((i) => [i.key, i.max])).toEqual([['applied_part_leakage_current', 50]]);
  });

  it('the differential method cannot judge a reading under 75 µA', async () => {
    const wo = await workOrderOn(await deviceOfClass('VENT-REA', 'I', 'BF'));
    const items = byKey((await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353', method: 'differential' })).json().items);
    expect(items.equipment_leakage_current).toMatchObject({ max: 500, method: 'differential', measurableFrom: 75 });
    expect(items.equipment_leakage_current.label).toContain('non valable sous 75 µA');
    // The applied-part leakage is measured by the direct method.
    expect(items.applied_part_leakage_current).toMatchObject({ method: 'direct', measurableFrom: null });
    const url = `/api/v1/work-orders/${wo.id}/checklist/${items.equipment_leakage_current.id}`;
    const low = await send(techChu, 'PUT', url, { value: 40 });
    expect(low.statusCode).toBe(422);
    expect(problemOf(low)).toMatchObject({ code: 'measurement_below_method_range' });
    expect(problemOf(low).detail).toMatch(/méthode différentielle ne peut pas la juger/);
    expect((await get(techChu, `/api/v1/work-orders/${wo.id}/checklist`)).json().items.find((i: Json) => i.key === 'equipment_leakage_current').value).toBeNull();
    expect((await send(techChu, 'PUT', url, { value: 120 })).json()).toMatchObject({ value: 120, outcome: 'pass' });
    expect((await send(techChu, 'PUT', url, { value: 620 })).json()).toMatchObject({ outcome: 'fail' });
  });

  it('an unknown class is a 422 asking to set the model\'s class first, on adding and on creating', async () => {
    const device = await deviceOfClass('CARD-ECG', null, null);
    const wo = await workOrderOn(device);
    const refused = await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353' });
    expect(refused.statusCode).toBe(422);
    expect(problemOf(refused)).toMatchObject({ code: 'electrical_class_unknown' });
    expect(problemOf(refused).detail).toMatch(/renseignez-les sur le modèle avant l'essai de sécurité électrique/);
    expect((await get(techChu, `/api/v1/work-orders/${wo.id}/checklist`)).json().items).toEqual([]);
    const before = (await ctx.database.db.selectFrom('workOrders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const create = await send(engineer, 'POST', '/api/v1/work-orders', {
      equipmentId: device.id, type: 'electrical_safety', description: 'Contrôle de sécurité électrique', checklistTemplate: 'iec-62353',
    });
    expect(create.statusCode).toBe(422);
    expect(problemOf(create).errors!.map((e) => e.path)).toEqual(['body.checklistTemplate']);
    expect((await ctx.database.db.selectFrom('workOrders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(before);
    // A method the standard does not know is refused.
    expect((await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353', method: 'indirect' })).statusCode).toBe(400);
  });

  it('a territory\'s tightened limit is kept, its loosened one is not; a CF device never gets 5 mA', async () => {
    const tpl = (await get(engineer, '/api/v1/checklist-templates/iec-62353')).json();
    const items = tpl.items.map((i: Json) => (i.key === 'protective_earth_resistance' ? { ...i, max: 0.2 } : i.key === 'applied_part_leakage_current' ? { ...i, max: 6000 } : i));
    expect((await send(engineer, 'PUT', '/api/v1/checklist-templates/iec-62353', { name: tpl.name, items }, tpl.version)).statusCode).toBe(200);
    const wo = await workOrderOn(await deviceOfClass('DIAL-GEN', 'I', 'CF'));
    const list = byKey((await send(techChu, 'POST', `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353' })).json().items);
    expect(list.protective_earth_resistance.max).toBe(0.2);
    expect(list.applied_part_leakage_current.max).toBe(50);
  });
});

describe('the demo territory\'s electrical-safety tests', () => {
  it('follow each device\'s class, with readings varied per site and inside their limits', async () => {
    await withDemoWorkOrders(ctx.database.db);
    const rows = await ctx.database.db
      .selectFrom('workOrderChecklistItems as c')
      .innerJoin('workOrders as w', 'w.id', 'c.workOrderId')
      .innerJoin('equipment as e', 'e.id', 'w.equipmentId')
      .innerJoin('equipmentModels as m', 'm.id', 'e.modelId')
      .select(['w.id', 'c.key', 'c.numericValue', 'c.minValue', 'c.maxValue', 'c.outcome', 'c.measurementMethod', 'm.electricalClass', 'm.appliedPartType'])
      .where('w.type', '=', 'electrical_safety')
      .where('w.state', '=', 'closed')
      .where('c.kind', '=', 'measurement')
      .execute();
    const workOrders = new Set(rows.map((r) => r.id));
    expect(workOrders.size).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      expect(r.electricalClass, r.key).not.toBeNull();
      expect(r.outcome).toBe('pass');
      if (r.key === 'protective_earth_resistance') expect(r.electricalClass).toBe('I');
      if (r.key === 'applied_part_leakage_current') expect(r.maxValue).toBe(r.appliedPartType === 'CF' ? 50 : 5000);
      if (r.measurementMethod === 'differential') expect(r.numericValue).toBeGreaterThanOrEqual(75);
    }
    const leakage = rows.filter((r) => r.key === 'equipment_leakage_current');
    expect(new Set(leakage.map((r) => r.numericValue)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(leakage.map((r) => r.measurementMethod)).size).toBeGreaterThanOrEqual(2);
  });
});
