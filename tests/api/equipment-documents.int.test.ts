import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';
import {
  ExcelJS, PDFDocument, assertWellFormedXml, decodeQr, gridFromPdfRects, gridFromSvg, parseCsv, pdfContentStreams, pdfRects, pdfTexts,
} from '../support/documents.js';

/**
 * Labels and inventory exports: SVG label whose QR code reads back as the device's URL,
 * PDF sheets of labels, CSV and XLSX exports equal to what the inventory list shows.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let care: Session;
let engineer: Session;
let foreigner: Session;
let foreignDeviceId: string;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  const other = await otherTerritory(ctx.database.db);
  foreigner = await login(ctx.app, 'admin@ght-voisin.fr', 'Voisin!2026-secret');
  foreignDeviceId = (
    await ctx.database.db
      .insertInto('equipment')
      .values({ territoryId: other.territoryId, siteId: other.siteId, inventoryNumber: 'VOIS-0001' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await ctx?.close();
});

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const get = (s: Session, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers: { ...s.auth, ...headers } });
const post = (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: s.auth });

/** Every device the inventory list returns for `filters`, through its keyset pages. */
async function listAll(s: Session, filters: string): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(s, `/api/v1/equipment?${filters}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    items.push(...res.json().items);
    cursor = res.json().nextCursor;
  } while (cursor);
  return items;
}

/** The first of `listed` whose full device (GET /equipment/{id}; the list answers summaries) satisfies `has`. */
async function firstFull(s: Session, listed: Json[], has: (d: Json) => boolean): Promise<Json | undefined> {
  for (const e of listed) {
    const d = (await get(s, `/api/v1/equipment/${e.id}`)).json();
    if (has(d)) return d;
  }
  return undefined;
}


const HEADERS = [
  "N° d'inventaire", 'Site', 'Localisation', 'Catégorie', 'Fabricant', 'Modèle', 'Classe de risque', 'N° de série', 'UDI-DI',
  'Fournisseur', "Date d'acquisition", "Coût d'acquisition (€)", 'Date de mise en service', 'Fin de garantie', 'Propriété',
  'Statut', 'Mode de maintenance', 'Criticité', 'Score EM', 'Entité UDI',
];
const FRENCH_STATUSES = ['En stock', 'En service', 'Hors service', 'En maintenance', 'En prêt', 'Réformé'];
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const frenchDate = (iso: string | null) => (iso ? iso.split('-').reverse().join('/') : '');

describe('label of one device (SVG)', () => {
  it('is valid SVG with the inventory number and a QR code that reads back as the device’s URL', async () => {
    const [device] = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&limit=1`)).json().items as Json[];
    const res = await get(care, `/api/v1/equipment/${device!.id}/label.svg`, { host: 'gmao.ght-demo.fr' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    // A download: SVG is never rendered on the API's origin (the SPA shows it from a blob: URL).
    expect(res.headers['content-disposition']).toBe(`attachment; filename="etiquette-${device!.inventoryNumber}.svg"; filename*=UTF-8''etiquette-${device!.inventoryNumber}.svg`);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    const svg = res.body;
    assertWellFormedXml(svg);
    expect(svg).toContain(`>${device!.inventoryNumber}</text>`);
    expect(svg).toContain('>CHU</text>');
    expect(svg).toContain(device!.category.label.replace(/&/g, '&amp;').split(' ')[0]);

    const { grid } = gridFromSvg(svg);
    const decoded = decodeQr(grid);
    expect(decoded.ecLevel).toBe('M');
    expect(decoded.text).toBe(`http://gmao.ght-demo.fr/e/${encodeURIComponent(device!.inventoryNumber)}`);
    // What a phone reads off the label finds the device again.
    const scanned = await get(care, `/api/v1/equipment/lookup?code=${encodeURIComponent(decoded.text)}`);
    expect(scanned.statusCode).toBe(200);
    expect(scanned.json().items.map((e: Json) => e.id)).toEqual([device!.id]);
  });

  it('points to ?origin= when given, an http(s) origin only', async () => {
    const [device] = (await get(care, '/api/v1/equipment?limit=1')).json().items as Json[];
    const url = `/api/v1/equipment/${device!.id}/label.svg`;
    const res = await get(care, `${url}?origin=${encodeURIComponent('https://gmao.ght-exemple.fr:8443/')}`);
    expect(res.statusCode).toBe(200);
    expect(decodeQr(gridFromSvg(res.body).grid).text).toBe(`https://gmao.ght-exemple.fr:8443/e/${encodeURIComponent(device!.inventoryNumber)}`);
    for (const bad of ['javascript:alert(1)', 'ftp://gmao.fr', 'https://gmao.fr/chemin', 'https://gmao.fr/?x=1', 'https://moi:secret@gmao.fr', 'gmao.fr']) {
      const r = await get(care, `${url}?origin=${encodeURIComponent(bad)}`);
      expect(r.statusCode, bad).toBe(400);
      expect(problemOf(r).errors?.[0]?.path).toBe('querystring.origin');
    }
    // without ?origin=, a Host header that is not a bare host is refused rather than encoded
    const badHost = await get(care, url, { host: 'gmao.fr/autre-chemin' });
    expect(problemOf(badHost).code).toBe('invalid_host');
  });

  it('answers 404 for an unknown id or another territory’s device, both ways; 400 for a malformed id; 401 without a token', async () => {
    const [ours] = (await get(care, '/api/v1/equipment?limit=1')).json().items as Json[];
    expect(problemOf(await get(care, `/api/v1/equipment/${UNKNOWN_ID}/label.svg`)).status).toBe(404);
    expect(problemOf(await get(care, `/api/v1/equipment/${foreignDeviceId}/label.svg`)).status).toBe(404);
    expect(problemOf(await get(foreigner, `/api/v1/equipment/${ours!.id}/label.svg`)).status).toBe(404);
    expect((await get(foreigner, `/api/v1/equipment/${foreignDeviceId}/label.svg`)).statusCode).toBe(200);
    expect(problemOf(await get(care, '/api/v1/equipment/pas-un-uuid/label.svg')).errors?.[0]?.path).toBe('params.id');
    const anonymous = await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/${ours!.id}/label.svg` });
    expect(problemOf(anonymous).status).toBe(401);
  });
});

describe('sheets of labels (PDF)', () => {
  it('prints the devices in the order given, 24 per A4 page by default, 10 with 2 × 5', async () => {
    const devices = (await get(care, `/api/v1/equipment?siteId=${ids.site('CH1')}&limit=25`)).json().items as Json[];
    expect(devices).toHaveLength(25);
    const order = [...devices].reverse();
    const res = await post(care, '/api/v1/equipment/labels.pdf', { ids: order.map((d) => d.id) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(2);
    expect(doc.getPage(0).getSize().width).toBeCloseTo(595.28, 1);
    // the text layer holds the inventory numbers, in the order asked
    const texts = pdfContentStreams(pdf).flatMap(pdfTexts);
    expect(texts.filter((t) => order.some((d) => d.inventoryNumber === t))).toEqual(order.map((d) => d.inventoryNumber));
    expect(Buffer.from(pdf).toString('latin1')).not.toMatch(/\/Subtype\s*\/Image/);

    const large = await post(care, '/api/v1/equipment/labels.pdf', { ids: order.map((d) => d.id), format: 'a4-2x5' });
    expect(large.statusCode).toBe(200);
    expect((await PDFDocument.load(large.rawPayload)).getPageCount()).toBe(3);
  });

  it('draws a vector QR code that reads back as the device’s URL', async () => {
    const [device] = (await get(engineer, `/api/v1/equipment?siteId=${ids.site('EHPAD')}&limit=1`)).json().items as Json[];
    const res = await post(engineer, '/api/v1/equipment/labels.pdf', { ids: [device!.id], origin: 'https://gmao.ght-demo.fr' });
    expect(res.statusCode).toBe(200);
    const content = pdfContentStreams(res.rawPayload).find((s) => / re\b/.test(s))!;
    expect(decodeQr(gridFromPdfRects(pdfRects(content)).grid)).toMatchObject({
      text: `https://gmao.ght-demo.fr/e/${encodeURIComponent(device!.inventoryNumber)}`,
      ecLevel: 'M',
    });
    expect(pdfTexts(content)).toContain(device!.inventoryNumber);
    expect(pdfTexts(content)).toContain('EHPAD');
  });

  it('refuses unknown ids and another territory’s, naming each; and a malformed request', async () => {
    const [a, b] = (await get(care, '/api/v1/equipment?limit=2')).json().items as Json[];
    const res = await post(care, '/api/v1/equipment/labels.pdf', { ids: [a!.id, UNKNOWN_ID, b!.id, foreignDeviceId] });
    const p = problemOf(res);
    expect(p.status).toBe(400);
    expect(p.code).toBe('unknown_equipment');
    expect(p.errors).toEqual([
      { path: 'body.ids.1', message: 'équipement inconnu' },
      { path: 'body.ids.3', message: 'équipement inconnu' },
    ]);
    expect(problemOf(await post(care, '/api/v1/equipment/labels.pdf', { ids: [] })).errors?.[0]?.path).toBe('body.ids');
    expect(problemOf(await post(care, '/api/v1/equipment/labels.pdf', { ids: Array(501).fill(a!.id) })).errors?.[0]?.path).toBe('body.ids');
    expect(problemOf(await post(care, '/api/v1/equipment/labels.pdf', { ids: ['x'] })).errors?.[0]?.path).toBe('body.ids.0');
    expect(problemOf(await post(care, '/api/v1/equipment/labels.pdf', { ids: [a!.id], format: 'a5' })).errors?.[0]?.path).toBe('body.format');
  });
});

describe('CSV export', () => {
  it('streams the filtered inventory for French Excel: BOM, headers, one line per device of the list', async () => {
    const site = ids.site('CH2');
    const listed = await listAll(care, `siteId=${site}`);
    expect(listed.length).toBeGreaterThan(100);
    const res = await get(care, `/api/v1/equipment/export.csv?siteId=${site}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="inventaire-${today()}.csv"; filename*=UTF-8''inventaire-${today()}.csv`);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.rawPayload.toString('utf8').slice(1));
    expect(rows[0]).toEqual(HEADERS);
    const lines = rows.slice(1);
    expect(lines).toHaveLength(listed.length);
    expect(lines.map((r) => r[0])).toEqual(listed.map((d) => d.inventoryNumber));
    expect(lines.every((r) => r.length === HEADERS.length)).toBe(true);
    expect(new Set(lines.map((r) => r[1]))).toEqual(new Set([listed[0]!.site.name]));
    for (const r of lines) {
      for (const i of [10, 12, 13]) expect(r[i]).toMatch(/^(\d{2}\/\d{2}\/\d{4})?$/);
      expect(r[11]).toMatch(/^(\d+,\d{2})?$/);
      expect(FRENCH_STATUSES).toContain(r[15]);
      expect(['Faible', 'Moyenne', 'Élevée', 'Critique']).toContain(r[17]);
    }
    // a device with a cost and dates, cell by cell
    const d = (await firstFull(care, listed, (x) => x.acquisitionCostCents !== null && x.acquisitionCostCents % 100 !== 0 && x.acquisitionDate)) ??
      (await firstFull(care, listed, (x) => x.acquisitionCostCents !== null))!;
    const line = lines.find((r) => r[0] === d.inventoryNumber)!;
    expect(line[2]).toBe(d.locationPath ?? '');
    expect(line[3]).toBe(d.category?.label ?? '');
    expect(line[10]).toBe(frenchDate(d.acquisitionDate));
    expect(line[11]).toBe(`${Math.trunc(d.acquisitionCostCents / 100)},${String(d.acquisitionCostCents % 100).padStart(2, '0')}`);
    expect(line[12]).toBe(frenchDate(d.commissioningDate));
    expect(line[18]).toBe(d.emScore ? String(d.emScore.total) : '');
  });

  it('crosses the 1,000-device pages without losing or repeating a device', async () => {
    const listed = await listAll(engineer, 'status=in_stock,in_service,out_of_service,under_maintenance,on_loan,decommissioned');
    expect(listed.length).toBeGreaterThan(1000);
    const res = await get(engineer, '/api/v1/equipment/export.csv?status=in_stock,in_service,out_of_service,under_maintenance,on_loan,decommissioned');
    expect(res.statusCode).toBe(200);
    const numbers = parseCsv(res.rawPayload.toString('utf8').slice(1)).slice(1).map((r) => r[0]);
    expect(numbers).toEqual(listed.map((d) => d.inventoryNumber));
  });

  it('applies the list’s filters and defuses formulas; a bad filter is a 400 before any byte', async () => {
    const [device] = (await get(engineer, `/api/v1/equipment?siteId=${ids.site('CH3')}&status=in_stock,in_service&limit=1`)).json().items as Json[];
    const patched = await ctx.app.inject({
      method: 'PATCH', url: `/api/v1/equipment/${device!.id}`, headers: { ...engineer.auth, 'if-match': String(device!.version) },
      payload: { supplier: '=HYPERLINK("http://evil.example";"Cliquez")', notes: 'x' },
    });
    expect(patched.statusCode).toBe(200);
    const q = `siteId=${ids.site('CH3')}&status=in_service,in_stock&criticality=${device!.criticality}`;
    const listed = await listAll(care, q);
    const rows = parseCsv((await get(care, `/api/v1/equipment/export.csv?${q}`)).rawPayload.toString('utf8').slice(1)).slice(1);
    expect(rows.map((r) => r[0])).toEqual(listed.map((d) => d.inventoryNumber));
    expect(rows.find((r) => r[0] === device!.inventoryNumber)![9]).toBe(`'=HYPERLINK("http://evil.example";"Cliquez")`);

    const unknownLocation = await get(care, `/api/v1/equipment/export.csv?locationId=${UNKNOWN_ID}`);
    expect(problemOf(unknownLocation).errors?.[0]?.path).toBe('querystring.locationId');
    expect(problemOf(await get(care, '/api/v1/equipment/export.csv?status=broken')).status).toBe(400);
    // another territory sees only its own device
    const foreign = parseCsv((await get(foreigner, '/api/v1/equipment/export.csv')).rawPayload.toString('utf8').slice(1));
    expect(foreign.slice(1).map((r) => r[0])).toEqual(['VOIS-0001']);
  });
});

describe('XLSX export', () => {
  it('opens in exceljs with the same rows, a bold frozen header, an auto-filter, real dates and numbers', async () => {
    const site = ids.site('CH2');
    const listed = await listAll(care, `siteId=${site}`);
    const res = await get(care, `/api/v1/equipment/export.xlsx?siteId=${site}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="inventaire-${today()}.xlsx"; filename*=UTF-8''inventaire-${today()}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Inventaire')!;
    expect(ws.actualRowCount).toBe(listed.length + 1);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe(`A1:T${listed.length + 1}`);
    const numbers: unknown[] = [];
    ws.eachRow((row, n) => n > 1 && numbers.push(row.getCell(1).value));
    expect(numbers).toEqual(listed.map((d) => d.inventoryNumber));
    const d = (await firstFull(care, listed, (x) => x.acquisitionCostCents !== null && x.acquisitionDate))!;
    const row = ws.getRow(listed.findIndex((x) => x.id === d.id) + 2);
    expect(row.getCell(11).value).toEqual(new Date(`${d.acquisitionDate}T00:00:00Z`));
    expect(row.getCell(11).numFmt).toBe('dd/mm/yyyy');
    expect(row.getCell(12).value).toBe(d.acquisitionCostCents / 100);
    expect(FRENCH_STATUSES).toContain(row.getCell(16).value);
  });

  it('answers a bad filter with a 400 problem', async () => {
    expect(problemOf(await get(care, `/api/v1/equipment/export.xlsx?categoryId=${UNKNOWN_ID}`)).errors?.[0]?.path).toBe('querystring.categoryId');
  });
});
