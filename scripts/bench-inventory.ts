/**
 * `pnpm bench:inventory`: seeds 1,000,000 devices over 50 sites into a real PostgreSQL
 * (BENCH_DATABASE_URL server, default the local one; database gmao_bench is recreated),
 * then prints p50/p95/p99 latency through the API (Fastify inject, no network) of the
 * inventory's main queries. Options: --devices N (default 1000000), --runs N (default 200),
 * --keep (reuse an already seeded gmao_bench).
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
  options: { devices: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '200' }, keep: { type: 'boolean', default: false } },
});
const DEVICES = Number(args.devices);
const RUNS = Number(args.runs);
const NAME = 'gmao_bench';

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
let jobState = '';
while (jobState !== 'completed' && jobState !== 'failed') {
  await new Promise((r) => setTimeout(r, 200));
  const job = await app.inject({ method: 'GET', url: `/api/v1/jobs/${commit.json().jobId}`, headers: adminAuth });
  jobState = job.json().state;
  if (jobState === 'failed') throw new Error(`import job failed: ${job.body}`);
}
const commitMs = performance.now() - tCommit;
console.info(`\nimport of a ${IMPORT_ROWS.toLocaleString('en')}-row CSV (${(csv.length / 1e6).toFixed(1)} MB):`);
console.info(`  upload + parse ${(uploadMs / 1000).toFixed(1)} s, dry run ${(dryMs / 1000).toFixed(1)} s, commit job ${(commitMs / 1000).toFixed(1)} s; total ${((uploadMs + dryMs + commitMs) / 1000).toFixed(1)} s`);
await workers.close();

await bench.close();
await database.close();
console.info(`\ntotal ${secs(t0)}`);
