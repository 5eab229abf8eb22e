import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { DEFAULT_PRIORITY_TARGETS, type WorkOrderPriority } from '@gmao/domain';

export function selectWorkOrders(db: Kysely<DB>) {
  return db
    .selectFrom('workOrders as w')
    .innerJoin('sites as s', 's.id', 'w.siteId')
    .innerJoin('equipment as e', 'e.id', 'w.equipmentId')
    .leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .innerJoin('users as rq', 'rq.id', 'w.requestedBy')
    .selectAll('w')
    .select([
      's.name as siteName', 's.shortCode as siteShortCode', 'e.inventoryNumber', 'e.status as equipmentStatus',
      'm.manufacturer', 'm.modelName', 'rq.fullName as requestedByName',
      sql<number>`case w.priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`.as('priorityRank'),
      // The repair due date at full (microsecond) precision, for the lists' keyset cursor.
      sql<string>`coalesce(w.due_repair_at, 'infinity'::timestamptz)::text`.as('dueKey'),
      sql<number>`(select coalesce(sum(l.minutes), 0)::int from work_order_labour l where l.work_order_id = w.id)`.as('labourMinutes'),
      sql<number>`(select count(*)::int from work_order_labour l where l.work_order_id = w.id)`.as('labourEntries'),
      sql<number>`(select count(*)::int from work_order_external x where x.work_order_id = w.id)`.as('externalInterventions'),
    ]);
}
export type WorkOrderRow = Awaited<ReturnType<ReturnType<typeof selectWorkOrders>['executeTakeFirstOrThrow']>>;

export function findWorkOrder(db: Kysely<DB>, territoryId: string, id: string) {
  return selectWorkOrders(db).where('w.territoryId', '=', territoryId).where('w.id', '=', id).executeTakeFirst();
}

/**
 * The work order, its row locked until the transaction ends: concurrent writers on one work
 * order queue up, so that each compares the version the previous one left.
 */
export async function findWorkOrderForUpdate(db: Kysely<DB>, territoryId: string, id: string) {
  await db.selectFrom('workOrders').select('id').where('territoryId', '=', territoryId).where('id', '=', id).forUpdate().execute();
  return findWorkOrder(db, territoryId, id);
}

export async function assigneesOf(db: Kysely<DB>, ids: readonly string[]) {
  const out = new Map<string, { id: string; fullName: string; crossSite: boolean; assignedAt: Date }[]>(ids.map((i) => [i, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('workOrderAssignees as a')
    .innerJoin('users as u', 'u.id', 'a.userId')
    .select(['a.workOrderId', 'u.id', 'u.fullName', 'a.crossSite', 'a.assignedAt'])
    .where('a.workOrderId', 'in', ids)
    .orderBy('a.assignedAt')
    .execute();
  for (const { workOrderId, ...r } of rows) out.get(workOrderId)?.push(r);
  return out;
}

/** The territory's response and repair targets of a priority, or the defaults of packages/domain. */
export async function priorityTargets(db: Kysely<DB>, territoryId: string, priority: WorkOrderPriority) {
  const own = await db
    .selectFrom('workOrderPriorityTargets')
    .select(['responseMinutes', 'repairMinutes'])
    .where('territoryId', '=', territoryId)
    .where('priority', '=', priority)
    .executeTakeFirst();
  return own ?? DEFAULT_PRIORITY_TARGETS[priority];
}

export async function insertTransition(
  db: Kysely<DB>,
  t: { workOrderId: string; fromState: string | null; toState: string; actorId: string; holdReason?: string | null; reason?: string | null },
) {
  await db.insertInto('workOrderTransitions').values(t).execute();
}

export function labourOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderLabour as l')
    .innerJoin('users as u', 'u.id', 'l.technicianId')
    .select(['l.id', 'l.technicianId', 'u.fullName', 'l.startedAt', 'l.endedAt', 'l.minutes', 'l.travelMinutes', 'l.recordedAt'])
    .where('l.workOrderId', '=', workOrderId)
    .orderBy('l.recordedAt')
    .execute();
}

export function externalOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderExternal')
    .select(['id', 'vendor', 'vendorReference', 'costCents', 'performedOn', 'reportAttachmentId', 'recordedAt'])
    .where('workOrderId', '=', workOrderId)
    .orderBy('recordedAt')
    .execute();
}

export function checklistOf(db: Kysely<DB>, workOrderId: string) {
  return db.selectFrom('workOrderChecklistItems').selectAll().where('workOrderId', '=', workOrderId).orderBy('position').execute();
}
export type ChecklistRow = Awaited<ReturnType<typeof checklistOf>>[number];

export function partsOf(db: Kysely<DB>, workOrderId: string) {
  return db.selectFrom('workOrderParts').select(['id', 'reference', 'description', 'quantity', 'recordedAt']).where('workOrderId', '=', workOrderId).orderBy('recordedAt').execute();
}

export function transitionsOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderTransitions as t')
    .leftJoin('users as u', 'u.id', 't.actorId')
    .select(['t.fromState', 't.toState', 't.actorId', 'u.fullName as actorName', 't.at', 't.holdReason', 't.reason'])
    .where('t.workOrderId', '=', workOrderId)
    .orderBy('t.at')
    .orderBy('t.id')
    .execute();
}
