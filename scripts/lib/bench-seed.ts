/**
 * The benchmarks' data, set-based: extra sites with their locations, devices and work orders
 * on top of the demo territory (seedDemo). Shared by `pnpm bench:inventory`,
 * `bench:work-orders` and `bench:api`.
 */
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { finessCheckKey } from '@gmao/domain';
import { secondsSince as secs } from './bench.js';

/** `count` more sites (default 45: 50 in all), each with 2 buildings × 3 floors × 2 care units × 5 rooms. */
export async function seedExtraSites(db: Kysely<DB>, territoryId: string, count = 45): Promise<void> {
  await sql`
    insert into sites (territory_id, name, short_code, finess, kind, city)
    select ${territoryId}, 'CH Banc ' || i, 'B' || lpad(i::text, 3, '0'), fin, 'CH', 'Ville ' || i
    from unnest(${sql.val(Array.from({ length: count }, (_, i) => i + 1))}::int[], ${sql.val(
      Array.from({ length: count }, (_, i) => {
        const first8 = `46${String(i + 100000).padStart(6, '0')}`;
        return first8 + finessCheckKey(first8);
      }),
    )}::text[]) as t(i, fin)`.execute(db);
  await sql`
    with s as (select id as site_id from sites where short_code like 'B%' and territory_id = ${territoryId}),
    b as (insert into locations (territory_id, site_id, parent_id, kind, code, label)
          select ${territoryId}, site_id, null, 'building', chr(64 + n), 'Bâtiment ' || chr(64 + n) from s, generate_series(1, 2) n
          returning id, site_id, code),
    f as (insert into locations (territory_id, site_id, parent_id, kind, code, label)
          select ${territoryId}, b.site_id, b.id, 'floor', b.code || n, 'Étage ' || n from b, generate_series(0, 2) n
          returning id, site_id, code),
    u as (insert into locations (territory_id, site_id, parent_id, kind, code, label)
          select ${territoryId}, f.site_id, f.id, 'care_unit', 'UF' || f.code || n, (array['Réanimation','Cardiologie','Urgences','Pédiatrie','Gériatrie','Bloc opératoire'])[1 + (n + length(f.code)) % 6]
          from f, generate_series(1, 2) n returning id, site_id, code)
    insert into locations (territory_id, site_id, parent_id, kind, code, label)
    select ${territoryId}, u.site_id, u.id, 'room', u.code || '-' || n, 'Chambre ' || n from u, generate_series(1, 5) n`.execute(db);
}

/** Coordinates around the demo's (Loiret) for the sites without any, so that distances are computed. */
export async function giveSitesCoordinates(db: Kysely<DB>, territoryId: string): Promise<void> {
  await sql`
    update sites set latitude = 47.4 + (hashtext(short_code) & 1023) / 1023.0 * 1.0,
                     longitude = 1.5 + ((hashtext(short_code) >> 10) & 1023) / 1023.0 * 1.6
    where territory_id = ${territoryId} and latitude is null`.execute(db);
}

/** Devices up to `total` in the territory, every site, room and model in turn, in chunks of 100,000. */
export async function seedDevices(db: Kysely<DB>, territoryId: string, total: number): Promise<void> {
  const DEVICES = total;
  const t2 = performance.now();
  const chunk = 100_000;
  const existing = Number((await sql<{ n: number }>`select count(*)::int as n from equipment`.execute(db)).rows[0]!.n);
  for (let start = 0; start < DEVICES - existing; start += chunk) {
    const n = Math.min(chunk, DEVICES - existing - start);
    await sql`
      with r as (select array_agg(id order by id) as ids, array_agg(site_id order by id) as sites, count(*)::int as c
                   from locations where kind = 'room' and territory_id = ${territoryId}),
           m as (select array_agg(id order by id) as ids, count(*)::int as c from equipment_models where territory_id = ${territoryId})
      insert into equipment (territory_id, site_id, location_id, inventory_number, model_id, serial_number, supplier,
                             acquisition_date, acquisition_cost_cents, commissioning_date, warranty_end, status, criticality,
                             maintenance_mode, maintenance_obligation)
      select ${territoryId}, r.sites[1 + (g::bigint * 7919) % r.c], r.ids[1 + (g::bigint * 7919) % r.c], 'BENCH-' || lpad(g::text, 8, '0'),
             m.ids[1 + (g::bigint * 104729) % m.c], 'SN' || md5(g::text), 'Fournisseur ' || (g % 40),
             date '2012-01-01' + (g % 4700), 100000 + (g % 900) * 1000, date '2012-02-01' + (g % 4700), date '2014-01-01' + (g % 4700),
             (array['in_service','in_service','in_service','in_service','in_service','in_service','in_service','in_stock','under_maintenance','out_of_service'])[1 + g % 10],
             (array['low','medium','high','critical'])[1 + g % 4], (array['internal','external_contract','mixed'])[1 + g % 3], true
      from generate_series(${existing + start + 1}::int, ${existing + start + n}::int) g, r, m`.execute(db);
    console.info(`  ${existing + start + n} devices (${secs(t2)})`);
  }
}

/**
 * `count` work orders spread over ten years (97 % closed, the rest open or awaiting
 * verification), with their transitions, one assignee each and labour.
 */
export async function seedWorkOrders(db: Kysely<DB>, territoryId: string, count: number): Promise<void> {
  const ORDERS = count;
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
}
