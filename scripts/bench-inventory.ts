/**
 * `pnpm bench:inventory`: seeds 1,000,000 devices over 50 sites into a real PostgreSQL
 * (BENCH_DATABASE_URL server, default the local one; database gmao_bench is recreated),
 * then prints p50/p95/p99 latency through the API (Fastify inject, no network) of the
 * inventory's main queries. Options: --devices N (default 1000000), --runs N (default 200),
 * --keep (reuse an already seeded database), --database NAME (default gmao_bench).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { seedDemo } from '@gmao/db';
import { pino } from 'pino';
import { startWorkers } from '@gmao/worker';
import { seedDevices, seedExtraSites } from './lib/bench-seed.js';
import { BENCH_REDIS_URL as REDIS_URL, benchApp, benchDatabase, measure as measureOn, secondsSince as secs } from './lib/bench.js';

const { values: args } = parseArgs({
  options: { devices: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '200' }, keep: { type: 'boolean', default: false }, database: { type: 'string', default: 'gmao_bench' } },
});
const DEVICES = Number(args.devices);
const RUNS = Number(args.runs);
const NAME = args.database;

const t0 = performance.now();

const { url, database } = await benchDatabase(NAME, args.keep);
const db = database.db;
if (!args.keep) {
  const { territoryId } = await seedDemo(db);
  console.info(`demo territory seeded (${secs(t0)})`);

  // 45 more sites (50 in all), each with 2 buildings × 3 floors × 2 care units × 5 rooms.
  const t1 = performance.now();
  await seedExtraSites(db, territoryId);
  console.info(`45 extra sites with locations (${secs(t1)})`);

  // Devices, set-based, in chunks: every site, room and model in turn.
  await seedDevices(db, territoryId, DEVICES);
  const t3 = performance.now();
  await sql`analyze`.execute(db);
  console.info(`analyze (${secs(t3)})`);
}

const count = Number((await sql<{ n: number }>`select count(*)::int as n from equipment`.execute(db)).rows[0]!.n);
const bench = await benchApp(url, database);
const app = bench.app;
const auth = await bench.session('ingenieur@ght-demo.fr');

const site = (await db.selectFrom('sites').select('id').where('shortCode', '=', 'B017').executeTakeFirstOrThrow()).id;
const category = (await db.selectFrom('equipmentCategories').select('id').where('code', '=', 'PERF').executeTakeFirstOrThrow()).id;
const sample = await db.selectFrom('equipment').select(['inventoryNumber', 'serialNumber']).orderBy('inventoryNumber').offset(Math.floor(count * 0.9)).limit(RUNS).execute();

const measure = (name: string, urlFor: (i: number) => string, check: (body: { items?: unknown[] }) => boolean) =>
  measureOn(app, RUNS, name, auth, urlFor, check);

console.info(`\n${count.toLocaleString('en')} devices, 50 sites; ${RUNS} requests each through the API:`);
const words = ['reanimation', 'perfusor', 'defibrillateur', 'cardiologie dräger', 'infusomat', 'evita', 'sn1a2', 'chambre 3'];
await measure('free-text search (q)', (i) => `/api/v1/equipment?q=${encodeURIComponent(words[i % words.length]!)}`, (b) => Array.isArray(b.items));
await measure('free-text search, exact serial (q)', (i) => `/api/v1/equipment?q=${sample[i % sample.length]!.serialNumber}`, (b) => b.items!.length === 1);
await measure('site + category + status filter', () => `/api/v1/equipment?siteId=${site}&categoryId=${category}&status=in_service`, (b) => b.items!.length > 0);
await measure('scan lookup (inventory number)', (i) => `/api/v1/equipment/lookup?code=${sample[i % sample.length]!.inventoryNumber}`, (b) => b.items!.length === 1);
await measure('keyset page deep in the list (90 %)', (i) => {
  const cursor = Buffer.from(JSON.stringify([sample[i % sample.length]!.inventoryNumber])).toString('base64url');
  return `/api/v1/equipment?cursor=${cursor}`;
}, (b) => b.items!.length === 50);

// Import of a 100,000-row CSV (French formats), through the API and the worker.
const IMPORT_ROWS = 100_000;
const importSite = await db.selectFrom('sites').select(['id', 'shortCode']).where('shortCode', '=', 'B003').executeTakeFirstOrThrow();
const importRooms = (await db.selectFrom('locations').select('code').where('siteId', '=', importSite.id).where('kind', '=', 'room').execute()).map((r) => r.code);
const run = Date.now().toString(36).toUpperCase();
const csvLines = ["N° inventaire;Site;Salle;Type;Marque;Modèle;N° série;Fournisseur;Mise en service;Prix d'achat;Statut"];
for (let i = 0; i < IMPORT_ROWS; i++) {
  csvLines.push(`IMP${run}-${String(i).padStart(6, '0')};${importSite.shortCode};${importRooms[i % importRooms.length]};Pousse-seringue électrique;B. Braun;Perfusor Space;PS${run}${i};B. Braun Medical;${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/2021;2 8${i % 10}0,50;En service`);
}
const csv = Buffer.from(csvLines.join('\r\n') + '\r\n', 'utf8');
const boundary = 'benchboundary';
const payload = Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="siteId"\r\n\r\n${importSite.id}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\nContent-Type: text/csv\r\n\r\n`),
  csv,
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);
const workers = await startWorkers({ db, redisUrl: REDIS_URL, prefix: 'gmao-bench', logger: pino({ level: 'silent' }), schedule: false });
const adminAuth = await bench.session('admin@ght-demo.fr');
const tUpload = performance.now();
const uploaded = await app.inject({ method: 'POST', url: '/api/v1/equipment-imports', payload, headers: { ...adminAuth, 'content-type': `multipart/form-data; boundary=${boundary}` } });
if (uploaded.statusCode !== 201) throw new Error(`upload: ${uploaded.body}`);
const upload = uploaded.json();
const uploadMs = performance.now() - tUpload;
const tDry = performance.now();
const dry = await app.inject({ method: 'POST', url: `/api/v1/equipment-imports/${upload.id}/dry-run`, payload: { mapping: upload.suggestedMapping }, headers: adminAuth });
if (dry.statusCode !== 200 || dry.json().problemCount !== 0) throw new Error(`dry run: ${dry.body.slice(0, 500)}`);
const dryMs = performance.now() - tDry;
const tCommit = performance.now();
const commit = await app.inject({ method: 'POST', url: `/api/v1/equipment-imports/${upload.id}/commit`, payload: { mapping: upload.suggestedMapping }, headers: adminAuth });
if (commit.statusCode !== 202) throw new Error(`commit: ${commit.body}`);
// The job's phases, from its progress and the import's status (polled every 25 ms): 5 % once
// the file is read and checked again, 99 % once the last batch is written, then the import
// is marked succeeded, then the job refreshes the planner's statistics (ANALYZE) and ends.
let jobState = '';
let checkedMs = 0;
let writtenMs = 0;
let succeededMs = 0;
while (jobState !== 'completed' && jobState !== 'failed') {
  await new Promise((r) => setTimeout(r, 25));
  const job = await app.inject({ method: 'GET', url: `/api/v1/jobs/${commit.json().jobId}`, headers: adminAuth });
  jobState = job.json().state;
  const progress = Number(job.json().progress);
  if (jobState === 'failed') throw new Error(`import job failed: ${job.body}`);
  if (!checkedMs && progress >= 5) checkedMs = performance.now() - tCommit;
  if (!writtenMs && progress >= 99) writtenMs = performance.now() - tCommit;
  if (!succeededMs) {
    const status = await app.inject({ method: 'GET', url: `/api/v1/equipment-imports/${upload.id}`, headers: adminAuth });
    if (status.json().status === 'succeeded') succeededMs = performance.now() - tCommit;
  }
}
const commitMs = performance.now() - tCommit;
succeededMs ||= commitMs;
writtenMs ||= succeededMs;
checkedMs ||= writtenMs;
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.info(`\nimport of a ${IMPORT_ROWS.toLocaleString('en')}-row CSV (${(csv.length / 1e6).toFixed(1)} MB):`);
console.info(`  upload + parse ${s1(uploadMs)}, dry run ${s1(dryMs)}, commit until the import is succeeded ${s1(succeededMs)}; total ${s1(uploadMs + dryMs + succeededMs)}`);
console.info(`  commit job: file read and checked again ${s1(checkedMs)}, devices and history written ${s1(writtenMs - checkedMs)}, status ${s1(succeededMs - writtenMs)}; then ANALYZE ${s1(commitMs - succeededMs)} (job ends at ${s1(commitMs)})`);

// The floor the commit is measured against: the same rows, written by one bare
// INSERT … SELECT FROM unnest(…) into a copy of equipment with the same indexes, CHECK and
// foreign-key constraints and the same search-text trigger (no history, no audit, no job).
const territoryId = (await db.selectFrom('sites').select('territoryId').where('id', '=', importSite.id).executeTakeFirstOrThrow()).territoryId;
const imported = await sql<Record<string, unknown>>`
  select site_id as "siteId", location_id as "locationId", inventory_number as "inventoryNumber", model_id as "modelId",
         serial_number as "serialNumber", udi_di as "udiDi", udi_issuing_entity as "udiIssuingEntity", udi_pi as "udiPi", supplier, acquisition_date::text as "acquisitionDate",
         acquisition_cost_cents::text as "acquisitionCostCents", commissioning_date::text as "commissioningDate",
         warranty_end::text as "warrantyEnd", ownership, status, maintenance_mode as "maintenanceMode", criticality,
         maintenance_obligation as "maintenanceObligation", quality_control_obligation as "qualityControlObligation", notes
  from equipment where territory_id = ${territoryId}
    and inventory_number like ${`IMP${run}-%`} order by inventory_number`.execute(db);
if (imported.rows.length !== IMPORT_ROWS) throw new Error(`the import wrote ${imported.rows.length} devices, not ${IMPORT_ROWS}`);
await sql`drop table if exists bench_bare_equipment`.execute(db);
await sql`create table bench_bare_equipment (like equipment including all)`.execute(db);
const constraints = await sql<{ def: string }>`
  select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'equipment'::regclass and contype = 'f'`.execute(db);
for (const c of constraints.rows) await sql`alter table bench_bare_equipment add ${sql.raw(c.def)}`.execute(db);
await sql`create trigger bench_bare_equipment_search_text_trg before insert or update on bench_bare_equipment
  for each row execute function equipment_search_text()`.execute(db);
const column = (name: string) => imported.rows.map((r) => r[name]);
const tBare = performance.now();
await sql`
  insert into bench_bare_equipment (territory_id, site_id, location_id, inventory_number, model_id, serial_number, udi_di,
    udi_issuing_entity, udi_pi, supplier, acquisition_date, acquisition_cost_cents, commissioning_date, warranty_end, ownership, status,
    maintenance_mode, criticality, maintenance_obligation, quality_control_obligation, notes)
  select ${territoryId}::uuid, * from unnest(
    ${column('siteId')}::uuid[], ${column('locationId')}::uuid[], ${column('inventoryNumber')}::text[], ${column('modelId')}::uuid[],
    ${column('serialNumber')}::text[], ${column('udiDi')}::text[], ${column('udiIssuingEntity')}::text[],
    ${column('udiPi')}::text[], ${column('supplier')}::text[],
    ${column('acquisitionDate')}::date[], ${column('acquisitionCostCents')}::bigint[], ${column('commissioningDate')}::date[],
    ${column('warrantyEnd')}::date[], ${column('ownership')}::text[], ${column('status')}::text[], ${column('maintenanceMode')}::text[],
    ${column('criticality')}::text[], ${column('maintenanceObligation')}::boolean[], ${column('qualityControlObligation')}::boolean[],
    ${column('notes')}::text[])`.execute(db);
const bareMs = performance.now() - tBare;
await sql`drop table bench_bare_equipment`.execute(db);
console.info(`  bare INSERT … SELECT FROM unnest of the same rows into a copy of equipment: ${s1(bareMs)}`);
console.info(
  `  commit until succeeded / bare insert: ${(succeededMs / bareMs).toFixed(2)}×; whole job with ANALYZE: ${(commitMs / bareMs).toFixed(2)}×; devices and history written: ${((writtenMs - checkedMs) / bareMs).toFixed(2)}×`,
);
await workers.close();

await bench.close();
await database.close();
console.info(`\ntotal ${secs(t0)}`);
