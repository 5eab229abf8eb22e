import type { Kysely } from 'kysely';
import type { ChecklistItem, WorkOrder, WorkOrderSummary } from '@gmao/contracts';
import { assigneesOf, findWorkOrder, type AssigneeRow, type ChecklistRow, type DB, type WorkOrderRow } from '@gmao/db';
import {
  LABELS_FR, inSentence, workOrderRefusal, type Conformity, type HoldReason, type QualityControlKind, type Principal, type WorkOrderFacts, type WorkOrderPriority, type WorkOrderState,
} from '@gmao/domain';
import { notFound } from '../../lib/problem.js';

/** How work orders and their lines are sent: rows of packages/db → the contracts' shapes. */

export function toChecklistItem(r: ChecklistRow): ChecklistItem {
  return {
    id: r.id, key: r.key, label: r.label, kind: r.kind as ChecklistItem['kind'], mandatory: r.mandatory, unit: r.unit,
    min: r.minValue, max: r.maxValue, outcome: r.outcome as ChecklistItem['outcome'], text: r.textValue, value: r.numericValue,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    method: r.measurementMethod as ChecklistItem['method'], measurableFrom: r.measurableFrom, limitBasis: r.limitBasis as ChecklistItem['limitBasis'],
  };
}

/**
 * A work order as the lists send it (`WorkOrderSummary`): what their rows show and what the
 * rights of a row depend on. Nothing in it depends on the reader, so a list skips the
 * callback's rights check; `toWorkOrder` adds the rest for GET /work-orders/{id}.
 */
export function toWorkOrderSummary(r: WorkOrderRow, assignees: readonly AssigneeRow[]): WorkOrderSummary {
  return {
    id: r.id, number: r.number, type: r.type as WorkOrder['type'], priority: r.priority as WorkOrderPriority, state: r.state as WorkOrderState,
    site: { id: r.siteId, name: r.siteName, shortCode: r.siteShortCode },
    equipment: { id: r.equipmentId, inventoryNumber: r.inventoryNumber, label: r.manufacturer ? `${r.manufacturer} ${r.modelName}` : r.inventoryNumber, status: r.equipmentStatus },
    symptom: r.symptom,
    requestedBy: { id: r.requestedBy, fullName: r.requestedByName }, requestedAt: r.requestedAt.toISOString(),
    dueResponseAt: r.dueResponseAt?.toISOString() ?? null, dueRepairAt: r.dueRepairAt?.toISOString() ?? null,
    assignees: assignees.map((a) => ({ id: a.id, fullName: a.fullName, crossSite: a.crossSite, assignedAt: a.assignedAt.toISOString() })),
    planId: r.planId, dueDate: r.dueDate,
    version: r.version, updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The work order as `reader` may see it: the callback name and phone are null unless the
 * reader works on or plans it, or reported it (`readCallback` of packages/domain).
 */
export function toWorkOrder(r: WorkOrderRow, assignees: readonly AssigneeRow[], reader: Principal): WorkOrder {
  const callback = workOrderRefusal(reader, factsOf(r), assignees.map((a) => a.id), 'readCallback') === null;
  return {
    ...toWorkOrderSummary(r, assignees),
    deviceOutOfService: r.deviceOutOfService, callbackName: callback ? r.callbackName : null, callbackPhone: callback ? r.callbackPhone : null,
    holdReason: r.holdReason as HoldReason | null,
    downtimeStartedAt: r.downtimeStartedAt?.toISOString() ?? null, downtimeEndedAt: r.downtimeEndedAt?.toISOString() ?? null,
    cancelReason: r.cancelReason, diagnosis: r.diagnosis, actions: r.actions, labourMinutes: r.labourMinutes,
    signature: r.signedName && r.signedAt ? { name: r.signedName, signedAt: r.signedAt.toISOString() } : null,
    completedAt: r.completedAt?.toISOString() ?? null, closedAt: r.closedAt?.toISOString() ?? null,
    qualityControlKind: r.qualityControlKind as QualityControlKind | null,
    performedBy: r.performedBy as WorkOrder['performedBy'],
    plannedDate: r.plannedDate, windowStart: r.windowStart, windowEnd: r.windowEnd,
    conformity: r.conformity as Conformity | null, conformityNote: r.conformityNote,
    conformityOverride: r.conformityOverrideReason && r.conformityOverrideBy
      ? { reason: r.conformityOverrideReason, by: { id: r.conformityOverrideBy, fullName: r.conformityOverrideByName ?? '' } } : null,
    restartDecision: r.restartDecidedAt && r.restartDecidedBy && r.restartReason
      ? { reason: r.restartReason, at: r.restartDecidedAt.toISOString(), by: { id: r.restartDecidedBy, fullName: r.restartDecidedByName ?? '' } } : null,
  };
}

/** What the rights of packages/domain need to know of a work order row. */
export function factsOf(r: Pick<WorkOrderRow, 'territoryId' | 'siteId' | 'state' | 'requestedBy'>): WorkOrderFacts {
  return { territoryId: r.territoryId, siteId: r.siteId, state: r.state as WorkOrderState, requestedBy: r.requestedBy };
}

/** A state as written in a French sentence (« terminé »). */
export const stateLabel = (s: WorkOrderState | string) => inSentence(LABELS_FR.workOrderStates[s as WorkOrderState] ?? s);

/**
 * Whether `reader` sees the work order at all (`read` of packages/domain: the biomedical
 * team reads the territory's, care staff their sites' and their own requests). A work order
 * one may not read is unknown: 404, as another territory's.
 */
export function readable(reader: Principal, row: WorkOrderRow, assignees: readonly AssigneeRow[]): boolean {
  return workOrderRefusal(reader, factsOf(row), assignees.map((a) => a.id), 'read') === null;
}

/** The work order, if `reader` may read it (else 404), with its assignees. */
export async function findReadable(db: Kysely<DB>, reader: Principal, id: string): Promise<{ row: WorkOrderRow; assignees: AssigneeRow[] }> {
  const row = await findWorkOrder(db, reader.territoryId, id);
  const assignees = row ? ((await assigneesOf(db, [id])).get(id) ?? []) : [];
  if (!row || !readable(reader, row, assignees)) throw notFound('Bon de travail');
  return { row, assignees };
}

/** The work order of the reader's territory that they may read, or 404. */
export async function findOr404(db: Kysely<DB>, reader: Principal, id: string): Promise<WorkOrderRow> {
  const row = await findWorkOrder(db, reader.territoryId, id);
  // Being assigned only adds the right to read: the assignees are loaded only for a reader
  // who may not read the work order without them (the biomedical team never needs them).
  if (row && readable(reader, row, [])) return row;
  if (!row || !readable(reader, row, (await assigneesOf(db, [id])).get(id) ?? [])) throw notFound('Bon de travail');
  return row;
}

/** The work order as sent to `reader`, with its assignees, or 404. */
export async function loadWorkOrder(db: Kysely<DB>, reader: Principal, id: string): Promise<WorkOrder> {
  const { row, assignees } = await findReadable(db, reader, id);
  return toWorkOrder(row, assignees, reader);
}
