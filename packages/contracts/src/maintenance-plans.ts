import { z } from 'zod';
import { PM_BASES, PM_LIMITS, PM_METER_UNITS, PM_PERFORMERS, PM_TRIGGERS, PM_UNITS, PM_WORK_ORDER_TYPES, everyFitsUnit, unitFitsTrigger } from '@gmao/domain';
import { DateInput, IsoDate, QueryBoolean, StoredText, Timestamp, TimestampInput, Uuid, listQuery } from './common.js';
import { SkillLevel } from './competency.js';
import { ChecklistTemplateCode } from './work-orders.js';

/** Preventive maintenance (issue 13): maintenance plans, opt-outs, meter readings, the generator's run. */

export const PmWorkOrderType = z.enum(PM_WORK_ORDER_TYPES);
export const PmTrigger = z.enum(PM_TRIGGERS);
export const PmUnit = z.enum(PM_UNITS);
export const PmBase = z.enum(PM_BASES);
export const PmPerformer = z.enum(PM_PERFORMERS);
export const PmMeterUnit = z.enum(PM_METER_UNITS);

export const MaintenancePlan = z
  .object({
    id: Uuid,
    name: z.string(),
    /** Exactly one of equipmentId, modelId, categoryId: what the plan applies to. */
    equipmentId: Uuid.nullable(),
    modelId: Uuid.nullable(),
    categoryId: Uuid.nullable(),
    workOrderType: PmWorkOrderType,
    trigger: PmTrigger,
    every: z.number().int(),
    unit: PmUnit,
    base: PmBase,
    anchorDate: IsoDate,
    toleranceDaysBefore: z.number().int(),
    toleranceDaysAfter: z.number().int(),
    leadTimeDays: z.number().int(),
    checklistTemplate: z.string().nullable(),
    estimatedMinutes: z.number().int().nullable(),
    /** The skill of the competency map the work needs (GET /skills), and the minimum level; both null: none. */
    requiredSkillId: Uuid.nullable(),
    requiredLevel: SkillLevel.nullable(),
    /** The required skill's code and name (read only). */
    requiredSkillCode: z.string().nullable(),
    requiredSkillName: z.string().nullable(),
    regulatory: z.boolean(),
    performedBy: PmPerformer,
    /** false once deleted (deactivated): its history and work orders stay. */
    active: z.boolean(),
    /** Devices the plan applies to now (pairs in the schedule). */
    deviceCount: z.number().int(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'MaintenancePlan' });
export type MaintenancePlan = z.infer<typeof MaintenancePlan>;

const planFields = {
  name: z.string().trim().min(2, 'Nom du plan : 2 caractères au moins').max(200),
  workOrderType: PmWorkOrderType,
  trigger: PmTrigger,
  every: z.number().int().min(1).max(PM_LIMITS.everyMax),
  unit: PmUnit,
  base: PmBase.default('fixed'),
  anchorDate: DateInput,
  toleranceDaysBefore: z.number().int().min(0).max(PM_LIMITS.toleranceDaysMax).default(0),
  toleranceDaysAfter: z.number().int().min(0).max(PM_LIMITS.toleranceDaysMax).default(0),
  leadTimeDays: z.number().int().min(0).max(PM_LIMITS.leadTimeDaysMax).default(14),
  checklistTemplate: ChecklistTemplateCode.nullable().default(null),
  estimatedMinutes: z.number().int().min(1).max(PM_LIMITS.estimatedMinutesMax).nullable().default(null),
  /** An active skill of the territory; without `requiredLevel` the level is `confirmed`. */
  requiredSkillId: Uuid.nullable().default(null),
  /** The minimum level; only with a skill. */
  requiredLevel: SkillLevel.nullable().default(null),
  regulatory: z.boolean().default(false),
  performedBy: PmPerformer.default('internal'),
};

/** Calendar intervals stop at a hundred years (PM_CALENDAR_EVERY_MAX). */
export const EVERY_MESSAGE = 'Périodicité trop longue : cent ans au plus (36 500 jours, 5 200 semaines, 1 200 mois, 100 ans)';
export const LEVEL_WITHOUT_SKILL_MESSAGE = 'Niveau requis sans compétence : choisissez d’abord la compétence';
const UNIT_MESSAGE = 'Unité incompatible avec le déclencheur (calendaire : jours, semaines, mois, années ; compteur : heures, cycles)';

/** POST /maintenance-plans. */
export const MaintenancePlanCreate = z
  .object({
    ...planFields,
    equipmentId: Uuid.optional(),
    modelId: Uuid.optional(),
    categoryId: Uuid.optional(),
  })
  .strict()
  .refine((p) => [p.equipmentId, p.modelId, p.categoryId].filter((v) => v !== undefined).length === 1, {
    message: 'Un plan porte sur un seul de : équipement, modèle, catégorie', path: ['equipmentId'],
  })
  .refine((p) => unitFitsTrigger(p.trigger, p.unit), { message: UNIT_MESSAGE, path: ['unit'] })
  .refine((p) => everyFitsUnit(p.every, p.unit), { message: EVERY_MESSAGE, path: ['every'] })
  .refine((p) => p.requiredLevel === null || p.requiredSkillId !== null, { message: LEVEL_WITHOUT_SKILL_MESSAGE, path: ['requiredLevel'] });
export type MaintenancePlanCreate = z.input<typeof MaintenancePlanCreate>;

/** PATCH /maintenance-plans/{id} (If-Match: version): any field but what the plan applies to. */
export const MaintenancePlanUpdate = z
  .object({
    name: planFields.name,
    workOrderType: planFields.workOrderType,
    trigger: planFields.trigger,
    every: planFields.every,
    unit: planFields.unit,
    base: PmBase,
    anchorDate: planFields.anchorDate,
    toleranceDaysBefore: z.number().int().min(0).max(PM_LIMITS.toleranceDaysMax),
    toleranceDaysAfter: z.number().int().min(0).max(PM_LIMITS.toleranceDaysMax),
    leadTimeDays: z.number().int().min(0).max(PM_LIMITS.leadTimeDaysMax),
    checklistTemplate: ChecklistTemplateCode.nullable(),
    estimatedMinutes: z.number().int().min(1).max(PM_LIMITS.estimatedMinutesMax).nullable(),
    /** null removes the requirement (and its level); a skill without a level keeps the plan's level, else `confirmed`. */
    requiredSkillId: Uuid.nullable(),
    requiredLevel: SkillLevel.nullable(),
    regulatory: z.boolean(),
    performedBy: PmPerformer,
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'Aucun champ à modifier' })
  .refine((p) => !(p.requiredSkillId === null && p.requiredLevel != null), { message: LEVEL_WITHOUT_SKILL_MESSAGE, path: ['requiredLevel'] });
export type MaintenancePlanUpdate = z.input<typeof MaintenancePlanUpdate>;

/** GET /maintenance-plans — by name, then id. */
export const MaintenancePlanListQuery = listQuery(z.tuple([StoredText.max(200), Uuid])).extend({
  equipmentId: Uuid.optional(),
  modelId: Uuid.optional(),
  categoryId: Uuid.optional(),
  workOrderType: PmWorkOrderType.optional(),
  /** Deactivated plans too (default: active only). */
  includeInactive: QueryBoolean.optional(),
});

/** GET /maintenance-plans/{id}/devices: each device with its next occurrence. */
export const PlanDevice = z
  .object({
    equipment: z.object({ id: Uuid, inventoryNumber: z.string(), status: z.string() }),
    site: z.object({ id: Uuid, name: z.string() }),
    /** The next due date (calendar plans; meter plans: the estimated day, null when unknown). */
    nextDueDate: IsoDate.nullable(),
    /** Meter plans: the meter value at which it falls due. */
    nextDueValue: z.number().nullable(),
    lastDueDate: IsoDate.nullable(),
    lastCompletedOn: IsoDate.nullable(),
    /** The work order generated for the next occurrence, once it is. */
    workOrder: z.object({ id: Uuid, number: z.string(), state: z.string() }).nullable(),
  })
  .meta({ id: 'PlanDevice' });
export type PlanDevice = z.infer<typeof PlanDevice>;
export const PlanDeviceListQuery = listQuery(z.tuple([StoredText.max(64), Uuid]));

/** GET /maintenance-plans/coverage: devices with EM ≥ 12 and no plan, per site. */
export const PlanCoverageQuery = z.object({ siteId: Uuid.optional() });
export const PlanCoverage = z
  .object({
    threshold: z.number().int(),
    sites: z.array(z.object({
      site: z.object({ id: Uuid, name: z.string() }),
      uncovered: z.number().int(),
      /** modelId: the device's model (a plan for it covers the device), null when none is recorded. */
      devices: z.array(z.object({ id: Uuid, inventoryNumber: z.string(), emScore: z.number().int(), label: z.string(), modelId: Uuid.nullable() })),
    })),
  })
  .meta({ id: 'PlanCoverage' });
export type PlanCoverage = z.infer<typeof PlanCoverage>;

/** POST /equipment/{id}/plan-opt-outs/{planId}. */
export const PlanOptOutCreate = z.object({ reason: z.string().trim().min(3, 'Motif obligatoire (3 caractères au moins)').max(1000) }).strict();
export const PlanOptOut = z
  .object({
    id: Uuid,
    planId: Uuid,
    equipmentId: Uuid,
    reason: z.string(),
    createdBy: z.object({ id: Uuid, fullName: z.string() }),
    createdAt: Timestamp,
    endedAt: Timestamp.nullable(),
  })
  .meta({ id: 'PlanOptOut' });
export type PlanOptOut = z.infer<typeof PlanOptOut>;
export const PlanOptOutParams = z.object({ id: Uuid, planId: Uuid });

/** Meter readings of a device. */
export const MeterReadingCreate = z
  .object({
    unit: PmMeterUnit,
    value: z.number().min(0).max(1e12),
    /** When it was read (default: now). */
    readAt: TimestampInput.optional(),
  })
  .strict();
export const MeterReading = z
  .object({
    id: z.number().int(),
    unit: PmMeterUnit,
    value: z.number(),
    readAt: Timestamp,
    recordedBy: z.object({ id: Uuid, fullName: z.string() }),
    recordedAt: Timestamp,
  })
  .meta({ id: 'MeterReading' });
export type MeterReading = z.infer<typeof MeterReading>;
/** The read time in a cursor, as PostgreSQL writes a timestamptz (`2026-11-30 10:00:00.123456+01`): a real instant of the sane years. */
const ReadKey = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/)
  .refine((text) => TimestampInput.safeParse(text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')).success);
/** GET /equipment/{id}/meter-readings — latest first. */
export const MeterReadingListQuery = listQuery(z.tuple([ReadKey, z.number().int().min(1)])).extend({ unit: PmMeterUnit.optional() });

/** POST /pm/generate: a run of the generator now, for the territory or one site. */
export const PmGenerateRequest = z.object({ siteId: Uuid.optional() }).strict();

/** A device's current opt-out of a plan, with the plan's name (GET /equipment/{id}/maintenance-schedule). */
export const DeviceOptOut = PlanOptOut.extend({ planName: z.string() }).meta({ id: 'DeviceOptOut' });
export type DeviceOptOut = z.infer<typeof DeviceOptOut>;

/** GET /equipment/{id}/maintenance-schedule: the plans that apply to the device now, each with its next occurrence, and its current opt-outs. */
export const DeviceMaintenanceSchedule = z
  .object({
    items: z.array(z.object({
      plan: z.object({
        id: Uuid, name: z.string(), workOrderType: PmWorkOrderType, regulatory: z.boolean(), performedBy: PmPerformer,
        trigger: PmTrigger, every: z.number().int(), unit: PmUnit,
      }),
      nextDueDate: IsoDate.nullable(),
      nextDueValue: z.number().nullable(),
      lastCompletedOn: IsoDate.nullable(),
      workOrder: z.object({ id: Uuid, number: z.string(), state: z.string() }).nullable(),
    })),
    optOuts: z.array(DeviceOptOut),
  })
  .meta({ id: 'DeviceMaintenanceSchedule' });
export type DeviceMaintenanceSchedule = z.infer<typeof DeviceMaintenanceSchedule>;
