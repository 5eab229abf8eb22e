/**
 * `pnpm bench:kpis` (issue 15, ADR 0022): seeds the demo territory plus --devices devices
 * (default 1,000,000, spread over the demo's sites and models, in service for --days + 50
 * days) and --work-orders corrective work orders (default 10 per device) over the last --days
 * days (default 400), half of them with a downtime, a labour line on every other one, a
 * vendor intervention on one in ten, into a real PostgreSQL (BENCH_DATABASE_URL server;
 * database gmao_bench_kpis, dropped at the end unless --keep). Set-based SQL, as a bulk load: the
 * dirty-range triggers and foreign-key checks off, the work orders' secondary indexes dropped
 * while they go in (chunks of 500,000) and built once after; then a rebuild.
 *
 * Then, timed:
 * 1. a full rebuild of the rollups over the period (month by month, as `pnpm kpi:rebuild`),
 *    beside a bare baseline: one `GROUP BY` pass over the raw work orders and labour of the
 *    period (what any rollup must at least read);
 * 2. one day's incremental update: a day's worth of new work orders written with the
 *    triggers on, then one run of the kpi-rollup job (processKpiDirty);
 * 3. through the API (Fastify inject): p50/p95/p99 of GET /kpis for the territory over 12
 *    months, and of GET /kpis/series (availability, 12 months), beside the bare SQL sum of
 *    the rollups the answer reads (whole months from kpi_monthly, partial ones from
 *    kpi_daily; aim: p95 ≤ 100 ms).
 *
 * Options: --devices N, --work-orders N, --days N, --runs N, --keep, --db NAME (default
 * gmao_bench_kpis), --seed-only (seed, keep the database and stop), --reuse (measure a database
 * a previous --seed-only or --keep run left, migrated to the current schema, without seeding:
 * at 1,000,000 devices the seed takes longer than the measures), --resume (seed what a
 * stopped --seed-only run left unseeded: its devices are kept, the work orders go on from the
 * last whole chunk, the dropped indexes are built).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { dropDatabase, processKpiDirty, rebuildKpiRollups, seedDemo } from '@gmao/db';
import { addDays, monthsOf, parisDay } from '@gmao/domain';
import { BENCH_SERVER, benchApp, benchDatabase, measure, percentiles, printPercentiles, secondsSince as secs, timed } from './lib/bench.js';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000000' },
    'work-orders': { type: 'string' },
    days: { type: 'string', default: '400' },
    runs: { type: 'string', default: '100' },
    keep: { type: 'boolean', default: false },
    db: { type: 'string', default: 'gmao_bench_kpis' },
    'seed-only': { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    resume: { type: 'boolean', default: false },
  },
});
const DEVICES = Number(args.devices);
const ORDERS = Number(args['work-orders'] ?? DEVICES * 10);
const DAYS = Number(args.days);
const RUNS = Number(args.runs);
if (!(DEVICES >= 100 && DEVICES <= 5_000_000)) throw new Error('--devices: between 100 and 5,000,000');
if (!(ORDERS >= 100 && ORDERS <= 50_000_000)) throw new Error('--work-orders: between 100 and 50,000,000');
if (!(DAYS >= 31 && DAYS <= 1500)) throw new Error('--days: between 31 and 1,500');
const NAME = args.db;
if (!/^gmao_bench_[a-z0-9_]+$/.test(NAME)) throw new Error('--db: gmao_bench_ followed by lower-case letters, digits or _');
const KEEP = args.keep || args['seed-only'] || args.reuse || args.resume;
const today = parisDay(new Date());
const from = addDays(today, -DAYS);
const TRIGGERS = [
  ['work_orders', 'kpi_work_orders_insert'], ['work_orders', 'kpi_work_orders_update'], ['work_order_labour', 'kpi_labour_dirty'],
  ['work_order_external', 'kpi_external_dirty'], ['equipment_events', 'kpi_equipment_events_dirty'], ['equipment', 'kpi_equipment_dirty'],
  ['equipment', 'equipment_search_text_trg'],
] as const;
/** The tables loaded in bulk, whose secondary indexes are built after the load. */
const BULK_TABLES = ['work_orders', 'work_order_labour', 'work_order_external'];

const t0 = performance.now();
const { url, database } = await benchDatabase(NAME, args.reuse || args.resume);
const db = database.db;

try {
  const territoryId = args.reuse || args.resume
    ? (await db.selectFrom('territories').select('id').executeTakeFirstOrThrow()).id
    : (await seedDemo(db, { workOrders: false })).territoryId;
  const engineer = await db.selectFrom('users').select('id').where('email', '=', 'ingenieur@ght-demo.fr').executeTakeFirstOrThrow();
  if (!args.reuse) await seed(territoryId, engineer.id);
  else await benchDevices();
  if (args['seed-only']) {
    console.info(`seeded ${NAME}; measure it with --reuse --db ${NAME}`);
  } else await measureAll(territoryId);
} finally {
  await database.close();
  if (!KEEP) await dropDatabase(BENCH_SERVER, NAME);
}
console.info(`\ntotal ${secs(t0)}`);

/** The bench data, set-based, with the dirty-range triggers off. */
async function seed(territoryId: string, engineerId: string): Promise<void> {
  const t1 = performance.now();
  for (const [table, trigger] of TRIGGERS) await sql`alter table ${sql.id(table)} disable trigger ${sql.id(trigger)}`.execute(db);
  const seeded = (await sql<{ n: number }>`select count(*)::int as n from equipment where inventory_number like 'KPI-%'`.execute(db)).rows[0]!.n;
  if (seeded !== DEVICES && seeded !== 0) throw new Error(`${seeded} bench devices already there, not --devices ${DEVICES}`);
  if (seeded === 0) await sql`
    insert into equipment (territory_id, site_id, inventory_number, model_id, status, criticality, acquisition_cost_cents, created_at, updated_at)
    select ${territoryId}::uuid, s.ids[1 + n % array_length(s.ids, 1)], 'KPI-' || lpad(n::text, 8, '0'), m.ids[1 + (n / 7) % array_length(m.ids, 1)], 'in_service',
      (array['critical', 'high', 'medium', 'low'])[1 + (hashint4(n) & 3)], 100000 + (hashint4(n) & 65535) * 100,
      now() - make_interval(days => ${DAYS + 50}::int), now()
    from generate_series(1, ${DEVICES}::int) n,
      (select array_agg(id order by short_code) as ids from sites where territory_id = ${territoryId}::uuid) s,
      (select array_agg(id order by id) as ids from equipment_models where territory_id = ${territoryId}::uuid) m`.execute(db);
  if (seeded === 0) await sql`
    insert into equipment_events (territory_id, equipment_id, kind, at, to_status, to_site_id)
    select territory_id, id, 'imported', created_at, status, site_id from equipment where inventory_number like 'KPI-%'`.execute(db);
  console.info(`${DEVICES.toLocaleString('en')} devices (${secs(t1)})`);
  const t2 = performance.now();
  await benchDevices();
  // A bulk load: the secondary indexes are dropped while the work orders go in and built once after (as a restore
  // does), in chunks of CHUNK work orders each in one statement with its labour and vendor lines, the foreign keys
  // not checked (session_replication_role = replica: the rows are generated consistent). A stopped run goes on
  // from its last whole chunk with --resume; the dropped indexes' definitions wait in bench_dropped_indexes.
  await dropSecondaryIndexes();
  const last = (await sql<{ number: string }>`select number from work_orders where number like 'KPIB-%' order by number desc limit 1`.execute(db)).rows[0];
  const CHUNK = 500_000;
  for (let k0 = last ? Number(last.number.slice(5)) + 1 : 1; k0 <= ORDERS; k0 += CHUNK) {
    const k1 = Math.min(ORDERS, k0 + CHUNK - 1);
    const tc = performance.now();
    await db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`
        with w as (
          insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, state, device_out_of_service,
                                   requested_at, downtime_started_at, downtime_ended_at, completed_at, closed_at)
          select ${territoryId}::uuid, d.site_id, d.id, 'KPIB-' || lpad(k::text, 9, '0'), 'corrective', 'normal', 'Panne', ${engineerId}::uuid, 'closed', k % 2 = 0,
            r.at, case when k % 2 = 0 then r.at end, case when k % 2 = 0 then r.at + make_interval(mins => (hashint4(k) & 8191)::int) end,
            r.at + make_interval(mins => (hashint4(k) & 8191)::int + 30), r.at + make_interval(mins => (hashint4(k) & 8191)::int + 60)
          from generate_series(${k0}::int, ${k1}::int) k
          join bench_devices d on d.n = 1 + (hashint4(k * 31) & 2147483647) % ${DEVICES}::int
          cross join lateral (select now() - make_interval(mins => (1440 * ${DAYS}::int * ((hashint4(k * 17) & 65535) / 65536.0))::int + 9000) as at) r
          returning id, number, requested_at),
        l as (
          insert into work_order_labour (work_order_id, technician_id, minutes, recorded_by, recorded_at)
          select id, ${engineerId}::uuid, 30 + (hashtext(number) & 127), ${engineerId}::uuid, requested_at + interval '1 hour'
          from w where hashtext(number) & 1 = 0
          returning 1)
        insert into work_order_external (work_order_id, vendor, cost_cents, recorded_by, recorded_at)
        select id, 'Fournisseur', 10000 + (hashtext(number) & 65535), ${engineerId}::uuid, requested_at + interval '2 hours'
        from w where (hashtext(number) >> 4) % 10 = 0`.execute(trx);
    });
    console.info(`  work orders ${k0.toLocaleString('en')}–${k1.toLocaleString('en')} (${secs(tc)}, ${secs(t2)} in all)`);
  }
  const ti = performance.now();
  const built = await buildDroppedIndexes();
  console.info(`  ${built} secondary indexes built again (${secs(ti)})`);
  for (const [table, trigger] of TRIGGERS) await sql`alter table ${sql.id(table)} enable trigger ${sql.id(trigger)}`.execute(db);
  await sql`truncate kpi_dirty`.execute(db);
  await sql`vacuum analyze`.execute(db);
  console.info(`${ORDERS.toLocaleString('en')} work orders with labour and vendors (${secs(t2)})`);
}

/** The bench devices numbered 1..N (a plain table: the pool's connections all see it). */
async function benchDevices(): Promise<void> {
  await sql`drop table if exists bench_devices`.execute(db);
  await sql`create unlogged table bench_devices as select row_number() over (order by id) as n, id, site_id from equipment where inventory_number like 'KPI-%'`.execute(db);
  await sql`create index on bench_devices (n)`.execute(db);
}


/** Drops the indexes of the bulk-loaded tables that back no constraint, keeping their definitions. */
async function dropSecondaryIndexes(): Promise<void> {
  await sql`create table if not exists bench_dropped_indexes (name text primary key, def text not null)`.execute(db);
  await sql`
    insert into bench_dropped_indexes (name, def)
    select i.indexname, i.indexdef from pg_indexes i join pg_class c on c.relname = i.indexname and c.relkind = 'i'
    where i.schemaname = 'public' and i.tablename in (${sql.join(BULK_TABLES)})
      and not exists (select 1 from pg_constraint k where k.conindid = c.oid)
    on conflict (name) do nothing`.execute(db);
  const names = (await sql<{ name: string }>`select name from bench_dropped_indexes order by name`.execute(db)).rows;
  for (const { name } of names) await sql`drop index if exists ${sql.id(name)}`.execute(db);
}

/** Builds the dropped indexes again, one by one (each with a large maintenance_work_mem). */
async function buildDroppedIndexes(): Promise<number> {
  const defs = (await sql<{ name: string; def: string }>`select name, def from bench_dropped_indexes order by name`.execute(db)).rows;
  for (const { name, def } of defs) {
    await db.transaction().execute(async (trx) => {
      await sql`set local maintenance_work_mem = '1GB'`.execute(trx);
      await sql.raw(def).execute(trx);
      await sql`delete from bench_dropped_indexes where name = ${name}`.execute(trx);
    });
  }
  return defs.length;
}

/** The timed part: rebuild, one day's update, the API. */
async function measureAll(territoryId: string): Promise<void> {
  const engineer = await db.selectFrom('users').select('id').where('email', '=', 'ingenieur@ght-demo.fr').executeTakeFirstOrThrow();

  // The cost convention (ADR 0023): a version from 200 days ago splitting contracts by acquisition value, and a
  // maintenance contract per 500 devices covering 250 of them each (half the devices), a year long, over today.
  if (!(await sql<{ n: number }>`select count(*)::int as n from maintenance_contracts`.execute(db)).rows[0]!.n) {
    const t = performance.now();
    await sql`insert into cost_convention_versions (territory_id, applies_from, technician_hourly_rate_cents, engineer_hourly_rate_cents, contract_split, created_by)
      values (${territoryId}::uuid, ${addDays(today, -200)}::date, 5200, 7800, 'acquisition_value', ${engineer.id}::uuid)`.execute(db);
    const contracts = Math.max(1, Math.floor(DEVICES / 500));
    await sql`alter table maintenance_contract_devices disable trigger kpi_contract_devices_inserted`.execute(db);
    await sql`
      insert into maintenance_contracts (territory_id, reference, vendor, payer_site_id, starts_on, ends_on, total_cost_cents, created_by)
      select ${territoryId}::uuid, 'KPIC-' || k, 'Fournisseur', d.site_id, ${addDays(today, -300)}::date + k % 200, ${addDays(today, 64)}::date + k % 200,
        1000000 + (hashint4(k) & 65535) * 100, ${engineer.id}::uuid
      from generate_series(1, ${contracts}::int) k join bench_devices d on d.n = k`.execute(db);
    await sql`
      insert into maintenance_contract_devices (contract_id, equipment_id)
      select c.id, d.id from (select id, row_number() over (order by reference) as k from maintenance_contracts) c
      join bench_devices d on d.n between (c.k - 1) * 500 + 1 and (c.k - 1) * 500 + 250`.execute(db);
    await sql`alter table maintenance_contract_devices enable trigger kpi_contract_devices_inserted`.execute(db);
    await sql`truncate kpi_dirty`.execute(db);
    await sql`analyze maintenance_contracts, maintenance_contract_devices, cost_convention_versions`.execute(db);
    console.info(`${contracts.toLocaleString('en')} maintenance contracts covering ${(contracts * 250).toLocaleString('en')} devices (${secs(t)})`);
  }

  console.info('\nrollups:');
  const full = await timed(`full rebuild, ${DAYS + 1} days, month by month`, async () => {
    let rows = 0;
    for (const m of monthsOf(from, today)) rows += (await rebuildKpiRollups(db, { territoryId, from: m.from, to: m.to })).rows;
    return rows;
  });
  await sql`vacuum analyze kpi_daily, kpi_daily_repairs`.execute(db);
  const bare = await timed('bare baseline: one GROUP BY pass over the raw work orders and labour', () => sql`
    select w.site_id, (w.requested_at at time zone 'Europe/Paris')::date, count(*), sum(extract(epoch from w.downtime_ended_at - w.requested_at)),
      sum((select sum(minutes) from work_order_labour l where l.work_order_id = w.id))
    from work_orders w where w.territory_id = ${territoryId}::uuid and w.requested_at >= (${from}::date)::timestamp at time zone 'Europe/Paris'
    group by 1, 2`.execute(db));
  // A day's writes: as many work orders as an average day, reported and restored today, with the triggers on.
  const perDay = Math.max(1, Math.round(ORDERS / DAYS));
  await sql`
    insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, state, device_out_of_service,
                             requested_at, downtime_started_at, downtime_ended_at, completed_at)
    select ${territoryId}::uuid, d.site_id, d.id, 'KPID-' || to_char(now(), 'YYYYMMDDHH24MISS') || '-' || k, 'corrective', 'normal', 'Panne', ${engineer.id}::uuid, 'completed', true,
      now() - interval '3 hours', now() - interval '3 hours', now() - interval '1 hour', now() - interval '30 minutes'
    from generate_series(1, ${perDay}::int) k join bench_devices d on d.n = 1 + (hashint4(k * 7) & 2147483647) % ${DEVICES}::int`.execute(db);
  const dirty = (await sql<{ n: number }>`select count(*)::int as n from kpi_dirty`.execute(db)).rows[0]!.n;
  // What any recompute of one day must at least read: the day's work orders and labour, and every device of the sites
  // (its site, category, criticality and status history) — one bare GROUP BY each.
  const dayBare = await timed('bare baseline for one day: the day\'s work orders and labour, one pass over the devices and their events', async () => {
    await sql`
      select w.site_id, count(*), sum((select sum(minutes) from work_order_labour l where l.work_order_id = w.id))
      from work_orders w where w.territory_id = ${territoryId}::uuid and w.requested_at >= (${today}::date)::timestamp at time zone 'Europe/Paris'
      group by 1`.execute(db);
    await sql`
      select e.site_id, m.category_id, e.criticality, count(*), count(ev.at)
      from equipment e left join equipment_models m on m.id = e.model_id
      left join lateral (select max(at) as at from equipment_events x where x.equipment_id = e.id) ev on true
      where e.territory_id = ${territoryId}::uuid group by 1, 2, 3`.execute(db);
  });
  const incremental = await timed(`one day's incremental update (${perDay.toLocaleString('en')} work orders, ${dirty.toLocaleString('en')} dirty ranges)`, () => processKpiDirty(db));

  console.info('\nAPI (inject), territory over 12 months:');
  const api = await benchApp(url, database);
  try {
    const auth = await api.session('ingenieur@ght-demo.fr');
    const to = addDays(today, -1);
    const yearFrom = addDays(today, -365);
    const six = await measure(api.app, RUNS, 'GET /kpis (territory, 12 months)', auth, () => `/api/v1/kpis?from=${yearFrom}&to=${to}`,
      (b) => typeof (b.availability as { denominator: number }).denominator === 'number');
    const series = await measure(api.app, RUNS, 'GET /kpis/series (availability, 12 months)', auth,
      () => `/api/v1/kpis/series?kpi=availability&from=${yearFrom}&to=${to}&interval=month`, (b) => Array.isArray(b.points));
    const times: number[] = [];
    for (let i = 0; i < RUNS + 10; i++) {
      const started = performance.now();
      // What the answer reads: the whole months from kpi_monthly, the partial ones' days from kpi_daily.
      await sql`select site_id, category_key, sum(device_days), sum(active_minutes_critical), sum(down_minutes_critical), sum(repairs), sum(repair_minutes),
          sum(pm_due), sum(pm_done), sum(labour_minutes), sum(parts_cents), sum(vendor_cents), sum(closed), sum(closed_vendor_only)
        from (select * from kpi_monthly where territory_id = ${territoryId}::uuid and month > ${yearFrom}::date and month < date_trunc('month', ${to}::date)
              union all
              select * from kpi_daily where territory_id = ${territoryId}::uuid
                and (day between ${yearFrom}::date and (date_trunc('month', ${yearFrom}::date) + interval '1 month - 1 day')::date
                     or day between date_trunc('month', ${to}::date)::date and ${to}::date)) r
        group by 1, 2`.execute(db);
      if (i >= 10) times.push(performance.now() - started);
    }
    const bareSql = percentiles(times);
    printPercentiles('bare SQL: the sums of the rollups /kpis reads', bareSql);
    // The alternative to contracts in the rollups: their cost per (site, category) over 12 months, read at query
    // time from the raw tables (the version in force per contract day, the weights of every covered device).
    const contractTimes: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 20) + 2; i++) {
      const started = performance.now();
      await sql`
        with cv as (select id, contract_split, daterange(applies_from, lead(applies_from) over (order by applies_from)) as dr
                    from cost_convention_versions where territory_id = ${territoryId}::uuid),
        ctr as (select c.id, c.total_cost_cents::float8 / (c.ends_on - c.starts_on + 1) as per_day, c.starts_on, c.ends_on from maintenance_contracts c
                where c.active and c.territory_id = ${territoryId}::uuid and c.starts_on <= ${to}::date and c.ends_on >= ${yearFrom}::date),
        cday as (select ctr.id, coalesce(cv.id, ${'00000000-0000-0000-0000-000000000000'}::uuid) as vkey, coalesce(cv.contract_split, 'devices') as split,
                        sum(ctr.per_day) as cents
                 from ctr join generate_series(${yearFrom}::date, ${to}::date, interval '1 day') d on d::date between ctr.starts_on and ctr.ends_on
                 left join cv on cv.dr @> d::date group by 1, 2, 3),
        cdev as (select cd.contract_id, e.site_id, m.category_id, coalesce(e.acquisition_cost_cents, 0)::float8 as acq,
                        count(*) over (partition by cd.contract_id)::float8 as n, sum(coalesce(e.acquisition_cost_cents, 0)) over (partition by cd.contract_id)::float8 as total
                 from maintenance_contract_devices cd join ctr on ctr.id = cd.contract_id join equipment e on e.id = cd.equipment_id
                 left join equipment_models m on m.id = e.model_id)
        select cdev.site_id, cdev.category_id,
               sum(cday.cents * case when cday.split = 'acquisition_value' and cdev.total > 0 then cdev.acq / cdev.total else 1 / cdev.n end)
        from cday join cdev on cdev.contract_id = cday.id group by 1, 2`.execute(db);
      if (i >= 2) contractTimes.push(performance.now() - started);
    }
    const contractsAtQuery = percentiles(contractTimes);
    printPercentiles('contracts read at query time instead (12 months)', contractsAtQuery);

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.info('\nresults:');
    console.info(`  full rebuild: ${full.value.toLocaleString('en')} rows in ${(full.ms / 1000).toFixed(2)} s = ${ratio(full.ms, bare.ms)}× one bare pass over the raw data (${(bare.ms / 1000).toFixed(2)} s)`);
    console.info(`  one day's incremental update: ${incremental.value.sites} sites in ${(incremental.ms / 1000).toFixed(2)} s = ${ratio(incremental.ms, dayBare.ms)}× its bare baseline (${(dayBare.ms / 1000).toFixed(2)} s)`);
    console.info(`  GET /kpis p95 ${six.p95.toFixed(1)} ms (aim ≤ 100 ms), ${ratio(six.p95, bareSql.p95)}× the bare SQL p95; GET /kpis/series p95 ${series.p95.toFixed(1)} ms`);
    console.info(`  contracts at query time instead of in the rollups: p95 ${contractsAtQuery.p95.toFixed(1)} ms more per answer`);
  } finally {
    await api.close();
  }
}
