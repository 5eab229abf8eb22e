/**
 * `pnpm bench:work-orders`: seeds the demo territory plus N work orders (default 500,000:
 * about ten years of a large GHT) with their transitions, one assignee each and labour
 * into a real PostgreSQL (BENCH_DATABASE_URL server, default the local one; database
 * gmao_bench_wo is recreated), then prints p50/p95/p99 latency through the API
 * (Fastify inject, no network) of the work-order screens' queries and the register.
 * Options: --orders N, --runs N (default 200), --keep (reuse an already seeded database).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { seedDemo } from '@gmao/db';
import { benchApp, benchDatabase, measure as measureOn, secondsSince as secs } from './lib/bench.js';

const { values: args } = parseArgs({
  options: { orders: { type: 'string', default: '500000' }, runs: { type: 'string', default: '200' }, keep: { type: 'boolean', default: false } },
});
const ORDERS = Number(args.orders);
const RUNS = Number(args.runs);
const NAME = 'gmao_bench_wo';

const t0 = performance.now();
const { url, database } = await benchDatabase(NAME, args.keep);
const db = database.db;

if (!args.keep) {
  const { territoryId } = await seedDemo(db);
  console.info(`demo territory seeded (${secs(t0)})`);
  const t1 = performance.now();
  const chunk = 100_000;
  for (let start = 0; start < ORDERS; start += chunk) {
    const n = Math.min(chunk, ORDERS - start);
    // Spread over ten years; 97 % closed, the rest open or awaiting verification.
    await sql`
      with d as (select array_agg(id order by id) as ids, array_agg(site_id order by id) as sites, count(*)::int as c from equipment where territory_id = ${territoryId}),
           u as (select array_agg(id order by id) as ids, count(*)::int as c from users where territory_id = ${territoryId}),
           g as (
             select g, now() - make_interval(secs => (${ORDERS} - g)::double precision * (315360000.0 / ${ORDERS})) as at,
                    case when g % 100 < 97 and g < ${ORDERS} - 3000 then 'closed'
                         else (array['requested','assigned','in_progress','on_hold','completed','cancelled'])[1 + g % 6] end as state
             from generate_series(${start + 1}::int, ${start + n}::int) g)
      insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, state, symptom, device_out_of_service,
                               requested_by, requested_at, due_response_at, due_repair_at, hold_reason, diagnosis, actions,
                               completed_at, closed_at, version, created_at, updated_at)
      select ${territoryId}, d.sites[1 + (g::bigint * 7919) % d.c], d.ids[1 + (g::bigint * 7919) % d.c], 'BT-B-' || lpad(g::text, 8, '0'),
             (array['corrective','corrective','corrective','preventive','preventive','quality_control','electrical_safety','other'])[1 + g % 8],
             (array['critical','high','normal','normal','normal','low'])[1 + g % 6], state,
             (array['Alarme pression','Écran noir','Fuite hydraulique','Batterie HS','Maintenance préventive annuelle','Contrôle qualité','Capteur défectueux'])[1 + g % 7] || ' ' || g,
             g % 5 = 0, u.ids[1 + g % u.c], at, at + interval '4 hours', at + interval '5 days',
             case when state = 'on_hold' then 'waiting_parts' end,
             case when state in ('completed','closed') then 'Diagnostic ' || g end, case when state in ('completed','closed') then 'Actions ' || g end,
             case when state in ('completed','closed') then at + interval '2 days' end, case when state = 'closed' then at + interval '3 days' end,
             1, at, at
      from g, d, u`.execute(db);
    console.info(`  ${start + n} work orders (${secs(t1)})`);
  }
  const t2 = performance.now();
  await sql`
    insert into work_order_transitions (work_order_id, from_state, to_state, actor_id, at)
    select id, null, 'requested', requested_by, requested_at from work_orders
    union all select id, 'requested', 'assigned', requested_by, requested_at + interval '1 hour' from work_orders where state <> 'requested'`.execute(db);
  // One technician per work order taken, from the technicians' pool.
  await sql`
    with t as (select array_agg(u.id order by u.id) as ids, count(*)::int as c from users u join role_grants g on g.user_id = u.id where g.role = 'technician')
    insert into work_order_assignees (work_order_id, user_id, assigned_by, assigned_at, cross_site)
    select w.id, t.ids[1 + (hashtext(w.id::text) & 1023) % t.c], w.requested_by, w.requested_at, false from work_orders w, t where w.state <> 'requested'
    on conflict do nothing`.execute(db);
  await sql`
    insert into work_order_labour (work_order_id, technician_id, minutes, travel_minutes, recorded_by, recorded_at)
    select a.work_order_id, a.user_id, 30 + (hashtext(a.work_order_id::text) & 127), 0, a.user_id, a.assigned_at + interval '1 day' from work_order_assignees a`.execute(db);
  await sql`analyze`.execute(db);
  console.info(`transitions, assignees, labour, analyze (${secs(t2)})`);
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
