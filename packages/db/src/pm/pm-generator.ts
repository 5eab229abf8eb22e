import { sql, type Kysely } from 'kysely';
import {
  APPLIED_PART_TYPES, ELECTRICAL_CLASSES, electricalSafetyChecklist, isElectricalSafetyTemplate, type LeakageMethod,
} from '@gmao/domain';
import type { DB } from '../generated/db.js';
import { checklistTemplates } from '../work-orders/work-order-settings.repository.js';
import type { ChecklistItemValues } from '../work-orders/work-orders.repository.js';
import { GENERATED_TRANSITION_REASON, WORK_ORDER_NUMBER_SQL } from '../work-orders/work-orders.repository.js';
import { advanceSchedules, getsWork, lockTerritorySchedule, pmToday, refreshPairs } from './pm-schedule.repository.js';

/**
 * The preventive-maintenance generator (issue 13, ADR 0016), shared by the worker's
 * `pm-generate` job and anything else that runs it. One run, in one transaction:
 *
 * 1. refresh the schedule of the devices changed since the previous run (new devices,
 *    status, model or site changes), set-based;
 * 2. link pending occurrences whose work order already exists (a pair removed then back);
 * 3. ONE `INSERT … SELECT … ON CONFLICT (plan_id, equipment_id, due_date) DO NOTHING` of
 *    the work orders of every pending occurrence within its plan's lead time (at most one
 *    per pair: the schedule holds only the next occurrence), with, in the same statement,
 *    their first transition, their checklist (the plan's template; electrical safety: the
 *    items of each device's electrical class and applied-part type) and the schedule's link.
 *
 * A run repeated, retried after a crash or run by several workers at once creates each
 * work order exactly once: the unique key decides, not a check. Runs of one territory also
 * queue on an advisory lock (so that concurrent refreshes do not deadlock).
 */

/** The leakage method of generated electrical-safety checklists (the API's default too). */
export const GENERATED_LEAKAGE_METHOD: LeakageMethod = 'direct';

/** Devices changed this long before the previous run's start are looked at again (transactions still open then). */
const REFRESH_OVERLAP_MS = 10 * 60_000;

export interface PmRunOptions {
  territoryId: string;
  siteId?: string;
  /** The day it runs (Europe/Paris); today by default. */
  today?: string;
  /** Refresh every device of the scope, not only those changed since the previous run. */
  fullRefresh?: boolean;
}

export interface PmRunResult {
  created: number;
  pairsAdded: number;
  pairsRemoved: number;
}

/**
 * The checklist items of each template the territory's active plans use, keyed by code;
 * electrical-safety templates once per (electrical class, applied-part type), keyed
 * `code|class|type`. At most 12 profiles per template: computed here, copied set-based.
 */
export async function planChecklists(db: Kysely<DB>, territoryId: string): Promise<{ items: Record<string, ChecklistItemValues[]>; electrical: string[] }> {
  const used = await db.selectFrom('maintenancePlans').select('checklistTemplate').distinct()
    .where('territoryId', '=', territoryId).where('active', '=', true).where('checklistTemplate', 'is not', null).execute();
  const codes = new Set(used.map((u) => u.checklistTemplate!));
  const items: Record<string, ChecklistItemValues[]> = {};
  const electrical: string[] = [];
  if (codes.size === 0) return { items, electrical };
  for (const template of await checklistTemplates(db, territoryId)) {
    if (!codes.has(template.code)) continue;
    if (!isElectricalSafetyTemplate(template.items)) {
      items[template.code] = template.items.map((t) => ({
        key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit, minValue: t.min, maxValue: t.max, templateCode: template.code,
      }));
      continue;
    }
    electrical.push(template.code);
    for (const electricalClass of ELECTRICAL_CLASSES) {
      for (const appliedPartType of APPLIED_PART_TYPES) {
        items[`${template.code}|${electricalClass}|${appliedPartType}`] = electricalSafetyChecklist(template.items, { electricalClass, appliedPartType }, GENERATED_LEAKAGE_METHOD).map((t) => ({
          key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit, minValue: t.min, maxValue: t.max, templateCode: template.code,
          measurementMethod: t.method, measurableFrom: t.measurableFrom, limitBasis: t.limitBasis,
        }));
      }
    }
  }
  return { items, electrical };
}

/** Runs the generator for a territory (or one of its sites); answers the number of work orders created. */
export function generatePreventiveWorkOrders(db: Kysely<DB>, o: PmRunOptions): Promise<PmRunResult> {
  return db.transaction().execute(async (trx) => {
    await lockTerritorySchedule(trx, o.territoryId);
    const today = pmToday(o.today);
    const start = await sql<{ now: Date }>`select now() as now`.execute(trx);
    const seen = await trx.selectFrom('maintenanceScheduleRefreshes').select('devicesSeenAt').where('territoryId', '=', o.territoryId).executeTakeFirst();
    const refresh = seen && !o.fullRefresh
      ? await refreshPairs(trx, { territoryId: o.territoryId, siteId: o.siteId, changedSince: new Date(seen.devicesSeenAt.getTime() - REFRESH_OVERLAP_MS) }, today)
      : await refreshPairs(trx, { territoryId: o.territoryId, siteId: o.siteId, all: true }, today);
    if (!o.siteId) {
      await sql`insert into maintenance_schedule_refreshes (territory_id, devices_seen_at) values (${o.territoryId}::uuid, ${start.rows[0]!.now})
        on conflict (territory_id) do update set devices_seen_at = excluded.devices_seen_at`.execute(trx);
    }
    // How far ahead a work order may be due: the longest lead time of the territory's active plans.
    const horizon = (await sql<{ days: number | null }>`select max(lead_time_days)::int as days from maintenance_plans
      where territory_id = ${o.territoryId}::uuid and active`.execute(trx)).rows[0]?.days ?? null;
    if (horizon === null) return { created: 0, pairsAdded: refresh.added, pairsRemoved: refresh.removed };
    await linkExisting(trx, o, today, horizon);
    const created = await insertDueWorkOrders(trx, o, today, horizon);
    return { created, pairsAdded: refresh.added, pairsRemoved: refresh.removed };
  });
}

/** Pending occurrences whose work order exists already get linked (finished ones move on). */
async function linkExisting(trx: Kysely<DB>, o: PmRunOptions, today: string, horizon: number): Promise<void> {
  const site = o.siteId ? sql`and w.site_id = ${o.siteId}::uuid` : sql``;
  const linked = await sql<{ id: string; state: string }>`
    update maintenance_schedule s set work_order_id = w.id, updated_at = now()
    from work_orders w
    where s.territory_id = ${o.territoryId}::uuid and s.work_order_id is null and s.due_date <= ${today}::date + ${horizon}::int
      and w.plan_id = s.plan_id and w.equipment_id = s.equipment_id and w.due_date = s.due_date ${site}
    returning w.id, w.state`.execute(trx);
  const finished = linked.rows.filter((r) => r.state === 'completed' || r.state === 'closed' || r.state === 'cancelled').map((r) => r.id);
  await advanceSchedules(trx, finished, today);
}

/** The one INSERT … SELECT … ON CONFLICT DO NOTHING of the work orders due within their lead time. */
async function insertDueWorkOrders(trx: Kysely<DB>, o: PmRunOptions, today: string, horizon: number): Promise<number> {
  const checklists = await planChecklists(trx, o.territoryId);
  const site = o.siteId ? sql`and e.site_id = ${o.siteId}::uuid` : sql``;
  const r = await sql<{ created: number }>`
    with due as (
      select s.plan_id, s.equipment_id, s.due_date, e.site_id, p.territory_id, p.work_order_type, p.performed_by, p.name, p.created_by,
        p.tolerance_days_before, p.tolerance_days_after
      from maintenance_schedule s
      join maintenance_plans p on p.id = s.plan_id and p.active
      join equipment e on e.id = s.equipment_id
      where s.territory_id = ${o.territoryId}::uuid and s.work_order_id is null
        and s.due_date <= ${today}::date + ${horizon}::int and s.due_date <= ${today}::date + p.lead_time_days
        and ${getsWork(sql`e`)} ${site}
    ),
    ins as (
      insert into work_orders (
        territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, due_repair_at,
        quality_control_kind, plan_id, due_date, performed_by, planned_date, window_start, window_end)
      select d.territory_id, d.site_id, d.equipment_id, ${sql.raw(WORK_ORDER_NUMBER_SQL)}, d.work_order_type, 'normal',
        d.name || ' — échéance du ' || to_char(d.due_date, 'DD/MM/YYYY'), d.created_by,
        -- Overdue once its due date has passed (Europe/Paris): the lists' overdue filter.
        ((d.due_date + 1)::timestamp at time zone 'Europe/Paris'),
        case when d.work_order_type = 'quality_control' then case when d.performed_by = 'vendor' then 'external' else 'internal' end end,
        d.plan_id, d.due_date, d.performed_by,
        -- Planned for its due date; the plan's tolerance window copied (ADR 0018).
        d.due_date, d.due_date - d.tolerance_days_before, d.due_date + d.tolerance_days_after
      from due d
      on conflict (plan_id, equipment_id, due_date) do nothing
      returning id, plan_id, equipment_id, due_date
    ),
    transitions as (
      insert into work_order_transitions (work_order_id, from_state, to_state, actor_id, reason)
      select i.id, null, 'requested', null, ${GENERATED_TRANSITION_REASON} from ins i
    ),
    ${Object.keys(checklists.items).length === 0 ? sql`` : sql`checklist as (
      insert into work_order_checklist_items (
        work_order_id, position, key, label, kind, mandatory, unit, min_value, max_value, template_code, measurement_method, measurable_from, limit_basis)
      select i.id, (it.n - 1)::int, it.v->>'key', it.v->>'label', it.v->>'kind', (it.v->>'mandatory')::boolean, it.v->>'unit',
        (it.v->>'minValue')::float8, (it.v->>'maxValue')::float8, it.v->>'templateCode', it.v->>'measurementMethod',
        (it.v->>'measurableFrom')::float8, it.v->>'limitBasis'
      from ins i
      join maintenance_plans p on p.id = i.plan_id and p.checklist_template is not null
      join equipment e on e.id = i.equipment_id
      left join equipment_models m on m.id = e.model_id
      cross join lateral jsonb_array_elements(coalesce(${JSON.stringify(checklists.items)}::jsonb -> (
        case when p.checklist_template = any(${checklists.electrical}::text[])
          then p.checklist_template || '|' || coalesce(m.electrical_class, '') || '|' || coalesce(m.applied_part_type, '')
          else p.checklist_template end), '[]'::jsonb)) with ordinality it(v, n)
    ),`}
    -- By the schedule's key from each work order created (never through the pending index:
    -- the planner cannot count the rows a CTE inserts, and a nested loop there is quadratic).
    linked as (
      update maintenance_schedule s set work_order_id = i.id, updated_at = now()
      from ins i where s.plan_id = i.plan_id and s.equipment_id = i.equipment_id and s.due_date = i.due_date
    )
    select count(*)::int as created from ins`.execute(trx);
  return r.rows[0]!.created;
}

/** The territories that have an active plan (the periodic run goes through them). */
export async function territoriesWithPlans(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('maintenancePlans').select('territoryId').distinct().where('active', '=', true).execute();
  return rows.map((r) => r.territoryId);
}
