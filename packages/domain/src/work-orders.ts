/** Pure rules of work orders: the state machine, checklist measurements, completion. */

export const WORK_ORDER_TYPES = [
  'corrective', 'preventive', 'quality_control', 'electrical_safety', 'commissioning', 'recall_action', 'decommissioning', 'other',
] as const;
export type WorkOrderType = (typeof WORK_ORDER_TYPES)[number];

export const WORK_ORDER_PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type WorkOrderPriority = (typeof WORK_ORDER_PRIORITIES)[number];

export const WORK_ORDER_STATES = ['requested', 'assigned', 'in_progress', 'on_hold', 'completed', 'closed', 'cancelled'] as const;
export type WorkOrderState = (typeof WORK_ORDER_STATES)[number];

/** Open states: the work is still to be done (the backlog). */
export const OPEN_WORK_ORDER_STATES: readonly WorkOrderState[] = ['requested', 'assigned', 'in_progress', 'on_hold'];

/** States in which the work itself is written (report, time, parts, checklist, signature): someone has it. */
export const WORKABLE_WORK_ORDER_STATES: readonly WorkOrderState[] = ['assigned', 'in_progress', 'on_hold'];

/** Final states: nothing leaves them. */
export const FINAL_WORK_ORDER_STATES: readonly WorkOrderState[] = ['closed', 'cancelled'];

/** States in which the response is still awaited: nobody has started the work. */
export const AWAITING_RESPONSE_STATES: readonly WorkOrderState[] = ['requested', 'assigned'];

/**
 * The due date that matters now: the response due date while nobody has started (when the
 * work order has one), then the repair due date.
 */
export function nextDueDate<T>(w: { state: WorkOrderState; dueResponseAt: T | null; dueRepairAt: T | null }): T | null {
  return nextDue(w)?.at ?? null;
}

/** Which of a work order's due dates a date is: someone must answer (response), or the repair must be done. */
export type DueKind = 'response' | 'repair';

/** nextDueDate, saying which due date it is. */
export function nextDue<T>(w: { state: WorkOrderState; dueResponseAt: T | null; dueRepairAt: T | null }): { kind: DueKind; at: T } | null {
  if (AWAITING_RESPONSE_STATES.includes(w.state) && w.dueResponseAt !== null) return { kind: 'response', at: w.dueResponseAt };
  return w.dueRepairAt === null ? null : { kind: 'repair', at: w.dueRepairAt };
}

/**
 * A search text that is (part of) a work-order number, BT-<year>-<6 digits>: "BT-2026-000123",
 * "BT-2026", "2026-000123", "000123". Such a search looks in every state (a closed work order
 * is found by its number), not only in the list's states.
 */
export function looksLikeWorkOrderNumber(text: string): boolean {
  const q = text.trim();
  return /^bt[-\s]?\d{2,}([-\s]?\d+)?$/i.test(q) || /^\d{4}[-\s]\d{1,6}$/.test(q) || /^\d{3,6}$/.test(q);
}

/** Nobody has answered yet and the response due date has passed (`now` in ms since the epoch). */
export function responseTimePassed(w: { state: WorkOrderState; dueResponseAt: string | Date | null }, now: number): boolean {
  if (!AWAITING_RESPONSE_STATES.includes(w.state) || w.dueResponseAt === null) return false;
  const due = w.dueResponseAt instanceof Date ? w.dueResponseAt.getTime() : Date.parse(w.dueResponseAt);
  return !Number.isNaN(due) && due < now;
}

/** States in which the work was done: what the maintenance register records. */
export const DONE_WORK_ORDER_STATES: readonly WorkOrderState[] = ['completed', 'closed'];

export const HOLD_REASONS = ['waiting_parts', 'waiting_vendor', 'waiting_access', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/**
 * requested → assigned → in_progress ⇄ on_hold → completed → closed; cancelled from
 * requested or assigned (with a reason); reopened from completed back to in_progress.
 */
const TRANSITIONS: Record<WorkOrderState, readonly WorkOrderState[]> = {
  requested: ['assigned', 'cancelled'],
  assigned: ['in_progress', 'cancelled'],
  in_progress: ['on_hold', 'completed'],
  on_hold: ['in_progress'],
  completed: ['closed', 'in_progress'],
  closed: [],
  cancelled: [],
};

export function allowedWorkOrderTransitions(from: WorkOrderState): readonly WorkOrderState[] {
  return TRANSITIONS[from];
}

export type TransitionCheck =
  | { ok: true }
  | { ok: false; kind: 'illegal'; allowed: readonly WorkOrderState[] }
  | { ok: false; kind: 'reason_required'; message: string };

/** Whether `from → to` is legal, and whether the reason it needs is there. */
export function checkWorkOrderTransition(
  from: WorkOrderState,
  to: WorkOrderState,
  reason: { holdReason?: HoldReason | null; text?: string | null } = {},
): TransitionCheck {
  if (!TRANSITIONS[from].includes(to)) return { ok: false, kind: 'illegal', allowed: TRANSITIONS[from] };
  const text = reason.text?.trim() ?? '';
  if (to === 'on_hold') {
    if (!reason.holdReason) return { ok: false, kind: 'reason_required', message: 'motif de mise en attente obligatoire' };
    if (reason.holdReason === 'other' && text === '') return { ok: false, kind: 'reason_required', message: 'précisez le motif « autre »' };
  }
  if (to === 'cancelled' && text === '') return { ok: false, kind: 'reason_required', message: "motif d'annulation obligatoire" };
  if (from === 'completed' && to === 'in_progress' && text === '') {
    return { ok: false, kind: 'reason_required', message: 'motif de réouverture obligatoire' };
  }
  return { ok: true };
}

/** A measurement's limits; either bound may be absent, both are inclusive. */
export interface MeasurementLimits {
  min?: number | null;
  max?: number | null;
}

export type MeasurementResult = 'pass' | 'fail';

export function evaluateMeasurement(value: number, limits: MeasurementLimits): MeasurementResult {
  if (!Number.isFinite(value)) return 'fail';
  if (limits.min !== null && limits.min !== undefined && value < limits.min) return 'fail';
  if (limits.max !== null && limits.max !== undefined && value > limits.max) return 'fail';
  return 'pass';
}

export type ChecklistItemKind = 'pass_fail' | 'text' | 'measurement';

export interface ChecklistItemTemplate {
  key: string;
  label: string;
  kind: ChecklistItemKind;
  mandatory: boolean;
  unit?: string;
  limits?: MeasurementLimits;
}

/**
 * Recurrent electrical-safety test of IEC 62353 (tests after repair and periodic tests),
 * as a checklist of measurements. When it is added to a work order, its measurements and
 * their limits are chosen from the device model's electrical class, applied-part type and
 * the leakage method used (iec62353.ts, electricalSafetyChecklist): the limits below are
 * those of class I equipment with BF applied parts by the direct method, shown in the
 * template's settings; a territory may change its labels, practice values and other items.
 */
export const IEC_62353_TEMPLATE: readonly ChecklistItemTemplate[] = [
  { key: 'visual_inspection', label: 'Inspection visuelle (boîtier, câbles, connecteurs, étiquetage)', kind: 'pass_fail', mandatory: true },
  { key: 'protective_earth_resistance', label: 'Résistance du conducteur de protection', kind: 'measurement', mandatory: true, unit: 'Ω', limits: { max: 0.3 } },
  { key: 'insulation_resistance', label: "Résistance d'isolement (secteur / boîtier)", kind: 'measurement', mandatory: false, unit: 'MΩ', limits: { min: 2 } },
  { key: 'insulation_resistance_applied_parts', label: "Résistance d'isolement (secteur / parties appliquées)", kind: 'measurement', mandatory: false, unit: 'MΩ', limits: { min: 70 } },
  { key: 'equipment_leakage_current', label: "Courant de fuite de l'appareil", kind: 'measurement', mandatory: true, unit: 'µA', limits: { max: 500 } },
  { key: 'applied_part_leakage_current', label: 'Courant de fuite des parties appliquées', kind: 'measurement', mandatory: true, unit: 'µA', limits: { max: 5000 } },
  { key: 'functional_test', label: 'Essai fonctionnel', kind: 'pass_fail', mandatory: true },
];

export interface BuiltInChecklistTemplate {
  code: string;
  name: string;
  items: readonly ChecklistItemTemplate[];
}

/**
 * Templates every territory has from the start. A territory may change their items and
 * limits (its own copy is then used) or go back to these defaults.
 */
export const BUILT_IN_CHECKLIST_TEMPLATES: readonly BuiltInChecklistTemplate[] = [
  { code: 'iec-62353', name: 'Sécurité électrique IEC 62353 (limites selon la classe du modèle)', items: IEC_62353_TEMPLATE },
];

/** Problems of a template's items (duplicate keys, limits on non-measurements, min > max). */
export function checklistTemplateProblems(items: readonly ChecklistItemTemplate[]): CompletionProblem[] {
  const out: CompletionProblem[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.key)) out.push({ path: `items.${i}.key`, message: `clé en double : ${item.key}` });
    seen.add(item.key);
    const min = item.limits?.min ?? null;
    const max = item.limits?.max ?? null;
    if (item.kind !== 'measurement' && (min !== null || max !== null || (item.unit ?? null) !== null)) {
      out.push({ path: `items.${i}`, message: 'unité et limites pour les mesures seulement' });
    }
    if (item.kind === 'measurement' && !item.unit) out.push({ path: `items.${i}.unit`, message: 'unité obligatoire pour une mesure' });
    if (min !== null && max !== null && min > max) out.push({ path: `items.${i}.min`, message: 'min doit être ≤ max' });
  });
  return out;
}


/** The answer to a checklist item (a measurement's is computed from its limits). */
export const CHECKLIST_OUTCOMES = ['pass', 'fail', 'not_applicable'] as const;
export type ChecklistOutcome = (typeof CHECKLIST_OUTCOMES)[number];

export interface ChecklistAnswer {
  key: string;
  /** pass_fail: 'pass' | 'fail' | 'not_applicable'; text: the text; measurement: the value. */
  outcome?: ChecklistOutcome | null;
  text?: string | null;
  value?: number | null;
}

export interface CompletionInput {
  diagnosis: string | null;
  actions: string | null;
  labourEntries: number;
  externalInterventions: number;
  checklist: readonly (ChecklistItemTemplate & { answer: ChecklistAnswer | null })[];
  signature: { name: string; signedAt: string; image: string } | null;
}

export interface CompletionProblem {
  path: string;
  message: string;
}

function answered(item: ChecklistItemTemplate, answer: ChecklistAnswer | null): boolean {
  if (!answer) return false;
  switch (item.kind) {
    case 'pass_fail':
      return answer.outcome === 'pass' || answer.outcome === 'fail' || answer.outcome === 'not_applicable';
    case 'text':
      return (answer.text ?? '').trim() !== '' || answer.outcome === 'not_applicable';
    case 'measurement':
      return (typeof answer.value === 'number' && Number.isFinite(answer.value)) || answer.outcome === 'not_applicable';
  }
}

/** Everything missing before a work order can be completed (empty: it can). */
export function completionProblems(w: CompletionInput): CompletionProblem[] {
  const out: CompletionProblem[] = [];
  if (!w.diagnosis?.trim()) out.push({ path: 'diagnosis', message: 'diagnostic obligatoire' });
  if (!w.actions?.trim()) out.push({ path: 'actions', message: 'actions réalisées obligatoires' });
  if (w.labourEntries === 0 && w.externalInterventions === 0) {
    out.push({ path: 'labour', message: "au moins un temps passé ou une intervention externe est nécessaire" });
  }
  for (const item of w.checklist) {
    if (item.mandatory && !answered(item, item.answer)) out.push({ path: `checklist.${item.key}`, message: `point de contrôle obligatoire sans réponse : ${item.label}` });
  }
  if (!w.signature || !w.signature.name.trim() || !w.signature.image) {
    out.push({ path: 'signature', message: 'signature du technicien obligatoire' });
  }
  return out;
}

/** Default response and repair targets (minutes) when a territory has set none. */
export const DEFAULT_PRIORITY_TARGETS: Record<WorkOrderPriority, { responseMinutes: number; repairMinutes: number }> = {
  critical: { responseMinutes: 60, repairMinutes: 8 * 60 },
  high: { responseMinutes: 4 * 60, repairMinutes: 2 * 24 * 60 },
  normal: { responseMinutes: 24 * 60, repairMinutes: 5 * 24 * 60 },
  low: { responseMinutes: 3 * 24 * 60, repairMinutes: 20 * 24 * 60 },
};

/** Days after which a completed work order nobody verified is closed, when a territory set none. */
export const DEFAULT_AUTO_CLOSE_DAYS = 15;

/** Sort rank of priorities: critical first. */
export const PRIORITY_RANK: Record<WorkOrderPriority, number> = { critical: 0, high: 1, normal: 2, low: 3 };

/** A fault report's priority: a critical device that is down is critical; down otherwise high. */
export function faultReportPriority(criticality: 'low' | 'medium' | 'high' | 'critical', outOfService: boolean): WorkOrderPriority {
  if (outOfService) return criticality === 'critical' || criticality === 'high' ? 'critical' : 'high';
  return criticality === 'critical' ? 'high' : 'normal';
}

/** The media type of an attachment from its first bytes (never from its name or the client's claim). */
export function sniffAttachmentType(bytes: Uint8Array): 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return null;
}
