import type { WorkOrder } from '@gmao/contracts';
import { workOrderAbilities, workOrderRefusal, type Principal, type WorkOrderAbilities, type WorkOrderRefusal } from '@gmao/domain';

/** What the rights depend on, as the API sends a work order (full or in a list). */
export interface WorkOrderSeen {
  site: Pick<WorkOrder['site'], 'id'>;
  state: WorkOrder['state'];
  requestedBy: Pick<WorkOrder['requestedBy'], 'id'>;
  assignees: readonly Pick<WorkOrder['assignees'][number], 'id'>[];
}

/**
 * What the signed-in user may do on a work order: `workOrderAbilities` of @gmao/domain, the
 * rule the API enforces, so that the SPA shows exactly what the API would accept. The API only
 * sends work orders of the user's territory. Null when nobody is signed in.
 */
export function abilitiesOn(principal: Principal | null, order: WorkOrderSeen): WorkOrderAbilities | null {
  if (!principal) return null;
  return workOrderAbilities(principal, factsOf(principal, order), order.assignees.map((a) => a.id));
}

/**
 * Why the signed-in user may not take the work order themselves (`workOrderRefusal` of
 * @gmao/domain): 'role' when they are not a technician of its site, 'state' when it is no
 * longer open; null when they may (or nobody is signed in).
 */
export function takeRefusal(principal: Principal | null, order: WorkOrderSeen): WorkOrderRefusal | null {
  if (!principal) return null;
  return workOrderRefusal(principal, factsOf(principal, order), order.assignees.map((a) => a.id), 'take');
}

function factsOf(principal: Principal, order: WorkOrderSeen) {
  return { territoryId: principal.territoryId, siteId: order.site.id, state: order.state, requestedBy: order.requestedBy.id };
}
