import { sql, type Kysely } from 'kysely';
import { getsWork, type DB } from '@gmao/db';
import { EM_THRESHOLD } from '@gmao/domain';

/** Queries of the maintenance plans' API (the schedule and the generator are in packages/db/src/pm). */

export function selectPlans(db: Kysely<DB>) {
  return db.selectFrom('maintenancePlans as p').selectAll('p').select([
    sql<number>`(select count(*)::int from maintenance_schedule s where s.plan_id = p.id)`.as('deviceCount'),
    sql<string | null>`(select k.code from skills k where k.id = p.required_skill_id)`.as('requiredSkillCode'),
    sql<string | null>`(select k.name from skills k where k.id = p.required_skill_id)`.as('requiredSkillName'),
  ]);
}
export type PlanRow = Awaited<ReturnType<ReturnType<typeof selectPlans>['executeTakeFirstOrThrow']>>;

export function findPlan(db: Kysely<DB>, territoryId: string, id: string) {
  return selectPlans(db).where('p.territoryId', '=', territoryId).where('p.id', '=', id).executeTakeFirst();
}

/** The plan, its row locked until the transaction ends (PATCH and DELETE queue up). */
export async function findPlanForUpdate(db: Kysely<DB>, territoryId: string, id: string) {
  await db.selectFrom('maintenancePlans').select('id').where('territoryId', '=', territoryId).where('id', '=', id).forUpdate().execute();
  return findPlan(db, territoryId, id);
}

export interface PlanListFilters {
  territoryId: string;
  equipmentId?: string;
  modelId?: string;
  categoryId?: string;
  workOrderType?: string;
  includeInactive?: boolean;
  after?: [string, string];
  limit: number;
}

export function listPlans(db: Kysely<DB>, f: PlanListFilters) {
  let q = selectPlans(db).where('p.territoryId', '=', f.territoryId);
  if (!f.includeInactive) q = q.where('p.active', '=', true);
  if (f.equipmentId) q = q.where('p.equipmentId', '=', f.equipmentId);
  if (f.modelId) q = q.where('p.modelId', '=', f.modelId);
  if (f.categoryId) q = q.where('p.categoryId', '=', f.categoryId);
  if (f.workOrderType) q = q.where('p.workOrderType', '=', f.workOrderType);
  if (f.after) {
    const [name, id] = f.after;
    q = q.where((eb) => eb.or([eb('p.name', '>', name), eb.and([eb('p.name', '=', name), eb('p.id', '>', id)])]));
  }
  return q.orderBy('p.name').orderBy('p.id').limit(f.limit + 1).execute();
}

export type PlanValues = Omit<DB['maintenancePlans'], 'id' | 'version' | 'createdAt' | 'updatedAt' | 'active' | 'updatedBy'> & { active?: boolean };

export async function insertPlan(db: Kysely<DB>, values: {
  territoryId: string; name: string; equipmentId: string | null; modelId: string | null; categoryId: string | null; workOrderType: string; trigger: string;
  every: number; unit: string; base: string; anchorDate: string; toleranceDaysBefore: number; toleranceDaysAfter: number; leadTimeDays: number;
  checklistTemplate: string | null; estimatedMinutes: number | null; requiredSkillId: string | null; requiredLevel: string | null; regulatory: boolean;
  performedBy: string; createdBy: string;
}): Promise<string> {
  const { id } = await db.insertInto('maintenancePlans').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updatePlan(db: Kysely<DB>, id: string, values: Record<string, unknown>, updatedBy: string): Promise<void> {
  await db.updateTable('maintenancePlans').set({ ...values, updatedBy, version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', id).execute();
}

/** What a plan applies to, in the territory: a device (with its site), a model or a category. */
export function findDeviceSite(db: Kysely<DB>, territoryId: string, equipmentId: string) {
  return db.selectFrom('equipment').select(['id', 'siteId', 'status']).where('territoryId', '=', territoryId).where('id', '=', equipmentId).executeTakeFirst();
}
/** Whether an active plan applies to the device by its scope (the device itself, its model, its model's category), opt-outs aside. */
export async function planCoversDevice(db: Kysely<DB>, planId: string, equipmentId: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select exists (
      select 1 from maintenance_plans p, equipment e left join equipment_models m on m.id = e.model_id
      where p.id = ${planId}::uuid and e.id = ${equipmentId}::uuid and p.active
        and (p.equipment_id = e.id or p.model_id = e.model_id or p.category_id = m.category_id)) as ok`.execute(db);
  return r.rows[0]?.ok ?? false;
}
export function findModel(db: Kysely<DB>, territoryId: string, modelId: string) {
  return db.selectFrom('equipmentModels').select('id').where('territoryId', '=', territoryId).where('id', '=', modelId).executeTakeFirst();
}
/** A skill of the competency map in the territory (a plan's required skill). */
export function findSkill(db: Kysely<DB>, territoryId: string, skillId: string) {
  return db.selectFrom('skills').select(['id', 'active']).where('territoryId', '=', territoryId).where('id', '=', skillId).executeTakeFirst();
}
export function findCategory(db: Kysely<DB>, territoryId: string, categoryId: string) {
  return db.selectFrom('equipmentCategories').select('id').where('territoryId', '=', territoryId).where('id', '=', categoryId).executeTakeFirst();
}

/**
 * Devices that get planned work, with an EM score (Fennigkoh–Smith: the device's parts, else
 * its category's; incident history 0 when not recorded) of at least 12, that no active
 * plan covers (none applies, or the device opted out of all that do), per site.
 */
export function uncoveredDevices(db: Kysely<DB>, territoryId: string, siteId?: string) {
  return sql<{ siteId: string; siteName: string; id: string; inventoryNumber: string; emScore: number; label: string; modelId: string | null }>`
    select s.id as "siteId", s.name as "siteName", e.id, e.inventory_number as "inventoryNumber", x.em as "emScore",
      coalesce(m.manufacturer || ' ' || m.model_name, e.inventory_number) as label, e.model_id as "modelId"
    from equipment e
    join sites s on s.id = e.site_id
    left join equipment_models m on m.id = e.model_id
    left join equipment_categories c on c.id = m.category_id
    cross join lateral (select coalesce(e.em_function, c.default_function_score) + coalesce(e.em_physical_risk, c.default_physical_risk)
      + coalesce(e.em_maintenance, c.default_maintenance_requirement) + coalesce(e.em_incident_history, 0) as em) x
    where e.territory_id = ${territoryId}::uuid ${siteId ? sql`and e.site_id = ${siteId}::uuid` : sql``}
      -- Only devices that get planned work (not decommissioned nor pending it, not in stock before commissioning).
      and ${getsWork(sql`e`)}
      and x.em >= ${EM_THRESHOLD}
      and not exists (
        select 1 from maintenance_plans p
        where p.active and p.territory_id = e.territory_id
          and (p.equipment_id = e.id or p.model_id = e.model_id or p.category_id = m.category_id)
          and not exists (select 1 from maintenance_plan_opt_outs o where o.plan_id = p.id and o.equipment_id = e.id and o.ended_at is null))
    order by s.name, s.id, x.em desc, e.inventory_number`.execute(db);
}

export function optOutById(db: Kysely<DB>, id: string) {
  return db.selectFrom('maintenancePlanOptOuts as o').innerJoin('users as u', 'u.id', 'o.createdBy')
    .select(['o.id', 'o.planId', 'o.equipmentId', 'o.reason', 'o.createdBy', 'u.fullName', 'o.createdAt', 'o.endedAt'])
    .where('o.id', '=', id).executeTakeFirstOrThrow();
}

/** Adds the device's opt-out of the plan; undefined when one is already current. */
export async function insertOptOut(db: Kysely<DB>, v: { planId: string; equipmentId: string; reason: string; createdBy: string }) {
  const row = await db.insertInto('maintenancePlanOptOuts').values(v)
    .onConflict((oc) => oc.columns(['planId', 'equipmentId']).where('endedAt', 'is', null).doNothing())
    .returning('id').executeTakeFirst();
  return row?.id;
}

/** Ends the current opt-out (its row stays, with who and when); undefined when there was none. */
export async function endOptOut(db: Kysely<DB>, planId: string, equipmentId: string, endedBy: string) {
  const row = await db.updateTable('maintenancePlanOptOuts').set({ endedAt: sql`now()`, endedBy })
    .where('planId', '=', planId).where('equipmentId', '=', equipmentId).where('endedAt', 'is', null)
    .returning('id').executeTakeFirst();
  return row?.id;
}

export async function insertMeterReading(db: Kysely<DB>, v: { territoryId: string; equipmentId: string; unit: string; value: number; readAt: Date; recordedBy: string }) {
  const { id } = await db.insertInto('equipmentMeterReadings').values(v).returning('id').executeTakeFirstOrThrow();
  return id;
}

export function meterReadings(db: Kysely<DB>, equipmentId: string, f: { unit?: string; after?: [string, number]; limit: number }) {
  let q = db.selectFrom('equipmentMeterReadings as r').innerJoin('users as u', 'u.id', 'r.recordedBy')
    .select(['r.id', 'r.unit', 'r.value', 'r.readAt', 'r.recordedBy', 'u.fullName', 'r.recordedAt', sql<string>`r.read_at::text`.as('readKey')])
    .where('r.equipmentId', '=', equipmentId);
  if (f.unit) q = q.where('r.unit', '=', f.unit);
  if (f.after) {
    const [at, id] = f.after;
    q = q.where((eb) => eb.or([eb('r.readAt', '<', sql<Date>`${at}::timestamptz`), eb.and([eb('r.readAt', '=', sql<Date>`${at}::timestamptz`), eb('r.id', '<', id)])]));
  }
  return q.orderBy('r.readAt', 'desc').orderBy('r.id', 'desc').limit(f.limit + 1).execute();
}

/** The plans that apply to a device now (its pairs in the schedule), each with its next occurrence, by due date then plan name. */
export function deviceSchedule(db: Kysely<DB>, equipmentId: string) {
  return db
    .selectFrom('maintenanceSchedule as s')
    .innerJoin('maintenancePlans as p', 'p.id', 's.planId')
    .leftJoin('workOrders as w', 'w.id', 's.workOrderId')
    .select([
      'p.id as planId', 'p.name', 'p.workOrderType', 'p.regulatory', 'p.performedBy', 'p.trigger', 'p.every', 'p.unit',
      's.dueDate', 's.dueValue', 's.lastCompletedOn', 'w.id as workOrderId', 'w.number as workOrderNumber', 'w.state as workOrderState',
    ])
    .where('s.equipmentId', '=', equipmentId)
    .orderBy(sql`s.due_date nulls last`).orderBy('p.name').orderBy('p.id')
    .execute();
}

/** The device's current opt-outs, with the plans' names, newest first. */
export function currentOptOuts(db: Kysely<DB>, equipmentId: string) {
  return db.selectFrom('maintenancePlanOptOuts as o').innerJoin('users as u', 'u.id', 'o.createdBy').innerJoin('maintenancePlans as p', 'p.id', 'o.planId')
    .select(['o.id', 'o.planId', 'p.name as planName', 'o.equipmentId', 'o.reason', 'o.createdBy', 'u.fullName', 'o.createdAt', 'o.endedAt'])
    .where('o.equipmentId', '=', equipmentId).where('o.endedAt', 'is', null)
    .orderBy('o.createdAt', 'desc').orderBy('o.id')
    .execute();
}
