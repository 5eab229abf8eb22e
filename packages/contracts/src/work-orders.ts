import { z } from 'zod';
import { HOLD_REASONS, WORK_ORDER_PRIORITIES, WORK_ORDER_STATES, WORK_ORDER_TYPES } from '@gmao/domain';
import { ListQuery, Timestamp, Uuid } from './common.js';

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

const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).pipe(z.array(item).min(1).max(10));

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
});
export type WorkOrderTransitionRequest = z.input<typeof WorkOrderTransitionRequest>;

export const AssigneeAdd = z.object({ userId: Uuid });
