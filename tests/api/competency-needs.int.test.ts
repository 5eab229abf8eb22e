import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@gmao/db';
import { parisDay } from '@gmao/domain';
import { createTestContext, DEMO_PASSWORD, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { ExcelJS, parseCsv } from '../support/documents.js';

/**
 * Competency needs and expiring certificates (issue 14, ADR 0021) on a fixture of known
 * answers: four new sites (Lille, Arras and Dunkerque coordinates, one without), their people,
 * four new equipment categories with devices.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let care: Session;
let techChu: Session;

const DAY = 86_400_000;
const inDays = (n: number) => parisDay(new Date(Date.now() + n * DAY));
const run = Date.now().toString(36).slice(-4).toUpperCase();

const f = {} as {
  lille: string; arras: string; dunkerque: string; nowhere: string;
  expArras: string; expDunkerque: string; begLille: string; noneLille: string; confArras: string;
  catA: string; catB: string; catC: string; catD: string; skillA: string; skillC: string;
};

const inject = (s: Session, url: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { ...s.auth, ...headers } });

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  [engineer, care, techChu] = await Promise.all([
    login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'soignant.chu@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'),
  ]);
  const db = ctx.database.db;
  let n = 0;
  const site = async (name: string, latitude: number | null, longitude: number | null) => {
    n++;
    const finess = `75${String(Date.now() % 1_000_000).padStart(6, '0')}${n}`;
    const r = await db.insertInto('sites').values({
      territoryId: ids.territoryId, name: `${name} ${run}`, shortCode: `N${run}${n}`, finess, kind: 'CH', latitude, longitude,
    }).returning('id').executeTakeFirstOrThrow();
    return r.id;
  };
  f.lille = await site('Besoins Lille', 50.6292, 3.0573);
  f.arras = await site('Besoins Arras', 50.291, 2.7775);
  f.dunkerque = await site('Besoins Dunkerque', 51.0344, 2.3768);
  f.nowhere = await site('Besoins Ailleurs', null, null);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const user = async (name: string, siteId: string, role = 'technician') => {
    const u = await db.insertInto('users').values({
      territoryId: ids.territoryId, email: `${name}.${run}@needs.test`.toLowerCase(), fullName: `${name} ${run}`, homeSiteId: siteId, passwordHash,
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('roleGrants').values({ territoryId: ids.territoryId, userId: u.id, siteId, role }).execute();
    return u.id;
  };
  f.expArras = await user('Expert-Arras', f.arras);
  f.expDunkerque = await user('Expert-Dunkerque', f.dunkerque, 'engineer');
  f.begLille = await user('Beginner-Lille', f.lille);
  f.noneLille = await user('None-Lille', f.lille);
  f.confArras = await user('Confirmed-Arras', f.arras);

  const family = await db.selectFrom('equipmentCategories').select('id').where('code', '=', 'DIAL').executeTakeFirstOrThrow();
  const category = async (code: string, label: string) => (await db.insertInto('equipmentCategories').values({
    territoryId: ids.territoryId, code: `${code}-${run}`, label, parentId: family.id, defaultFunctionScore: 5, defaultPhysicalRisk: 3, defaultMaintenanceRequirement: 3,
  }).returning('id').executeTakeFirstOrThrow()).id;
  f.catA = await category('NEED-A', `Besoins A ${run}`);
  // A hostile label: the exports must not let a spreadsheet run it.
  f.catB = await category('NEED-B', `=HYPERLINK("http://x.test";"B ${run}")`);
  f.catC = await category('NEED-C', `Besoins C ${run}`);
  f.catD = await category('NEED-D', `Besoins D ${run}`);
  let d = 0;
  const devices = async (categoryId: string, siteId: string, count: number) => {
    const m = await db.insertInto('equipmentModels').values({ territoryId: ids.territoryId, manufacturer: 'Needs', modelName: `M${++d}-${run}`, categoryId })
      .returning('id').executeTakeFirstOrThrow();
    for (let i = 0; i < count; i++) {
      await db.insertInto('equipment').values({ territoryId: ids.territoryId, siteId, modelId: m.id, inventoryNumber: `NEED-${run}-${d}-${i}`, status: 'in_service' }).execute();
    }
  };
  await devices(f.catA, f.lille, 2);
  await devices(f.catB, f.lille, 1);
  await devices(f.catC, f.arras, 3);
  await devices(f.catD, f.nowhere, 4);
  expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/skills/seed-from-categories', payload: {}, headers: engineer.auth })).statusCode).toBe(200);
  const skill = async (code: string) => (await db.selectFrom('skills').select('id').where('code', '=', `MAINT-${code}-${run}`).executeTakeFirstOrThrow()).id;
  f.skillA = await skill('NEED-A');
  f.skillC = await skill('NEED-C');
  const skillD = await skill('NEED-D');
  const put = async (userId: string, skillId: string, level: string, extra: object = {}) => {
    const res = await ctx.app.inject({ method: 'PUT', url: `/api/v1/users/${userId}/skills/${skillId}`, payload: { level, ...extra }, headers: engineer.auth });
    expect(res.statusCode, res.body).toBe(200);
  };
  // A: experts at Arras (about 45 km from Lille) and Dunkerque (about 65 km); Lille has a beginner.
  await put(f.expArras, f.skillA, 'expert', { certificateExpiresAt: inDays(10) });
  await put(f.expDunkerque, f.skillA, 'expert', { certificateExpiresAt: inDays(200) });
  await put(f.begLille, f.skillA, 'beginner', { certificateExpiresAt: inDays(-5) });
  // C: one expert at Arras, a confirmed colleague there.
  await put(f.expArras, f.skillC, 'expert');
  await put(f.confArras, f.skillC, 'confirmed', { certificateExpiresAt: inDays(40) });
  // D: an expert at Dunkerque; its devices are at a site without anybody.
  await put(f.expDunkerque, skillD, 'expert');
});
afterAll(async () => {
  await ctx?.close();
});

interface Needs {
  asOf: string;
  trainings: { categoryId: string; siteId: string; gap: string; priority: number; devices: number; skillId: string; distanceKm: number | null;
    trainer: { userId: string; siteId: string; level: string | null }; trainees: { userId: string; siteId: string; level: string | null }[] }[];
  recruitments: { categoryId: string; siteId: string | null; gap: string; level: string; priority: number; devices: number }[];
}
const mine = (n: Needs) => {
  const cats = new Set([f.catA, f.catB, f.catC, f.catD]);
  return { trainings: n.trainings.filter((t) => cats.has(t.categoryId)), recruitments: n.recruitments.filter((r) => cats.has(r.categoryId)) };
};

describe('GET /competency/needs', () => {
  it('plans a training with the nearest expert, a second expert for a single one, and recruitments', async () => {
    const res = await inject(techChu, '/competency/needs');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Needs;
    expect(body.asOf).toBe(parisDay(new Date()));
    const { trainings, recruitments } = mine(body);
    expect(trainings.map((t) => [t.categoryId, t.siteId, t.gap, t.priority, t.devices, t.trainer.userId])).toEqual([
      [f.catA, f.lille, 'no_one_competent', 1, 2, f.expArras],
      [f.catC, f.arras, 'single_expert', 2, 3, f.expArras],
    ]);
    const [a, c] = trainings;
    expect(a!.skillId).toBe(f.skillA);
    expect(a!.trainer).toMatchObject({ siteId: f.arras, level: 'expert' });
    expect(a!.distanceKm).toBeGreaterThan(40);
    expect(a!.distanceKm).toBeLessThan(50);
    expect(a!.trainees).toEqual([
      expect.objectContaining({ userId: f.begLille, siteId: f.lille, level: 'beginner' }),
      expect.objectContaining({ userId: f.noneLille, siteId: f.lille, level: null }),
    ]);
    expect(c!.distanceKm).toBe(0);
    expect(c!.trainees).toEqual([expect.objectContaining({ userId: f.confArras, level: 'confirmed' })]);
    expect(recruitments.map((r) => [r.categoryId, r.siteId, r.gap, r.level, r.priority, r.devices])).toEqual([
      [f.catD, f.nowhere, 'no_one_competent', 'confirmed', 1, 4],
      [f.catB, null, 'no_expert_in_territory', 'expert', 1, 1],
    ]);
    // Most urgent first over the whole answer.
    const keys = body.trainings.map((t) => t.priority);
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
  });

  it('filters by site: that site’s needs and the territory’s recruitments of its categories', async () => {
    const body = (await inject(engineer, `/competency/needs?siteId=${f.lille}`)).json() as Needs;
    expect(body.trainings.map((t) => [t.categoryId, t.siteId])).toEqual([[f.catA, f.lille]]);
    expect(body.recruitments.map((r) => [r.categoryId, r.siteId])).toEqual([[f.catB, null]]);
    const arras = (await inject(engineer, `/competency/needs?siteId=${f.arras}`)).json() as Needs;
    expect(arras.trainings.map((t) => [t.categoryId, t.gap])).toEqual([[f.catC, 'single_expert']]);
    expect(arras.recruitments).toEqual([]);
    expect(problemOf(await inject(engineer, '/competency/needs?siteId=nope')).errors?.[0]?.path).toBe('querystring.siteId');
  });

  it('a second expert closes the single-expert gap', async () => {
    const res = await ctx.app.inject({ method: 'PUT', url: `/api/v1/users/${f.confArras}/skills/${f.skillC}`, payload: { level: 'expert' }, headers: engineer.auth });
    expect(res.statusCode, res.body).toBe(200);
    const arras = (await inject(engineer, `/competency/needs?siteId=${f.arras}`)).json() as Needs;
    expect(arras.trainings).toEqual([]);
    const back = await ctx.app.inject({ method: 'PUT', url: `/api/v1/users/${f.confArras}/skills/${f.skillC}`, payload: { level: 'confirmed' }, headers: engineer.auth });
    expect(back.statusCode).toBe(200);
  });

  it('exports one CSV table with a type column, formulas neutralised, headers in the reader’s language', async () => {
    const res = await inject(engineer, `/competency/needs.csv?siteId=${f.lille}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`besoins-competences-${parisDay(new Date())}.csv`);
    const text = res.rawPayload.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['Type', 'Priorité', 'Écart', 'Code catégorie', 'Catégorie d’équipement', 'Compétence', 'Site', 'Équipements', 'Formateur',
      'Site du formateur', 'Distance (km)', 'Stagiaires', 'Niveau visé']);
    expect(rows.slice(1).filter((r) => r.length > 1).map((r) => [r[0], r[2], r[6]])).toEqual([
      ['formation', 'Personne de compétent', `Besoins Lille ${run}`],
      ['recrutement', 'Aucun expert sur le territoire', 'Territoire'],
    ]);
    expect(rows[1]![8]).toBe(`Expert-Arras ${run}`);
    expect(rows[1]![11]).toBe(`Beginner-Lille ${run} (Besoins Lille ${run}, Débutant), None-Lille ${run} (Besoins Lille ${run}, —)`);
    expect(rows[2]![4]).toBe(`'=HYPERLINK("http://x.test";"B ${run}")`);
    const en = parseCsv((await inject(engineer, `/competency/needs.csv?siteId=${f.lille}&lang=en`)).rawPayload.toString('utf8').slice(1));
    expect(en[0]!.slice(0, 3)).toEqual(['Type', 'Priority', 'Gap']);
    expect(en[1]![0]).toBe('training');
    const accept = parseCsv((await inject(engineer, `/competency/needs.csv?siteId=${f.lille}`, { 'accept-language': 'en-GB' })).rawPayload.toString('utf8').slice(1));
    expect(accept[2]![0]).toBe('recruitment');
  });

  it('exports an XLSX with a sheet of trainings and one of recruitments, text as string cells', async () => {
    const res = await inject(engineer, `/competency/needs.xlsx?siteId=${f.lille}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Formations', 'Recrutements']);
    const t = wb.getWorksheet('Formations')!;
    expect(t.actualRowCount).toBe(2);
    expect((t.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Priorité', 'Écart', 'Code catégorie']);
    expect(t.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(t.getRow(2).getCell(1).value).toBe(1);
    expect(t.getRow(2).getCell(7).value).toBe(2);
    expect(t.getRow(2).getCell(8).value).toBe(`Expert-Arras ${run}`);
    const r = wb.getWorksheet('Recrutements')!;
    expect(r.actualRowCount).toBe(2);
    // A string cell, never a formula (as the other workbooks write text).
    const hostile = r.getRow(2).getCell(4);
    expect(hostile.type).toBe(ExcelJS.ValueType.String);
    expect(hostile.formula).toBeUndefined();
    expect(hostile.value).toBe(`=HYPERLINK("http://x.test";"B ${run}")`);
    expect(r.getRow(2).getCell(7).value).toBe('Expert');
  });

  it('is read by the biomedical staff; care staff get 403', async () => {
    for (const url of ['/competency/needs', '/competency/needs.csv', '/competency/needs.xlsx', '/competency/certificates']) {
      expect((await inject(care, url)).statusCode, url).toBe(403);
      expect((await inject(techChu, url)).statusCode, url).toBe(200);
    }
  });
});

describe('GET /competency/certificates', () => {
  interface Certs { asOf: string; withinDays: number; items: { userId: string; skillId: string; certificateExpiresAt: string; daysLeft: number; expired: boolean; siteIds: string[] }[] }
  const ours = (b: Certs) => b.items.filter((i) => [f.expArras, f.expDunkerque, f.begLille, f.confArras].includes(i.userId));

  it('lists the expired and expiring certificates of the territory, soonest first', async () => {
    const res = await inject(engineer, '/competency/certificates');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Certs;
    expect(body).toMatchObject({ asOf: parisDay(new Date()), withinDays: 90 });
    expect(ours(body).map((i) => [i.userId, i.daysLeft, i.expired])).toEqual([
      [f.begLille, -5, true], [f.expArras, 10, false], [f.confArras, 40, false],
    ]);
    expect(ours(body)[0]).toMatchObject({ skillId: f.skillA, certificateExpiresAt: inDays(-5), siteIds: [f.lille] });
    const dates = body.items.map((i) => i.certificateExpiresAt);
    expect(dates).toEqual([...dates].sort());
    const year = (await inject(engineer, '/competency/certificates?withinDays=365')).json() as Certs;
    expect(ours(year).map((i) => i.userId)).toEqual([f.begLille, f.expArras, f.confArras, f.expDunkerque]);
    const none = (await inject(engineer, '/competency/certificates?withinDays=0')).json() as Certs;
    expect(ours(none).map((i) => i.userId)).toEqual([f.begLille]);
  });

  it('filters by site, leaves out inactive people and retired skills, refuses a bad withinDays', async () => {
    const lille = (await inject(engineer, `/competency/certificates?siteId=${f.lille}`)).json() as Certs;
    expect(lille.items.map((i) => i.userId)).toEqual([f.begLille]);
    await ctx.database.db.updateTable('users').set({ active: false }).where('id', '=', f.confArras).execute();
    try {
      const body = (await inject(engineer, '/competency/certificates')).json() as Certs;
      expect(ours(body).map((i) => i.userId)).toEqual([f.begLille, f.expArras]);
    } finally {
      await ctx.database.db.updateTable('users').set({ active: true }).where('id', '=', f.confArras).execute();
    }
    expect(problemOf(await inject(engineer, '/competency/certificates?withinDays=-1')).errors?.[0]?.path).toBe('querystring.withinDays');
    expect(problemOf(await inject(engineer, '/competency/certificates?withinDays=abc')).errors?.[0]?.path).toBe('querystring.withinDays');
  });
});
