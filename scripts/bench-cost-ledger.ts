/**
 * `pnpm exec tsx scripts/bench-cost-ledger.ts` (issue 15, ADR 0023): the demo territory plus
 * --work-orders corrective work orders (default 200,000) over the last --months months (default
 * 24), each with a labour line (travel on half) by a technician drawn from the territory's
 * (most of them from another site), into a real PostgreSQL (BENCH_DATABASE_URL server; database
 * gmao_bench_cost, dropped at the end unless --keep). Then, timed, runs of the posting:
 * 1. the first run (the whole history);
 * 2. a run with nothing changed, every month open;
 * 3. every month but the last two closed, a run with nothing changed;
 * 4. 100 labour lines of closed months edited and 1,000 new ones today, a run.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { dropDatabase, postCostLedger, seedDemo } from '@gmao/db';
import { monthOf, parisDay } from '@gmao/domain';
import { BENCH_SERVER, benchDatabase, secondsSince as secs } from './lib/bench.js';

const { values: args } = parseArgs({
  options: { 'work-orders': { type: 'string', default: '200000' }, months: { type: 'string', default: '24' }, keep: { type: 'boolean', default: false } },
});
const ORDERS = Number(args['work-orders']);
const MONTHS = Number(args.months);
const NAME = 'gmao_bench_cost';
const { database } = await benchDatabase(NAME, false);
const db = database.db;
try {
  const { territoryId } = await seedDemo(db, { workOrders: false });
  const admin = await db.selectFrom('users').select('id').where('email', '=', 'admin@ght-demo.fr').executeTakeFirstOrThrow();
  await db.insertInto('costConventionVersions').values({
    territoryId, appliesFrom: '2000-01-01', technicianHourlyRateCents: 4500, engineerHourlyRateCents: 6000, travelMode: 'per_km', travelCentsPerKm: 40,
    overheadPercent: 8, createdBy: admin.id,
  }).execute();
  const t0 = performance.now();
  await sql`
    with w as (
      insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, state, requested_at)
      select e.territory_id, e.site_id, e.id, 'BENCH-COST-' || n, 'corrective', 'normal', 'Panne', ${admin.id}, 'closed',
             now() - make_interval(mins => (hashint4(n) & 2147483647) % (${MONTHS}::int * 30 * 1440))
      from generate_series(1, ${ORDERS}::int) n
      join lateral (select id, site_id, territory_id from equipment where territory_id = ${territoryId}::uuid offset (n % 1000) limit 1) e on true
      returning id, requested_at)
    insert into work_order_labour (work_order_id, technician_id, minutes, travel_minutes, started_at, recorded_by)
    select w.id, t.ids[1 + abs(hashtext(w.id::text)) % array_length(t.ids, 1)], 30 + (row_number() over ()) % 90,
           case when (row_number() over ()) % 2 = 0 then 25 else 0 end, w.requested_at + interval '1 hour', ${admin.id}
    from w, (select array_agg(distinct g.user_id) as ids from role_grants g where g.territory_id = ${territoryId}::uuid and g.role = 'technician') t`.execute(db);
  console.info(`${ORDERS.toLocaleString('en')} work orders and labour lines over ${MONTHS} months (${secs(t0)})`);
  await sql`analyze`.execute(db);

  const run = async (label: string) => {
    const t = performance.now();
    const r = await postCostLedger(db, { territoryId });
    console.info(`${label}: ${secs(t)}, ${r.sources.toLocaleString('en')} sources compared, ${r.lines.toLocaleString('en')} lines`);
  };
  await run('1. first run (whole history)');
  await run('2. nothing changed, every month open');
  const current = monthOf(parisDay(new Date()));
  await sql`update cost_periods set closed_at = now() where territory_id = ${territoryId}::uuid and month < (${current}::date - interval '1 month')`.execute(db);
  await run('3. nothing changed, all but the last two months closed');
  await sql`update work_order_labour set minutes = minutes + 10 where id in (
    select l.id from work_order_labour l where l.started_at < now() - interval '6 months' order by l.id limit 100)`.execute(db);
  await sql`insert into work_order_labour (work_order_id, technician_id, minutes, travel_minutes, started_at, recorded_by)
    select l.work_order_id, l.technician_id, 45, 25, now() - interval '1 hour', l.recorded_by from work_order_labour l order by l.id limit 1000`.execute(db);
  await run('4. 100 edits in closed months, 1,000 new lines');
} finally {
  await database.close();
  if (!args.keep) await dropDatabase(BENCH_SERVER, NAME);
}
