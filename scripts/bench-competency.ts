/**
 * `pnpm bench:competency` (issue 14): the competency map's reads at the size of a large
 * territory. Seeds the demo territory plus --sites sites in all (default 30, with coordinates)
 * and --people technicians and engineers (default 400) spread over them, each holding
 * --skills-per-person maintenance skills (default 12, levels and certificates mixed), with 0 to
 * 8 open work orders assigned each (their load), into a real PostgreSQL (BENCH_DATABASE_URL
 * server, default the local one; database gmao_bench_competency, dropped at the end unless
 * --keep). Set-based SQL.
 *
 * Then p50/p95/p99 through the API (Fastify inject, page cache off) of the matrix (the
 * territory, one site), the coverage, the needs, the expiring certificates and the ranked
 * candidates of a work order; beside them, in the same run, the bare baseline: the API's
 * hello-world (`GET /api/health`) and the bare SQL reading the rows each answer is made of
 * (absolute times vary by machine; the ratios are the figure to watch).
 *
 * Options: --sites N (5 to 50), --people N, --skills-per-person N, --runs N (default 100), --keep.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createDatabase, dropDatabase, seedDemo } from '@gmao/db';
import { seedExtraSites } from './lib/bench-seed.js';
import { benchApp, benchDatabase, BENCH_SERVER, measure, percentiles, printPercentiles, secondsSince as secs, type Percentiles } from './lib/bench.js';

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '30' },
    people: { type: 'string', default: '400' },
    'skills-per-person': { type: 'string', default: '12' },
    runs: { type: 'string', default: '100' },
    keep: { type: 'boolean', default: false },
  },
});
const SITES = Number(args.sites);
const PEOPLE = Number(args.people);
const PER_PERSON = Number(args['skills-per-person']);
const RUNS = Number(args.runs);
const NAME = 'gmao_bench_competency';
if (!(SITES >= 5 && SITES <= 50)) throw new Error('--sites: between 5 (the demo) and 50');
if (!(PEOPLE >= 1 && PER_PERSON >= 1 && RUNS >= 1)) throw new Error('--people, --skills-per-person and --runs: at least 1');

const t0 = performance.now();
const server = createDatabase({ url: BENCH_SERVER, poolMax: 1 });
const exists = (await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${NAME}`.execute(server.db)).rows[0]!.n > 0;
await server.close();
const { url, database } = await benchDatabase(NAME, args.keep && exists);
const db = database.db;
const seeded = args.keep && (await sql<{ n: number }>`select count(*)::int as n from users where email like 'bench.%'`.execute(db)).rows[0]!.n > 0;
if (!seeded) {
  const { territoryId } = await seedDemo(db);
  console.info(`demo territory seeded (${secs(t0)})`);
  const t1 = performance.now();
  if (SITES > 5) await seedExtraSites(db, territoryId, SITES - 5);
  await sql`
    update sites set latitude = 47.4 + (hashtext(short_code) & 1023) / 1023.0 * 1.0,
                     longitude = 1.5 + ((hashtext(short_code) >> 10) & 1023) / 1023.0 * 1.6
    where territory_id = ${territoryId} and latitude is null`.execute(db);
  // People: technicians (9 in 10) and engineers, each on one site in turn; the demo's password hash.
  await sql`
    with s as (select array_agg(id order by short_code) as ids, count(*)::int as c from sites where territory_id = ${territoryId}),
    u as (
      insert into users (territory_id, email, full_name, password_hash, home_site_id)
      select ${territoryId}, 'bench.' || g || '@ght-demo.fr', 'Banc ' || lpad(g::text, 5, '0'),
             (select password_hash from users where email = 'tech.chu@ght-demo.fr'), s.ids[1 + g % s.c]
      from generate_series(1, ${PEOPLE}::int) g, s
      returning id, home_site_id, email)
    insert into role_grants (territory_id, user_id, site_id, role)
    select ${territoryId}, u.id, u.home_site_id, case when substr(u.email, 7, strpos(u.email, '@') - 7)::int % 10 = 0 then 'engineer' else 'technician' end
    from u`.execute(db);
  // Skills: each person holds PER_PERSON maintenance skills taken in turn from the catalogue,
  // levels and validation mixed, a certificate on one in four (some expired, some soon).
  await sql`
    with k as (select array_agg(id order by code) as ids, count(*)::int as c from skills
                 where territory_id = ${territoryId} and skill_category = 'equipment_maintenance' and active),
    p as (select id, row_number() over (order by email)::int as n from users where email like 'bench.%')
    insert into user_skills (territory_id, user_id, skill_id, level, validated, validated_by, validated_at, proposed_by, certificate_expires_at, evidence)
    select ${territoryId}, p.id, k.ids[1 + (p.n * 7 + j * 13) % k.c],
           (array['beginner','confirmed','confirmed','expert'])[1 + (p.n + j) % 4],
           (p.n + j) % 6 <> 0,
           case when (p.n + j) % 6 <> 0 then (select id from users where email = 'ingenieur@ght-demo.fr') end,
           case when (p.n + j) % 6 <> 0 then now() end,
           p.id,
           case when (p.n + j) % 4 = 0 then current_date + ((p.n * 31 + j * 17) % 700) - 120 end,
           'Formation constructeur'
    from p, k, generate_series(1, ${PER_PERSON}::int) j
    on conflict do nothing`.execute(db);
  // Load: 0 to 8 open work orders assigned to each person, on the demo's devices (of any site:
  // the extra sites have none).
  await sql`
    with p as (select u.id, row_number() over (order by u.email)::int as n from users u where u.email like 'bench.%'),
    e as (select array_agg(id order by id) as ids, array_agg(site_id order by id) as sites, count(*)::int as c from equipment where territory_id = ${territoryId}),
    w as (
      insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, state)
      select ${territoryId}, e.sites[1 + (p.n * 31 + j) % e.c], e.ids[1 + (p.n * 31 + j) % e.c], 'BENCH-' || p.n || '-' || j, 'corrective', 'normal',
             'Panne de banc', p.id, 'assigned'
      from p, e, generate_series(1, (p.n % 9)) j
      returning id, requested_by, site_id)
    insert into work_order_assignees (work_order_id, user_id, assigned_by, cross_site)
    select w.id, w.requested_by, w.requested_by, not exists (select 1 from role_grants g where g.user_id = w.requested_by and g.site_id = w.site_id) from w`.execute(db);
  await sql`vacuum (analyze)`.execute(db);
  console.info(`${SITES - 5} extra sites, ${PEOPLE} people with ${PER_PERSON} skills each and their open work (${secs(t1)})`);
}

const shape = (
  await sql<{ people: number; skills: number; userSkills: number; sites: number; openWork: number }>`
    select (select count(*)::int from users u where exists (select 1 from role_grants g where g.user_id = u.id and g.role in ('technician','engineer'))) as people,
           (select count(*)::int from skills where active) as skills, (select count(*)::int from user_skills) as "userSkills",
           (select count(*)::int from sites) as sites, (select count(*)::int from work_order_assignees) as "openWork"`.execute(db)
).rows[0]!;
console.info(
  `\n${shape.people} technicians and engineers, ${shape.skills} active skills, ${shape.userSkills.toLocaleString('en')} skills held, ` +
    `${shape.sites} sites, ${shape.openWork.toLocaleString('en')} assignments`,
);

async function measureSql(runs: number, run: () => Promise<unknown>): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const started = performance.now();
    await run();
    if (i >= 10) times.push(performance.now() - started);
  }
  return percentiles(times);
}
const ratio = (api: Percentiles, bare: Percentiles, what: string) =>
  console.info(`  API / ${what}: p50 ${(api.p50 / bare.p50).toFixed(1)}×, p95 ${(api.p95 / bare.p95).toFixed(1)}×`);

const bench = await benchApp(url, database, { PAGE_CACHE_SECONDS: '0' });
try {
  const app = bench.app;
  const engineer = await bench.session('ingenieur@ght-demo.fr');
  const territoryId = (await db.selectFrom('sites').select('territoryId').where('shortCode', '=', 'CHU').executeTakeFirstOrThrow()).territoryId;
  const siteId = (await db.selectFrom('sites').select('id').where('shortCode', '=', 'CHU').executeTakeFirstOrThrow()).id;
  const workOrders = (
    await sql<{ id: string }>`select id from work_orders where state in ('requested','assigned') order by hashtext(id::text) limit 50`.execute(db)
  ).rows.map((r) => r.id);

  console.info(`\n${RUNS} requests each (Fastify inject, page cache off):`);
  const hello = await measure(app, RUNS, 'GET /api/health (hello-world baseline)', {}, () => '/api/health', () => true);
  const matrix = await measure(app, RUNS, 'GET /competency/matrix', engineer, () => '/api/v1/competency/matrix', (b) => Array.isArray(b.cells));
  const bareMatrix = await measureSql(RUNS, () => sql`
    select us.user_id, us.skill_id, us.level, us.validated, us.certificate_expires_at from user_skills us join skills k on k.id = us.skill_id
    where us.territory_id = ${territoryId} and k.active`.execute(db));
  printPercentiles('  bare SQL (the cells)', bareMatrix);
  ratio(matrix, bareMatrix, 'bare SQL');
  ratio(matrix, hello, 'hello-world');
  await measure(app, RUNS, 'GET /competency/matrix?siteId=', engineer, () => `/api/v1/competency/matrix?siteId=${siteId}`, (b) => Array.isArray(b.cells));
  const coverage = await measure(app, RUNS, 'GET /competency/coverage', engineer, () => '/api/v1/competency/coverage', (b) => Array.isArray(b.categories));
  ratio(coverage, hello, 'hello-world');
  const needs = await measure(app, RUNS, 'GET /competency/needs', engineer, () => '/api/v1/competency/needs', (b) => Array.isArray(b.trainings));
  ratio(needs, hello, 'hello-world');
  await measure(app, RUNS, 'GET /competency/certificates', engineer, () => '/api/v1/competency/certificates', (b) => Array.isArray(b.items));
  const candidates = await measure(app, RUNS, 'GET /work-orders/{id}/candidates', engineer,
    (i) => `/api/v1/work-orders/${workOrders[i % workOrders.length]}/candidates?limit=50`, (b) => Array.isArray(b.items));
  const bareCandidates = await measureSql(RUNS, () => sql`
    select u.id, u.full_name, g.site_id, s.latitude, s.longitude,
           (select count(*) from work_order_assignees a join work_orders w on w.id = a.work_order_id
             where a.user_id = u.id and w.state not in ('completed','closed','cancelled')) as open
    from users u join role_grants g on g.user_id = u.id and g.role in ('technician','engineer') join sites s on s.id = g.site_id
    where u.territory_id = ${territoryId} and u.active`.execute(db));
  printPercentiles('  bare SQL (people, sites, open work)', bareCandidates);
  ratio(candidates, bareCandidates, 'bare SQL');
  ratio(candidates, hello, 'hello-world');
  const size = (await app.inject({ method: 'GET', url: '/api/v1/competency/matrix', headers: engineer })).body.length;
  console.info(`\nmatrix answer for the territory: ${(size / 1024).toFixed(0)} KiB`);
} finally {
  await bench.close();
  await database.close();
  if (!args.keep) {
    await dropDatabase(BENCH_SERVER, NAME);
  }
}
console.info(`\ntotal ${secs(t0)}`);
