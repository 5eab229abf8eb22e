import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCostLedger, seedDemoCosts, type DB } from '@gmao/db';
import { contractMonthlyCosts, monthOf, nextMonth, parisDay } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, withDemoWorkOrders } from '../support/fixtures.js';
import { createTestStores } from '../support/stock.js';

/**
 * Cost allocation, the write side (issue 15, ADR 0023): the convention and contracts APIs with
 * their rights, then the posting by differences: cross-site labour and travel at the
 * convention's rates, received transfers at their unit cost, a shared contract split by devices,
 * a correction after an edit, a counter-entry in the next open month after a closed one,
 * reversals, and a second run that posts nothing.
 */
let ctx: TestContext;
let db: Kysely<DB>;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let techChu: Session;
let techCh1: Session;
let managerCh1: Session;
let managerCh2: Session;
let care: Session;
let CHU: string;
let CH1: string;
let CH2: string;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const M0 = monthOf(parisDay(new Date()));
/** The previous month. */
const M1 = (() => {
  const [y, m] = M0.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
})();

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }), headers: { ...s.auth, ...headers } });
const put = (s: Session, url: string, payload: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'PUT', url, payload, headers: { ...s.auth, ...headers } });

interface Line {
  id: number; month: string; occurredOn: string; creditorSiteId: string; debtorSiteId: string; kind: string; amountCents: number; sourceType: string;
  sourceId: string; sourceMonth: string | null; correction: boolean; description: string; quantity: string | null; unitCostCents: number | null;
  conventionVersionId: string | null;
}
async function lines(sourceId?: string): Promise<Line[]> {
  return (await sql<Line>`select id, month::text, occurred_on::text, creditor_site_id, debtor_site_id, kind, amount_cents, source_type, source_id,
      source_month::text, correction, description, quantity::text, unit_cost_cents, convention_version_id
    from cost_ledger_entries where ${sourceId ? sql`source_id = ${sourceId}` : sql`true`} order by id`.execute(db)).rows;
}
const sum = (ls: Line[]) => ls.reduce((s, l) => s + l.amountCents, 0);
const post_ = () => postCostLedger(db, { territoryId: ids.territoryId });

let woSeq = 0;
/** A work order of a site on one of its devices. */
async function workOrder(siteId: string): Promise<string> {
  woSeq++;
  const device = await db.selectFrom('equipment').select('id').where('siteId', '=', siteId).orderBy('inventoryNumber').executeTakeFirstOrThrow();
  const wo = await db.insertInto('workOrders').values({
    territoryId: ids.territoryId, siteId, equipmentId: device.id, number: `COST-${woSeq}`, type: 'corrective', priority: 'normal', symptom: 'Panne',
    requestedBy: engineer.userId, state: 'in_progress',
  }).returning('id').executeTakeFirstOrThrow();
  return wo.id;
}
async function labour(workOrderId: string, userId: string, minutes: number, travelMinutes: number, startedAt: string): Promise<string> {
  return (await db.insertInto('workOrderLabour').values({ workOrderId, technicianId: userId, minutes, travelMinutes, startedAt, recordedBy: userId })
    .returning('id').executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  ctx = await createTestContext();
  db = ctx.database.db;
  ids = await demoIds(db);
  [admin, engineer, techChu, techCh1, managerCh1, managerCh2, care] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr'),
    login(ctx.app, 'responsable.ch1@ght-demo.fr'), login(ctx.app, 'bruno.lefevre@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  [CHU, CH1, CH2] = [ids.site('CHU'), ids.site('CH1'), ids.site('CH2')];
});
afterAll(async () => ctx?.close());

const CONVENTION = {
  appliesFrom: M1, technicianHourlyRateCents: 4500, engineerHourlyRateCents: 6000, travelMode: 'per_minute', travelCentsPerMinute: 50, overheadPercent: 8,
  contractSplit: 'devices', note: 'Convention du GHT',
};

describe('the cost convention', () => {
  it('is written by the territory admin only, with the fixed-shares rules, and audited', async () => {
    expect((await post(care, '/api/v1/cost-conventions', CONVENTION)).statusCode).toBe(403);
    expect((await post(techChu, '/api/v1/cost-conventions', CONVENTION)).statusCode).toBe(403);
    expect((await post(managerCh1, '/api/v1/cost-conventions', CONVENTION)).statusCode).toBe(403);

    const required = await post(admin, '/api/v1/cost-conventions', { ...CONVENTION, contractSplit: 'fixed_shares' });
    expect(required.statusCode).toBe(422);
    expect(problemOf(required).code).toBe('cost_convention_fixed_shares_required');
    const not100 = await post(admin, '/api/v1/cost-conventions', { ...CONVENTION, contractSplit: 'fixed_shares', fixedShares: [{ siteId: CHU, percent: 60 }, { siteId: CH1, percent: 30 }] });
    expect(problemOf(not100)).toMatchObject({ status: 422, code: 'cost_convention_fixed_shares_not_100' });
    const unexpected = await post(admin, '/api/v1/cost-conventions', { ...CONVENTION, fixedShares: [{ siteId: CHU, percent: 100 }] });
    expect(problemOf(unexpected)).toMatchObject({ status: 422, code: 'cost_convention_fixed_shares_unexpected' });
    expect((await post(admin, '/api/v1/cost-conventions', { ...CONVENTION, technicianHourlyRateCents: -1 })).statusCode).toBe(400);

    // Nothing yet: every reader sees an empty list.
    expect((await get(techChu, '/api/v1/cost-conventions')).json()).toEqual({ items: [], currentId: null });

    const created = await post(admin, '/api/v1/cost-conventions', CONVENTION);
    expect(created.statusCode).toBe(201);
    const v1 = created.json();
    expect(v1).toMatchObject({ appliesFrom: M1, appliesTo: null, technicianHourlyRateCents: 4500, overheadPercent: 8, fixedShares: null, createdBy: { id: admin.userId } });
    const taken = await post(admin, '/api/v1/cost-conventions', { ...CONVENTION, technicianHourlyRateCents: 5000 });
    expect(problemOf(taken)).toMatchObject({ status: 409, code: 'cost_convention_day_taken' });

    const listed = await get(managerCh1, '/api/v1/cost-conventions');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ currentId: v1.id, items: [{ id: v1.id }] });
    expect((await get(care, '/api/v1/cost-conventions')).statusCode).toBe(403);
    const audit = await db.selectFrom('auditLog').select(['action', 'actorId']).where('entityId', '=', v1.id).orderBy('id').execute();
    expect(audit).toEqual([{ action: 'cost_convention.create', actorId: admin.userId }]);
  });
});

let contractId: string;
let contractVersion: number;
let contractDevices: Record<string, string[]>;

describe('maintenance contracts', () => {
  it('are written by the payer site’s engineer or manager, with devices of the territory, audited', async () => {
    contractDevices = {};
    for (const [code, n] of [['CH1', 2], ['CH2', 1], ['CHU', 1]] as const) {
      contractDevices[code] = (await db.selectFrom('equipment').select('id').where('siteId', '=', ids.site(code)).orderBy('inventoryNumber').limit(n).execute()).map((d) => d.id);
    }
    const body = {
      reference: 'MC-2026-001', vendor: 'Biomed Services', payerSiteId: CH1, startsOn: M1, endsOn: '2099-12-31', totalCostCents: 1_200_000,
      equipmentIds: [...contractDevices.CH1!, ...contractDevices.CH2!, ...contractDevices.CHU!],
    };
    // Ten years at most.
    expect((await post(managerCh1, '/api/v1/maintenance-contracts', body)).statusCode).toBe(400);
    const endsOn = (() => {
      const [y, m] = M1.split('-').map(Number) as [number, number];
      return `${y + 1}-${String(m).padStart(2, '0')}-01`;
    })();
    const valid = { ...body, endsOn };
    // A site manager of another site, a technician: no.
    expect((await post(managerCh2, '/api/v1/maintenance-contracts', valid)).statusCode).toBe(403);
    expect((await post(techCh1, '/api/v1/maintenance-contracts', valid)).statusCode).toBe(403);
    const unknown = await post(managerCh1, '/api/v1/maintenance-contracts', { ...valid, equipmentIds: [...valid.equipmentIds, '00000000-0000-4000-8000-000000000001'] });
    expect(problemOf(unknown)).toMatchObject({ status: 422, code: 'contract_equipment_unknown' });
    expect(problemOf(unknown).errors?.[0]?.path).toBe(`body.equipmentIds.${valid.equipmentIds.length}`);

    const created = await post(managerCh1, '/api/v1/maintenance-contracts', valid);
    expect(created.statusCode).toBe(201);
    const c = created.json();
    contractId = c.id;
    contractVersion = c.version;
    expect(c).toMatchObject({ payerSiteId: CH1, devices: 4, active: true, version: 1 });
    expect(c.equipmentIds).toHaveLength(4);
    expect(Object.fromEntries((c.coveredBySite as Json[]).map((s) => [s.siteId, s.devices]))).toEqual({ [CH1]: 2, [CH2]: 1, [CHU]: 1 });
    expect((await post(managerCh1, '/api/v1/maintenance-contracts', valid)).statusCode).toBe(409);

    // Lists: by site (payer or covering), active or not, keyset.
    expect((await get(techChu, `/api/v1/maintenance-contracts?siteId=${CH2}`)).json().items.map((x: Json) => x.id)).toEqual([contractId]);
    expect((await get(techChu, `/api/v1/maintenance-contracts?siteId=${ids.site('CH3')}`)).json().items).toEqual([]);
    expect((await get(techChu, '/api/v1/maintenance-contracts?active=false')).json().items).toEqual([]);
    expect((await get(care, '/api/v1/maintenance-contracts')).statusCode).toBe(403);
    const read = (await get(engineer, `/api/v1/maintenance-contracts/${contractId}`)).json();
    expect(read.equipmentIds).toHaveLength(4);
    // The covered devices come named in the same answer (the editor makes one read, whatever their number).
    const named = await db.selectFrom('equipment as e').leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
      .leftJoin('equipmentCategories as k', 'k.id', 'm.categoryId')
      .select(['e.id', 'e.inventoryNumber', 'e.siteId', 'm.manufacturer', 'm.modelName', 'k.label'])
      .where('e.id', 'in', read.equipmentIds).orderBy('e.inventoryNumber').execute();
    expect(read.coveredDevices.map((d: Json) => [d.id, d.inventoryNumber, d.siteId, d.model?.manufacturer ?? null, d.model?.modelName ?? null, d.category?.label ?? null]))
      .toEqual(named.map((d) => [d.id, d.inventoryNumber, d.siteId, d.manufacturer, d.modelName, d.label]));
    expect([...read.equipmentIds].sort()).toEqual(read.coveredDevices.map((d: Json) => d.id).sort());
    expect(read.coveredDevices.some((d: Json) => d.model !== null && d.category !== null)).toBe(true);
    // Lists leave them out.
    expect((await get(engineer, '/api/v1/maintenance-contracts')).json().items[0].coveredDevices).toBeUndefined();
    const audit = await db.selectFrom('auditLog').select('action').where('entityId', '=', contractId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['maintenance_contract.create']);
  });
});

let labourId: string;
let oldLabourId: string;
let engineerLabour: string;

describe('the posting', () => {
  it('posts cross-site labour and travel, received transfers and shared contracts; a second run posts nothing', async () => {
    const wo = await workOrder(CH1);
    // Thomas (technician, home CHU) on CH1's work order: 90 min + 35 min travel. The engineer (home CHU): 50 min.
    labourId = await labour(wo, techChu.userId, 90, 35, `${M0}T09:00:00Z`);
    engineerLabour = await labour(wo, engineer.userId, 50, 0, `${M0}T09:30:00Z`);
    // CH1's own technician: no line.
    const own = await labour(wo, techCh1.userId, 40, 10, `${M0}T10:00:00Z`);

    // Parts: CH1 → CHU, 3 received at 12 €.
    const stores = await createTestStores(db, ids.territoryId, { CHU, CH1 }, { code: 'CST', name: 'Magasin coûts' });
    const part = (await post(engineer, '/api/v1/parts', { reference: 'COST-0001', description: 'Batterie' })).json();
    expect((await post(admin, '/api/v1/stock/movements', { type: 'receipt', storeId: stores.CH1, partId: part.id, quantity: 10, unitCostCents: 1200 })).statusCode).toBe(201);
    const t = (await post(techChu, '/api/v1/stock/transfers', { sourceStoreId: stores.CH1, destinationStoreId: stores.CHU, partId: part.id, quantity: 3 })).json();
    expect((await post(managerCh1, `/api/v1/stock/transfers/${t.id}/approve`, {})).statusCode).toBe(200);
    expect((await post(managerCh1, `/api/v1/stock/transfers/${t.id}/ship`, {})).statusCode).toBe(200);
    // Not received yet: nothing.
    await post_();
    expect(await lines(t.id)).toEqual([]);
    expect((await post(techChu, `/api/v1/stock/transfers/${t.id}/receive`, {})).statusCode).toBe(200);

    const run = await post_();
    expect(run.lines).toBeGreaterThan(0);
    const version = (await get(admin, '/api/v1/cost-conventions')).json().items[0].id;

    // 90 min × 45 €/h × 1.08 = 72.90 €; 35 min × 0.50 € × 1.08 = 18.90 €: CH1 owes CHU.
    expect((await lines(labourId)).map((l) => [l.kind, l.creditorSiteId, l.debtorSiteId, l.amountCents, l.month, l.correction, l.conventionVersionId])).toEqual([
      ['labour', CHU, CH1, 7290, M0, false, version],
      ['travel', CHU, CH1, 1890, M0, false, version],
    ]);
    // The engineer at the engineer's rate: 50 min × 60 €/h × 1.08 = 54 €.
    expect((await lines(engineerLabour)).map((l) => [l.kind, l.amountCents])).toEqual([['labour', 5400]]);
    expect(await lines(own)).toEqual([]);
    // CHU owes CH1 the parts at their unit cost.
    expect((await lines(t.id)).map((l) => [l.kind, l.creditorSiteId, l.debtorSiteId, l.amountCents, l.unitCostCents])).toEqual([['part_transfer', CH1, CHU, 3600, 1200]]);

    // The contract: M1 and M0, each split 2:1:1 by devices; CH2 and CHU owe CH1 their share.
    const contractLines = await lines(contractId);
    const months = contractMonthlyCosts({ startsOn: M1, endsOn: (await get(engineer, `/api/v1/maintenance-contracts/${contractId}`)).json().endsOn, totalCostCents: 1_200_000 }, M0);
    expect(months.map((m) => m.month)).toEqual([M1, M0]);
    for (const m of months) {
      const ofMonth = contractLines.filter((l) => l.sourceMonth === m.month);
      expect(ofMonth.map((l) => l.debtorSiteId).sort()).toEqual([CH2, CHU].sort());
      for (const l of ofMonth) {
        expect(l).toMatchObject({ kind: 'shared_contract', creditorSiteId: CH1, month: m.month, occurredOn: m.month, correction: false, quantity: '2500.000' });
        expect([Math.floor(m.costCents / 4), Math.ceil(m.costCents / 4)]).toContain(l.amountCents);
      }
      // The payer keeps the rest: half, to the cent.
      expect(m.costCents - sum(ofMonth)).toBeGreaterThanOrEqual(Math.floor(m.costCents / 2));
    }
    const periods = (await sql<{ month: string }>`select month::text from cost_periods order by month`.execute(db)).rows.map((p) => p.month);
    expect(periods).toEqual([M1, M0]);

    // Run again: nothing.
    const count = (await lines()).length;
    expect((await post_()).lines).toBe(0);
    expect((await lines()).length).toBe(count);
  });

  it('posts the difference after an edit as a correction, and reverses a deleted source', async () => {
    await db.updateTable('workOrderLabour').set({ minutes: 120 }).where('id', '=', labourId).execute();
    expect((await post_()).lines).toBe(1);
    // + 30 min × 45 €/h × 1.08 = 24.30 €
    expect((await lines(labourId)).map((l) => [l.kind, l.amountCents, l.correction, l.month])).toEqual([
      ['labour', 7290, false, M0], ['travel', 1890, false, M0], ['labour', 2430, true, M0],
    ]);
    expect(sum((await lines(labourId)).filter((l) => l.kind === 'labour'))).toBe(9720);
    // Travel removed: its line reversed.
    await db.updateTable('workOrderLabour').set({ travelMinutes: 0 }).where('id', '=', labourId).execute();
    await post_();
    expect(sum((await lines(labourId)).filter((l) => l.kind === 'travel'))).toBe(0);
    // The engineer's line deleted: reversed.
    await db.deleteFrom('workOrderLabour').where('id', '=', engineerLabour).execute();
    await post_();
    expect((await lines(engineerLabour)).map((l) => [l.amountCents, l.correction])).toEqual([[5400, false], [-5400, true]]);
    expect((await post_()).lines).toBe(0);
  });

  it('after a month is closed, corrects its sources by counter-entries in the next open month', async () => {
    const wo = await workOrder(CH1);
    oldLabourId = await labour(wo, techChu.userId, 60, 0, `${M1}T09:00:00Z`);
    await post_();
    expect((await lines(oldLabourId)).map((l) => [l.month, l.amountCents])).toEqual([[M1, 4860]]);

    // M1 is closed (every site approved it).
    await sql`update cost_periods set closed_at = now() where month = ${M1}::date`.execute(db);
    const tooEarly = await post(admin, '/api/v1/cost-conventions', { ...CONVENTION, appliesFrom: `${M1.slice(0, 8)}15` });
    expect(problemOf(tooEarly)).toMatchObject({ status: 409, code: 'cost_convention_applies_too_early' });

    // A new version from M0 reprices M0 only (the closed month keeps its prices).
    expect((await post(admin, '/api/v1/cost-conventions', { ...CONVENTION, appliesFrom: M0, technicianHourlyRateCents: 5000 })).statusCode).toBe(201);
    // The old line edited: 60 → 30 min, worth 24.30 € instead of 48.60 €.
    await db.updateTable('workOrderLabour').set({ minutes: 30 }).where('id', '=', oldLabourId).execute();
    await post_();
    const old = await lines(oldLabourId);
    expect(old.map((l) => [l.month, l.occurredOn, l.amountCents, l.correction])).toEqual([[M1, M1, 4860, false], [M0, M1, -2430, true]]);
    expect(old[1]!.description).toContain(M1.slice(0, 7));
    // The M0 labour at the new rate: 120 min × 50 €/h × 1.08 = 108 €.
    expect(sum((await lines(labourId)).filter((l) => l.kind === 'labour'))).toBe(10_800);
    // Nothing is posted in the closed month.
    expect((await sql<{ n: number }>`select count(*)::int as n from cost_ledger_entries where month = ${M1}::date and created_at > (select closed_at from cost_periods where month = ${M1}::date)`.execute(db)).rows[0]!.n).toBe(0);
    expect((await post_()).lines).toBe(0);
  });

  it('reprices a contract changed after closing: its closed month by counter-entries, then reverses it when deactivated', async () => {
    const before = await lines(contractId);
    const m1Chu = sum(before.filter((l) => l.sourceMonth === M1 && l.debtorSiteId === CHU));
    const body = {
      reference: 'MC-2026-001', vendor: 'Biomed Services', payerSiteId: CH1, startsOn: M1,
      endsOn: (await get(engineer, `/api/v1/maintenance-contracts/${contractId}`)).json().endsOn, totalCostCents: 1_200_000,
      equipmentIds: [...contractDevices.CH1!, ...contractDevices.CH2!],
    };
    expect((await put(managerCh2, `/api/v1/maintenance-contracts/${contractId}`, body, { 'if-match': String(contractVersion) })).statusCode).toBe(403);
    expect((await put(managerCh1, `/api/v1/maintenance-contracts/${contractId}`, body)).statusCode).toBe(428);
    expect((await put(managerCh1, `/api/v1/maintenance-contracts/${contractId}`, body, { 'if-match': '9' })).statusCode).toBe(412);
    const replaced = await put(managerCh1, `/api/v1/maintenance-contracts/${contractId}`, body, { 'if-match': String(contractVersion) });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ version: contractVersion + 1, devices: 3 });

    await post_();
    const after = (await lines(contractId)).slice(before.length);
    // CHU no longer covered: its M1 share reversed in M0 (counter-entry), its M0 share reversed in M0.
    const chuM1 = after.filter((l) => l.sourceMonth === M1 && l.debtorSiteId === CHU);
    expect(chuM1.map((l) => [l.month, l.amountCents, l.correction])).toEqual([[M0, -m1Chu, true]]);
    for (const m of [M1, M0]) expect(sum((await lines(contractId)).filter((l) => l.sourceMonth === m && l.debtorSiteId === CHU))).toBe(0);
    // CH2 now owes a third of each month.
    const months = contractMonthlyCosts({ startsOn: M1, endsOn: body.endsOn, totalCostCents: 1_200_000 }, M0);
    for (const m of months) {
      expect([Math.floor(m.costCents / 3), Math.ceil(m.costCents / 3)]).toContain(sum((await lines(contractId)).filter((l) => l.sourceMonth === m.month && l.debtorSiteId === CH2)));
    }
    expect((await post_()).lines).toBe(0);

    // Deactivated: every share reversed (M1's in M0), nothing owed any more.
    expect((await post(managerCh2, `/api/v1/maintenance-contracts/${contractId}/deactivate`)).statusCode).toBe(403);
    const off = await post(managerCh1, `/api/v1/maintenance-contracts/${contractId}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect(problemOf(await post(managerCh1, `/api/v1/maintenance-contracts/${contractId}/deactivate`)).code).toBe('contract_inactive');
    await post_();
    const all = await lines(contractId);
    expect(sum(all)).toBe(0);
    expect(all.filter((l) => l.month === M1).every((l) => !l.correction)).toBe(true);
    expect((await post_()).lines).toBe(0);
    const audit = await db.selectFrom('auditLog').select('action').where('entityId', '=', contractId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['maintenance_contract.create', 'maintenance_contract.update', 'maintenance_contract.deactivate']);
    expect(nextMonth(M1)).toBe(M0);
  });

  it('reprices the open months when a person moves, never the closed ones', async () => {
    const closedBefore = await lines(oldLabourId);
    await db.updateTable('users').set({ homeSiteId: CH2 }).where('id', '=', techChu.userId).execute();
    await post_();
    const now = await lines(labourId);
    // CHU's M0 labour reversed, the same now owed to CH2.
    expect(sum(now.filter((l) => l.creditorSiteId === CHU))).toBe(0);
    expect(sum(now.filter((l) => l.creditorSiteId === CH2 && l.kind === 'labour'))).toBe(10_800);
    expect(await lines(oldLabourId)).toEqual(closedBefore);
    expect((await post_()).lines).toBe(0);
  });

  it('gives a ledger of every kind from the demo’s work orders, contracts and transfers', async () => {
    await withDemoWorkOrders(db);
    const seeded = await db.transaction().execute((trx) => seedDemoCosts(trx, ids.territoryId));
    expect(seeded).toMatchObject({ conventions: 1, contracts: 3, transfers: 2 });
    expect(seeded.lentLabour).toBeGreaterThan(0);
    const before = (await lines()).length;
    expect((await post_()).lines).toBeGreaterThan(0);
    const added = (await lines()).slice(before);
    expect(new Set(added.map((l) => l.kind))).toEqual(new Set(['labour', 'travel', 'part_transfer', 'shared_contract']));
    expect((await post_()).lines).toBe(0);
  });
});
