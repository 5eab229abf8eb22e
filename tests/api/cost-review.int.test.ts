import { sql, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCostLedger, type DB } from '@gmao/db';
import { monthOf, parisDay } from '@gmao/domain';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { ExcelJS, parseCsv } from '../support/documents.js';

/**
 * The review of the cost allocation (issue 15, ADR 0023): edge and hostile inputs that must
 * never give a 5xx, and the defects found, each with the test that showed it.
 */
let ctx: TestContext;
let db: Kysely<DB>;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let CHU: string;
let CH1: string;

const M0 = monthOf(parisDay(new Date()));
const prev = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12-01` : `${y}-${String(mo - 1).padStart(2, '0')}-01`;
};
const M1 = prev(M0);
const M2 = prev(M1);
const M3 = prev(M2);

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: s.auth });

let woSeq = 0;
async function workOrder(siteId: string): Promise<string> {
  woSeq++;
  const device = await db.selectFrom('equipment').select('id').where('siteId', '=', siteId).orderBy('inventoryNumber').executeTakeFirstOrThrow();
  return (await db.insertInto('workOrders').values({
    territoryId: ids.territoryId, siteId, equipmentId: device.id, number: `REVIEW-${woSeq}`, type: 'corrective', priority: 'normal', symptom: 'Panne',
    requestedBy: engineer.userId, state: 'in_progress',
  }).returning('id').executeTakeFirstOrThrow()).id;
}
async function sourceSum(sourceId: string): Promise<number> {
  const r = await sql<{ total: number }>`select coalesce(sum(amount_cents), 0)::float8 as total from cost_ledger_entries where source_id = ${sourceId}`.execute(db);
  return r.rows[0]!.total;
}
async function closeMonth(month: string) {
  await sql`insert into cost_periods (territory_id, month, closed_at) values (${ids.territoryId}, ${month}::date, now())
    on conflict (territory_id, month) do update set closed_at = now()`.execute(db);
}
const run = () => postCostLedger(db, { territoryId: ids.territoryId });

beforeAll(async () => {
  ctx = await createTestContext();
  db = ctx.database.db;
  ids = await demoIds(db);
  [admin, engineer] = await Promise.all([login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr')]);
  [CHU, CH1] = [ids.site('CHU'), ids.site('CH1')];
  await run();
});
afterAll(async () => ctx?.close());

describe('a labour line whose day moves to another month', () => {
  it('moved to a later month, then the earlier month closes: it is not posted twice', async () => {
    const wo = await workOrder(CH1);
    const tech = ids.user('tech.chu@ght-demo.fr');
    const id = (await db.insertInto('workOrderLabour').values({
      workOrderId: wo, technicianId: tech, minutes: 60, travelMinutes: 0, startedAt: `${M2.slice(0, 7)}-20T10:00:00+01:00`, recordedBy: tech,
    }).returning('id').executeTakeFirstOrThrow()).id;
    await run();
    const worth = await sourceSum(id);
    expect(worth).toBeGreaterThan(0);
    // Corrected to a day of the next month (both open), same minutes.
    await db.updateTable('workOrderLabour').set({ startedAt: `${M1.slice(0, 7)}-05T10:00:00+01:00` }).where('id', '=', id).execute();
    await run();
    await closeMonth(M2);
    await run();
    expect(await sourceSum(id)).toBe(worth);
    expect((await run()).lines).toBe(0);
  });

  it('moved to an earlier month, then that month closes: it is not reversed', async () => {
    const wo = await workOrder(CH1);
    const tech = ids.user('tech.chu@ght-demo.fr');
    const id = (await db.insertInto('workOrderLabour').values({
      workOrderId: wo, technicianId: tech, minutes: 90, travelMinutes: 0, startedAt: `${M0.slice(0, 7)}-01T10:00:00+01:00`, recordedBy: tech,
    }).returning('id').executeTakeFirstOrThrow()).id;
    await run();
    const worth = await sourceSum(id);
    expect(worth).toBeGreaterThan(0);
    await db.updateTable('workOrderLabour').set({ startedAt: `${M1.slice(0, 7)}-20T10:00:00+01:00` }).where('id', '=', id).execute();
    await run();
    await closeMonth(M1);
    await run();
    expect(await sourceSum(id)).toBe(worth);
    // Every line of the source sits in the month of its current day (or a counter-entry after it).
    const months = (await sql<{ occurredOn: string; amount: number }>`select occurred_on::text as "occurredOn", sum(amount_cents)::float8 as amount
      from cost_ledger_entries where source_id = ${id} group by 1 having sum(amount_cents) <> 0`.execute(db)).rows;
    expect(months.map((m) => m.occurredOn.slice(0, 7))).toEqual([M1.slice(0, 7)]);
  });
});

describe('the convention never reprices a closed month', () => {
  it('refuses a version applying from an open month before a closed one', async () => {
    // M3 has no period (or an open one); M2 is closed above.
    await closeMonth(M2);
    const res = await post(admin, '/api/v1/cost-conventions', {
      appliesFrom: `${M3.slice(0, 7)}-10`, technicianHourlyRateCents: 9900, engineerHourlyRateCents: 9900, contractSplit: 'devices',
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('cost_convention_applies_too_early');
  });
});

describe('edge input never gives a 5xx', () => {
  it('statements, exports and the report of far months', { timeout: 120_000 }, async () => {
    for (const url of [
      '/api/v1/cost-statements/1900-01', '/api/v1/cost-statements/2199-12', '/api/v1/cost-statements/1900-01.csv', '/api/v1/cost-statements/1900-01.xlsx',
      '/api/v1/cost-statements/2026-13', '/api/v1/cost-statements/1899-01', '/api/v1/cost-statements/1900-01/lines?limit=5',
      `/api/v1/cost-statements/balance?siteId=${CHU}&from=1900-01&to=1900-12`, '/api/v1/kpis/steering-report.pdf?month=1900-01',
      '/api/v1/kpis/steering-report.pdf?month=2026-00',
    ]) {
      const res = await get(engineer, url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    }
  });

  it('conventions and contracts with extreme values', async () => {
    const bodies = [
      { appliesFrom: '2199-12-31', technicianHourlyRateCents: 1_000_000, engineerHourlyRateCents: 1_000_000, overheadPercent: 99.999, contractSplit: 'devices' },
      { appliesFrom: '2199-12-30', technicianHourlyRateCents: 1e20, engineerHourlyRateCents: 1, contractSplit: 'devices' },
      { appliesFrom: '2199-12-29', technicianHourlyRateCents: 1, engineerHourlyRateCents: 1, contractSplit: 'fixed_shares',
        fixedShares: [{ siteId: CHU, percent: 33.333 }, { siteId: CH1, percent: 33.333 }, { siteId: ids.site('CH2'), percent: 33.334 }] },
      { appliesFrom: '2199-12-28', technicianHourlyRateCents: 1, engineerHourlyRateCents: 1, contractSplit: 'fixed_shares',
        fixedShares: [{ siteId: CHU, percent: 1e-9 }, { siteId: CH1, percent: 100 }] },
    ];
    for (const b of bodies) {
      const res = await post(admin, '/api/v1/cost-conventions', b);
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
    const contracts = [
      { reference: 'R-1', vendor: '=HYPERLINK("http://x")', payerSiteId: CHU, startsOn: '1900-01-01', endsOn: '1909-12-31', totalCostCents: 100_000_000_000 },
      { reference: 'R-2', vendor: 'V', payerSiteId: CHU, startsOn: '2026-02-30', endsOn: '2026-03-01', totalCostCents: 1 },
      { reference: 'R-3', vendor: 'V', payerSiteId: CHU, startsOn: '2026-03-01', endsOn: '2026-02-01', totalCostCents: 1 },
      { reference: 'R-4', vendor: 'V', payerSiteId: '00000000-0000-4000-8000-000000000000', startsOn: '2026-01-01', endsOn: '2026-02-01', totalCostCents: 1 },
    ];
    for (const c of contracts) {
      const res = await post(engineer, '/api/v1/maintenance-contracts', c);
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
    expect((await run()).territories).toBe(1);
  });
});

describe('exports of odd text', () => {
  it('CSV neutralises formulas in a part, a site and a description; XLSX and PDF still answer', { timeout: 120_000 }, async () => {
    const month = M3.slice(0, 7);
    const part = (await db.insertInto('parts').values({
      territoryId: ids.territoryId, reference: '=HYPERLINK("http://evil.example","clic")', description: '+cmd|\' /C calc\'!A0',
    }).returning('id').executeTakeFirstOrThrow()).id;
    await sql`insert into cost_periods (territory_id, month) values (${ids.territoryId}, ${M3}::date) on conflict do nothing`.execute(db);
    await sql`update sites set name = ${'-2+3 "Site"; ÉHPAD\n🚑'} where id = ${ids.site('EHPAD')}`.execute(db);
    await sql`insert into cost_ledger_entries (territory_id, month, occurred_on, creditor_site_id, debtor_site_id, kind, amount_cents, quantity,
        unit_cost_cents, source_type, source_id, part_id, correction, description)
      values (${ids.territoryId}, ${M3}::date, ${M3}::date, ${ids.site('EHPAD')}, ${CHU}, 'part_transfer', 1234, 1, 1234, 'stock_transfer',
        gen_random_uuid(), ${part}, false, ${'@SUM(1+1)\r\n"guillemets"; point-virgule\t🚑 \u0007'})`.execute(db);
    const csv = await get(engineer, `/api/v1/cost-statements/${month}.csv`);
    expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
    const cells = parseCsv(csv.body.replace(/^\uFEFF/, '')).flat();
    expect(cells.filter((c) => /^[=+\-@]/.test(c) && !/^-?\d+(,\d+)?$/.test(c))).toEqual([]);
    expect(cells.some((c) => c.startsWith("'=HYPERLINK"))).toBe(true);
    expect(cells.some((c) => c.startsWith("'-2+3"))).toBe(true);
    expect(cells.some((c) => c.startsWith("'@SUM"))).toBe(true);
    const xlsx = await get(engineer, `/api/v1/cost-statements/${month}.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    let formulas = 0;
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => { if (c.type === ExcelJS.ValueType.Formula) formulas++; })));
    expect(formulas).toBe(0);
    const pdf = await get(engineer, `/api/v1/cost-statements/${month}.pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
    const report = await get(engineer, `/api/v1/kpis/steering-report.pdf?month=${month}`);
    expect(report.statusCode, report.body.slice(0, 300)).toBe(200);
  });
});

/** Runs a hook once the posting has read its change marks (to interleave a concurrent commit). */
class AfterDirtyRead implements KyselyPlugin {
  private readonly pending = new Set<unknown>();
  constructor(private hook: (() => Promise<void>) | null, private readonly table = /cost_?ledger_?dirty/i) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const text = args.node.kind === 'RawNode' ? args.node.sqlFragments.join('?') : args.node.kind === 'SelectQueryNode' ? JSON.stringify(args.node) : '';
    if (this.table.test(text)) this.pending.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.pending.delete(args.queryId) && this.hook) {
      const hook = this.hook;
      this.hook = null;
      await hook();
    }
    return args.result;
  }
}

describe('change marks committed during a run', () => {
  it('a closed month’s labour edited while the job runs is posted by the next run, not forgotten', async () => {
    const M4 = prev(M3);
    const wo = await workOrder(CH1);
    const tech = ids.user('tech.chu@ght-demo.fr');
    const id = (await db.insertInto('workOrderLabour').values({
      workOrderId: wo, technicianId: tech, minutes: 60, travelMinutes: 0, startedAt: `${M4.slice(0, 7)}-12T10:00:00+01:00`, recordedBy: tech,
    }).returning('id').executeTakeFirstOrThrow()).id;
    await run();
    expect(await sourceSum(id)).toBeGreaterThan(0);
    await closeMonth(M4);
    await run();

    // An edit of the labour, not yet committed when the job reads its marks...
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let updated!: () => void;
    const isUpdated = new Promise<void>((r) => { updated = r; });
    const edit = db.transaction().execute(async (x) => {
      await x.updateTable('workOrderLabour').set({ minutes: 150 }).where('id', '=', id).execute();
      updated();
      await gate;
    });
    await isUpdated;
    // ...while a later mark is committed.
    await sql`insert into cost_ledger_dirty (territory_id, source_type, source_id) values (${ids.territoryId}, 'work_order_labour', gen_random_uuid())`.execute(db);
    // The edit commits just after the job has read the marks.
    await postCostLedger(db.withPlugin(new AfterDirtyRead(async () => { release(); await edit; })), { territoryId: ids.territoryId });
    await run();
    const after = await sourceSum(id);
    // Touching the labour forces a re-check: nothing may be left to post.
    await db.updateTable('workOrderLabour').set({ minutes: 150 }).where('id', '=', id).execute();
    const check = await run();
    expect(check.lines).toBe(0);
    expect(await sourceSum(id)).toBe(after);
  });
});

describe('an approval closing a month while the job posts into it', () => {
  it('the job never commits a line into a month closed before its commit', { timeout: 60_000 }, async () => {
    const next = (m: string) => {
      const [y, mo] = m.split('-').map(Number) as [number, number];
      return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
    };
    const MF = next(M0);
    const wo = await workOrder(CH1);
    const tech = ids.user('tech.chu@ght-demo.fr');
    await db.insertInto('workOrderLabour').values({
      workOrderId: wo, technicianId: tech, minutes: 45, travelMinutes: 0, startedAt: `${MF.slice(0, 7)}-03T10:00:00+01:00`, recordedBy: tech,
    }).execute();
    // Just after the job has read (and locked) the periods, the month's period appears (a first
    // approval); once the job has made sure of its months' periods, the last approval locks it
    // and closes it, committing a moment later, while the job inserts its lines.
    let closing: Promise<void> | null = null;
    const created = async () => {
      await sql`insert into cost_periods (territory_id, month) values (${ids.territoryId}, ${MF}::date)`.execute(db);
    };
    const hook = async () => {
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => { locked = r; });
      closing = db.transaction().execute(async (a) => {
        await sql`select 1 from cost_periods where territory_id = ${ids.territoryId} and month = ${MF}::date for update`.execute(a);
        await sql`update cost_periods set closed_at = now() where territory_id = ${ids.territoryId} and month = ${MF}::date`.execute(a);
        locked();
        await new Promise((r) => setTimeout(r, 1500));
      });
      await isLocked;
    };
    const job = postCostLedger(
      db.withPlugin(new AfterDirtyRead(created, /from cost_periods/)).withPlugin(new AfterDirtyRead(hook, /insert into cost_periods/)),
      { territoryId: ids.territoryId },
    ).then(() => 'posted', () => 'refused');
    await job;
    await closing;
    const inClosed = await sql<{ n: number }>`select count(*)::int as n from cost_ledger_entries where territory_id = ${ids.territoryId} and month = ${MF}::date`.execute(db);
    expect(inClosed.rows[0]!.n).toBe(0);
  });
});
