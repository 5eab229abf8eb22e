import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@gmao/db';
import { parisDay } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { ExcelJS, parseCsv, readPdf } from '../support/documents.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';
import { addMonths } from '../../apps/api/src/modules/cost-statements/statement-view.js';

/**
 * The read side of the inter-site ledger (issue 15, ADR 0023): lines inserted directly (the
 * worker's posting is another module's), then the statement's totals and pairs against the
 * lines, the drill-down's filters and keyset, who sees what, the approvals that close a month
 * (and the database refusing a line in it afterwards), the balance and the exports.
 */
let ctx: TestContext;
let db: Kysely<DB>;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
let engineer: Session;
let managerCh1: Session;
let technician: Session;
let careStaff: Session;
const managers: Record<string, Session> = {};

const CURRENT = parisDay(new Date()).slice(0, 7);
/** The month of the lines (ended). */
const PAST = addMonths(CURRENT, -2);
/** An ended month without lines nor a period yet. */
const EMPTY = addMonths(CURRENT, -3);
/** Another ended month, approved by every site at once. */
const RACE = addMonths(CURRENT, -4);
const KINDS = ['labour', 'travel', 'part_transfer', 'shared_contract'] as const;
const SOURCE: Record<(typeof KINDS)[number], string> = {
  labour: 'work_order_labour', travel: 'work_order_labour', part_transfer: 'stock_transfer', shared_contract: 'maintenance_contract',
};

interface Line { creditor: string; debtor: string; kind: (typeof KINDS)[number]; amount: number }
const lines: Line[] = [];
let siteIds: string[] = [];
let siteNames = new Map<string, string>();

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

async function insertLine(month: string, l: Line, extra: { workOrderId?: string; equipmentId?: string; userId?: string; description?: string; correction?: boolean } = {}) {
  await sql`insert into cost_ledger_entries (territory_id, month, occurred_on, creditor_site_id, debtor_site_id, kind, amount_cents, quantity,
      unit_cost_cents, source_type, source_id, work_order_id, equipment_id, user_id, correction, description)
    values (${ids.territoryId}, ${`${month}-01`}::date, ${`${month}-15`}::date, ${l.creditor}, ${l.debtor}, ${l.kind}, ${l.amount}, 1, ${l.amount},
      ${SOURCE[l.kind]}, ${randomUUID()}, ${extra.workOrderId ?? null}, ${extra.equipmentId ?? null}, ${extra.userId ?? null},
      ${extra.correction ?? false}, ${extra.description ?? ''})`.execute(db);
}

async function get(s: Session, url: string, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { ...s.auth, ...headers } });
}

const approve = (s: Session, month: string, siteId: string) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/cost-statements/${month}/approvals`, headers: s.auth, payload: { siteId, note: 'vu' } });

const gaveOf = (site: string, ls = lines) => ls.filter((l) => l.creditor === site).reduce((a, l) => a + l.amount, 0);
const receivedOf = (site: string, ls = lines) => ls.filter((l) => l.debtor === site).reduce((a, l) => a + l.amount, 0);
const involves = (site: string) => (l: Line) => l.creditor === site || l.debtor === site;

async function allLines(s: Session, query: string, limit = 7) {
  const items: { id: number; creditorSiteId: string; debtorSiteId: string; kind: string; amountCents: number }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await get(s, `/cost-statements/${PAST}/lines?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    items.push(...body.items);
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return items;
}

beforeAll(async () => {
  ctx = await createTestContext();
  db = ctx.deps.db;
  ids = await demoIds(db);
  [admin, engineer, managerCh1, technician, careStaff] = await Promise.all([
    login(ctx.app, 'admin@ght-demo.fr'), login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'),
    login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'),
  ]);
  managers.CH1 = managerCh1;
  managers.CHU = await login(ctx.app, 'helene.marchand@ght-demo.fr');
  managers.CH2 = await login(ctx.app, 'bruno.lefevre@ght-demo.fr');
  managers.CH3 = await login(ctx.app, 'nathalie.garnier@ght-demo.fr');
  managers.EHPAD = await login(ctx.app, 'isabelle.fontaine@ght-demo.fr');
  const sites = await db.selectFrom('sites').select(['id', 'name']).where('territoryId', '=', ids.territoryId).orderBy('name').execute();
  siteIds = sites.map((s) => s.id);
  siteNames = new Map(sites.map((s) => [s.id, s.name]));

  // The ledger starts at RACE (its first period): EMPTY, between it and PAST, has no period row.
  await sql`insert into cost_periods (territory_id, month) values (${ids.territoryId}, ${`${RACE}-01`}::date), (${ids.territoryId}, ${`${PAST}-01`}::date), (${ids.territoryId}, ${`${CURRENT}-01`}::date)`.execute(db);
  const rnd = prng(15);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  for (let i = 0; i < 60; i++) {
    const creditor = pick(siteIds);
    const debtor = pick(siteIds.filter((s) => s !== creditor));
    // Some corrections are negative (a reversed line).
    const amount = Math.floor(rnd() * 200_000) * (rnd() < 0.1 ? -1 : 1);
    const l: Line = { creditor, debtor, kind: pick(KINDS), amount };
    lines.push(l);
    await insertLine(PAST, l, { correction: amount < 0 });
  }
  // One labour line naming its work order, device and person.
  const wo = await db.selectFrom('equipment').select(['id']).where('siteId', '=', ids.site('CH1')).limit(1).executeTakeFirstOrThrow();
  const labour: Line = { creditor: ids.site('CHU'), debtor: ids.site('CH1'), kind: 'labour', amount: 12_345 };
  lines.push(labour);
  await insertLine(PAST, labour, { equipmentId: wo.id, userId: ids.user('tech.chu@ght-demo.fr'), description: 'Réparation du moniteur' });
  // A line of the current month, not in PAST's statement.
  await insertLine(CURRENT, { creditor: ids.site('CH1'), debtor: ids.site('CH2'), kind: 'travel', amount: 999 });
});

afterAll(async () => {
  await ctx?.close();
});

describe('the month statement', () => {
  it('totals per site, by kind, and every pair are the sums of the lines', async () => {
    const res = await get(engineer, `/cost-statements/${PAST}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.month).toBe(PAST);
    expect(s.state).toBe('open');
    expect(s.approvable).toBe(true);
    expect(s.detailSiteIds).toBeNull();
    expect(s.totalCents).toBe(lines.reduce((a, l) => a + l.amount, 0));
    expect(s.sites.map((x: { siteId: string }) => x.siteId)).toEqual(siteIds);
    expect(s.awaitingSiteIds).toEqual(siteIds);
    for (const site of s.sites) {
      expect(site.gaveCents).toBe(gaveOf(site.siteId));
      expect(site.receivedCents).toBe(receivedOf(site.siteId));
      expect(site.netCents).toBe(gaveOf(site.siteId) - receivedOf(site.siteId));
      expect(site.lines).toBe(lines.filter(involves(site.siteId)).length);
      const byKind = (k: string, role: 'creditor' | 'debtor') => lines.filter((l) => l.kind === k && l[role] === site.siteId).reduce((a, l) => a + l.amount, 0);
      expect(site.gaveByKind).toEqual({ labour: byKind('labour', 'creditor'), travel: byKind('travel', 'creditor'), partTransfer: byKind('part_transfer', 'creditor'), sharedContract: byKind('shared_contract', 'creditor') });
      expect(site.receivedByKind.partTransfer).toBe(byKind('part_transfer', 'debtor'));
    }
    // Nets sum to zero: what one site gave, another received.
    expect(s.sites.reduce((a: number, x: { netCents: number }) => a + x.netCents, 0)).toBe(0);
    const pairsWithLines = new Set(lines.map((l) => [l.creditor, l.debtor].sort().join('/')));
    expect(s.pairs).toHaveLength(pairsWithLines.size);
    for (const p of s.pairs) {
      expect(siteIds.indexOf(p.siteAId)).toBeLessThan(siteIds.indexOf(p.siteBId));
      const ab = lines.filter((l) => l.creditor === p.siteAId && l.debtor === p.siteBId);
      const ba = lines.filter((l) => l.creditor === p.siteBId && l.debtor === p.siteAId);
      expect(p.aGaveCents).toBe(ab.reduce((a, l) => a + l.amount, 0));
      expect(p.bGaveCents).toBe(ba.reduce((a, l) => a + l.amount, 0));
      expect(p.netCents).toBe(p.aGaveCents - p.bGaveCents);
      expect(p.lines).toBe(ab.length + ba.length);
    }
  });

  it('lists the months with lines or a period, newest first', async () => {
    const res = await get(managerCh1, '/cost-statements');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { month: string; state: string; totalCents: number; approvals: number; sites: number }[];
    expect(items.map((i) => i.month)).toEqual([CURRENT, PAST, RACE]);
    expect(items[2]).toMatchObject({ state: 'open', totalCents: 0, approvals: 0 });
    expect(items[1]).toMatchObject({ state: 'open', totalCents: lines.reduce((a, l) => a + l.amount, 0), approvals: 0, sites: siteIds.length });
    expect(items[0]!.totalCents).toBe(999);
  });

  it('a month without lines answers an empty statement; a bad month is a 400', async () => {
    const s = (await get(engineer, `/cost-statements/${EMPTY}`)).json();
    expect(s).toMatchObject({ state: 'open', totalCents: 0, pairs: [], approvable: true });
    expect(s.sites.every((x: { lines: number }) => x.lines === 0)).toBe(true);
    expect((await get(engineer, '/cost-statements/2026-13')).statusCode).toBe(400);
    expect((await get(engineer, '/cost-statements/2026-1')).statusCode).toBe(400);
  });
});

describe('the drill-down', () => {
  it('pages every line once, by id, through the keyset cursor', async () => {
    const items = await allLines(engineer, '');
    expect(items).toHaveLength(lines.length);
    const idsSeen = items.map((i) => i.id);
    expect([...idsSeen].sort((a, b) => a - b)).toEqual(idsSeen);
    expect(new Set(idsSeen).size).toBe(idsSeen.length);
    expect(items.reduce((a, i) => a + i.amountCents, 0)).toBe(lines.reduce((a, l) => a + l.amount, 0));
  });

  it('filters by site, counterpart and kind', async () => {
    const ch2 = ids.site('CH2');
    const chu = ids.site('CHU');
    const bySite = await allLines(engineer, `&siteId=${ch2}`);
    expect(bySite).toHaveLength(lines.filter(involves(ch2)).length);
    const pair = await allLines(engineer, `&siteId=${ch2}&counterpartSiteId=${chu}`);
    expect(pair).toHaveLength(lines.filter((l) => involves(ch2)(l) && involves(chu)(l)).length);
    expect(pair.every((l) => [l.creditorSiteId, l.debtorSiteId].sort().join() === [ch2, chu].sort().join())).toBe(true);
    const travel = await allLines(engineer, '&kind=travel', 100);
    expect(travel).toHaveLength(lines.filter((l) => l.kind === 'travel').length);
    expect(travel.every((l) => l.kind === 'travel')).toBe(true);
    const both = await allLines(engineer, `&siteId=${ch2}&kind=part_transfer`);
    expect(both).toHaveLength(lines.filter((l) => involves(ch2)(l) && l.kind === 'part_transfer').length);
  });

  it('names the work order, device and person of a line', async () => {
    const items = (await get(engineer, `/cost-statements/${PAST}/lines?kind=labour&limit=500`)).json().items;
    const line = items.find((l: { description: string }) => l.description === 'Réparation du moniteur');
    expect(line.user).toMatchObject({ id: ids.user('tech.chu@ght-demo.fr'), name: 'Thomas Technicien' });
    expect(line.equipment.label).toBeTruthy();
    expect(line).toMatchObject({ sourceType: 'work_order_labour', month: PAST, occurredOn: `${PAST}-15`, amountCents: 12_345 });
  });

  it('refuses a forged cursor, an unknown kind and another territory’s site', async () => {
    expect((await get(engineer, `/cost-statements/${PAST}/lines?cursor=abc`)).statusCode).toBe(400);
    expect((await get(engineer, `/cost-statements/${PAST}/lines?kind=fuel`)).statusCode).toBe(400);
    const other = await otherTerritory(db);
    expect((await get(engineer, `/cost-statements/${PAST}/lines?siteId=${other.siteId}`)).statusCode).toBe(404);
  });
});

describe('rights', () => {
  it('a site manager reads every site’s totals but only the lines of their own site', async () => {
    const ch1 = ids.site('CH1');
    const s = (await get(managerCh1, `/cost-statements/${PAST}`)).json();
    expect(s.detailSiteIds).toEqual([ch1]);
    expect(s.sites).toHaveLength(siteIds.length);
    expect(s.sites.find((x: { siteId: string }) => x.siteId === ids.site('CH3')).gaveCents).toBe(gaveOf(ids.site('CH3')));
    const own = await allLines(managerCh1, '');
    expect(own).toHaveLength(lines.filter(involves(ch1)).length);
    expect(own.every((l) => l.creditorSiteId === ch1 || l.debtorSiteId === ch1)).toBe(true);
    expect((await allLines(managerCh1, `&siteId=${ch1}`)).length).toBe(own.length);
    expect((await allLines(managerCh1, `&counterpartSiteId=${ids.site('CH2')}`)).length)
      .toBe(lines.filter((l) => involves(ch1)(l) && involves(ids.site('CH2'))(l)).length);
    const denied = await get(managerCh1, `/cost-statements/${PAST}/lines?siteId=${ids.site('CH2')}`);
    expect(denied.statusCode).toBe(403);
    expect(problemOf(denied).code).toBe('forbidden');
    // The territory admin reads every line.
    expect((await get(admin, `/cost-statements/${PAST}`)).json().detailSiteIds).toBeNull();
    expect(await allLines(admin, `&siteId=${ids.site('CH2')}`)).toHaveLength(lines.filter(involves(ids.site('CH2'))).length);
  });

  it('technicians and care staff get 403 on every statement route', async () => {
    for (const s of [technician, careStaff]) {
      for (const url of ['/cost-statements', `/cost-statements/${PAST}`, `/cost-statements/${PAST}/lines`, `/cost-statements/${PAST}.csv`,
        `/cost-statements/${PAST}.pdf`, `/cost-statements/balance?siteId=${ids.site('CHU')}&from=${PAST}&to=${PAST}`]) {
        const res = await get(s, url);
        expect(res.statusCode, url).toBe(403);
      }
      expect((await approve(s, PAST, ids.site('CHU'))).statusCode).toBe(403);
    }
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/cost-statements/${PAST}` })).statusCode).toBe(401);
  });
});

describe('the balance of a site', () => {
  it('answers the site’s net per month and per counterpart', async () => {
    const ch1 = ids.site('CH1');
    const res = await get(managerCh1, `/cost-statements/balance?siteId=${ch1}&from=${PAST}&to=${CURRENT}`);
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json();
    expect(b.months.map((m: { month: string }) => m.month)).toEqual([PAST, addMonths(PAST, 1), CURRENT]);
    expect(b.months[0]).toEqual({ month: PAST, gaveCents: gaveOf(ch1), receivedCents: receivedOf(ch1), netCents: gaveOf(ch1) - receivedOf(ch1) });
    expect(b.months[1]).toMatchObject({ gaveCents: 0, receivedCents: 0, netCents: 0 });
    expect(b.months[2]).toMatchObject({ gaveCents: 999, receivedCents: 0 });
    const ch2 = b.counterparts.find((c: { siteId: string }) => c.siteId === ids.site('CH2'));
    const gaveToCh2 = lines.filter((l) => l.creditor === ch1 && l.debtor === ids.site('CH2')).reduce((a, l) => a + l.amount, 0) + 999;
    expect(ch2).toMatchObject({ siteName: siteNames.get(ids.site('CH2')), gaveCents: gaveToCh2 });
    expect(b.counterparts.reduce((a: number, c: { netCents: number }) => a + c.netCents, 0)).toBe(gaveOf(ch1) - receivedOf(ch1) + 999);
    expect((await get(managerCh1, `/cost-statements/balance?siteId=${ch1}&from=${CURRENT}&to=${PAST}`)).statusCode).toBe(400);
    expect((await get(managerCh1, `/cost-statements/balance?siteId=${ch1}&from=2010-01&to=${CURRENT}`)).statusCode).toBe(400);
  });
});

describe('exports', () => {
  it('CSV: the totals per site and pair, and only the lines the caller may read', async () => {
    const res = await get(managerCh1, `/cost-statements/${PAST}.csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(String(res.headers['content-disposition'])).toContain(`releve-couts-${PAST}.csv`);
    const text = res.rawPayload.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(text.slice(1)).filter((r) => r.length > 1);
    const col = (name: string) => header!.indexOf(name);
    const euros = (cents: number) => `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;
    const siteRows = rows.filter((r) => r[col('Type')] === 'site');
    expect(siteRows).toHaveLength(siteIds.length);
    for (const id of siteIds) {
      const r = siteRows.find((x) => x[col('Site')] === siteNames.get(id))!;
      expect(r[col('Donné (€)')]).toBe(euros(gaveOf(id)));
      expect(r[col('Reçu (€)')]).toBe(euros(receivedOf(id)));
      expect(r[col('Solde (€)')]).toBe(euros(gaveOf(id) - receivedOf(id)));
    }
    expect(rows.filter((r) => r[col('Type')] === 'paire')).toHaveLength(new Set(lines.map((l) => [l.creditor, l.debtor].sort().join('/'))).size);
    const lineRows = rows.filter((r) => r[col('Type')] === 'ligne');
    const ch1 = siteNames.get(ids.site('CH1'));
    expect(lineRows).toHaveLength(lines.filter(involves(ids.site('CH1'))).length);
    expect(lineRows.every((r) => r[col('Site')] === ch1 || r[col('Contrepartie')] === ch1)).toBe(true);
    // English headers with ?lang=en; the engineer gets every line.
    const en = parseCsv((await get(engineer, `/cost-statements/${PAST}.csv?lang=en`)).rawPayload.toString('utf8').slice(1)).filter((r) => r.length > 1);
    expect(en[0]).toContain('Gave (€)');
    expect(en.filter((r) => r[0] === 'line')).toHaveLength(lines.length);
  });

  it('XLSX: three sheets with the totals in euros and the lines', async () => {
    const res = await get(engineer, `/cost-statements/${PAST}.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Sites', 'Paires', 'Lignes']);
    const sites = wb.getWorksheet('Sites')!;
    for (let r = 2; r <= sites.rowCount; r++) {
      const row = sites.getRow(r);
      const id = [...siteNames].find(([, n]) => n === row.getCell(1).value)![0];
      expect(row.getCell(2).value).toBeCloseTo(gaveOf(id) / 100, 6);
      expect(row.getCell(4).value).toBeCloseTo((gaveOf(id) - receivedOf(id)) / 100, 6);
    }
    expect(sites.rowCount).toBe(siteIds.length + 1);
    expect(wb.getWorksheet('Lignes')!.rowCount).toBe(lines.length + 1);
  });

  it('PDF: a document naming every site with its totals, in French or English', { timeout: 120_000 }, async () => {
    const res = await get(managerCh1, `/cost-statements/${PAST}.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await readPdf(new Uint8Array(res.rawPayload));
    const flat = pdf.text.replace(/\s+/g, ' ');
    expect(flat).toContain('Relevé de répartition des coûts entre sites');
    for (const name of siteNames.values()) expect(pdf.text).toContain(name);
    const money = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    const norm = (s: string) => s.replace(/\s/g, '');
    for (const id of siteIds) expect(norm(pdf.text)).toContain(norm(money.format((gaveOf(id) - receivedOf(id)) / 100)));
    expect(flat).toContain(`${lines.filter(involves(ids.site('CH1'))).length} ligne(s)`);
    const en = await readPdf(new Uint8Array((await get(engineer, `/cost-statements/${PAST}.pdf`, { 'accept-language': 'en-GB,en;q=0.9' })).rawPayload));
    expect(en.text.replace(/\s+/g, ' ')).toContain('Statement of cost allocation between sites');
    expect(en.text.replace(/\s+/g, ' ')).toContain(`${lines.length} line(s)`);
  });
});

describe('approvals and closing', () => {
  it('refuses a month that has not ended, and a site manager approving another site', async () => {
    const res = await approve(managerCh1, CURRENT, ids.site('CH1'));
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).code).toBe('period_not_ended');
    const other = await approve(managerCh1, PAST, ids.site('CHU'));
    expect(other.statusCode).toBe(403);
    expect((await approve(engineer, PAST, ids.site('CHU'))).statusCode).toBe(403);
  });

  it('refuses a month before the ledger’s first month, which would reopen the history', async () => {
    const before = addMonths(RACE, -1);
    const res = await approve(managers.CH2!, before, ids.site('CH2'));
    expect(res.statusCode, res.body).toBe(409);
    expect(problemOf(res).code).toBe('period_before_ledger');
    const period = await db.selectFrom('costPeriods').selectAll().where('territoryId', '=', ids.territoryId).where('month', '=', `${before}-01`).executeTakeFirst();
    expect(period).toBeUndefined();
    expect((await approve(managers.CH2!, '1900-01', ids.site('CH2'))).statusCode).toBe(409);
  });

  it('creates the period of a month without one', async () => {
    const res = await approve(managers.CH2!, EMPTY, ids.site('CH2'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ month: EMPTY, state: 'open' });
    const period = await db.selectFrom('costPeriods').selectAll().where('territoryId', '=', ids.territoryId).where('month', '=', `${EMPTY}-01`).executeTakeFirst();
    expect(period?.closedAt).toBeNull();
  });

  it('each site approves once; the last approval closes the month, then the database refuses a line in it', async () => {
    const order = ['CHU', 'CH1', 'CH2', 'CH3', 'EHPAD'];
    for (const [i, code] of order.entries()) {
      const res = await approve(managers[code]!, PAST, ids.site(code));
      expect(res.statusCode, res.body).toBe(201);
      const s = res.json();
      const last = i === order.length - 1;
      expect(s.state).toBe(last ? 'closed' : 'open');
      expect(s.awaitingSiteIds).toHaveLength(last ? 0 : order.length - i - 1);
      expect(s.sites.find((x: { siteId: string }) => x.siteId === ids.site(code)).approval.approvedBy.id).toBe(managers[code]!.userId);
      if (i === 0) {
        const twice = await approve(managers[code]!, PAST, ids.site(code));
        expect(twice.statusCode).toBe(409);
        expect(problemOf(twice).code).toBe('already_approved');
      }
    }
    const s = (await get(engineer, `/cost-statements/${PAST}`)).json();
    expect(s).toMatchObject({ state: 'closed', approvable: false, awaitingSiteIds: [] });
    expect(s.closedAt).not.toBeNull();
    const again = await approve(managers.CH1!, PAST, ids.site('CH1'));
    expect(again.statusCode).toBe(409);
    expect(problemOf(again).code).toBe('period_closed');
    await expect(insertLine(PAST, { creditor: ids.site('CHU'), debtor: ids.site('CH1'), kind: 'labour', amount: 100 })).rejects.toThrow(/closed/);
    // The months list says so; the audit trail has each approval.
    const months = (await get(engineer, '/cost-statements')).json().items;
    expect(months.find((m: { month: string }) => m.month === PAST)).toMatchObject({ state: 'closed', approvals: 5 });
    const audits = await db.selectFrom('auditLog').select(['action', 'actorId', 'after']).where('action', '=', 'cost.statement.approve')
      .where('entityId', '=', `${ids.territoryId}:${PAST}`).orderBy('id').execute();
    expect(audits).toHaveLength(5);
    expect(audits.map((a) => a.actorId)).toEqual(order.map((c) => managers[c]!.userId));
    expect((audits.at(-1)!.after as { closedAt: string | null }).closedAt).not.toBeNull();
    expect((audits[0]!.after as { closedAt: string | null }).closedAt).toBeNull();
  });

  it('every site approving at the same moment: all succeed and the month is closed once', async () => {
    const order = ['CHU', 'CH1', 'CH2', 'CH3', 'EHPAD'];
    const answers = await Promise.all(order.map((code) => approve(managers[code]!, RACE, ids.site(code))));
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(answers.filter((r) => r.json().state === 'closed')).not.toHaveLength(0);
    const s = (await get(engineer, `/cost-statements/${RACE}`)).json();
    expect(s.state).toBe('closed');
    expect(s.sites.every((x: { approval: unknown }) => x.approval !== null)).toBe(true);
    const audits = await db.selectFrom('auditLog').select(['after']).where('action', '=', 'cost.statement.approve')
      .where('entityId', '=', `${ids.territoryId}:${RACE}`).orderBy('id').execute();
    expect(audits).toHaveLength(5);
    // Exactly one approval saw every other and closed the month.
    expect(audits.filter((a) => (a.after as { closedAt: string | null }).closedAt !== null)).toHaveLength(1);
  });
});
