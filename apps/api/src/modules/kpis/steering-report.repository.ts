import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/**
 * The main events of a month for the steering report (the indicators themselves come from
 * the KPI service, the cost allocation from the statements): devices decommissioned, the
 * longest downtimes, work orders opened and done. Days are Europe/Paris days.
 */

export interface MonthScope {
  territoryId: string;
  /** First and last day of the month. */
  from: string;
  to: string;
}

export async function territoryName(db: Kysely<DB>, territoryId: string): Promise<string> {
  const r = await db.selectFrom('territories').select('name').where('id', '=', territoryId).executeTakeFirstOrThrow();
  return r.name;
}

export interface DecommissionedRow {
  equipmentId: string;
  inventoryNumber: string;
  manufacturer: string | null;
  modelName: string | null;
  siteName: string;
  decommissionedAt: string;
  reason: string | null;
}

/** Devices decommissioned (réforme) during the month, by day. */
export async function decommissionedInMonth(db: Kysely<DB>, o: MonthScope, limit: number): Promise<DecommissionedRow[]> {
  const r = await sql<DecommissionedRow>`
    select e.id as "equipmentId", e.inventory_number as "inventoryNumber", m.manufacturer, m.model_name as "modelName", s.name as "siteName",
      e.decommissioned_at as "decommissionedAt", e.decommission_reason as reason
    from equipment e
    join sites s on s.id = e.site_id
    left join equipment_models m on m.id = e.model_id
    where e.territory_id = ${o.territoryId}::uuid and e.status = 'decommissioned'
      and e.decommissioned_at between ${o.from}::date and ${o.to}::date
    order by e.decommissioned_at, e.inventory_number
    limit ${limit}`.execute(db);
  return r.rows;
}

export async function decommissionedCount(db: Kysely<DB>, o: MonthScope): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from equipment
    where territory_id = ${o.territoryId}::uuid and status = 'decommissioned' and decommissioned_at between ${o.from}::date and ${o.to}::date`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export interface DowntimeRow {
  workOrderId: string;
  number: string;
  siteName: string;
  inventoryNumber: string;
  manufacturer: string | null;
  modelName: string | null;
  startedAt: Date;
  endedAt: Date | null;
  /** Minutes of downtime inside the month (up to now while open). */
  minutesInMonth: number;
}

/** The work orders whose downtime covered the most of the month (Paris days), longest first. */
export async function longestDowntimes(db: Kysely<DB>, o: MonthScope, limit: number): Promise<DowntimeRow[]> {
  const r = await sql<DowntimeRow>`
    with bounds as (
      select (${o.from}::date::timestamp at time zone 'Europe/Paris') as lo,
        least(((${o.to}::date + 1)::timestamp at time zone 'Europe/Paris'), now()) as hi
    )
    select w.id as "workOrderId", w.number, s.name as "siteName", e.inventory_number as "inventoryNumber", m.manufacturer, m.model_name as "modelName",
      w.downtime_started_at as "startedAt", w.downtime_ended_at as "endedAt",
      (extract(epoch from least(coalesce(w.downtime_ended_at, now()), b.hi) - greatest(w.downtime_started_at, b.lo)) / 60)::float8 as "minutesInMonth"
    from work_orders w
    cross join bounds b
    join sites s on s.id = w.site_id
    join equipment e on e.id = w.equipment_id
    left join equipment_models m on m.id = e.model_id
    where w.territory_id = ${o.territoryId}::uuid and w.downtime_started_at is not null and w.state <> 'cancelled'
      and w.downtime_started_at < b.hi and coalesce(w.downtime_ended_at, now()) > b.lo
    order by "minutesInMonth" desc, w.number
    limit ${limit}`.execute(db);
  return r.rows;
}

export interface WorkOrderCounts {
  opened: number;
  done: number;
}

/** Work orders requested during the month, and those completed during it. */
export async function workOrderCounts(db: Kysely<DB>, o: MonthScope): Promise<WorkOrderCounts> {
  const r = await sql<WorkOrderCounts>`
    select
      (count(*) filter (where (requested_at at time zone 'Europe/Paris')::date between ${o.from}::date and ${o.to}::date))::int as opened,
      (count(*) filter (where state in ('completed', 'closed') and (completed_at at time zone 'Europe/Paris')::date between ${o.from}::date and ${o.to}::date))::int as done
    from work_orders
    where territory_id = ${o.territoryId}::uuid
      and (requested_at >= (${o.from}::date - 1)::timestamp or completed_at >= (${o.from}::date - 1)::timestamp)`.execute(db);
  return r.rows[0] ?? { opened: 0, done: 0 };
}
