/**
 * `pnpm bench:pm` (issue 13): seeds the demo territory plus --devices devices (default
 * 1,000,000), in service on the demo's sites, each with a plan of its own (monthly, due
 * within the lead time), into a real PostgreSQL (BENCH_DATABASE_URL server, default the
 * local one; database gmao_bench_pm, dropped at the end unless --keep). Set-based SQL.
 * The schedule of the (plan, device) pairs is built as the API builds it when plans are
 * created (refreshPairs, timed apart: it is not a run's work).
 *
 * Then, timed:
 * 1. a full generation (one run of the generator: every device gets its work order);
 * 2. a second run with nothing new;
 * 3. a run after 1 % of the work orders were completed (their pairs' next occurrences, a
 *    month later, fall within the 40-day lead time: 1 % newly due);
 * and, on the same database in the same run, a bare `INSERT … SELECT … ON CONFLICT DO
 * NOTHING` of as many rows into a table of the work orders' shape and indexes (`create table
 * … (like work_orders including all)` plus its foreign keys), and its no-op rerun. Prints the times and ratios
 * (aims: generation ≤ 1.5× the bare insert, no-op ≤ 1.5× the bare no-op, the 1 % run < 2 s)
 * and checks that each device has exactly one work order per due date.
 *
 * Options: --devices N, --keep.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { dropDatabase, generatePreventiveWorkOrders, moveWorkOrders, refreshPairs, seedDemo } from '@gmao/db';
import { parisDay } from '@gmao/domain';
import { BENCH_SERVER, benchDatabase, secondsSince as secs, timed } from './lib/bench.js';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
const DEVICES = Number(args.devices);
if (!(DEVICES >= 100 && DEVICES <= 5_000_000)) throw new Error('--devices: between 100 and 5,000,000');
const NAME = 'gmao_bench_pm';
const today = parisDay(new Date());

const t0 = performance.now();
const { database } = await benchDatabase(NAME, false);
const db = database.db;
let failed = false;

try {
  const { territoryId } = await seedDemo(db, { workOrders: false });
  const engineer = await db.selectFrom('users').select('id').where('email', '=', 'ingenieur@ght-demo.fr').executeTakeFirstOrThrow();
  const category = await db.selectFrom('equipmentCategories').select('id').where('territoryId', '=', territoryId).limit(1).executeTakeFirstOrThrow();
  const model = await db.insertInto('equipmentModels').values({ territoryId, manufacturer: 'Bench', modelName: 'PM', categoryId: category.id })
    .returning('id').executeTakeFirstOrThrow();
  const t1 = performance.now();
  // The search trigger is the inventory's concern, not the generator's: off while seeding.
  await sql`alter table equipment disable trigger equipment_search_text_trg`.execute(db);
  await sql`
    insert into equipment (territory_id, site_id, inventory_number, model_id, status, commissioning_date, created_at, updated_at)
    select ${territoryId}::uuid, s.ids[1 + n % array_length(s.ids, 1)], 'PM-' || lpad(n::text, 7, '0'), ${model.id}::uuid, 'in_service', date '2020-01-01',
      -- The inventory exists before its plans: last changed yesterday.
      now() - interval '1 day', now() - interval '1 day'
    from generate_series(1, ${DEVICES}) n, (select array_agg(id order by short_code) as ids from sites where territory_id = ${territoryId}::uuid) s`.execute(db);
  await sql`alter table equipment enable trigger equipment_search_text_trg`.execute(db);
  // One plan per device: monthly, anchored within the next 10 days, 40 days of lead time.
  await sql`
    insert into maintenance_plans (territory_id, name, equipment_id, work_order_type, trigger, every, unit, base, anchor_date, lead_time_days, created_by)
    select ${territoryId}::uuid, 'Maintenance mensuelle ' || e.inventory_number, e.id, 'preventive', 'calendar', 1, 'months', 'fixed',
      ${today}::date + (hashtext(e.inventory_number) & 7), 40, ${engineer.id}::uuid
    from equipment e where e.model_id = ${model.id}::uuid`.execute(db);
  console.info(`${DEVICES.toLocaleString('en')} devices with one plan each (${secs(t1)})`);
  const t2 = performance.now();
  const pairs = await db.transaction().execute(async (trx) => {
    const r = await refreshPairs(trx, { territoryId, all: true });
    await sql`insert into maintenance_schedule_refreshes (territory_id, devices_seen_at) values (${territoryId}::uuid, now())`.execute(trx);
    return r;
  });
  console.info(`schedule built as at the plans' creation: ${pairs.added.toLocaleString('en')} pairs (${secs(t2)})`);
  await sql`vacuum analyze`.execute(db);

  console.info('\ngenerator:');
  const full = await timed('full generation', () => generatePreventiveWorkOrders(db, { territoryId }));
  await sql`vacuum analyze`.execute(db);
  const noop = await timed('second run, nothing new', () => generatePreventiveWorkOrders(db, { territoryId }));
  // 1 % completed: their next occurrence, a month later, is within the lead time.
  const sample = (await sql<{ id: string }>`select id from work_orders where plan_id is not null order by number limit ${Math.floor(DEVICES / 100)}`.execute(db)).rows.map((r) => r.id);
  await moveWorkOrders(db, sample, { from: 'requested', to: 'in_progress', actorId: engineer.id });
  await moveWorkOrders(db, sample, { from: 'in_progress', to: 'completed', actorId: engineer.id });
  const onePercent = await timed('run with 1 % newly due', () => generatePreventiveWorkOrders(db, { territoryId }));

  console.info('\nbare baseline (same rows, same database):');
  // The work orders' shape: columns, defaults, checks, indexes (LIKE … INCLUDING ALL) and foreign keys (LIKE copies none).
  await sql`create table bare_work_orders (like work_orders including all)`.execute(db);
  const foreignKeys = await sql<{ def: string }>`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'work_orders'::regclass and contype = 'f'`.execute(db);
  for (const [i, fk] of foreignKeys.rows.entries()) await sql`alter table bare_work_orders add constraint ${sql.raw(`bare_fk_${i}`)} ${sql.raw(fk.def)}`.execute(db);
  await sql`vacuum analyze`.execute(db);
  const bareSql = sql`
    insert into bare_work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, due_repair_at, plan_id, due_date, performed_by,
      planned_date, window_start, window_end)
    select p.territory_id, e.site_id, e.id, 'BARE-' || lpad(row_number() over ()::text, 8, '0'), 'preventive', 'normal',
      p.name || ' — échéance du ' || to_char(s.due_date, 'DD/MM/YYYY'), p.created_by, ((s.due_date + 1)::timestamp at time zone 'Europe/Paris'), p.id, s.due_date, 'internal',
      s.due_date, s.due_date - p.tolerance_days_before, s.due_date + p.tolerance_days_after
    from maintenance_plans p join equipment e on e.id = p.equipment_id
    join maintenance_schedule s on s.plan_id = p.id and s.equipment_id = e.id
    on conflict (plan_id, equipment_id, due_date) do nothing`;
  const bare = await timed('bare INSERT … SELECT … ON CONFLICT DO NOTHING', () => bareSql.execute(db));
  await sql`vacuum analyze bare_work_orders`.execute(db);
  const bareNoop = await timed('bare no-op rerun', () => bareSql.execute(db));

  // The same 1 % as new rows of the bare table (the next occurrence of those pairs): what 1 % costs the indexes alone.
  const bareOnePercent = await timed('bare insert of the 1 %', () => sql`
    insert into bare_work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, due_repair_at, plan_id, due_date, performed_by,
      planned_date, window_start, window_end)
    select w.territory_id, w.site_id, w.equipment_id, 'BARE1-' || w.number, w.type, w.priority, w.symptom, w.requested_by, w.due_repair_at + interval '1 month',
      w.plan_id, w.due_date + 31, w.performed_by, w.planned_date + 31, w.window_start + 31, w.window_end + 31
    from work_orders w where w.id = any(${sample}::uuid[])
    on conflict (plan_id, equipment_id, due_date) do nothing`.execute(db));

  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.info('\nresults:');
  console.info(`  full generation: ${full.value.created.toLocaleString('en')} work orders in ${(full.ms / 1000).toFixed(2)} s = ${ratio(full.ms, bare.ms)}× the bare insert (aim ≤ 1.5×)`);
  console.info(`  second run: ${noop.value.created} created in ${(noop.ms / 1000).toFixed(3)} s = ${ratio(noop.ms, bareNoop.ms)}× the bare no-op (${(bareNoop.ms / 1000).toFixed(2)} s; aim ≤ 1.5×)`);
  console.info(`  1 % run: ${onePercent.value.created.toLocaleString('en')} created in ${(onePercent.ms / 1000).toFixed(2)} s (aim < 2 s; the bare insert of as many rows: ${(bareOnePercent.ms / 1000).toFixed(2)} s)`);

  const check = (await sql<{ orders: number; dupes: number; devices: number }>`
    select count(*)::int as orders, count(distinct equipment_id)::int as devices,
      (select count(*)::int from (select 1 from work_orders where plan_id is not null group by plan_id, equipment_id, due_date having count(*) > 1) d) as dupes
    from work_orders where plan_id is not null`.execute(db)).rows[0]!;
  const expected = DEVICES + sample.length;
  const ok = full.value.created === DEVICES && noop.value.created === 0 && onePercent.value.created === sample.length && check.orders === expected && check.dupes === 0 && check.devices === DEVICES;
  console.info(`\ncheck: ${check.orders.toLocaleString('en')} generated work orders for ${check.devices.toLocaleString('en')} devices, ${check.dupes} duplicates (expected ${expected.toLocaleString('en')}): ${ok ? 'OK' : 'FAILED'}`);
  if (!ok) failed = true;
} finally {
  await database.close();
  if (!args.keep) await dropDatabase(BENCH_SERVER, NAME);
}
console.info(`\ntotal ${secs(t0)}`);
if (failed) process.exitCode = 1;
