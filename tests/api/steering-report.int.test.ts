import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildKpiRollups, type DB } from '@gmao/db';
import { addDays, parisDay } from '@gmao/domain';
import { KPI_KEYS } from '@gmao/contracts';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { pdfContentStreams, readPdf } from '../support/documents.js';
import { demoIds } from '../support/fixtures.js';
import { addMonths, lastDay } from '../../apps/api/src/modules/cost-statements/statement-view.js';
import { formatIndicator } from '../../apps/api/src/modules/kpis/steering-report.js';

/**
 * The steering committee's monthly PDF (issue 15): the six indicators of the month per site
 * and for the territory, as GET /kpis answers them, each with its twelve months as GET
 * /kpis/series answers them; the month's cost allocation; the main events (a device
 * decommissioned, the longest downtime, overdue regulatory work); rights and languages.
 */
let ctx: TestContext;
let db: Kysely<DB>;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let manager: Session;
let technician: Session;
let careStaff: Session;

const TODAY = parisDay(new Date());
const CURRENT = TODAY.slice(0, 7);
const MONTH = addMonths(CURRENT, -1);
const FIRST = addMonths(MONTH, -11);
const norm = (s: string) => s.replace(/\s+/g, '');

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let decommissioned = '';

beforeAll(async () => {
  ctx = await createTestContext();
  db = ctx.deps.db;
  ids = await demoIds(db);
  [engineer, manager, technician, careStaff] = await Promise.all([
    login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'),
    login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  const engineerId = ids.user('ingenieur@ght-demo.fr');
  const start = `${addMonths(FIRST, -1)}-01T00:00:00Z`;
  await sql`update equipment set created_at = ${start}, criticality = 'critical', status = case when status = 'in_stock' then 'in_service' else status end
    where territory_id = ${ids.territoryId}`.execute(db);
  await sql`update equipment_events set at = ${start}, to_status = case when to_status = 'in_stock' then 'in_service' else to_status end
    where territory_id = ${ids.territoryId}`.execute(db);
  const devices = await db.selectFrom('equipment').select(['id', 'siteId', 'inventoryNumber']).where('territoryId', '=', ids.territoryId).orderBy('inventoryNumber').execute();
  const rnd = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const startMs = Date.parse(`${FIRST}-01T00:00:00Z`);
  const endMs = Date.parse(`${lastDay(MONTH)}T12:00:00Z`);
  for (let i = 0; i < 150; i++) {
    const d = pick(devices);
    const requestedAt = new Date(startMs + rnd() * (endMs - startMs));
    const ended = new Date(requestedAt.getTime() + (1 + rnd() * 72) * 3_600_000);
    await db.insertInto('workOrders').values({
      territoryId: ids.territoryId, siteId: d.siteId, equipmentId: d.id, number: `STEER-${i}`, type: 'corrective', priority: 'normal', symptom: 'Panne',
      state: 'closed', deviceOutOfService: true, requestedBy: engineerId, requestedAt, downtimeStartedAt: requestedAt, downtimeEndedAt: ended,
      completedAt: ended, performedBy: rnd() < 0.2 ? 'vendor' : 'internal',
    }).returning('id').executeTakeFirstOrThrow().then(async (wo) => {
      if (rnd() < 0.5) {
        await db.insertInto('workOrderExternal').values({
          workOrderId: wo.id, vendor: 'Fournisseur', costCents: Math.floor(rnd() * 300_000), performedOn: parisDay(requestedAt), recordedBy: engineerId, recordedAt: ended,
        }).execute();
      }
    });
  }
  // The longest downtime of the month: down from its 2nd, still down.
  const long = devices[1]!;
  await db.insertInto('workOrders').values({
    territoryId: ids.territoryId, siteId: long.siteId, equipmentId: long.id, number: 'STEER-LONG', type: 'corrective', priority: 'high', symptom: 'Panne longue',
    state: 'in_progress', deviceOutOfService: true, requestedBy: engineerId, requestedAt: new Date(`${MONTH}-02T08:00:00Z`),
    downtimeStartedAt: new Date(`${MONTH}-02T08:00:00Z`),
  }).execute();
  // Regulatory work due in the month, not done.
  const plan = await db.insertInto('maintenancePlans').values({
    territoryId: ids.territoryId, name: 'Contrôle qualité annuel', equipmentId: devices[2]!.id, workOrderType: 'preventive', trigger: 'calendar', every: 1,
    unit: 'years', anchorDate: `${MONTH}-10`, toleranceDaysBefore: 0, toleranceDaysAfter: 0, regulatory: true, createdBy: engineerId,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('workOrders').values({
    territoryId: ids.territoryId, siteId: devices[2]!.siteId, equipmentId: devices[2]!.id, number: 'STEER-REG', type: 'preventive', priority: 'normal',
    symptom: 'Contrôle', state: 'assigned', requestedBy: engineerId, planId: plan.id, dueDate: `${MONTH}-10`, windowStart: `${MONTH}-10`, windowEnd: `${MONTH}-10`,
  }).execute();
  // A device decommissioned in the month.
  const gone = devices[3]!;
  decommissioned = gone.inventoryNumber;
  const at = new Date(`${MONTH}-12T10:00:00Z`);
  await sql`update equipment set status = 'decommissioned', decommissioned_at = ${`${MONTH}-12`}::date, decommission_reason = 'scrap' where id = ${gone.id}`.execute(db);
  await sql`insert into equipment_events (territory_id, equipment_id, kind, at, from_status, to_status)
    values (${ids.territoryId}, ${gone.id}, 'decommissioned', ${at}, 'in_service', 'decommissioned')`.execute(db);
  // The month's ledger.
  await sql`insert into cost_periods (territory_id, month) values (${ids.territoryId}, ${`${MONTH}-01`}::date)`.execute(db);
  for (const [creditor, debtor, amount] of [['CHU', 'CH1', 123_456], ['CH1', 'CH2', 7_890], ['CH2', 'CHU', 45_000]] as const) {
    await sql`insert into cost_ledger_entries (territory_id, month, occurred_on, creditor_site_id, debtor_site_id, kind, amount_cents, source_type, source_id)
      values (${ids.territoryId}, ${`${MONTH}-01`}::date, ${`${MONTH}-05`}::date, ${ids.site(creditor)}, ${ids.site(debtor)}, 'labour', ${amount},
        'work_order_labour', ${randomUUID()})`.execute(db);
  }
  await rebuildKpiRollups(db, { territoryId: ids.territoryId, from: `${FIRST}-01`, to: addDays(TODAY, -1) });
});

afterAll(async () => {
  await ctx?.close();
});

async function report(s: Session, query: string, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'GET', url: `/api/v1/kpis/steering-report.pdf?${query}`, headers: { ...s.auth, ...headers } });
}

describe('the steering report', () => {
  // PDF.js reads six pages in a few seconds on a loaded machine.
  it('writes the month’s six indicators per site and for the territory, their 12 months, the cost allocation and the events', { timeout: 120_000 }, async () => {
    const res = await report(engineer, `month=${MONTH}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toContain(`rapport-pilotage-${MONTH}.pdf`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await readPdf(new Uint8Array(res.rawPayload));
    const text = norm(pdf.text);
    expect(pdf.text).toContain('Rapport de pilotage');
    expect(pdf.text).toContain('GHT Démo');
    for (const name of ['Disponibilité des équipements critiques', 'MTTR', 'Maintenance préventive réalisée', 'Part sous-traitée']) expect(text).toContain(norm(name));

    // The month: what GET /kpis answers, per site and for the territory.
    const kpis = (await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis?from=${MONTH}-01&to=${lastDay(MONTH)}`, headers: engineer.auth })).json();
    let written = 0;
    for (const scope of [kpis, ...kpis.bySite]) {
      for (const k of KPI_KEYS) {
        if (scope[k].value === null) continue;
        expect(text, `${scope.site?.name ?? 'territoire'} ${k}`).toContain(norm(formatIndicator('fr', k, scope[k].value)));
        written++;
      }
    }
    expect(written).toBeGreaterThan(10);
    expect(kpis.mttr.value).not.toBeNull();
    for (const site of kpis.bySite) expect(pdf.text).toContain(site.site.name);

    // The trend: each month of the territory's availability and MTTR, as the series answers them.
    for (const kpi of ['availability', 'mttr'] as const) {
      const series = (await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis/series?kpi=${kpi}&from=${FIRST}-01&to=${lastDay(MONTH)}`, headers: engineer.auth })).json();
      expect(series.points).toHaveLength(12);
      for (const p of series.points) if (p.value !== null) expect(text).toContain(norm(formatIndicator('fr', kpi, p.value)));
    }
    // The months are named, the first of the twelve included.
    const monthName = (m: string) => new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
    expect(text).toContain(norm(monthName(FIRST)));
    expect(pdf.text).toContain('Mise au rebut');
    expect(kpis.costPerDevice.value).toBeGreaterThan(0);

    // The cost allocation: each site's net, the open period.
    const money = (cents: number) => norm(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100));
    expect(text).toContain(money(123_456 - 45_000));
    expect(text).toContain(money(7_890 - 123_456));
    expect(text).toContain(money(45_000 - 7_890));
    expect(text).toContain(norm('5 site(s) à approuver'));

    // The events.
    expect(text).toContain('STEER-LONG');
    expect(text).toContain('STEER-REG');
    expect(text).toContain(norm(decommissioned));
    expect(text).toContain(norm('1 équipement(s) réformé(s)'));
    // The bars are drawn: a filled closed path (pdf-lib's rectangle) per month with a value above 0 (availability, MTTR, cost and technicians here: 4 × 12).
    const rectangles = pdfContentStreams(new Uint8Array(res.rawPayload)).join('\n').match(/\nh\nf\n/g) ?? [];
    expect(rectangles.length).toBeGreaterThanOrEqual(48);
    expect(pdf.pages).toBeGreaterThan(1);
  });

  it('in English, for a site manager', { timeout: 120_000 }, async () => {
    const res = await report(manager, `month=${MONTH}&lang=en`);
    expect(res.statusCode, res.body).toBe(200);
    const pdf = await readPdf(new Uint8Array(res.rawPayload));
    expect(pdf.text).toContain('Steering report');
    expect(norm(pdf.text)).toContain(norm('Availability of critical equipment'));
    expect(norm(pdf.text)).toContain(norm('Main events of the month'));
    const accept = await report(manager, `month=${MONTH}`, { 'accept-language': 'en' });
    expect(String(accept.headers['content-disposition'])).toContain(`steering-report-${MONTH}.pdf`);
  });

  it('technicians and care staff get 403; a month to come or malformed is a 400', async () => {
    for (const s of [technician, careStaff]) expect((await report(s, `month=${MONTH}`)).statusCode).toBe(403);
    const future = await report(engineer, `month=${addMonths(CURRENT, 2)}`);
    expect(future.statusCode).toBe(400);
    expect(problemOf(future).errors?.[0]?.path).toBe('querystring.month');
    expect((await report(engineer, 'month=2026-13')).statusCode).toBe(400);
    expect((await report(engineer, '')).statusCode).toBe(400);
  });
});
