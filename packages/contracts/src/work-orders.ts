import { z } from 'zod';
import {
  CHECKLIST_OUTCOMES, CONFORMITIES, HOLD_REASONS, LEAKAGE_METHODS, LIMIT_BASES, QUALITY_CONTROL_KINDS, VERDICTS, WORK_ORDER_PRIORITIES,
  WORK_ORDER_STATES, WORK_ORDER_TYPES,
} from '@gmao/domain';
import { DateInput, IsoDate, QueryBoolean, StoredText, Timestamp, TimestampInput, Uuid, csvList as csv, listQuery } from './common.js';

export const WorkOrderType = z.enum(WORK_ORDER_TYPES);
export const WorkOrderPriority = z.enum(WORK_ORDER_PRIORITIES);
export const WorkOrderState = z.enum(WORK_ORDER_STATES);
export const HoldReason = z.enum(HOLD_REASONS);
/** Leakage current measurement method of IEC 62353. */
export const LeakageMethod = z.enum(LEAKAGE_METHODS, { error: 'méthode : direct, differential ou alternative' });
/** The verdict given at completion (R.5212-28: the result regarding conformity). */
export const Verdict = z.enum(VERDICTS);
/** What the register shows: a verdict, or not_evaluated (types where the law asks for none, and the work orders done before verdicts existed). */
export const Conformity = z.enum(CONFORMITIES);
/** Internal quality control (CQI) or external, by an accredited body (CQE). */
export const QualityControlKind = z.enum(QUALITY_CONTROL_KINDS);
export const ChecklistTemplateCode = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'code : minuscules, chiffres et tirets (2 à 40)');

const PersonRef = z.object({ id: Uuid, fullName: z.string() });

export const WorkOrder = z
  .object({
    id: Uuid,
    number: z.string(),
    type: WorkOrderType,
    priority: WorkOrderPriority,
    state: WorkOrderState,
    site: z.object({ id: Uuid, name: z.string(), shortCode: z.string() }),
    equipment: z.object({ id: Uuid, inventoryNumber: z.string(), label: z.string(), status: z.string() }),
    symptom: z.string(),
    deviceOutOfService: z.boolean(),
    /** Null when none was given, or when the reader may not see it (readCallback: only who works on, plans or reported the work order). */
    callbackName: z.string().nullable().describe('Who to call back; null if none was given or if hidden from the reader (shown only to its assignees, the technicians and planners of its site, and its requester)'),
    callbackPhone: z.string().nullable().describe('Phone to call back; null if none was given or if hidden from the reader (same rule as callbackName)'),
    requestedBy: PersonRef,
    requestedAt: Timestamp,
    dueResponseAt: Timestamp.nullable(),
    dueRepairAt: Timestamp.nullable(),
    holdReason: HoldReason.nullable(),
    assignees: z.array(PersonRef.extend({ crossSite: z.boolean(), assignedAt: Timestamp })),
    downtimeStartedAt: Timestamp.nullable(),
    downtimeEndedAt: Timestamp.nullable(),
    cancelReason: z.string().nullable(),
    diagnosis: z.string().nullable(),
    actions: z.string().nullable(),
    labourMinutes: z.number().int(),
    signature: z.object({ name: z.string(), signedAt: Timestamp }).nullable(),
    completedAt: Timestamp.nullable(),
    closedAt: Timestamp.nullable(),
    /** Quality control only: internal (CQI) or external (CQE); null for other types. */
    qualityControlKind: QualityControlKind.nullable(),
    /** The verdict of a completed work order; null before completion. */
    conformity: Conformity.nullable(),
    /** The reservation or the non-conformity, described. */
    conformityNote: z.string().nullable(),
    /** An engineer's recorded override of a failed measurement. */
    conformityOverride: z.object({ reason: z.string(), by: PersonRef }).nullable(),
    /** After a non-conforming verdict: the engineer's decision to put the device back in service. */
    restartDecision: z.object({ reason: z.string(), by: PersonRef, at: Timestamp }).nullable(),
    /** The maintenance plan that generated it (null: created by hand or reported). */
    planId: Uuid.nullable(),
    /** A generated work order's due date (the plan's occurrence, Europe/Paris); null otherwise. */
    dueDate: IsoDate.nullable(),
    /** The day planned work is planned for: its due date unless moved within its window (PUT /work-orders/{id}/planned-date); null otherwise. */
    plannedDate: IsoDate.nullable(),
    /** The tolerance window copied from the plan when the work order was generated (due − days before … due + days after); null otherwise. */
    windowStart: IsoDate.nullable(),
    windowEnd: IsoDate.nullable(),
    /** Done by the team (internal) or a vendor's visit to track (vendor). */
    performedBy: z.enum(['internal', 'vendor']),
    version: z.number().int(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'WorkOrder' });
export type WorkOrder = z.infer<typeof WorkOrder>;

/**
 * A work order as the lists show it (GET /work-orders: the backlog, "mine", "my requests", a
 * device's, the open reports of a device): number, type, priority, state, device, site,
 * symptom, due dates, who asked and who works on it (the rights of a row depend on them), and
 * the version a row's closure sends. The report (diagnosis, actions, labour, signature), the
 * callback, downtime and closing details are at GET /work-orders/{id}. A full `WorkOrder` is
 * assignable to it.
 */
export const WorkOrderSummary = WorkOrder.pick({
  id: true,
  number: true,
  type: true,
  priority: true,
  state: true,
  site: true,
  equipment: true,
  symptom: true,
  requestedBy: true,
  requestedAt: true,
  dueResponseAt: true,
  dueRepairAt: true,
  assignees: true,
  planId: true,
  dueDate: true,
  version: true,
  updatedAt: true,
}).meta({
  id: 'WorkOrderSummary',
  description: 'A work order as lists show it; the full work order (WorkOrder) is at GET /work-orders/{id}.',
});
export type WorkOrderSummary = z.infer<typeof WorkOrderSummary>;

/** POST /work-requests: what care staff fill in when a device breaks. */
export const WorkRequestCreate = z.object({
  equipmentId: Uuid,
  symptom: z.string().trim().min(5, 'Décrivez la panne (5 caractères au moins)').max(2000),
  deviceOutOfService: z.boolean(),
  callbackName: z.string().trim().max(120).nullable().default(null),
  callbackPhone: z.string().trim().max(40).regex(/^[0-9 +().-]*$/, 'Numéro de téléphone invalide').nullable().default(null),
});
export type WorkRequestCreate = z.input<typeof WorkRequestCreate>;


/**
 * The repair due date in a list cursor, as PostgreSQL writes a timestamptz
 * (`2026-11-30 10:00:00.123456+01`), or `infinity` for none: a real instant of the sane years.
 */
const DueKey = z.union([
  z.literal('infinity'),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/)
    .refine((text) => TimestampInput.safeParse(text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')).success),
]);

/** GET /work-orders — sorted by priority (critical first), repair due date, number. */
export const WorkOrderListQuery = listQuery(z.tuple([z.number().int().min(0).max(3), DueKey, StoredText.max(40)])).extend({
  assignee: z.literal('me').optional(),
  requestedBy: z.literal('me').optional(),
  state: csv(WorkOrderState).optional(),
  siteId: Uuid.optional(),
  type: csv(WorkOrderType).optional(),
  priority: csv(WorkOrderPriority).optional(),
  equipmentId: Uuid.optional(),
  /** Open work orders whose repair due date has passed (generated ones: the day after their due date). */
  overdue: QueryBoolean.optional(),
  /** The work orders a maintenance plan generated. */
  planId: Uuid.optional(),
  /**
   * Work-order number, words of the symptom, or the device (inventory or serial number, model, location).
   * A (partial) work-order number (`looksLikeWorkOrderNumber`) searches every state, whatever `state` says.
   */
  q: z.string().trim().min(1).max(100).optional(),
});

export const WorkOrderTransitionRequest = z.object({
  to: WorkOrderState,
  holdReason: HoldReason.nullable().default(null),
  reason: z.string().trim().max(2000).nullable().default(null),
  /** With to = completed when the work order took the device out of service: restore it (never when non conforming). */
  backInService: z.boolean().optional(),
  /**
   * With to = completed: the verdict. Required for preventive maintenance, quality control,
   * electrical safety and commissioning, and whenever a measurement failed; without it
   * other types are `not_evaluated`.
   */
  conformity: Verdict.nullable().default(null),
  /** The reservation or the non-conformity described (required unless conforming). */
  conformityNote: z.string().trim().max(2000).nullable().default(null),
  /** An engineer's reason for a (reserved) conforming verdict over a failed measurement. */
  conformityOverrideReason: z.string().trim().max(2000).nullable().default(null),
}).refine((b) => b.to === 'completed' || (b.conformity === null && b.conformityNote === null && b.conformityOverrideReason === null), {
  message: 'Le résultat (conformité) se donne à la clôture du travail (to = completed)', path: ['conformity'],
});
export type WorkOrderTransitionRequest = z.input<typeof WorkOrderTransitionRequest>;

export const AssigneeAdd = z.object({ userId: Uuid });

/** POST /work-orders: a work order of any type, created by the biomedical team of the device's site. */
export const WorkOrderCreate = z.object({
  equipmentId: Uuid,
  type: WorkOrderType,
  /**
   * Set by planners (engineer, site manager) only. Without it: a corrective work order's
   * priority follows the device's criticality and availability, as a fault report's; other
   * types are normal.
   */
  priority: WorkOrderPriority.optional(),
  /** The fault, or the work asked for (stored as the work order's symptom). */
  description: z.string().trim().min(5, 'Décrivez le travail (5 caractères au moins)').max(2000),
  deviceOutOfService: z.boolean().default(false),
  /** The date by which the work is due; by default, from the territory's priority targets. */
  dueAt: TimestampInput.nullable().default(null),
  assigneeIds: z.array(Uuid).max(10).default([]),
  /** A checklist template to add straight away (e.g. iec-62353 for an electrical-safety test). */
  checklistTemplate: ChecklistTemplateCode.nullable().default(null),
  /** With an electrical-safety template: the leakage measurement method used (its limits follow it). */
  checklistMethod: LeakageMethod.default('direct'),
  /** Quality control only: internal (CQI, the default) or external by an accredited body (CQE). */
  qualityControlKind: QualityControlKind.optional(),
}).refine((w) => w.qualityControlKind === undefined || w.type === 'quality_control', {
  message: 'Réservé aux contrôles de qualité', path: ['qualityControlKind'],
});
export type WorkOrderCreate = z.input<typeof WorkOrderCreate>;

export const WorkOrderTransition = z
  .object({
    fromState: WorkOrderState.nullable(),
    toState: WorkOrderState,
    /** null: the system (automatic closure). */
    actor: PersonRef.nullable(),
    at: Timestamp,
    holdReason: HoldReason.nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'WorkOrderTransition' });

/** Technicians and engineers one may assign, with their sites. */
export const Assignable = z
  .object({
    id: Uuid,
    fullName: z.string(),
    sites: z.array(z.object({ id: Uuid, shortCode: z.string(), role: z.enum(['technician', 'engineer']) })),
  })
  .meta({ id: 'Assignable' });
export const AssignableQuery = z.object({ q: z.string().trim().max(100).optional() });

export const WorkOrderUpdate = z
  .object({
    diagnosis: z.string().trim().max(5000).nullable(),
    actions: z.string().trim().max(5000).nullable(),
    priority: WorkOrderPriority,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Aucun champ à modifier' });

export const LabourEntry = z
  .object({
    id: Uuid,
    technician: z.object({ id: Uuid, fullName: z.string() }),
    startedAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable(),
    minutes: z.number().int(),
    travelMinutes: z.number().int(),
    recordedAt: Timestamp,
  })
  .meta({ id: 'LabourEntry' });

/** Either start and end, or a number of minutes. */
export const LabourCreate = z
  .object({
    technicianId: Uuid.optional(),
    startedAt: TimestampInput.optional(),
    endedAt: TimestampInput.optional(),
    minutes: z.number().int().min(1).max(24 * 60).optional(),
    travelMinutes: z.number().int().min(0).max(24 * 60).default(0),
  })
  .refine((v) => (v.startedAt !== undefined && v.endedAt !== undefined) !== (v.minutes !== undefined), {
    message: 'Indiquez soit le début et la fin, soit une durée en minutes',
    path: ['minutes'],
  });
export type LabourCreate = z.input<typeof LabourCreate>;

export const ExternalIntervention = z
  .object({
    id: Uuid,
    vendor: z.string(),
    vendorReference: z.string().nullable(),
    costCents: z.number().int(),
    performedOn: IsoDate.nullable(),
    /** The vendor's technician who did the work (named in the register). */
    technicianName: z.string().nullable(),
    /** An accredited body's accreditation reference (external quality control, e.g. COFRAC n° 1-1234). */
    accreditationReference: z.string().nullable(),
    /** The vendor's report: one of the work order's attachments. */
    reportAttachmentId: Uuid.nullable(),
    recordedAt: Timestamp,
  })
  .meta({ id: 'ExternalIntervention' });

export const ExternalCreate = z.object({
  vendor: z.string().trim().min(2).max(160),
  vendorReference: z.string().trim().max(80).nullable().default(null),
  costCents: z.number().int().min(0).max(10_000_000_000).default(0),
  performedOn: DateInput.nullable().default(null),
  /** The vendor's technician who did the work. */
  technicianName: z.string().trim().min(2).max(120).nullable().default(null),
  /** The accredited body's accreditation reference (external quality control). */
  accreditationReference: z.string().trim().min(2).max(80).nullable().default(null),
  /** The vendor's report, uploaded first as an attachment of the work order. */
  reportAttachmentId: Uuid.nullable().default(null),
});
export type ExternalCreate = z.input<typeof ExternalCreate>;

export const SignatureCreate = z.object({
  name: z.string().trim().min(2).max(120),
  /** The drawn signature as a PNG data URL (≤ 200 kB). */
  image: z.string().max(270_000).regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'Image PNG (data URL) attendue'),
});
export type SignatureCreate = z.input<typeof SignatureCreate>;

/** Completion also says whether the device goes back into service. */
export const CompletionOptions = z.object({ backInService: z.boolean().optional() });

/** POST /work-orders/{id}/restart: an engineer puts a device back in service after a non-conforming verdict. */
export const RestartDecisionCreate = z.object({ reason: z.string().trim().min(5, 'Motivez la décision (5 caractères au moins)').max(2000) });
export type RestartDecisionCreate = z.input<typeof RestartDecisionCreate>;

export const ChecklistItem = z
  .object({
    id: Uuid,
    key: z.string(),
    label: z.string(),
    kind: z.enum(['pass_fail', 'text', 'measurement']),
    mandatory: z.boolean(),
    unit: z.string().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    outcome: z.enum(CHECKLIST_OUTCOMES).nullable(),
    text: z.string().nullable(),
    value: z.number().nullable(),
    answeredAt: Timestamp.nullable(),
    /** IEC 62353 measurements: the leakage method the limits are for (null otherwise). */
    method: LeakageMethod.nullable(),
    /** Readings below this cannot be judged by the method (differential method: 75 µA); null: no such floor. */
    measurableFrom: z.number().nullable(),
    /** `standard`: the standard's limit; `practice`: the testers' makers' usual value (insulation); null: not an IEC 62353 measurement. */
    limitBasis: z.enum(LIMIT_BASES).nullable(),
  })
  .meta({ id: 'ChecklistItem' });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

const ChecklistKind = z.enum(['pass_fail', 'text', 'measurement']);

/** One checklist item as written by hand or in a template. */
const ChecklistItemFields = z.object({
  label: z.string().trim().min(2).max(200),
  kind: ChecklistKind,
  mandatory: z.boolean().default(false),
  unit: z.string().trim().min(1).max(20).nullable().default(null),
  min: z.number().finite().nullable().default(null),
  max: z.number().finite().nullable().default(null),
});
type ItemFields = z.output<typeof ChecklistItemFields>;
const onlyMeasurementsHaveLimits = (i: ItemFields) => i.kind === 'measurement' || (i.min === null && i.max === null && i.unit === null);
const measurementsHaveUnits = (i: ItemFields) => i.kind !== 'measurement' || i.unit !== null;
const minNotAboveMax = (i: ItemFields) => i.min === null || i.max === null || i.min <= i.max;

export const ChecklistItemInput = ChecklistItemFields
  .refine(onlyMeasurementsHaveLimits, { message: 'unité et limites pour les mesures seulement', path: ['unit'] })
  .refine(measurementsHaveUnits, { message: 'unité obligatoire pour une mesure', path: ['unit'] })
  .refine(minNotAboveMax, { message: 'min doit être ≤ max', path: ['min'] });

/** An item of a checklist template; its key identifies it in the work orders' checklists. */
export const ChecklistTemplateItem = ChecklistItemFields.extend({
  key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'clé : minuscules, chiffres, _ ou - (60 au plus)'),
})
  .refine(onlyMeasurementsHaveLimits, { message: 'unité et limites pour les mesures seulement', path: ['unit'] })
  .refine(measurementsHaveUnits, { message: 'unité obligatoire pour une mesure', path: ['unit'] })
  .refine(minNotAboveMax, { message: 'min doit être ≤ max', path: ['min'] })
  .meta({ id: 'ChecklistTemplateItem' });

export const ChecklistTemplate = z
  .object({
    code: z.string(),
    name: z.string(),
    /** A template every territory has; `customized` says whether this territory changed it. */
    builtIn: z.boolean(),
    customized: z.boolean(),
    items: z.array(z.object({
      key: z.string(), label: z.string(), kind: ChecklistKind, mandatory: z.boolean(),
      unit: z.string().nullable(), min: z.number().nullable(), max: z.number().nullable(),
    })),
    /** 0: a built-in template never changed by the territory. */
    version: z.number().int(),
    updatedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ChecklistTemplate' });
export type ChecklistTemplate = z.infer<typeof ChecklistTemplate>;

const uniqueKeys = (t: { items: { key: string }[] }) => new Set(t.items.map((i) => i.key)).size === t.items.length;

/** PUT /checklist-templates/{code}: the whole template (name and items). */
export const ChecklistTemplateWrite = z
  .object({ name: z.string().trim().min(3).max(120), items: z.array(ChecklistTemplateItem).min(1).max(100) })
  .refine(uniqueKeys, { message: 'deux points ont la même clé', path: ['items'] });
export type ChecklistTemplateWrite = z.input<typeof ChecklistTemplateWrite>;

export const ChecklistTemplateCreate = z
  .object({ code: ChecklistTemplateCode, name: z.string().trim().min(3).max(120), items: z.array(ChecklistTemplateItem).min(1).max(100) })
  .refine(uniqueKeys, { message: 'deux points ont la même clé', path: ['items'] });
export type ChecklistTemplateCreate = z.input<typeof ChecklistTemplateCreate>;

/** Add the items of a template (by its code, e.g. iec-62353), or one item by hand. */
export const ChecklistAdd = z.union([
  z.object({
    template: ChecklistTemplateCode,
    /** For an electrical-safety template: the leakage measurement method used (its limits follow it). */
    method: LeakageMethod.default('direct'),
  }),
  z.object({ item: ChecklistItemInput }),
]);
export type ChecklistAdd = z.input<typeof ChecklistAdd>;

export const ChecklistAnswerInput = z.object({
  outcome: z.enum(CHECKLIST_OUTCOMES).nullable().default(null),
  text: z.string().trim().max(2000).nullable().default(null),
  value: z.number().finite().nullable().default(null),
});
export type ChecklistAnswerInput = z.input<typeof ChecklistAnswerInput>;

/** Who employs a performer: the legal entity of the establishment (internal staff) or the vendor's company. Never the territory. */
export const RegisterEmployer = z.object({
  kind: z.enum(['establishment', 'vendor']),
  name: z.string(),
  /** The establishment's FINESS juridique, when recorded. */
  finess: z.string().optional(),
});

/** One line of a device's maintenance register (art. R.5212-28 CSP). */
export const RegisterEntry = z.object({
  workOrderId: Uuid,
  number: z.string(),
  /** The day the operation was carried out (Europe/Paris): the first day of its labour entries and vendor interventions (packages/domain operationDay). */
  performedOn: IsoDate,
  /** When the work order was completed (kept apart from the day of the work). */
  completedAt: Timestamp,
  nature: WorkOrderType,
  /** Quality control: internal or external, and the accredited body of an external one. */
  qualityControl: z.object({
    kind: QualityControlKind,
    body: z.object({ name: z.string(), accreditationReference: z.string().nullable() }).nullable(),
  }).nullable(),
  description: z.string(),
  /**
   * The people who did the work: those who logged time, the signer, and each vendor's
   * technician (the vendor's name when none was recorded). `employer` is null when a
   * person has no home site (the register does not guess one).
   */
  performers: z.array(z.object({ name: z.string(), employer: RegisterEmployer.nullable() })),
  stoppedAt: Timestamp.nullable(),
  restartedAt: Timestamp.nullable(),
  /** Measurements and checks with their results, e.g. "Résistance du conducteur de protection : 0,12 Ω (≤ 0,3) conforme". */
  performance: z.array(z.string()),
  conformity: Conformity,
  /** The reservation or the non-conformity, described. */
  conformityNote: z.string().nullable(),
  /** An engineer's override of a failed measurement, with its reason. */
  conformityOverride: z.object({ reason: z.string(), by: z.string() }).nullable(),
  /** Attachments that are evidence: the reports of vendors and accredited bodies. */
  evidence: z.array(z.object({ attachmentId: Uuid, fileName: z.string() })),
});

export const Register = z.object({
  equipment: z.object({ id: Uuid, inventoryNumber: z.string(), site: z.string(), model: z.string().nullable(), serialNumber: z.string().nullable() }),
  entries: z.array(RegisterEntry),
});
export type Register = z.infer<typeof Register>;

export const Attachment = z
  .object({
    id: Uuid,
    fileName: z.string(),
    mediaType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    sizeBytes: z.number().int(),
    uploadedBy: z.object({ id: Uuid, fullName: z.string() }),
    uploadedAt: Timestamp,
  })
  .meta({ id: 'Attachment' });

/** A part line of a work order: free text, or a stock issue (part, store and ledger movement). */
export const PartUsed = z
  .object({
    id: Uuid, reference: z.string(), description: z.string(), quantity: z.number().int(), recordedAt: Timestamp,
    partId: Uuid.nullable(), storeId: Uuid.nullable(), movementId: z.number().int().nullable(),
  })
  .meta({ id: 'PartUsed' });
export const PartCreate = z.object({
  reference: z.string().trim().min(1).max(80),
  description: z.string().trim().max(300).default(''),
  quantity: z.number().int().min(1).max(10_000),
});
export type PartCreate = z.input<typeof PartCreate>;

const Minutes = z.number().int().min(1).max(365 * 24 * 60);
const PriorityTarget = z
  .object({ responseMinutes: Minutes, repairMinutes: Minutes })
  .refine((t) => t.repairMinutes >= t.responseMinutes, { message: 'le délai de réparation doit être ≥ au délai de réponse', path: ['repairMinutes'] });

/** The territory's work-order settings (defaults of packages/domain until it sets its own). */
export const WorkOrderSettings = z
  .object({
    /** Response and repair targets per priority, in minutes; they give new work orders their due dates. */
    priorityTargets: z.object({ critical: PriorityTarget, high: PriorityTarget, normal: PriorityTarget, low: PriorityTarget }),
    /** Completed work orders nobody verified are closed after this many days; null: never. */
    autoCloseDays: z.number().int().min(1).max(365).nullable(),
    /** 0: the defaults, never changed. */
    version: z.number().int(),
    updatedAt: Timestamp.nullable(),
  })
  .meta({ id: 'WorkOrderSettings' });
export type WorkOrderSettings = z.infer<typeof WorkOrderSettings>;

export const WorkOrderSettingsWrite = WorkOrderSettings.pick({ priorityTargets: true, autoCloseDays: true });
export type WorkOrderSettingsWrite = z.input<typeof WorkOrderSettingsWrite>;

/**
 * GET /work-orders/{id}/planners: who assigns the work order — the site manager and engineers
 * of its site, or the territory admins when the site has none (to tell someone who cannot take
 * a request whom to ask).
 */
export const WorkOrderPlanners = z
  .object({ items: z.array(z.object({ id: Uuid, fullName: z.string(), role: z.enum(['site_manager', 'engineer', 'territory_admin']) })) })
  .meta({ id: 'WorkOrderPlanners' });
export type WorkOrderPlanners = z.infer<typeof WorkOrderPlanners>;
