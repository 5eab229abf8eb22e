import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EquipmentSummary, WorkOrderSummary } from '@gmao/contracts';
import { EQUIPMENT_LIST_READERS, WORK_ORDER_LIST_READERS } from '../../apps/web/src/lib/list-fields.js';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { withDemoWorkOrders } from '../support/fixtures.js';

/**
 * Issue 10: a list page answers the summary its screens show (GET /equipment → EquipmentSummary,
 * GET /work-orders → WorkOrderSummary); the full object comes from GET /{id}. The lists of the
 * SPA still get every field they read (apps/web/src/lib/list-fields.ts, which the components'
 * types are drawn from, so that vue-tsc refuses a component reading anything else).
 */
let ctx: TestContext;
let engineer: Session;
let care: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  await withDemoWorkOrders(ctx.database.db);
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = async (s: Session, url: string): Promise<Json> => {
  const res = await ctx.app.inject({ method: 'GET', url, headers: s.auth });
  expect(res.statusCode, url).toBe(200);
  return res.json();
};

const summaryKeys = {
  equipment: Object.keys(EquipmentSummary.shape).sort(),
  workOrders: Object.keys(WorkOrderSummary.shape).sort(),
};

describe('list summaries', () => {
  it('a device of GET /equipment carries exactly the summary, with the values of GET /equipment/{id}', async () => {
    const { items } = await get(engineer, '/api/v1/equipment?limit=50');
    expect(items.length).toBe(50);
    // The list leaves out what only the device page shows.
    expect(summaryKeys.equipment).not.toContain('notes');
    expect(summaryKeys.equipment).not.toContain('missingLegalFields');
    for (const item of items as Json[]) {
      expect(Object.keys(item).sort(), item.inventoryNumber).toEqual(summaryKeys.equipment);
      const full = await get(engineer, `/api/v1/equipment/${item.id}`);
      expect(full).toHaveProperty('notes');
      // The summary of the full object (zod drops what the summary lacks, nested too: the EM score's parts).
      expect(item, item.inventoryNumber).toEqual(EquipmentSummary.parse(full));
    }
    // The EM score comes without its parts (the device page explains it).
    const scored = (items as Json[]).find((e) => e.emScore);
    expect(Object.keys(scored!.emScore).sort()).toEqual(['inPlannedMaintenance', 'total']);
  });

  it('a work order of GET /work-orders carries exactly the summary, with the values of GET /work-orders/{id}', async () => {
    for (const s of [engineer, care]) {
      const { items } = await get(s, '/api/v1/work-orders?limit=50');
      expect(items.length).toBeGreaterThan(0);
      expect(summaryKeys.workOrders).not.toContain('callbackPhone');
      expect(summaryKeys.workOrders).not.toContain('diagnosis');
      for (const item of items as Json[]) {
        expect(Object.keys(item).sort(), item.number).toEqual(summaryKeys.workOrders);
        const full = await get(s, `/api/v1/work-orders/${item.id}`);
        expect(full).toHaveProperty('callbackPhone');
        expect(item, item.number).toEqual(WorkOrderSummary.parse(full));
      }
      expect((items as Json[]).some((w) => w.assignees.length > 0)).toBe(true);
    }
  });

  it('the lists carry every field the SPA reads of their items', async () => {
    const device = (await get(engineer, '/api/v1/equipment?limit=1')).items[0] as Json;
    for (const [component, fields] of Object.entries(EQUIPMENT_LIST_READERS)) {
      for (const field of fields) {
        expect(summaryKeys.equipment, `${component} reads ${field}`).toContain(field);
        expect(device, `${component} reads ${field}`).toHaveProperty(field);
      }
    }
    const order = (await get(engineer, '/api/v1/work-orders?limit=1')).items[0] as Json;
    for (const [component, fields] of Object.entries(WORK_ORDER_LIST_READERS)) {
      for (const field of fields) {
        expect(summaryKeys.workOrders, `${component} reads ${field}`).toContain(field);
        expect(order, `${component} reads ${field}`).toHaveProperty(field);
      }
    }
    // The version a row's closure sends (If-Match) and what opens the full object.
    for (const field of ['id', 'version']) {
      expect(device).toHaveProperty(field);
      expect(order).toHaveProperty(field);
    }
  });

  it('the OpenAPI document says the lists answer summaries and where the full object is', async () => {
    const doc = await get(engineer, '/api/docs/openapi.json');
    for (const [path, schema, full] of [
      ['/api/v1/equipment', 'EquipmentSummary', '/equipment/{id}'],
      ['/api/v1/work-orders', 'WorkOrderSummary', '/work-orders/{id}'],
    ] as const) {
      const op = doc.paths[path].get;
      expect(op.responses['200'].content['application/json'].schema.properties.items.items.$ref).toBe(`#/components/schemas/${schema}`);
      expect(op.description).toContain(`GET ${full}`);
      expect(doc.components.schemas[schema].description).toContain(`GET ${full}`);
    }
  });
});
