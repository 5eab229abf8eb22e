import { QueueEvents } from 'bullmq';
import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { createRedis } from '@gmao/queue';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/** Upload → dry run → commit through the worker (real Redis) → devices in the register. */
let ctx: TestContext;
let workers: RunningWorkers;
let events: QueueEvents;
let ids: Awaited<ReturnType<typeof demoIds>>;
let tech: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
  workers = await startWorkers({ db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false });
  events = new QueueEvents('imports', { connection: createRedis(ctx.redisUrl, 'worker'), prefix: ctx.prefix });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events?.close();
  await workers?.close();
  await ctx?.close();
});

function multipart(fields: Record<string, string>, file: { name: string; data: Buffer; type: string }) {
  const boundary = `----gmao${Date.now()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(name: string, data: Buffer, type = 'text/csv') {
  const m = multipart({ siteId: ids.site('CHU') }, { name, data, type });
  return ctx.app.inject({ method: 'POST', url: '/api/v1/equipment-imports', payload: m.payload, headers: { ...tech.auth, ...m.headers } });
}
const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: tech.auth });

async function waitForJob(jobId: string): Promise<Json> {
  for (let i = 0; i < 300; i++) {
    const res = (await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: tech.auth })).json();
    if (res.state === 'completed' || res.state === 'failed') return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

const HEADER = "N° inventaire;Salle;Type;Marque;Modèle;N° série;Fournisseur;Mise en service;Prix d'achat;Statut\r\n";

describe('importing an inventory', () => {
  it('reads a Windows-1252 CSV with ; separators and French formats, reports problems by row, then imports it all', async () => {
    const tree = (await ctx.app.inject({ method: 'GET', url: `/api/v1/sites/${ids.site('CHU')}/locations`, headers: tech.auth })).json().items as Json[];
    const room = tree.find((l) => l.kind === 'room')!;
    const existing = (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment?siteId=${ids.site('CHU')}&limit=1`, headers: tech.auth })).json().items[0];
    const lines = [
      `IMP-001;${room.code};Pousse-seringue électrique;B. Braun;Perfusor Space;SN-001;B. Braun Médical;02/01/2020;2 800,50 €;En service`,
      `IMP-002;${room.code};Pousse-seringue électrique;B. Braun;Perfusor Space;SN-002;B. Braun Médical;31/02/2020;2 800,50;En service`,
      `IMP-001;${room.code};Pousse-seringue électrique;B. Braun;Perfusor Space;SN-003;B. Braun Médical;02/01/2020;;En stock`,
      `${existing.inventoryNumber};;Pousse-seringue électrique;Œuvre Médicale;Pompe Ω;SN-004;Fournisseur;02/01/2020;;En stock`,
    ];
    const text = HEADER + lines.join('\r\n') + '\r\n';
    // Windows-1252 as Excel writes it: Latin-1, plus € (0x80) and Œ (0x8C).
    const bytes = Buffer.from([...text.replace('Ω', 'O')].map((ch) => (ch === '€' ? 0x80 : ch === 'Œ' ? 0x8c : ch.charCodeAt(0))));
    const up = await upload('inventaire.csv', bytes);
    expect(up.statusCode).toBe(201);
    const info = up.json();
    expect(info).toMatchObject({ format: 'csv', encoding: 'windows-1252', separator: ';', rowCount: 4 });
    expect(info.sampleRows[3][3]).toBe('Œuvre Médicale');
    expect(info.suggestedMapping).toMatchObject({ inventoryNumber: 'N° inventaire', location: 'Salle', manufacturer: 'Marque', acquisitionCost: "Prix d'achat" });

    const dry = await post(`/api/v1/equipment-imports/${info.id}/dry-run`, { mapping: info.suggestedMapping, saveMappingAs: 'Export GMAO historique' });
    expect(dry.statusCode).toBe(200);
    const report = dry.json();
    expect(report, JSON.stringify(report.problems)).toMatchObject({ rowCount: 4, validRows: 1 });
    const messages = report.problems.map((p: Json) => `${p.row}/${p.column}: ${p.message}`);
    expect(messages).toEqual([
      '3/Mise en service: date invalide « 31/02/2020 » (jj/mm/aaaa attendu)',
      "4/N° inventaire: n° d'inventaire en double dans le fichier (déjà ligne 2)",
      "5/N° inventaire: n° d'inventaire déjà enregistré dans le territoire",
      '5/Modèle: modèle inconnu « Œuvre Médicale Pompe O » (il peut être créé)',
    ]);
    const refused = await post(`/api/v1/equipment-imports/${info.id}/commit`, { mapping: info.suggestedMapping });
    expect(refused.statusCode).toBe(422);
    expect(problemOf(refused).code).toBe('import_has_problems');

    // The file is corrected and uploaded again: the saved mapping comes back for the site.
    const fixed = HEADER + [lines[0], lines[1]!.replace('31/02/2020', '28/02/2020'), lines[2]!.replace('IMP-001', 'IMP-003'),
      `IMP-004;;Pousse-seringue électrique;Œuvre Médicale;Pompe O;SN-004;Fournisseur;02/01/2020;;En stock`].join('\r\n');
    const up2 = (await upload('inventaire-corrige.csv', Buffer.from(fixed, 'utf8'))).json();
    expect(up2.encoding).toBe('utf-8');
    const saved = up2.savedMappings.find((m: Json) => m.name === 'Export GMAO historique');
    expect(saved.mapping).toEqual(info.suggestedMapping);
    const dry2 = (await post(`/api/v1/equipment-imports/${up2.id}/dry-run`, { mapping: saved.mapping, options: { createMissingModels: true } })).json();
    expect(dry2).toMatchObject({ rowCount: 4, validRows: 4, problemCount: 0 });
    expect(dry2.toCreate.models).toEqual([{ manufacturer: 'Œuvre Médicale', modelName: 'Pompe O', category: 'Pousse-seringue électrique' }]);

    const commit = await post(`/api/v1/equipment-imports/${up2.id}/commit`, { mapping: saved.mapping, options: { createMissingModels: true } });
    expect(commit.statusCode).toBe(202);
    const job = await waitForJob(commit.json().jobId);
    expect(job).toMatchObject({ state: 'completed', progress: 100, result: { devices: 4, models: 1, categories: 0 } });
    const state = (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment-imports/${up2.id}`, headers: tech.auth })).json();
    expect(state).toMatchObject({
      status: 'succeeded', siteId: ids.site('CHU'), fileName: 'inventaire-corrige.csv', rowCount: 4, mapping: saved.mapping,
      result: { devices: 4 }, header: up2.header, sampleRows: up2.sampleRows,
    });
    const again = await post(`/api/v1/equipment-imports/${up2.id}/commit`, { mapping: saved.mapping, options: { createMissingModels: true } });
    expect(again.statusCode).toBe(409);

    const found = (await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment?q=imp-00&limit=10', headers: tech.auth })).json().items as Json[];
    expect(found.map((e) => e.inventoryNumber)).toEqual(['IMP-001', 'IMP-002', 'IMP-003', 'IMP-004']);
    // The list answers summaries: the acquisition and supplier are on the device.
    const first = (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/${found[0]!.id}`, headers: tech.auth })).json();
    expect(first).toMatchObject({ status: 'in_service', acquisitionCostCents: 280050, commissioningDate: '2020-01-02', supplier: 'B. Braun Médical', locationId: room.id });
    const history = (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/${found[0]!.id}/history`, headers: tech.auth })).json().items;
    expect(history[0]).toMatchObject({ kind: 'imported', actor: { fullName: 'Thomas Technicien' }, reason: 'Import du fichier inventaire-corrige.csv' });
    const english = (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/${found[0]!.id}/history`, headers: { ...tech.auth, 'accept-language': 'en' } })).json().items;
    expect(english[0].reason).toBe('Imported from the file inventaire-corrige.csv');
  });

  it('imports an XLSX file of 10,000 rows, all or nothing', { timeout: 120_000 }, async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Inventaire');
    sheet.addRow(['N° inventaire', 'Catégorie', 'Fabricant', 'Modèle', 'N° de série', "Date d'acquisition", 'Statut']);
    for (let i = 1; i <= 10_000; i++) sheet.addRow([`XL-${String(i).padStart(5, '0')}`, 'Lit médicalisé électrique', 'Linet', 'Eleganza 3', `LN${i}`, new Date(Date.UTC(2019, 4, 1 + (i % 28))), 'En stock']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const up = await upload('lits.xlsx', data, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(up.statusCode).toBe(201);
    const info = up.json();
    expect(info).toMatchObject({ format: 'xlsx', rowCount: 10_000 });
    const started = Date.now();
    const commit = await post(`/api/v1/equipment-imports/${info.id}/commit`, { mapping: info.suggestedMapping });
    expect(commit.statusCode).toBe(202);
    const job = await waitForJob(commit.json().jobId);
    expect(job).toMatchObject({ state: 'completed', result: { devices: 10_000 } });
    console.info(`10,000-row XLSX import committed in ${Date.now() - started} ms`);
    const count = await ctx.database.db.selectFrom('equipment').select((eb) => eb.fn.countAll<number>().as('n')).where('inventoryNumber', 'like', 'XL-%').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(10_000);
    const one = (await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment/lookup?code=XL-00042', headers: tech.auth })).json().items[0];
    expect(one).toMatchObject({ acquisitionDate: '2019-05-15', criticality: 'low', status: 'in_stock', model: { manufacturer: 'Linet' } });
  });

  it('reads back the inventory export (CSV and XLSX): locations by their path, values by their labels', { timeout: 120_000 }, async () => {
    const site = ids.site('CHU');
    const all = async (query: string) => {
      const items: Json[] = [];
      for (let cursor: string | null = ''; cursor !== null;) {
        const page: { items: Json[]; nextCursor: string | null } = (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, headers: tech.auth })).json();
        items.push(...page.items);
        cursor = page.nextCursor;
      }
      return items;
    };
    // One building per format: the copies made from one export stay out of the other.
    const tree = (await ctx.app.inject({ method: 'GET', url: `/api/v1/sites/${site}/locations`, headers: tech.auth })).json().items as Json[];
    const buildings = tree.filter((l) => l.kind === 'building').map((l) => l.id as string);
    expect(buildings.length).toBeGreaterThanOrEqual(2);
    for (const [format, prefix, building] of [['csv', 'RT-', buildings[0]!], ['xlsx', 'RX-', buildings[1]!]] as const) {
      const originals = await all(`locationId=${building}`);
      // The export writes care units by their name: "A › A1 › Réanimation › A101".
      expect(originals.filter((e) => e.locationPath?.split(' › ').length >= 3).length, format).toBeGreaterThan(0);
      const exported = await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/export.${format}?locationId=${building}`, headers: tech.auth });
      expect(exported.statusCode).toBe(200);
      // The same devices under other inventory numbers, so that they can be imported again.
      let file: Buffer;
      if (format === 'csv') {
        file = Buffer.from(exported.rawPayload.toString('utf8').replace(/\r\n(?=[^\r\n])/g, `\r\n${prefix}`), 'utf8');
      } else {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
        workbook.worksheets[0]!.eachRow((row, n) => {
          if (n > 1) row.getCell(1).value = `${prefix}${String(row.getCell(1).value)}`;
        });
        file = Buffer.from(await workbook.xlsx.writeBuffer());
      }
      const up = await upload(`inventaire.${format}`, file, format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(up.statusCode).toBe(201);
      const info = up.json();
      expect(info.rowCount, format).toBe(originals.length);
      expect(info.suggestedMapping).toMatchObject({ inventoryNumber: "N° d'inventaire", location: 'Localisation', category: 'Catégorie', supplier: 'Fournisseur' });
      const dry = (await post(`/api/v1/equipment-imports/${info.id}/dry-run`, { mapping: info.suggestedMapping })).json();
      expect(dry, JSON.stringify(dry.problems.slice(0, 5))).toMatchObject({ rowCount: originals.length, problemCount: 0, validRows: originals.length });
      const commit = await post(`/api/v1/equipment-imports/${info.id}/commit`, { mapping: info.suggestedMapping });
      expect(commit.statusCode).toBe(202);
      expect(await waitForJob(commit.json().jobId)).toMatchObject({ state: 'completed', result: { devices: originals.length } });
      const copies = await all(`q=${prefix.toLowerCase()}`);
      const byNumber = new Map(copies.map((e) => [e.inventoryNumber, e]));
      for (const e of originals) {
        const copy = byNumber.get(`${prefix}${e.inventoryNumber}`)!;
        expect(copy, e.inventoryNumber).toBeDefined();
        expect({ location: copy.locationId, path: copy.locationPath, supplier: copy.supplier, status: copy.status, ownership: copy.ownership, model: copy.model?.id ?? null })
          .toEqual({ location: e.locationId, path: e.locationPath, supplier: e.supplier, status: e.status, ownership: e.ownership, model: e.model?.id ?? null });
      }
    }
  });

  it('reads the UDI-DI with its issuing entity, and takes the computed obligations when the file has no obligation column', async () => {
    const csv = 'N° inventaire;Statut;Marque;Modèle;UDI;Entité UDI\r\n'
      + 'UE-1;En stock;B. Braun;Perfusor Space;+A999123457;HIBCC\r\n'
      + 'UE-2;En stock;;;09506000134352;\r\n'
      + 'UE-3;En stock;;;110375286415;IFA\r\n';
    const info = (await upload('udi.csv', Buffer.from(csv, 'utf8'))).json();
    expect(info.suggestedMapping).toMatchObject({ udi: 'UDI', udiIssuingEntity: 'Entité UDI' });
    const dry = (await post(`/api/v1/equipment-imports/${info.id}/dry-run`, { mapping: info.suggestedMapping })).json();
    expect(dry.problems.map((p: Json) => `${p.row}/${p.column}: ${p.message}`)).toEqual([
      '4/UDI: UDI-DI IFA (PPN) : les chiffres de contrôle (modulo 97) sont faux',
    ]);
    const fixed = csv.replace('110375286415', '110375286414');
    const info2 = (await upload('udi.csv', Buffer.from(fixed, 'utf8'))).json();
    const commit = await post(`/api/v1/equipment-imports/${info2.id}/commit`, { mapping: info2.suggestedMapping });
    expect(commit.statusCode).toBe(202);
    expect(await waitForJob(commit.json().jobId)).toMatchObject({ state: 'completed', result: { devices: 3 } });
    const found = ((await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment?q=ue-&limit=50', headers: tech.auth })).json().items as Json[])
      .filter((e) => e.inventoryNumber.startsWith('UE-'));
    const devices = await Promise.all(found.map(async (e) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/${e.id}`, headers: tech.auth })).json() as Json));
    expect(devices.map((e) => [e.inventoryNumber, e.udiDi, e.udiIssuingEntity])).toEqual([
      ['UE-1', 'A99912345', 'HIBCC'], ['UE-2', '09506000134352', 'GS1'], ['UE-3', '110375286414', 'IFA'],
    ]);
    // A class IIb syringe driver: the maintenance obligation, computed, not "false" for want of a column.
    expect(devices[0]).toMatchObject({ maintenanceObligation: true, qualityControlObligation: false, computedObligations: { mismatches: [] } });
    expect(devices[1]).toMatchObject({ maintenanceObligation: false, computedObligations: { maintenance: null, mismatches: [] } });
  });

  it('writes the default supplier on the rows that have none', async () => {
    const csv = "N° inventaire;Statut;Fournisseur\r\nDS-1;En stock;\r\nDS-2;En stock;Dräger France\r\n";
    const info = (await upload('fournisseurs.csv', Buffer.from(csv, 'utf8'))).json();
    const options = { defaultSupplier: '  Biomédical Services  ' };
    const dry = (await post(`/api/v1/equipment-imports/${info.id}/dry-run`, { mapping: info.suggestedMapping, options })).json();
    expect(dry).toMatchObject({ validRows: 2, problemCount: 0 });
    const commit = await post(`/api/v1/equipment-imports/${info.id}/commit`, { mapping: info.suggestedMapping, options });
    expect(commit.statusCode).toBe(202);
    expect(await waitForJob(commit.json().jobId)).toMatchObject({ state: 'completed', result: { devices: 2 } });
    const found = (await ctx.app.inject({ method: 'GET', url: '/api/v1/equipment?q=ds-&limit=10', headers: tech.auth })).json().items as Json[];
    const devices = await Promise.all(found.map(async (e) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment/${e.id}`, headers: tech.auth })).json() as Json));
    expect(devices.map((e) => [e.inventoryNumber, e.supplier])).toEqual([['DS-1', 'Biomédical Services'], ['DS-2', 'Dräger France']]);
    const state = (await ctx.app.inject({ method: 'GET', url: `/api/v1/equipment-imports/${info.id}`, headers: tech.auth })).json();
    expect(state.options).toEqual({ createMissingModels: false, createMissingCategories: false, defaultSupplier: 'Biomédical Services' });
  });

  it('adds the maintenance skill of each category it creates to the competency catalogue', async () => {
    const csv = 'N° inventaire;Type;Marque;Modèle;Statut\r\nCAT-SK-1;Lithotripteur extracorporel;Litho SA;Onde 3;En stock\r\n';
    const info = (await upload('categories.csv', Buffer.from(csv, 'utf8'))).json();
    const options = { createMissingCategories: true, createMissingModels: true };
    const dry = (await post(`/api/v1/equipment-imports/${info.id}/dry-run`, { mapping: info.suggestedMapping, options })).json();
    expect(dry, JSON.stringify(dry.problems)).toMatchObject({ validRows: 1, problemCount: 0 });
    const commit = await post(`/api/v1/equipment-imports/${info.id}/commit`, { mapping: info.suggestedMapping, options });
    expect(await waitForJob(commit.json().jobId)).toMatchObject({ state: 'completed', result: { devices: 1, models: 1, categories: 1 } });
    const engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
    const skills = (await ctx.app.inject({ method: 'GET', url: '/api/v1/skills?skillCategory=equipment_maintenance', headers: engineer.auth })).json().items as Json[];
    const created = skills.filter((s) => s.name === 'Lithotripteur extracorporel');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ code: 'MAINT-IMP-LITHOTRIPTEUR-EXTRACORPO', active: true });
  });

  it('refuses files that are neither CSV nor XLSX, and other territories’ or sites’ imports', async () => {
    const bin = await upload('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'image/png');
    expect(bin.statusCode).toBe(415);
    const techCh1 = await login(ctx.app, 'tech.ch1@ght-demo.fr');
    const m = multipart({ siteId: ids.site('CHU') }, { name: 'a.csv', data: Buffer.from('N° inventaire\nA-1\n'), type: 'text/csv' });
    const forbidden = await ctx.app.inject({ method: 'POST', url: '/api/v1/equipment-imports', payload: m.payload, headers: { ...techCh1.auth, ...m.headers } });
    expect(forbidden.statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs/equipment-import-00000000-0000-4000-8000-000000000000', headers: tech.auth })).statusCode).toBe(404);
  });
});
