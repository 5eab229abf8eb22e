import type { Kysely } from 'kysely';
import type { WorkOrder } from '@gmao/contracts';
import { assigneesOf, findWorkOrderForUpdate, touchWorkOrder, type AssigneeRow, type DB, type WorkOrderRow } from '@gmao/db';
import { workOrderAbilities, workOrderRefusal, type WorkOrderAbilities, type WorkOrderAbility } from '@gmao/domain';
import { audit, type ActorContext } from '../../lib/context.js';
import { conflict, forbidden, notFound } from '../../lib/problem.js';
import { factsOf, loadWorkOrder, stateLabel } from './work-order-view.js';

/** Why the work cannot be written in this state (409). */
function workStateMessage(state: string): string {
  return state === 'requested'
    ? 'Bon demandé : affectez-le d’abord à un technicien pour saisir le travail.'
    : `Bon ${stateLabel(state)} : il ne se modifie plus${state === 'completed' ? ' (rouvrez-le d’abord)' : ''}.`;
}

/**
 * Refuses `ability` on the work order as the API answers it (packages/domain decides):
 * 403 when the person's role does not allow it, 409 invalid_state when the state does not.
 */
export function requireAbility(
  ctx: ActorContext,
  wo: WorkOrderRow,
  assignees: readonly AssigneeRow[],
  ability: WorkOrderAbility,
  messages: { role?: string; state?: string } = {},
): void {
  const refusal = workOrderRefusal(ctx.principal, factsOf(wo), assignees.map((a) => a.id), ability);
  if (refusal === 'role') throw forbidden(messages.role);
  if (refusal === 'state') throw conflict(messages.state ?? workStateMessage(wo.state), 'invalid_state');
}

export interface LockedWorkOrder {
  trx: Kysely<DB>;
  wo: WorkOrderRow;
  assignees: AssigneeRow[];
  abilities: WorkOrderAbilities;
}

/** In a transaction: the work order locked (or 404, also when the person may not read it), its assignees and what the person may do on it. */
export async function lockWorkOrder<T>(db: Kysely<DB>, ctx: ActorContext, id: string, fn: (locked: LockedWorkOrder) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const wo = await findWorkOrderForUpdate(trx, ctx.principal.territoryId, id);
    if (!wo) throw notFound('Bon de travail');
    const assignees = (await assigneesOf(trx, [id])).get(id) ?? [];
    const abilities = workOrderAbilities(ctx.principal, factsOf(wo), assignees.map((a) => a.id));
    // One may not read it (care staff of another site): unknown, as on reading.
    if (!abilities.read) throw notFound('Bon de travail');
    return fn({ trx, wo, assignees, abilities });
  });
}

/**
 * A line of work written on an open work order (report, time, vendor, part, checklist,
 * signature): locks it, checks `ability`, runs `fn`, marks the work order changed,
 * records `fn`'s answer in the audit trail, and answers the work order as it is now.
 */
export function writeWork(
  db: Kysely<DB>,
  ctx: ActorContext,
  id: string,
  ability: WorkOrderAbility,
  action: string,
  fn: (locked: LockedWorkOrder) => Promise<unknown>,
): Promise<WorkOrder> {
  return lockWorkOrder(db, ctx, id, async (locked) => {
    requireAbility(ctx, locked.wo, locked.assignees, ability);
    const after = await fn(locked);
    await touchWorkOrder(locked.trx, id);
    await audit(locked.trx, ctx, action, 'work_order', id, null, after);
    return loadWorkOrder(locked.trx, ctx.principal, id);
  });
}
