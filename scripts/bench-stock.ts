/**
 * `pnpm bench:stock` (issue 12): seeds the demo territory plus --sites sites in all (default
 * 50, each with a store and coordinates) and --parts spare parts (default 100,000), each
 * stocked in 1 to 5 stores, some below their minimum, with one receipt on the ledger per
 * stocked pair so that the ledger equals on hand from the start, into a real PostgreSQL
 * (BENCH_DATABASE_URL server, default the local one; database gmao_bench_stock, dropped at
 * the end unless --keep). Set-based SQL, no row-by-row inserts.
 *
 * Then, each beside its bare baseline measured in the same run (absolute times vary by
 * machine; the ratios are the figure to watch):
 * - p50/p95/p99 through the API (Fastify inject, page cache off) of the availability query
 *   (aim: p95 ≤ 10 ms) and of the below-minimum list, against the same queries as bare SQL;
 *   and of the proposed grouped order (one supplier, one site, the whole territory);
 * - the throughput of --clients concurrent technicians (default 50) issuing one unit of one
 *   hot part over real HTTP to a started API process (`node` on the production bundle), each
 *   until it gets a 409 (stock exhausted), against 50 bare clients looping
 *   `UPDATE … SET on_hand = on_hand - 1 WHERE on_hand >= 1` on a copy of the row;
 * and finally checks, in one query, that no stock is negative and that for every (store,
 * part) the ledger's sum equals on hand: prints OK or FAILED (exit code 1).
 *
 * Options: --parts N, --sites N (5 to 50), --runs N (default 200), --hot N (the hot part's
 * stock, default 5000), --clients N, --keep (keep the database, and reuse it if it is
 * already seeded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createDatabase, dropDatabase, seedDemo } from '@gmao/db';
import { giveSitesCoordinates, seedExtraSites } from './lib/bench-seed.js';
import {
  BENCH_REDIS_URL, BENCH_SERVER, benchApp, benchDatabase, freePort, measure, percentiles, printPercentiles, secondsSince as secs,
  type Percentiles,
} from './lib/bench.js';
import { NODE_RUNTIME_FLAGS, buildServer, serverBuildIsStale } from './lib/server-build.js';

const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: '100000' },
    sites: { type: 'string', default: '50' },
    runs: { type: 'string', default: '200' },
    hot: { type: 'string', default: '5000' },
    clients: { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false },
  },
});
const PARTS = Number(args.parts);
const SITES = Number(args.sites);
const RUNS = Number(args.runs);
const HOT = Number(args.hot);
const CLIENTS = Number(args.clients);
const NAME = 'gmao_bench_stock';
const ROOT = new URL('..', import.meta.url).pathname;
if (!(SITES >= 5 && SITES <= 50)) throw new Error('--sites: between 5 (the demo) and 50');

const t0 = performance.now();
// --keep reuses the database when it exists (a previous --keep run), and creates it otherwise.
const server = createDatabase({ url: BENCH_SERVER, poolMax: 1 });
const exists = (await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${NAME}`.execute(server.db)).rows[0]!.n > 0;
await server.close();
const { url, database } = await benchDatabase(NAME, args.keep && exists);
const db = database.db;
const seeded = args.keep && (await sql<{ n: number }>`select count(*)::int as n from parts where reference like 'BP-%'`.execute(db)).rows[0]!.n > 0;
if (!seeded) {
  const { territoryId } = await seedDemo(db, { workOrders: false });
  console.info(`demo territory seeded (${secs(t0)})`);
  const t1 = performance.now();
  if (SITES > 5) await seedExtraSites(db, territoryId, SITES - 5);
  await giveSitesCoordinates(db, territoryId);
  // A store for every site without one (the demo's sites have theirs).
  await sql`
    insert into stores (territory_id, site_id, code, name)
    select ${territoryId}, s.id, 'ATELIER', 'Atelier biomédical' from sites s
    where s.territory_id = ${territoryId} and not exists (select 1 from stores st where st.site_id = s.id)`.execute(db);
  console.info(`${SITES - 5} extra sites with locations, coordinates and a store each (${secs(t1)})`);

  const t2 = performance.now();
  await sql`
    insert into parts (territory_id, reference, manufacturer, manufacturer_part_number, description, unit, default_supplier, last_unit_cost_cents)
    select ${territoryId}, 'BP-' || lpad(g::text, 7, '0'),
           (array['Dräger','B. Braun','Zoll','Masimo','Philips','Fresenius','GE Healthcare','Erbe'])[1 + g % 8], 'MPN-' || g,
           (array['Batterie','Capteur SpO2','Filtre antibactérien','Câble secteur','Porte de pompe','Électrodes de défibrillation',
                  'Joint de pompe','Fusible','Sonde de température','Brassard PNI','Cellule O2','Capteur de débit'])[1 + g % 12] || ' série ' || (g % 997),
           (array['piece','piece','piece','box','kit','pack'])[1 + g % 6], 'Fournisseur ' || (g % 40), 500 + (g % 500) * 100
    from generate_series(1, ${PARTS}::int) g`.execute(db);
  console.info(`${PARTS.toLocaleString('en')} parts (${secs(t2)})`);

  // Part g is stocked in 1 + g % 5 stores (3 on average), stores taken in turn; on hand 0 to
  // 20, minimum 0 to 5: about a quarter of the rows are below their minimum.
  const t3 = performance.now();
  await sql`
    with st as (select array_agg(id order by id) as ids, array_agg(site_id order by id) as sites, count(*)::int as c
                  from stores where territory_id = ${territoryId}),
         p as (select id, substr(reference, 4)::int as g from parts where territory_id = ${territoryId} and reference like 'BP-%')
    insert into stock (store_id, part_id, territory_id, site_id, on_hand, minimum, maximum, bin, average_unit_cost_cents)
    select st.ids[1 + (p.g::bigint * 7919 + k * 26) % st.c], p.id, ${territoryId}, st.sites[1 + (p.g::bigint * 7919 + k * 26) % st.c],
           case when (p.g + k) % 7 = 0 then 0 else 1 + (p.g * k) % 20 end, (p.g + k) % 6, 40, 'R' || (p.g % 30) || '-' || k,
           500 + (p.g % 500) * 100
    from p, st, generate_series(1, 1 + p.g % 5) k
    on conflict do nothing`.execute(db);
  // One receipt per stocked pair: the ledger equals on hand from the start.
  await sql`
    insert into stock_movements (territory_id, store_id, part_id, type, delta, quantity, unit_cost_cents, supplier, created_by, created_at)
    select k.territory_id, k.store_id, k.part_id, 'receipt', k.on_hand, k.on_hand, k.average_unit_cost_cents, 'Fournisseur banc',
           (select id from users where email = 'admin@ght-demo.fr'), now() - interval '30 days'
    from stock k join parts p on p.id = k.part_id
    where k.territory_id = ${territoryId} and p.reference like 'BP-%' and k.on_hand > 0`.execute(db);
  console.info(`stock rows and their receipts (${secs(t3)})`);
  const t4 = performance.now();
  await sql`vacuum (analyze)`.execute(db);
  console.info(`vacuum (analyze) (${secs(t4)})`);
}

const shape = (
  await sql<{ stores: number; rows: number; parts: number; below: number; movements: number }>`
    select (select count(*)::int from stores) as stores, (select count(*)::int from stock) as rows,
           (select count(*)::int from parts) as parts, (select count(*)::int from stock where on_hand < minimum) as below,
           (select count(*)::int from stock_movements) as movements`.execute(db)
).rows[0]!;
console.info(
  `\n${shape.parts.toLocaleString('en')} parts, ${SITES} sites, ${shape.stores} stores; ${shape.rows.toLocaleString('en')} stock rows ` +
    `(each bench part stocked in 1 to 5 stores, 3 on average), ${shape.below.toLocaleString('en')} below their minimum; ` +
    `${shape.movements.toLocaleString('en')} ledger rows`,
);

const ratio = (api: Percentiles, bare: Percentiles) =>
  `  API / bare SQL: p50 ${(api.p50 / bare.p50).toFixed(1)}×, p95 ${(api.p95 / bare.p95).toFixed(1)}×, p99 ${(api.p99 / bare.p99).toFixed(1)}×`;

/** Runs a query `runs` times (after ten warm-up runs) and returns its p50/p95/p99. */
async function measureSql(runs: number, run: (i: number) => Promise<unknown>): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const started = performance.now();
    await run(i);
    if (i >= 10) times.push(performance.now() - started);
  }
  return percentiles(times);
}

let failed = false;
const children: ChildProcess[] = [];
try {
  // ---- Latencies (Fastify inject, page cache off: every request renders its answer) ------
  const bench = await benchApp(url, database, { PAGE_CACHE_SECONDS: '0' });
  const app = bench.app;
  const technician = await bench.session('tech.chu@ght-demo.fr');
  const territoryId = (await db.selectFrom('sites').select('territoryId').where('shortCode', '=', 'CHU').executeTakeFirstOrThrow()).territoryId;
  const sample = (
    await sql<{ id: string }>`select id from parts where reference like 'BP-%' order by hashtext(id::text) limit ${RUNS + 10}`.execute(db)
  ).rows.map((r) => r.id);
  const sites = (await db.selectFrom('sites').select('id').where('territoryId', '=', territoryId).orderBy('id').execute()).map((s) => s.id);

  console.info(`\n${RUNS} requests each (Fastify inject, page cache off), beside the same query as bare SQL:`);
  const availability = await measure(app, RUNS, 'GET /stock/availability?partId=', technician,
    (i) => `/api/v1/stock/availability?partId=${sample[i % sample.length]}`, (b) => Array.isArray(b.items));
  // The bare query: the stores holding the part, with their sites and the part (as the
  // repository's holdings()), and the asker's home site coordinates.
  const techId = (await db.selectFrom('users').select('id').where('email', '=', 'tech.chu@ght-demo.fr').executeTakeFirstOrThrow()).id;
  const bareAvailability = await measureSql(RUNS, async (i) => {
    await sql`select s.latitude, s.longitude from users u join sites s on s.id = u.home_site_id where u.id = ${techId}`.execute(db);
    await sql`
      select k.store_id, st.name, k.site_id, s.name, s.latitude, s.longitude, k.part_id, p.reference, p.description, k.on_hand, k.reserved
      from stock k join stores st on st.id = k.store_id join sites s on s.id = k.site_id join parts p on p.id = k.part_id
      where k.territory_id = ${territoryId} and k.part_id in (${sample[i % sample.length]}) and k.on_hand > 0 and st.active`.execute(db);
  });
  printPercentiles('  bare SQL (home site + holdings)', bareAvailability);
  console.info(ratio(availability, bareAvailability));
  console.info(`  aim p95 ≤ 10 ms: ${availability.p95 <= 10 ? 'met' : 'NOT met'} (${availability.p95.toFixed(1)} ms)`);

  const words = ['batterie', 'capteur spo2', 'filtre 12', 'porte pompe', 'fusible serie 40', 'brassard'];
  await measure(app, RUNS, 'GET /stock/availability?q=', technician,
    (i) => `/api/v1/stock/availability?q=${encodeURIComponent(words[i % words.length]!)}`, (b) => Array.isArray(b.items));

  const below = await measure(app, RUNS, 'GET /stock?belowMinimum=true&limit=50', technician,
    () => '/api/v1/stock?belowMinimum=true&limit=50', (b) => Array.isArray(b.items) && b.items.length === 50);
  const bareBelow = await measureSql(RUNS, () => sql`
    select store_id, site_id, part_id, on_hand, reserved, minimum, maximum, bin, average_unit_cost_cents from stock
    where territory_id = ${territoryId} and on_hand < minimum order by store_id, part_id limit 51`.execute(db));
  printPercentiles('  bare SQL', bareBelow);
  console.info(ratio(below, bareBelow));
  const belowSite = await measure(app, RUNS, 'GET /stock?belowMinimum=true&siteId=&limit=50', technician,
    (i) => `/api/v1/stock?belowMinimum=true&limit=50&siteId=${sites[i % sites.length]}`, (b) => Array.isArray(b.items));
  const bareBelowSite = await measureSql(RUNS, (i) => sql`
    select store_id, site_id, part_id, on_hand, reserved, minimum, maximum, bin, average_unit_cost_cents from stock
    where territory_id = ${territoryId} and site_id = ${sites[i % sites.length]} and on_hand < minimum order by store_id, part_id limit 51`.execute(db));
  printPercentiles('  bare SQL', bareBelowSite);
  console.info(ratio(belowSite, bareBelowSite));

  // The proposed grouped order (ADR 0014), from the rows below minimum: one supplier's parts,
  // one site's stores, and the whole territory at once (every row below minimum in one answer).
  const suppliers = (
    await sql<{ s: string }>`select distinct default_supplier as s from parts where territory_id = ${territoryId} and default_supplier is not null order by 1 limit 20`.execute(db)
  ).rows.map((r) => r.s);
  const hasGroups = (b: Record<string, unknown>) => Array.isArray(b.groups);
  await measure(app, RUNS, 'GET /purchasing/grouped-order?supplier=', technician,
    (i) => `/api/v1/purchasing/grouped-order?supplier=${encodeURIComponent(suppliers[i % suppliers.length]!)}`, hasGroups);
  await measure(app, Math.min(RUNS, 20), 'GET /purchasing/grouped-order?siteId=', technician,
    (i) => `/api/v1/purchasing/grouped-order?siteId=${sites[i % sites.length]}`, hasGroups);
  await measure(app, Math.min(RUNS, 5), 'GET /purchasing/grouped-order (whole territory)', technician, () => '/api/v1/purchasing/grouped-order', hasGroups);

  // ---- The hot part: real HTTP, concurrent technicians ------------------------------------
  // The hot part's stock arrives as a receipt through the API, like any other.
  const engineer = await bench.session('ingenieur@ght-demo.fr');
  const hotStore = (await sql<{ id: string; siteId: string }>`
    select st.id, st.site_id as "siteId" from stores st join sites s on s.id = st.site_id where s.short_code = 'CHU' order by st.code limit 1`.execute(db)).rows[0]!;
  const hotPart = sample[0]!;
  const before = await db.selectFrom('stock').select(['onHand', 'reserved']).where('storeId', '=', hotStore.id).where('partId', '=', hotPart).executeTakeFirst();
  const already = before ? before.onHand - before.reserved : 0;
  const receipt = await app.inject({
    method: 'POST', url: '/api/v1/stock/movements', headers: engineer,
    payload: { type: 'receipt', storeId: hotStore.id, partId: hotPart, quantity: HOT, unitCostCents: 1000 },
  });
  if (receipt.statusCode !== 201) throw new Error(`hot part receipt: ${receipt.statusCode} ${receipt.body}`);
  const available = already + HOT;
  await bench.close();

  if (serverBuildIsStale()) await buildServer();
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_RUNTIME_FLAGS, 'apps/api/dist/main.js'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env, DATABASE_URL: url, REDIS_URL: BENCH_REDIS_URL, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', QUEUE_PREFIX: 'gmao-bench-stock', START_REDIS: 'false', API_PROCESSES: '1',
    },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`API exited with ${code}:\n${stderr}`);
  });
  children.push(child);
  const api = `http://127.0.0.1:${port}`;
  const until = Date.now() + 120_000;
  while (!(await fetch(`${api}/api/health`).then((r) => r.ok, () => false))) {
    if (Date.now() > until) throw new Error('the API did not answer within 120 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  const login = await fetch(`${api}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;

  // Each client issues one unit at a time until it gets a 409 (the stock is exhausted).
  const counts = { created: 0, conflict: 0, other: 0 };
  const body = JSON.stringify({ type: 'issue', storeId: hotStore.id, partId: hotPart, quantity: 1 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const tApi = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (;;) {
      const res = await fetch(`${api}/api/v1/stock/movements`, { method: 'POST', headers, body });
      await res.arrayBuffer();
      if (res.status === 201) counts.created++;
      else if (res.status === 409) {
        counts.conflict++;
        return;
      } else {
        counts.other++;
        if (counts.other > 100) throw new Error(`issues: ${res.status} ${await res.text().catch(() => '')}`);
      }
    }
  }));
  const apiSeconds = (performance.now() - tApi) / 1000;
  const apiRate = (counts.created + counts.conflict + counts.other) / apiSeconds;

  // The bare baseline: the same number of units on a copy of the row, 50 pg clients looping
  // UPDATE … SET on_hand = on_hand - 1 WHERE on_hand >= 1 (autocommit) until none is left.
  await sql`drop table if exists bench_bare_stock`.execute(db);
  await sql`create table bench_bare_stock (like stock including all)`.execute(db);
  await sql`insert into bench_bare_stock select * from stock where store_id = ${hotStore.id} and part_id = ${hotPart}`.execute(db);
  await sql`update bench_bare_stock set on_hand = ${available}, reserved = 0`.execute(db);
  const pool = createDatabase({ url, poolMax: CLIENTS });
  const bare = { updated: 0, none: 0 };
  const tBare = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (;;) {
      const r = await sql`update bench_bare_stock set on_hand = on_hand - 1 where store_id = ${hotStore.id} and part_id = ${hotPart} and on_hand >= 1`.execute(pool.db);
      if (Number(r.numAffectedRows ?? 0) === 1) bare.updated++;
      else {
        bare.none++;
        return;
      }
    }
  }));
  const bareSeconds = (performance.now() - tBare) / 1000;
  const bareRate = (bare.updated + bare.none) / bareSeconds;
  await pool.close();
  await sql`drop table bench_bare_stock`.execute(db);

  console.info(`\nhot part: ${available.toLocaleString('en')} units in one store, ${CLIENTS} concurrent clients issuing one each until a 409 (real HTTP, one API process):`);
  console.info(
    `  API: ${counts.created} × 201, ${counts.conflict} × 409, ${counts.other} other in ${apiSeconds.toFixed(1)} s: ` +
      `${apiRate.toFixed(0)} req/s (${(counts.created / apiSeconds).toFixed(0)} issues/s)`,
  );
  console.info(`  bare UPDATE … WHERE on_hand >= 1 by ${CLIENTS} pg clients: ${bare.updated} updated, ${bare.none} none in ${bareSeconds.toFixed(2)} s: ${bareRate.toFixed(0)} statements/s`);
  console.info(`  bare / API throughput: ${(bareRate / apiRate).toFixed(1)}×`);
  if (counts.created !== available) {
    console.error(`  FAILED: ${counts.created} issues accepted for ${available} units`);
    failed = true;
  }

  // ---- The books ----------------------------------------------------------------------------
  const check = (
    await sql<{ negative: number; mismatched: number; pairs: number; hot: number }>`
      select count(*) filter (where k.on_hand < 0 or k.reserved < 0)::int as negative,
             count(*) filter (where k.on_hand is distinct from coalesce(m.total, 0))::int as mismatched,
             count(*)::int as pairs,
             max(k.on_hand) filter (where k.store_id = ${hotStore.id} and k.part_id = ${hotPart})::int as hot
      from stock k
      full join (select store_id, part_id, sum(delta)::int as total from stock_movements group by store_id, part_id) m
        on m.store_id = k.store_id and m.part_id = k.part_id`.execute(db)
  ).rows[0]!;
  const ok = check.negative === 0 && check.mismatched === 0 && check.hot === (before?.reserved ?? 0);
  console.info(
    `\nbooks: ${check.pairs.toLocaleString('en')} (store, part) pairs, ${check.negative} negative, ${check.mismatched} where the ledger's sum differs from on hand; ` +
      `hot part on hand ${check.hot}: ${ok ? 'OK' : 'FAILED'}`,
  );
  if (!ok) failed = true;
} finally {
  for (const child of children) child.kill('SIGTERM');
  await database.close();
  if (!args.keep) await dropDatabase(BENCH_SERVER, NAME);
}
console.info(`\ntotal ${secs(t0)}`);
if (failed) process.exitCode = 1;
