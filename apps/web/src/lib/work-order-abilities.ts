import type { WorkOrder } from '@gmao/contracts';
import { workOrderAbilities, type Principal, type WorkOrderAbilities } from '@gmao/domain';

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
  return workOrderAbilities(
    principal,
    { territoryId: principal.territoryId, siteId: order.site.id, state: order.state, requestedBy: order.requestedBy.id },
    order.assignees.map((a) => a.id),
  );
}
