/**
 * `pnpm bench:work-orders`: seeds the demo territory plus N work orders (default 500,000:
 * about ten years of a large GHT) with their transitions, one assignee each and labour
 * into a real PostgreSQL (BENCH_DATABASE_URL server, default the local one; database
 * gmao_bench_wo is recreated), then prints p50/p95/p99 latency through the API
 * (Fastify inject, no network) of the work-order screens' queries and the register.
 * Options: --orders N, --runs N (default 200), --keep (reuse an already seeded database),
 * --database NAME (default gmao_bench_wo).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { seedDemo } from '@gmao/db';
import { seedWorkOrders } from './lib/bench-seed.js';
import { benchApp, benchDatabase, measure as measureOn, secondsSince as secs } from './lib/bench.js';

const { values: args } = parseArgs({
  options: { orders: { type: 'string', default: '500000' }, runs: { type: 'string', default: '200' }, keep: { type: 'boolean', default: false }, database: { type: 'string', default: 'gmao_bench_wo' } },
});
const ORDERS = Number(args.orders);
const RUNS = Number(args.runs);
const NAME = args.database;

const t0 = performance.now();
const { url, database } = await benchDatabase(NAME, args.keep);
const db = database.db;

if (!args.keep) {
  const { territoryId } = await seedDemo(db);
  console.info(`demo territory seeded (${secs(t0)})`);
  await seedWorkOrders(db, territoryId, ORDERS);
  const t2 = performance.now();
  // As autovacuum leaves a table after a bulk insert: statistics, and the visibility map
  // that lets the list indexes answer without reading the table (index-only scans).
  await sql`vacuum (analyze)`.execute(db);
  console.info(`vacuum, analyze (${secs(t2)})`);
}

const count = Number((await sql<{ n: number }>`select count(*)::int as n from work_orders`.execute(db)).rows[0]!.n);
const bench = await benchApp(url, database);
const engineer = await bench.session('ingenieur@ght-demo.fr');
const technician = await bench.session('tech.chu@ght-demo.fr');
const chu = (await db.selectFrom('sites').select('id').where('shortCode', '=', 'CHU').executeTakeFirstOrThrow()).id;
const busiest = await sql<{ equipmentId: string; n: number }>`
  select equipment_id as "equipmentId", count(*)::int as n from work_orders group by equipment_id order by count(*) desc limit 1`.execute(db);
const device = busiest.rows[0]!;

const measure = (name: string, auth: Record<string, string>, urlFor: (i: number) => string, check: (body: Record<string, unknown>) => boolean) =>
  measureOn(bench.app, RUNS, name, auth, urlFor, check);

const items = (b: Record<string, unknown>) => Array.isArray(b.items) && b.items.length > 0;
console.info(`\n${count.toLocaleString('en')} work orders; ${RUNS} requests each through the API:`);
const open = 'state=requested,assigned,in_progress,on_hold';
await measure('site backlog (open, sorted)', engineer, () => `/api/v1/work-orders?siteId=${chu}&${open}`, items);
await measure('site backlog, overdue only', engineer, () => `/api/v1/work-orders?siteId=${chu}&overdue=true`, items);
await measure('to verify (completed, all sites)', engineer, () => '/api/v1/work-orders?state=completed', items);
await measure('my work orders (technician)', technician, () => `/api/v1/work-orders?assignee=me&${open}`, items);
const words = ['hydraulique', 'batterie', 'ecran noir', 'BT-B-00001', 'capteur'];
// The symptoms come from 7 phrases: each word matches one work order in seven (a pessimistic case).
await measure('text search (q) in open work orders', engineer, (i) => `/api/v1/work-orders?q=${encodeURIComponent(words[i % words.length]!)}&${open}`, items);
await measure('text search (q) over every work order', engineer, (i) => `/api/v1/work-orders?q=${encodeURIComponent(words[i % words.length]!)}`, items);
const numbers = (await sql<{ number: string }>`select number from work_orders order by random() limit 50`.execute(db)).rows.map((r) => r.number);
await measure('text search, one work-order number', engineer, (i) => `/api/v1/work-orders?q=${numbers[i % numbers.length]}`, (b) => Array.isArray(b.items) && b.items.length === 1);
await measure('text search matching nothing', engineer, (i) => `/api/v1/work-orders?q=introuvable${i}`, (b) => Array.isArray(b.items) && b.items.length === 0);
await measure(`a device's work orders (${device.n})`, engineer, () => `/api/v1/work-orders?equipmentId=${device.equipmentId}`, items);
await measure(`a device's register (JSON, ${device.n} operations)`, engineer, () => `/api/v1/equipment/${device.equipmentId}/register`, (b) => Array.isArray(b.entries));

await bench.close();
await database.close();
console.info(`\ntotal ${secs(t0)}`);
