import type { Kysely } from 'kysely';
import {
  ASSIGNABLE_ROLES, canTransition, type CodedReason, type Conformity, type EquipmentStatus, type QualityControlKind, type RoleName, type HoldReason,
  type WorkOrderPriority, type WorkOrderState, type WorkOrderType,
} from '@gmao/domain';
import type { DB } from '../generated/db.js';
import { equipmentStatuses, setEquipmentStatus } from '../equipment/equipment-status.repository.js';
import {
  activeUserGrants, insertAssignee, insertTransitions, staleCompletedWorkOrders, updateWorkOrderStates, insertChecklistItems, insertTransition, insertWorkOrder, nextWorkOrderNumber,
  saveRestartDecision, saveVerdict, startDowntime, type ChecklistItemValues,
} from './work-orders.repository.js';
import { priorityTargets } from './work-order-settings.repository.js';
import { releaseReservations } from '../stock/stock-reservations.js';
import { advanceSchedules } from '../pm/pm-schedule.repository.js';

/**
 * The life of a work order, where both the API and the worker reach it: creating one
 * (number, due dates, first transition, taking the device out of service), assigning
 * someone, and moving work orders along the state machine (closing included). Callers
 * check rights and the rules of packages/domain first; these functions keep the
 * records consistent: every move recorded, the device's status and downtime in step.
 */

/** Runs `fn` in the caller's transaction, or in a new one. */
function inTransaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** The response and repair due dates of a priority, counted from `from` with the territory's targets. */
export async function dueDates(db: Kysely<DB>, territoryId: string, priority: WorkOrderPriority, from: Date) {
  const targets = await priorityTargets(db, territoryId, priority);
  return {
    dueResponseAt: new Date(from.getTime() + targets.responseMinutes * 60_000),
    dueRepairAt: new Date(from.getTime() + targets.repairMinutes * 60_000),
  };
}

export interface NewWorkOrder {
  territoryId: string;
  /** The device, as read in the same transaction. */
  device: { id: string; siteId: string; status: string };
  type: WorkOrderType;
  priority: WorkOrderPriority;
  /** The fault reported, or what is to be done. */
  symptom: string;
  /** The device is down: it goes out of service and its downtime starts. */
  deviceOutOfService: boolean;
  callbackName?: string | null;
  callbackPhone?: string | null;
  /** A planned repair due date; null: the territory's response and repair targets, from now. */
  dueAt: Date | null;
  requestedBy: string;
  /** Checklist items copied in from the start (a template's). */
  checklist?: readonly ChecklistItemValues[];
  /** Quality control: internal (the default) or external. Ignored for other types. */
  qualityControlKind?: QualityControlKind;
}

/** Creates a requested work order; answers its id and number. */
export function createWorkOrder(db: Kysely<DB>, w: NewWorkOrder): Promise<{ id: string; number: string }> {
  return inTransaction(db, async (trx) => {
    const now = new Date();
    const due = w.dueAt === null ? await dueDates(trx, w.territoryId, w.priority, now) : { dueResponseAt: null, dueRepairAt: w.dueAt };
    const takeDown = w.deviceOutOfService && canTransition(w.device.status as EquipmentStatus, 'out_of_service');
    const number = await nextWorkOrderNumber(trx, now);
    const id = await insertWorkOrder(trx, {
      territoryId: w.territoryId, siteId: w.device.siteId, equipmentId: w.device.id, number, type: w.type, priority: w.priority,
      symptom: w.symptom, deviceOutOfService: w.deviceOutOfService, callbackName: w.callbackName ?? null, callbackPhone: w.callbackPhone ?? null,
      requestedBy: w.requestedBy, ...due, downtimeStartedAt: takeDown ? now : null,
      qualityControlKind: w.type === 'quality_control' ? (w.qualityControlKind ?? 'internal') : null,
    });
    await insertTransition(trx, { workOrderId: id, fromState: null, toState: 'requested', actorId: w.requestedBy, reason: w.symptom });
    if (takeDown) {
      await setEquipmentStatus(trx, {
        territoryId: w.territoryId, equipmentId: w.device.id, from: w.device.status as EquipmentStatus, to: 'out_of_service',
        actorId: w.requestedBy, reason: null, codedReason: { code: 'work_order_reported', number, symptom: w.symptom }, details: { workOrderId: id },
      });
    }
    await insertChecklistItems(trx, id, w.checklist ?? []);
    return { id, number };
  });
}

export type AssignResult = { ok: true; crossSite: boolean } | { ok: false; problem: 'not_assignable' | 'already_assigned' };

/**
 * Assigns an active technician or engineer of the territory. Someone with no role at the
 * work order's site makes it a cross-site intervention; a requested work order becomes
 * assigned. The caller has checked that `assignedBy` may assign this person.
 */
export function assignWorkOrder(
  db: Kysely<DB>,
  wo: { id: string; territoryId: string; siteId: string },
  userId: string,
  assignedBy: string,
): Promise<AssignResult> {
  return inTransaction(db, async (trx) => {
    const grants = await activeUserGrants(trx, wo.territoryId, userId);
    if (!grants.some((g) => ASSIGNABLE_ROLES.includes(g.role as RoleName))) return { ok: false, problem: 'not_assignable' };
    const crossSite = !grants.some((g) => g.siteId === wo.siteId);
    if (!(await insertAssignee(trx, { workOrderId: wo.id, userId, assignedBy, crossSite }))) return { ok: false, problem: 'already_assigned' };
    // The first assignee takes the request: requested → assigned (nothing moves if it already was).
    await moveWorkOrders(trx, [wo.id], { from: 'requested', to: 'assigned', actorId: assignedBy });
    return { ok: true, crossSite };
  });
}

export interface WorkOrderMove {
  from: WorkOrderState;
  to: WorkOrderState;
  /** Who moves them; null: the system (a scheduled job). */
  actorId: string | null;
  holdReason?: HoldReason | null;
  /** Why (mandatory for some moves: packages/domain checkWorkOrderTransition). */
  reason?: string | null;
  /** Why, when the product moves them (written in the reader's language). */
  codedReason?: CodedReason | null;
  /** On completion: the device is back in service (its downtime ends, its status comes back). */
  backInService?: boolean | null;
}

/**
 * Moves the given work orders that are still in `from` to `to`, in one UPDATE and one
 * INSERT of their transitions, whatever their number (a scheduled closure moves
 * thousands). Sets what the move implies: hold and cancel reasons, completion and
 * closure times, the end of the downtime and the device back in service on a completion
 * "back in service". The caller has checked that the move is legal and allowed. Answers
 * the ids moved (those no longer in `from` are left alone).
 */
export function moveWorkOrders(db: Kysely<DB>, ids: readonly string[], m: WorkOrderMove): Promise<string[]> {
  if (ids.length === 0) return Promise.resolve([]);
  const restore = m.to === 'completed' && m.backInService === true;
  return inTransaction(db, async (trx) => {
    const moved = await updateWorkOrderStates(trx, ids, m.from, m.to, {
      holdReason: m.holdReason ?? null, reason: m.reason ?? null, backInService: m.backInService ?? null, endDowntime: restore,
    });
    if (moved.length === 0) return [];
    // A work order done (completed, closed) or cancelled uses no more parts: what it still
    // holds goes back to the shelves.
    if (m.to === 'cancelled' || m.to === 'completed' || m.to === 'closed') await releaseReservations(trx, moved.map((w) => w.id));
    // A generated work order done or cancelled: its (plan, device) pair moves on to the next occurrence.
    if (m.to === 'completed' || m.to === 'cancelled') await advanceSchedules(trx, moved.map((w) => w.id));
    await insertTransitions(trx, moved.map((w) => w.id), {
      fromState: m.from, toState: m.to, actorId: m.actorId, holdReason: m.holdReason ?? null, reason: m.reason ?? null, codedReason: m.codedReason ?? null,
    });
    if (restore) {
      const restored = moved.filter((w) => w.downtimeOpen);
      const statuses = await equipmentStatuses(trx, restored.map((w) => w.equipmentId));
      for (const w of restored) {
        const status = statuses.get(w.equipmentId);
        if (!status || !canTransition(status, 'in_service')) continue;
        await setEquipmentStatus(trx, {
          territoryId: w.territoryId, equipmentId: w.equipmentId, from: status, to: 'in_service', actorId: m.actorId,
          reason: null, codedReason: { code: 'back_in_service', number: w.number }, details: { workOrderId: w.id },
        });
      }
    }
    return moved.map((w) => w.id);
  });
}

/**
 * Closes the work orders completed and never verified for longer than their territory's
 * delay (work_order_settings.auto_close_days; `defaultDays` where the territory set none;
 * never where it set null), as system moves with the reason: all of them or none (one
 * transaction, the chosen work orders locked from the choice to the closure). Idempotent.
 */
export function closeStaleCompletedWorkOrders(db: Kysely<DB>, defaultDays: number): Promise<number> {
  return inTransaction(db, async (trx) => {
    const byDelay = new Map<number, string[]>();
    for (const { id, days } of await staleCompletedWorkOrders(trx, defaultDays)) {
      const ids = byDelay.get(days) ?? [];
      ids.push(id);
      byDelay.set(days, ids);
    }
    let closed = 0;
    for (const [days, ids] of byDelay) {
      const moved = await moveWorkOrders(trx, ids, {
        from: 'completed', to: 'closed', actorId: null,
        codedReason: { code: 'automatic_closure', days },
      });
      closed += moved.length;
    }
    return closed;
  });
}

export interface CompletionVerdict {
  conformity: Conformity;
  note: string | null;
  /** An engineer's override of a failed measurement: the reason and who. */
  override: { reason: string; by: string } | null;
}

/**
 * Records the verdict of a work order just completed (the caller decided it with
 * packages/domain decideVerdict). A non-conforming device stays out of service: its
 * downtime starts now if the work order had none running, and it goes out of service,
 * until an engineer decides (restartAfterNonConformity).
 */
export function recordCompletionVerdict(
  db: Kysely<DB>,
  wo: { id: string; number: string; territoryId: string; equipmentId: string },
  v: CompletionVerdict,
  actorId: string,
): Promise<void> {
  return inTransaction(db, async (trx) => {
    await saveVerdict(trx, wo.id, { conformity: v.conformity, note: v.note, overrideReason: v.override?.reason ?? null, overrideBy: v.override?.by ?? null });
    if (v.conformity !== 'non_conforming') return;
    await startDowntime(trx, wo.id);
    const status = (await equipmentStatuses(trx, [wo.equipmentId])).get(wo.equipmentId);
    if (status && status !== 'out_of_service' && canTransition(status, 'out_of_service')) {
      await setEquipmentStatus(trx, {
        territoryId: wo.territoryId, equipmentId: wo.equipmentId, from: status, to: 'out_of_service', actorId,
        reason: null, codedReason: { code: 'non_conforming', number: wo.number }, details: { workOrderId: wo.id },
      });
    }
  });
}

/**
 * An engineer's decision after a non-conforming verdict: the device goes back in service
 * (when its status allows), the work order's downtime ends and the decision is recorded.
 * The caller has checked the right (conformity.decide) and that a decision is pending.
 */
export function restartAfterNonConformity(
  db: Kysely<DB>,
  wo: { id: string; number: string; territoryId: string; equipmentId: string },
  decision: { decidedBy: string; reason: string },
): Promise<void> {
  return inTransaction(db, async (trx) => {
    await saveRestartDecision(trx, wo.id, decision);
    const status = (await equipmentStatuses(trx, [wo.equipmentId])).get(wo.equipmentId);
    if (status && status !== 'in_service' && canTransition(status, 'in_service')) {
      await setEquipmentStatus(trx, {
        territoryId: wo.territoryId, equipmentId: wo.equipmentId, from: status, to: 'in_service', actorId: decision.decidedBy,
        reason: null, codedReason: { code: 'restart_decided', number: wo.number, reason: decision.reason }, details: { workOrderId: wo.id },
      });
    }
  });
}
