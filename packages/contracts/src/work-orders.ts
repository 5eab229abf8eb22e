import { z } from 'zod';
import { HOLD_REASONS, WORK_ORDER_PRIORITIES, WORK_ORDER_STATES, WORK_ORDER_TYPES } from '@gmao/domain';
import { ListQuery, Timestamp, Uuid, csvList as csv } from './common.js';

export const WorkOrderType = z.enum(WORK_ORDER_TYPES);
export const WorkOrderPriority = z.enum(WORK_ORDER_PRIORITIES);
export const WorkOrderState = z.enum(WORK_ORDER_STATES);
export const HoldReason = z.enum(HOLD_REASONS);

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
    callbackName: z.string().nullable(),
    callbackPhone: z.string().nullable(),
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
    version: z.number().int(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'WorkOrder' });
export type WorkOrder = z.infer<typeof WorkOrder>;

/** POST /work-requests: what care staff fill in when a device breaks. */
export const WorkRequestCreate = z.object({
  equipmentId: Uuid,
  symptom: z.string().trim().min(5, 'Décrivez la panne (5 caractères au moins)').max(2000),
  deviceOutOfService: z.boolean(),
  callbackName: z.string().trim().max(120).nullable().default(null),
  callbackPhone: z.string().trim().max(40).regex(/^[0-9 +().-]*$/, 'Numéro de téléphone invalide').nullable().default(null),
});
export type WorkRequestCreate = z.input<typeof WorkRequestCreate>;


/** GET /work-orders — sorted by priority (critical first), repair due date, number. */
export const WorkOrderListQuery = ListQuery.extend({
  assignee: z.literal('me').optional(),
  requestedBy: z.literal('me').optional(),
  state: csv(WorkOrderState).optional(),
  siteId: Uuid.optional(),
  type: csv(WorkOrderType).optional(),
  priority: csv(WorkOrderPriority).optional(),
  equipmentId: Uuid.optional(),
});

export const WorkOrderTransitionRequest = z.object({
  to: WorkOrderState,
  holdReason: HoldReason.nullable().default(null),
  reason: z.string().trim().max(2000).nullable().default(null),
  /** With to = completed when the work order took the device out of service: restore it. */
  backInService: z.boolean().optional(),
});
export type WorkOrderTransitionRequest = z.input<typeof WorkOrderTransitionRequest>;

export const AssigneeAdd = z.object({ userId: Uuid });

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
    startedAt: Timestamp.optional(),
    endedAt: Timestamp.optional(),
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
    performedOn: z.iso.date().nullable(),
    recordedAt: Timestamp,
  })
  .meta({ id: 'ExternalIntervention' });

export const ExternalCreate = z.object({
  vendor: z.string().trim().min(2).max(160),
  vendorReference: z.string().trim().max(80).nullable().default(null),
  costCents: z.number().int().min(0).max(10_000_000_000).default(0),
  performedOn: z.iso.date().nullable().default(null),
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
    outcome: z.enum(['pass', 'fail', 'not_applicable']).nullable(),
    text: z.string().nullable(),
    value: z.number().nullable(),
    answeredAt: Timestamp.nullable(),
  })
  .meta({ id: 'ChecklistItem' });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

/** Add the items of a template, or one item by hand. */
export const ChecklistAdd = z.union([
  z.object({ template: z.literal('iec-62353') }),
  z.object({
    item: z
      .object({
        label: z.string().trim().min(2).max(200),
        kind: z.enum(['pass_fail', 'text', 'measurement']),
        mandatory: z.boolean().default(false),
        unit: z.string().trim().max(20).nullable().default(null),
        min: z.number().nullable().default(null),
        max: z.number().nullable().default(null),
      })
      .refine((i) => i.kind === 'measurement' || (i.min === null && i.max === null && i.unit === null), {
        message: 'unité et limites pour les mesures seulement',
      })
      .refine((i) => i.min === null || i.max === null || i.min <= i.max, { message: 'min doit être ≤ max' }),
  }),
]);
export type ChecklistAdd = z.input<typeof ChecklistAdd>;

export const ChecklistAnswerInput = z.object({
  outcome: z.enum(['pass', 'fail', 'not_applicable']).nullable().default(null),
  text: z.string().trim().max(2000).nullable().default(null),
  value: z.number().finite().nullable().default(null),
});
export type ChecklistAnswerInput = z.input<typeof ChecklistAnswerInput>;

/** One line of a device's maintenance register (art. R.5212-28 CSP). */
export const RegisterEntry = z.object({
  workOrderId: Uuid,
  number: z.string(),
  /** Date of the operation (its completion). */
  date: Timestamp,
  nature: WorkOrderType,
  description: z.string(),
  performedBy: z.array(z.object({
    name: z.string(),
    /** The employer: the technician's home site, or the vendor. */
    employer: z.string(),
    kind: z.enum(['own_site', 'other_site', 'vendor']),
  })),
  stoppedAt: Timestamp.nullable(),
  restartedAt: Timestamp.nullable(),
  /** Measurements and checks with their results, e.g. "Résistance du conducteur de protection : 0,12 Ω (≤ 0,3) conforme". */
  performance: z.array(z.string()),
  conformity: z.enum(['conforme', 'non_conforme', 'non_evalue']),
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

export const PartUsed = z
  .object({ id: Uuid, reference: z.string(), description: z.string(), quantity: z.number().int(), recordedAt: Timestamp })
  .meta({ id: 'PartUsed' });
export const PartCreate = z.object({
  reference: z.string().trim().min(1).max(80),
  description: z.string().trim().max(300).default(''),
  quantity: z.number().int().min(1).max(10_000),
});
export type PartCreate = z.input<typeof PartCreate>;
