import { sql, type Kysely, type RawBuilder } from 'kysely';
import { parisDay } from '@gmao/domain';
import type { DB } from '../generated/db.js';

/**
 * The schedule of preventive maintenance (table maintenance_schedule, ADR 0016): one row
 * per (plan, device) pair that applies, with its next occurrence. Everything here is
 * set-based (one statement whatever the number of pairs) and runs in the caller's
 * transaction: the plans' and readings' services, the work-order core (a generated work
 * order completed or cancelled) and the generator's run keep it current.
 */

/** Today in Europe/Paris, or the day given (tests and the benchmark set the clock). */
export function pmToday(today?: string): string {
  return today ?? parisDay(new Date());
}

/**
 * The next occurrence of a pair from what became of its last one: SQL expressions over
 * the plan `p` and the state given (see pm_calendar_due and packages/domain nextCalendarDue,
 * nextMeterDue, estimatedMeterDueDate).
 */
function dueValueSql(o: { equipmentId: RawBuilder<unknown>; lastDue: RawBuilder<unknown>; lastCompletedValue: RawBuilder<unknown>; previousDueValue: RawBuilder<unknown> }) {
  // A meter plan: every units after the reading at the last completion; after a cancelled
  // occurrence, every units after its due value; with nothing yet, after the reading of
  // the anchor day (0 without one).
  return sql<number | null>`case when p.trigger = 'meter' then coalesce(
      ${o.lastCompletedValue},
      case when ${o.lastDue} is not null then ${o.previousDueValue} end,
      pm_meter_value_at(${o.equipmentId}, p.unit, ((p.anchor_date + 1)::timestamp at time zone 'Europe/Paris')),
      0) + p.every end`;
}

function dueDateSql(o: { equipmentId: RawBuilder<unknown>; lastDue: RawBuilder<unknown>; lastCompleted: RawBuilder<unknown>; dueValue: RawBuilder<unknown>; today: string }) {
  return sql<string | null>`case when p.trigger = 'calendar'
      then pm_calendar_due(p.base, p.anchor_date, p.every, p.unit, ${o.lastDue}, ${o.lastCompleted}, ${o.today}::date)
      else pm_meter_due_date(${o.equipmentId}, p.unit, ${o.dueValue}) end`;
}

/**
 * Takes the territory's schedule lock until the transaction ends: the generator's runs and
 * every write that moves pending occurrences (a plan changed or deactivated, an opt-out, a
 * meter reading) queue on it. Without it, a run whose statement began before such a write
 * committed created the work order of the old due date, could not link it (the row had
 * moved), and created the new one at the next run: two work orders for one occurrence.
 */
export async function lockTerritorySchedule(db: Kysely<DB>, territoryId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${'pm-generate:' + territoryId}, 0))`.execute(db);
}

/** Which devices a refresh looks at. */
export interface PairScope {
  territoryId: string;
  /** The devices these plans apply to (active or not: a deactivated plan's pairs go). */
  planIds?: readonly string[];
  equipmentIds?: readonly string[];
  /** Devices updated since (status, model, site…). */
  changedSince?: Date;
  /** Every device of the territory (or of the site). */
  all?: boolean;
  siteId?: string;
}

/**
 * Brings the pairs of the devices in scope in line with the plans: the pairs that should
 * exist (active plans, most specific per work-order type, no opt-out, devices that get
 * work) are added with their first occurrence; those that should not are removed (their
 * work orders stay). Answers how many were added and removed.
 */
export async function refreshPairs(db: Kysely<DB>, scope: PairScope, today?: string): Promise<{ added: number; removed: number }> {
  const t = scope.territoryId;
  const conditions: RawBuilder<unknown>[] = [];
  if (scope.all) conditions.push(sql`true`);
  if (scope.equipmentIds && scope.equipmentIds.length > 0) conditions.push(sql`e.id = any(${scope.equipmentIds}::uuid[])`);
  if (scope.changedSince) conditions.push(sql`e.updated_at >= ${scope.changedSince}`);
  if (scope.planIds && scope.planIds.length > 0) {
    conditions.push(sql`exists (select 1 from maintenance_plans sp where sp.id = any(${scope.planIds}::uuid[])
      and (sp.equipment_id = e.id or sp.model_id = e.model_id or sp.category_id = m.category_id))`);
  }
  if (conditions.length === 0) return { added: 0, removed: 0 };
  const site = scope.siteId ? sql`and e.site_id = ${scope.siteId}::uuid` : sql``;
  const day = pmToday(today);
  const r = await sql<{ added: number; removed: number }>`
    with affected as materialized (
      select e.id, e.model_id, m.category_id from equipment e left join equipment_models m on m.id = e.model_id
      where e.territory_id = ${t}::uuid ${site} and (${sql.join(conditions, sql` or `)})
    ),
    cand as (
      select a.id as equipment_id, p.id as plan_id, p.work_order_type, 3 as spec
        from affected a join maintenance_plans p on p.equipment_id = a.id and p.active
      union all
      select a.id, p.id, p.work_order_type, 2 from affected a join maintenance_plans p on p.model_id = a.model_id and p.active
      union all
      select a.id, p.id, p.work_order_type, 1 from affected a join maintenance_plans p on p.category_id = a.category_id and p.active
    ),
    eligible as (
      select c.*, max(c.spec) over (partition by c.equipment_id, c.work_order_type) as best
      from cand c join equipment e on e.id = c.equipment_id
      where ${getsWork(sql`e`)}
        and not exists (select 1 from maintenance_plan_opt_outs o where o.plan_id = c.plan_id and o.equipment_id = c.equipment_id and o.ended_at is null)
    ),
    desired as (select equipment_id, plan_id from eligible where spec = best),
    removed as (
      delete from maintenance_schedule s using affected a
      where s.equipment_id = a.id and not exists (select 1 from desired d where d.plan_id = s.plan_id and d.equipment_id = s.equipment_id)
      returning 1
    ),
    added as (
      insert into maintenance_schedule (plan_id, equipment_id, territory_id, due_date, due_value)
      select d.plan_id, d.equipment_id, ${t}::uuid,
        ${dueDateSql({ equipmentId: sql`d.equipment_id`, lastDue: sql`null::date`, lastCompleted: sql`null::date`, dueValue: sql`v.due_value`, today: day })},
        v.due_value
      from desired d join maintenance_plans p on p.id = d.plan_id
      cross join lateral (select ${dueValueSql({ equipmentId: sql`d.equipment_id`, lastDue: sql`null::date`, lastCompletedValue: sql`null::float8`, previousDueValue: sql`null::float8` })} as due_value) v
      on conflict (plan_id, equipment_id) do nothing
      returning 1
    )
    select (select count(*) from added)::int as added, (select count(*) from removed)::int as removed`.execute(db);
  return r.rows[0]!;
}

/** Whether a device (alias) gets planned work: not decommissioned nor pending it, not in stock before commissioning (on loan keeps its plans). */
export function getsWork(e: RawBuilder<unknown>) {
  return sql`${e}.status <> 'decommissioned' and not (${e}.status = 'in_stock' and ${e}.commissioning_date is null)
    and not exists (select 1 from equipment_decommissions dq where dq.equipment_id = ${e}.id and dq.status = 'pending')`;
}

/**
 * Computes again the next occurrence of the pairs whose current one has no work order yet
 * (a plan changed: every, unit, base, anchor; a meter reading came). Answers how many.
 */
export async function reschedulePending(
  db: Kysely<DB>,
  scope: {
    planIds?: readonly string[];
    equipmentIds?: readonly string[];
    /**
     * The plans' interval before the change being applied (a PATCH of `every`): the due value
     * of the last occurrence (cancelled, or completed without a reading) is the current due
     * value less the interval it was computed with, not less the new one.
     */
    previousEvery?: number;
  },
  today?: string,
): Promise<number> {
  const filters: RawBuilder<unknown>[] = [];
  if (scope.planIds) filters.push(sql`s.plan_id = any(${scope.planIds}::uuid[])`);
  if (scope.equipmentIds) filters.push(sql`s.equipment_id = any(${scope.equipmentIds}::uuid[])`);
  if (filters.length === 0) return 0;
  const day = pmToday(today);
  const r = await sql`
    update maintenance_schedule s set due_value = n.due_value, due_date = n.due_date, updated_at = now()
    from (
      select s.plan_id, s.equipment_id, v.due_value,
        ${dueDateSql({ equipmentId: sql`s.equipment_id`, lastDue: sql`s.last_due_date`, lastCompleted: sql`s.last_completed_on`, dueValue: sql`v.due_value`, today: day })} as due_date
      from maintenance_schedule s join maintenance_plans p on p.id = s.plan_id
      cross join lateral (select ${dueValueSql({ equipmentId: sql`s.equipment_id`, lastDue: sql`s.last_due_date`, lastCompletedValue: sql`s.last_completed_value`, previousDueValue: scope.previousEvery === undefined ? sql`s.due_value - p.every` : sql`s.due_value - ${scope.previousEvery}::int` })} as due_value) v
      where s.work_order_id is null and ${sql.join(filters, sql` and `)}
    ) n
    where s.plan_id = n.plan_id and s.equipment_id = n.equipment_id`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * The generated work orders among `ids` that were just completed or cancelled: their pair
 * moves on to the next occurrence, following the plan's base (fixed: the occurrence after
 * this due date; completion: from the completion day, or from the due date when cancelled,
 * so that the next occurrence still comes). In the transaction that moves them.
 */
export async function advanceSchedules(db: Kysely<DB>, ids: readonly string[], today?: string): Promise<void> {
  if (ids.length === 0) return;
  const day = pmToday(today);
  await sql`
    with w as (
      select w.id, w.plan_id, w.equipment_id, w.due_date,
        case when w.state = 'completed' then (w.completed_at at time zone 'Europe/Paris')::date end as completed_on,
        case when w.state = 'completed' then w.completed_at end as completed_at
      from work_orders w where w.id = any(${ids}::uuid[]) and w.plan_id is not null and w.state in ('completed', 'cancelled')
    ),
    n as (
      select s.plan_id, s.equipment_id, w.due_date, w.completed_on, c.completed_value, v.due_value,
        ${dueDateSql({ equipmentId: sql`s.equipment_id`, lastDue: sql`w.due_date`, lastCompleted: sql`w.completed_on`, dueValue: sql`v.due_value`, today: day })} as next_due
      -- The pair's current occurrence, or (a work order reopened then completed again) the
      -- occurrence the pair last moved on from, while its next one is not generated yet: the
      -- completion base then counts from the latest completion.
      from w join maintenance_schedule s on s.plan_id = w.plan_id and s.equipment_id = w.equipment_id
        and (s.work_order_id = w.id or (s.work_order_id is null and s.last_due_date = w.due_date))
      join maintenance_plans p on p.id = s.plan_id
      cross join lateral (select case when p.trigger = 'meter' and w.completed_at is not null then pm_meter_value_at(s.equipment_id, p.unit, w.completed_at) end as completed_value) c
      cross join lateral (select ${dueValueSql({ equipmentId: sql`s.equipment_id`, lastDue: sql`w.due_date`, lastCompletedValue: sql`c.completed_value`, previousDueValue: sql`s.due_value` })} as due_value) v
      -- Completed again after a reopening: only when the new completion says where to count
      -- from (a meter plan without a reading would count from the due value already moved on).
      where s.work_order_id = w.id or (w.completed_on is not null and (p.trigger = 'calendar' or c.completed_value is not null))
    )
    update maintenance_schedule s set
      last_due_date = n.due_date, last_completed_on = n.completed_on, last_completed_value = n.completed_value,
      due_date = n.next_due, due_value = n.due_value, work_order_id = null, updated_at = now()
    from n where s.plan_id = n.plan_id and s.equipment_id = n.equipment_id`.execute(db);
}

/** The pairs of a plan with their next occurrence, by inventory number (keyset). */
export function planDevices(db: Kysely<DB>, planId: string, page: { limit: number; after?: { inventoryNumber: string; id: string } }) {
  let q = db
    .selectFrom('maintenanceSchedule as s')
    .innerJoin('equipment as e', 'e.id', 's.equipmentId')
    .innerJoin('sites as st', 'st.id', 'e.siteId')
    .leftJoin('workOrders as w', 'w.id', 's.workOrderId')
    .select([
      'e.id', 'e.inventoryNumber', 'e.status', 'st.id as siteId', 'st.name as siteName', 's.dueDate', 's.dueValue', 's.lastDueDate', 's.lastCompletedOn',
      'w.id as workOrderId', 'w.number as workOrderNumber', 'w.state as workOrderState',
    ])
    .where('s.planId', '=', planId);
  if (page.after) {
    const a = page.after;
    q = q.where((eb) => eb.or([eb('e.inventoryNumber', '>', a.inventoryNumber), eb.and([eb('e.inventoryNumber', '=', a.inventoryNumber), eb('e.id', '>', a.id)])]));
  }
  return q.orderBy('e.inventoryNumber').orderBy('e.id').limit(page.limit + 1).execute();
}
