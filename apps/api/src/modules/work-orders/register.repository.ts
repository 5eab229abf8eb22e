import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { DONE_WORK_ORDER_STATES } from '@gmao/domain';

/** The device's work orders that enter its maintenance register: completed (or closed), in the order they were done. */
export function registerOrders(db: Kysely<DB>, equipmentId: string) {
  return db
    .selectFrom('workOrders')
    .select(['id', 'number', 'type', 'siteId', 'completedAt', 'diagnosis', 'actions', 'downtimeStartedAt', 'downtimeEndedAt'])
    .where('equipmentId', '=', equipmentId)
    .where('state', 'in', DONE_WORK_ORDER_STATES)
    .where('completedAt', 'is not', null)
    .orderBy('completedAt')
    .execute();
}

/** Who did the work of these work orders (their assignees, with their home site), and the vendors who intervened. */
export async function registerPerformers(db: Kysely<DB>, workOrderIds: readonly string[]) {
  if (workOrderIds.length === 0) return { assignees: [], vendors: [] };
  const [assignees, vendors] = await Promise.all([
    db.selectFrom('workOrderAssignees as a').innerJoin('users as u', 'u.id', 'a.userId').leftJoin('sites as s', 's.id', 'u.homeSiteId')
      .select(['a.workOrderId', 'u.fullName', 'u.homeSiteId', 's.name as siteName']).where('a.workOrderId', 'in', workOrderIds).orderBy('a.assignedAt').execute(),
    db.selectFrom('workOrderExternal').select(['workOrderId', 'vendor', 'vendorReference']).where('workOrderId', 'in', workOrderIds).orderBy('recordedAt').execute(),
  ]);
  return { assignees, vendors };
}

/** The checklist results of these work orders: the performance obtained. */
export function registerChecks(db: Kysely<DB>, workOrderIds: readonly string[]) {
  if (workOrderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('workOrderChecklistItems')
    .select(['workOrderId', 'label', 'kind', 'unit', 'minValue', 'maxValue', 'outcome', 'numericValue', 'textValue'])
    .where('workOrderId', 'in', workOrderIds)
    .orderBy('position')
    .execute();
}
