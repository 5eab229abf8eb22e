import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../generated/db.js';
import { regulatoryWorkSql } from '../work-orders/regulatory-work.js';
import { getsWork } from './pm-schedule.repository.js';

/**
 * The occurrences of planned work in a period (issue 13, ADR 0018): the one definition the
 * calendar and the workload read (`pmOccurrencesSql`), so that both count the same work.
 *
 * - generated work orders (plan_id set) whose planned day falls in the period, whatever
 *   their state but cancelled (completed and closed ones stay on their day);
 * - forecasts: the schedule's pending occurrences (no work order yet) due in the period,
 *   and, for calendar plans, the occurrences that follow each pair's current one (pending
 *   or generated) within the period, by the schedule's rules in SQL (`pm_occurrence` on
 *   the anchor's grid for a fixed base, as `pm_next_occurrence` counts; every N units from
 *   the current due date for a completion base, as if each were done on its due day). A forecast is planned for its due date, with the window of the
 *   plan's tolerance now.
 */
export interface PmOccurrenceScope {
  territoryId: string;
  siteId?: string;
  from: string;
  to: string;
}

/**
 * The index of the last occurrence of the grid starting at `g` on or before `x` (may be
 * negative): the formula of pm_next_occurrence's k0, inline (that function, with its
 * subquery, is not inlined by PostgreSQL and costs a call per row).
 */
function kIndex(g: RawBuilder<unknown>, x: RawBuilder<unknown>): RawBuilder<number> {
  const months = sql`((extract(year from ${x}) - extract(year from ${g})) * 12 + extract(month from ${x}) - extract(month from ${g}))`;
  return sql<number>`(case unit
    when 'days' then floor((${x} - ${g})::numeric / every)::int
    when 'weeks' then floor((${x} - ${g})::numeric / (7 * every))::int
    when 'months' then floor(${months} / every)::int
    else floor(${months} / (12 * every))::int end)`;
}

/**
 * The SQL of the occurrences (a derived table): key, work order (id, number, state,
 * version, requested_by; null for a forecast), plan, equipment, site, type, due and planned
 * days, window, estimated minutes, regulatory, performed_by.
 */
export function pmOccurrencesSql(o: PmOccurrenceScope): RawBuilder<unknown> {
  const woSite = o.siteId ? sql`and w.site_id = ${o.siteId}::uuid` : sql``;
  const eSite = o.siteId ? sql`and e.site_id = ${o.siteId}::uuid` : sql``;
  const from = sql`${o.from}::date`;
  const to = sql`${o.to}::date`;
  return sql`(
    with pairs as (
      -- Each pair of the scope, with where its projection starts: its pending occurrence,
      -- or the due date of the work order generated for its current one.
      select s.plan_id, s.equipment_id, e.site_id, p.trigger, p.base, p.anchor_date, p.every, p.unit,
        s.work_order_id is null as pending, s.due_date as pending_due, coalesce(gw.due_date, s.due_date) as pivot
      from maintenance_schedule s
      join maintenance_plans p on p.id = s.plan_id and p.active
      join equipment e on e.id = s.equipment_id
      left join work_orders gw on gw.id = s.work_order_id
      where s.territory_id = ${o.territoryId}::uuid and coalesce(gw.due_date, s.due_date) <= ${to} ${eSite}
        and ${getsWork(sql`e`)}
    ),
    grid as (
      -- Occurrences of a fixed base are on the anchor's grid; those of a completion base every
      -- N units from the current one (as if each were done on its due day). Only those after
      -- the current one and from the period's start on.
      select plan_id, equipment_id, site_id, every, unit,
        case when base = 'fixed' then anchor_date else pivot end as g, greatest(pivot, ${from} - 1) as after
      from pairs where trigger = 'calendar' and pivot is not null
    ),
    projected as (
      -- pm_occurrence(g, every, unit, k) for the k whose occurrence may fall in (after, to]:
      -- set-based (one generate_series per pair), never a per-row function with a subquery.
      select plan_id, equipment_id, site_id, after, pm_occurrence(g, every, unit, k) as due
      from grid, generate_series(greatest(${kIndex(sql`g`, sql`after`)}, 0), greatest(${kIndex(sql`g`, to)}, 0) + 1) k
    ),
    forecast as (
      select plan_id, equipment_id, site_id, pending_due as due from pairs
      where pending and pending_due between ${from} and ${to}
      union
      select plan_id, equipment_id, site_id, due from projected where due > after and due <= ${to}
    )
    select w.id::text as key, w.id as work_order_id, w.number as work_order_number, w.state as work_order_state,
      w.version as work_order_version, w.requested_by, w.plan_id, w.equipment_id, w.site_id, w.type, w.due_date,
      w.planned_date, coalesce(w.window_start, w.due_date) as window_start, coalesce(w.window_end, w.due_date) as window_end,
      p.estimated_minutes, ${regulatoryWorkSql({ type: sql`w.type`, maintenanceObligation: sql`we.maintenance_obligation`, planRegulatory: sql`p.regulatory` })} as regulatory, w.performed_by
    from work_orders w
    join maintenance_plans p on p.id = w.plan_id
    join equipment we on we.id = w.equipment_id
    where w.territory_id = ${o.territoryId}::uuid and w.plan_id is not null and w.planned_date between ${from} and ${to}
      and w.state <> 'cancelled' ${woSite}
    union all
    select f.plan_id || ':' || f.equipment_id || ':' || f.due, null, null, null, null, null, f.plan_id, f.equipment_id, f.site_id,
      p.work_order_type, f.due, f.due, f.due - p.tolerance_days_before, f.due + p.tolerance_days_after,
      p.estimated_minutes, ${regulatoryWorkSql({ type: sql`p.work_order_type`, maintenanceObligation: sql`fe.maintenance_obligation`, planRegulatory: sql`p.regulatory` })}, p.performed_by
    from forecast f
    join maintenance_plans p on p.id = f.plan_id
    join equipment fe on fe.id = f.equipment_id
    -- An occurrence that has its work order already is that work order (also when moved out of the period).
    where not exists (select 1 from work_orders x where x.plan_id = f.plan_id and x.equipment_id = f.equipment_id and x.due_date = f.due)
  )`;
}

export interface PmOccurrenceRow {
  key: string;
  workOrderId: string | null;
  workOrderNumber: string | null;
  workOrderState: string | null;
  workOrderVersion: number | null;
  requestedBy: string | null;
  planId: string;
  planName: string;
  equipmentId: string;
  inventoryNumber: string;
  manufacturer: string | null;
  modelName: string | null;
  siteId: string;
  siteName: string;
  type: string;
  dueDate: string;
  plannedDate: string;
  windowStart: string;
  windowEnd: string;
  estimatedMinutes: number | null;
  regulatory: boolean;
  performedBy: string;
}

/** The calendar's occurrences in order (planned day, regulatory first, inventory number), at most `limit`. */
export async function pmCalendarOccurrences(db: Kysely<DB>, o: PmOccurrenceScope, limit: number): Promise<PmOccurrenceRow[]> {
  const r = await sql<PmOccurrenceRow>`
    select o.key, o.work_order_id as "workOrderId", o.work_order_number as "workOrderNumber", o.work_order_state as "workOrderState",
      o.work_order_version as "workOrderVersion", o.requested_by as "requestedBy", o.plan_id as "planId", p.name as "planName",
      o.equipment_id as "equipmentId", e.inventory_number as "inventoryNumber", m.manufacturer, m.model_name as "modelName",
      o.site_id as "siteId", s.name as "siteName", o.type, o.due_date as "dueDate", o.planned_date as "plannedDate",
      o.window_start as "windowStart", o.window_end as "windowEnd", o.estimated_minutes as "estimatedMinutes", o.regulatory,
      o.performed_by as "performedBy"
    from ${pmOccurrencesSql(o)} o
    join maintenance_plans p on p.id = o.plan_id
    join equipment e on e.id = o.equipment_id
    left join equipment_models m on m.id = e.model_id
    join sites s on s.id = o.site_id
    order by o.planned_date, o.regulatory desc, e.inventory_number, o.key
    limit ${limit}`.execute(db);
  return r.rows;
}

export interface PmCalendarDayRow {
  date: string;
  count: number;
  regulatoryCount: number;
  estimatedMinutes: number;
}

/** Per planned day of the period (days with work only): all the occurrences, however many. */
export async function pmCalendarDays(db: Kysely<DB>, o: PmOccurrenceScope): Promise<PmCalendarDayRow[]> {
  const r = await sql<PmCalendarDayRow>`
    select o.planned_date as date, count(*)::int as count, (count(*) filter (where o.regulatory))::int as "regulatoryCount",
      coalesce(sum(o.estimated_minutes), 0)::int as "estimatedMinutes"
    from ${pmOccurrencesSql(o)} o
    group by o.planned_date order by o.planned_date`.execute(db);
  return r.rows;
}

export interface PmWeekLoadRow {
  siteId: string;
  weekStart: string;
  dueMinutes: number;
  count: number;
  unestimated: number;
}

/** Per site and ISO week (Monday) of the planned day: the occurrences of internal work. */
export async function pmWeeklyLoad(db: Kysely<DB>, o: PmOccurrenceScope): Promise<PmWeekLoadRow[]> {
  const r = await sql<PmWeekLoadRow>`
    select o.site_id as "siteId", o.planned_date - (extract(isodow from o.planned_date)::int - 1) as "weekStart",
      coalesce(sum(o.estimated_minutes), 0)::int as "dueMinutes", count(*)::int as count,
      (count(*) filter (where o.estimated_minutes is null))::int as unestimated
    from ${pmOccurrencesSql(o)} o
    where o.performed_by = 'internal'
    group by 1, 2`.execute(db);
  return r.rows;
}

export interface PmTechnicianShareRow {
  siteId: string;
  technicians: number;
  /** Sum of the site's technicians' weekly minutes, each split evenly across the sites where they are technicians. */
  weeklyMinutes: number;
}

/** The technicians' weekly capacity per site of the territory (active users holding the technician role there). */
export async function pmTechnicianCapacity(db: Kysely<DB>, territoryId: string): Promise<PmTechnicianShareRow[]> {
  const r = await sql<PmTechnicianShareRow>`
    with tech as (
      select distinct g.user_id, g.site_id from role_grants g
      join users u on u.id = g.user_id and u.active
      where g.territory_id = ${territoryId}::uuid and g.role = 'technician' and g.site_id is not null
    ),
    shares as (
      select t.user_id, t.site_id, u.weekly_hours * 60 / count(*) over (partition by t.user_id) as minutes
      from tech t join users u on u.id = t.user_id
    )
    select site_id as "siteId", count(*)::int as technicians, sum(minutes)::float8 as "weeklyMinutes"
    from shares group by site_id`.execute(db);
  return r.rows;
}
