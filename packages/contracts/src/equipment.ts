import { z } from 'zod';
import {
  APPLIED_PART_TYPES, CRITICALITIES, DECOMMISSION_REASONS, ELECTRICAL_CLASSES, EQUIPMENT_STATUSES, MAINTENANCE_MODES, OBLIGATION_GROUNDS, OBLIGATION_KINDS, OWNERSHIPS,
  RISK_CLASSES, UDI_ISSUING_ENTITIES, normaliseUdiDi, udiPiProblem,
} from '@gmao/domain';
import { DateInput, IsoDate, QueryBoolean, StoredText, Timestamp, Uuid, csvList as csv, listQuery } from './common.js';

export const EquipmentStatus = z.enum(EQUIPMENT_STATUSES);
export type EquipmentStatus = z.infer<typeof EquipmentStatus>;
export const Ownership = z.enum(OWNERSHIPS);
export const MaintenanceMode = z.enum(MAINTENANCE_MODES);
export const Criticality = z.enum(CRITICALITIES);
export const RiskClass = z.enum(RISK_CLASSES);
/** Protection class against electric shock: I, II, internally powered (IEC 60601-1). */
export const ElectricalClass = z.enum(ELECTRICAL_CLASSES, { error: 'classe électrique : I, II ou internal (alimentation interne)' });
/** Type of applied parts: none, B, BF, CF. */
export const AppliedPartType = z.enum(APPLIED_PART_TYPES, { error: 'type de parties appliquées : none, B, BF ou CF' });
/** EMDN code (European Medical Device Nomenclature): a letter and up to 12 digits, e.g. Z12030501. */
export const EmdnCode = z.string().trim().toUpperCase()
  .regex(/^[A-Z][0-9]{1,12}$/, 'code EMDN : une lettre suivie de chiffres, 13 caractères au plus (ex. Z12030501)');
/** Basic UDI-DI of the model (EU MDR): free text as issued, trimmed. */
export const BasicUdiDi = z.string().trim().min(1, 'Basic UDI-DI vide').max(120, 'Basic UDI-DI : 120 caractères au plus');

const GtinDigits = z.string().trim().regex(/^\d{14}$/, 'UDI-DI : 14 chiffres (GTIN-14)');
export const UdiIssuingEntity = z.enum(UDI_ISSUING_ENTITIES);
/** A device's UDI-DI as typed: checked against its issuing entity's format by `withUdi`. */
const UdiDiInput = z.string().trim().min(1).max(40);
/** Production identifiers only (lot, serial, dates, software version): see `udiPiProblem`. */
const UdiPiInput = z
  .string()
  .trim()
  .max(120)
  .superRefine((v, ctx) => {
    const problem = udiPiProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const EquipmentCategory = z
  .object({
    id: Uuid,
    code: z.string(),
    label: z.string(),
    parentId: Uuid.nullable(),
    emdnCode: z.string().nullable(),
    defaultFunctionScore: z.number().int(),
    defaultPhysicalRisk: z.number().int(),
    defaultMaintenanceRequirement: z.number().int(),
    defaultCriticality: Criticality,
    /** Its devices emit ionising radiation: maintenance and quality control are obligations. */
    ionisingRadiation: z.boolean(),
  })
  .meta({ id: 'EquipmentCategory' });
export type EquipmentCategory = z.infer<typeof EquipmentCategory>;

export const EquipmentModel = z
  .object({
    id: Uuid,
    manufacturer: z.string(),
    modelName: z.string(),
    categoryId: Uuid,
    categoryLabel: z.string(),
    riskClass: RiskClass.nullable(),
    udiDi: z.string().nullable(),
    /** null: not yet known (the electrical-safety checklist needs it). */
    electricalClass: ElectricalClass.nullable(),
    appliedPartType: AppliedPartType.nullable(),
    basicUdiDi: z.string().nullable(),
    emdnCode: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'EquipmentModel' });
export type EquipmentModel = z.infer<typeof EquipmentModel>;

export const EquipmentModelCreate = z.object({
  manufacturer: z.string().trim().min(1).max(120),
  modelName: z.string().trim().min(1).max(160),
  categoryId: Uuid,
  riskClass: RiskClass.nullable().default(null),
  udiDi: GtinDigits.nullable().default(null),
  electricalClass: ElectricalClass.nullable().default(null),
  appliedPartType: AppliedPartType.nullable().default(null),
  basicUdiDi: BasicUdiDi.nullable().default(null),
  emdnCode: EmdnCode.nullable().default(null),
});
export type EquipmentModelCreate = z.input<typeof EquipmentModelCreate>;

/** PATCH /api/v1/equipment-models/{id} (If-Match: its version): the electrical class, applied parts and EU identifiers. */
export const EquipmentModelUpdate = z
  .object({
    electricalClass: ElectricalClass.nullable(),
    appliedPartType: AppliedPartType.nullable(),
    basicUdiDi: BasicUdiDi.nullable(),
    emdnCode: EmdnCode.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Aucun champ à modifier' });
export type EquipmentModelUpdate = z.input<typeof EquipmentModelUpdate>;

/** GET /api/v1/equipment-models — sorted by manufacturer, model name, id. */
export const EquipmentModelListQuery = listQuery(z.tuple([StoredText, StoredText, Uuid])).extend({
  q: z.string().trim().max(100).optional(),
  categoryId: Uuid.optional(),
});

export const EmScore = z.object({
  total: z.number().int(),
  inPlannedMaintenance: z.boolean(),
  parts: z.array(
    z.object({
      name: z.enum(['function', 'physicalRisk', 'maintenance', 'incidentHistory']),
      value: z.number().int(),
      source: z.enum(['device', 'category', 'default']),
    }),
  ),
});

export const ObligationKind = z.enum(OBLIGATION_KINDS);
/**
 * The legal obligations computed from the model's risk class and its category's ionising
 * radiation (docs/regulatory.md). `null`: cannot be told (no model; for maintenance, a model
 * of unknown class that emits no ionising radiation). `mismatches`: the manual flags
 * (`maintenanceObligation`, `qualityControlObligation`) that disagree; such a device is
 * listed by GET /equipment/obligation-review, its flags are never overridden.
 */
export const ComputedObligations = z
  .object({
    maintenance: z.boolean().nullable(),
    qualityControl: z.boolean().nullable(),
    grounds: z.array(z.enum(OBLIGATION_GROUNDS)),
    mismatches: z.array(ObligationKind),
  })
  .meta({ id: 'ComputedObligations' });
export type ComputedObligations = z.infer<typeof ComputedObligations>;

const EmOverrides = z.object({
  function: z.number().int().min(2).max(10).nullable(),
  physicalRisk: z.number().int().min(1).max(5).nullable(),
  maintenance: z.number().int().min(1).max(5).nullable(),
  incidentHistory: z.number().int().min(-2).max(2).nullable(),
});

export const Equipment = z
  .object({
    id: Uuid,
    inventoryNumber: z.string(),
    site: z.object({ id: Uuid, name: z.string(), shortCode: z.string() }),
    locationId: Uuid.nullable(),
    /** Codes and labels from the building down, e.g. "A › A1 › UFCHU01 Réanimation › A101". */
    locationPath: z.string().nullable(),
    model: z.object({ id: Uuid, manufacturer: z.string(), modelName: z.string(), riskClass: RiskClass.nullable() }).nullable(),
    category: z.object({ id: Uuid, code: z.string(), label: z.string() }).nullable(),
    serialNumber: z.string().nullable(),
    udiDi: z.string().nullable(),
    /** Who issued the UDI-DI (Implementing Decision (EU) 2019/939); null exactly when udiDi is. */
    udiIssuingEntity: UdiIssuingEntity.nullable(),
    udiPi: z.string().nullable(),
    supplier: z.string().nullable(),
    acquisitionDate: IsoDate.nullable(),
    acquisitionCostCents: z.number().int().nullable(),
    commissioningDate: IsoDate.nullable(),
    warrantyEnd: IsoDate.nullable(),
    ownership: Ownership,
    lenderSiteId: Uuid.nullable(),
    lenderName: z.string().nullable(),
    status: EquipmentStatus,
    maintenanceMode: MaintenanceMode,
    criticality: Criticality,
    maintenanceObligation: z.boolean(),
    qualityControlObligation: z.boolean(),
    computedObligations: ComputedObligations,
    emOverrides: EmOverrides,
    emScore: EmScore.nullable(),
    /** Legal inventory fields (R.5212-28) still missing: mandatory before service. */
    missingLegalFields: z.array(z.string()),
    notes: z.string(),
    decommissionedAt: IsoDate.nullable(),
    decommissionReason: z.enum(DECOMMISSION_REASONS).nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Equipment' });
export type Equipment = z.infer<typeof Equipment>;

/**
 * A device as the lists show it (GET /equipment: the inventory, the device pickers): who it is,
 * where, what, its state and EM score; the full device (acquisition, warranty, obligations,
 * notes, the EM score's parts…) is at GET /equipment/{id}. A full `Equipment` is assignable to it.
 */
export const EquipmentSummary = Equipment.pick({
  id: true,
  inventoryNumber: true,
  site: true,
  locationId: true,
  locationPath: true,
  model: true,
  category: true,
  serialNumber: true,
  status: true,
  criticality: true,
  maintenanceMode: true,
  version: true,
  updatedAt: true,
})
  .extend({ emScore: EmScore.pick({ total: true, inPlannedMaintenance: true }).nullable() })
  .meta({
    id: 'EquipmentSummary',
    description: 'A device as lists show it; the full device (Equipment) is at GET /equipment/{id}.',
  });
export type EquipmentSummary = z.infer<typeof EquipmentSummary>;

const optText = (max: number) => z.string().trim().max(max).nullable();

const equipmentFields = {
  locationId: Uuid.nullable(),
  modelId: Uuid.nullable(),
  serialNumber: optText(80),
  udiDi: UdiDiInput.nullable(),
  /** Defaults to GS1 when a udiDi is given without it. */
  udiIssuingEntity: UdiIssuingEntity.nullable(),
  udiPi: UdiPiInput.nullable(),
  supplier: optText(160),
  acquisitionDate: DateInput.nullable(),
  acquisitionCostCents: z.number().int().min(0).max(10_000_000_000).nullable(),
  commissioningDate: DateInput.nullable(),
  warrantyEnd: DateInput.nullable(),
  ownership: Ownership,
  lenderSiteId: Uuid.nullable(),
  lenderName: optText(160),
  maintenanceMode: MaintenanceMode,
  criticality: Criticality,
  maintenanceObligation: z.boolean(),
  qualityControlObligation: z.boolean(),
  emOverrides: EmOverrides.partial(),
  notes: z.string().max(5000),
};

/**
 * The UDI-DI and its issuing entity go together: a UDI-DI without an entity is a GS1 GTIN
 * (what the API accepted before entities were recorded); an entity alone is refused; the
 * UDI-DI is checked against its entity's format and stored as its data content.
 */
function withUdi<T extends { udiDi?: string | null; udiIssuingEntity?: UdiIssuingEntity | null }>(v: T, ctx: z.RefinementCtx): T {
  if (!('udiDi' in v) || v.udiDi === undefined) {
    if (v.udiIssuingEntity !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['udiDi'], message: 'UDI-DI obligatoire avec son entité d’attribution' });
    }
    return v;
  }
  if (v.udiDi === null) {
    if (v.udiIssuingEntity) ctx.addIssue({ code: 'custom', path: ['udiIssuingEntity'], message: 'pas d’entité d’attribution sans UDI-DI' });
    return { ...v, udiIssuingEntity: null };
  }
  const entity = v.udiIssuingEntity ?? 'GS1';
  const checked = normaliseUdiDi(entity, v.udiDi);
  if (!checked.ok) {
    ctx.addIssue({ code: 'custom', path: ['udiDi'], message: checked.message });
    return v;
  }
  return { ...v, udiDi: checked.value, udiIssuingEntity: entity };
}
type UdiIssuingEntity = z.infer<typeof UdiIssuingEntity>;

export const INVENTORY_NUMBER_REGEX = /^[\p{L}\p{N}][\p{L}\p{N} ._/-]{0,62}[\p{L}\p{N}._/-]?$/u;
export const InventoryNumber = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(INVENTORY_NUMBER_REGEX, 'N° d’inventaire : lettres, chiffres, espaces, . _ / - (64 au plus)');

export const EquipmentCreate = z
  .object({
    inventoryNumber: InventoryNumber,
    siteId: Uuid,
    /** A new device starts in stock or directly in service (then the legal fields are required). */
    status: z.enum(['in_stock', 'in_service']).default('in_stock'),
    ...equipmentFields,
  })
  .partial({
    locationId: true, modelId: true, serialNumber: true, udiDi: true, udiIssuingEntity: true, udiPi: true, supplier: true,
    acquisitionDate: true, acquisitionCostCents: true, commissioningDate: true, warrantyEnd: true,
    ownership: true, lenderSiteId: true, lenderName: true, maintenanceMode: true, criticality: true,
    maintenanceObligation: true, qualityControlObligation: true, emOverrides: true, notes: true,
  })
  .transform(withUdi);
export type EquipmentCreate = z.input<typeof EquipmentCreate>;

/** PATCH: descriptive fields only; site, location and status change through their own endpoints. */
export const EquipmentUpdate = z
  .object({ inventoryNumber: InventoryNumber, ...equipmentFields })
  .omit({ locationId: true })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Aucun champ à modifier' })
  .transform(withUdi);
export type EquipmentUpdate = z.input<typeof EquipmentUpdate>;

export const EquipmentMove = z.object({
  siteId: Uuid,
  locationId: Uuid.nullable(),
  reason: z.string().trim().max(500).nullable().default(null),
});
export type EquipmentMove = z.input<typeof EquipmentMove>;

export const EquipmentStatusChange = z.object({
  to: EquipmentStatus,
  reason: z.string().trim().min(3, 'Motif obligatoire (3 caractères au moins)').max(500),
});
export type EquipmentStatusChange = z.input<typeof EquipmentStatusChange>;


/** GET /api/v1/equipment — sorted by inventory number (unique: a stable keyset). */
export const EquipmentListQuery = listQuery(z.tuple([StoredText])).extend({
  q: z.string().trim().max(100).optional(),
  siteId: Uuid.optional(),
  /** The location and everything under it. */
  locationId: Uuid.optional(),
  /** The category and its sub-categories. */
  categoryId: Uuid.optional(),
  status: csv(EquipmentStatus).optional(),
  riskClass: csv(RiskClass).optional(),
  criticality: csv(Criticality).optional(),
  maintenanceMode: csv(MaintenanceMode).optional(),
  warrantyEndsBefore: DateInput.optional(),
  /** Only devices with a decommissioning request awaiting the site manager's decision. */
  decommissionPending: QueryBoolean.optional(),
});

/** GET /api/v1/equipment/obligation-review — active devices whose manual obligation flags disagree with the computed ones; sorted by inventory number. */
export const ObligationReviewQuery = listQuery(z.tuple([StoredText])).extend({
  siteId: Uuid.optional(),
  /** Only the devices whose flag of this obligation disagrees. */
  obligation: ObligationKind.optional(),
});

export const ObligationReviewItem = EquipmentSummary.extend(
  Equipment.pick({ maintenanceObligation: true, qualityControlObligation: true, computedObligations: true }).shape,
).meta({
  id: 'ObligationReviewItem',
  description: 'A device whose manual obligation flags disagree with the computed ones (computedObligations.mismatches).',
});
export type ObligationReviewItem = z.infer<typeof ObligationReviewItem>;

export const EquipmentEvent = z
  .object({
    id: z.string(),
    kind: z.enum(['created', 'updated', 'status_changed', 'moved', 'decommission_requested', 'decommission_rejected', 'decommissioned', 'imported']),
    at: Timestamp,
    actor: z.object({ id: Uuid, fullName: z.string() }).nullable(),
    fromStatus: EquipmentStatus.nullable(),
    toStatus: EquipmentStatus.nullable(),
    fromSite: z.object({ id: Uuid, name: z.string() }).nullable(),
    toSite: z.object({ id: Uuid, name: z.string() }).nullable(),
    fromLocationId: Uuid.nullable(),
    toLocationId: Uuid.nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'EquipmentEvent' });
export type EquipmentEvent = z.infer<typeof EquipmentEvent>;

/** GET /api/v1/equipment/{id}/history — newest first. */
export const EquipmentHistory = z.object({ items: z.array(EquipmentEvent) });

export const LookupQuery = z.object({ code: z.string().min(1).max(512) });
export const LookupResult = z.object({
  /** What the code was read as. */
  kind: z.enum(['label', 'inventory', 'gs1']),
  parsed: z.record(z.string(), z.unknown()),
  items: z.array(Equipment),
});

export const DecommissionReason = z.enum(DECOMMISSION_REASONS);
export const Decommission = z
  .object({
    id: Uuid,
    equipmentId: Uuid,
    reason: DecommissionReason,
    decommissionDate: IsoDate,
    comment: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    requestedBy: z.object({ id: Uuid, fullName: z.string() }),
    requestedAt: Timestamp,
    decidedBy: z.object({ id: Uuid, fullName: z.string() }).nullable(),
    decidedAt: Timestamp.nullable(),
    decisionComment: z.string().nullable(),
  })
  .meta({ id: 'Decommission' });
export type Decommission = z.infer<typeof Decommission>;

export const DecommissionCreate = z.object({
  reason: DecommissionReason,
  /** The end of use; defaults to today. */
  decommissionDate: DateInput.optional(),
  comment: z.string().trim().max(2000).default(''),
});
export type DecommissionCreate = z.input<typeof DecommissionCreate>;

export const DecommissionDecision = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().max(2000).default(''),
});
export type DecommissionDecision = z.input<typeof DecommissionDecision>;

export const DecommissionList = z.object({ items: z.array(Decommission) });

/** `scheme://host[:port]` alone: no credentials, path, query or fragment. */
function bareOrigin(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const u = new URL(value);
  return /^https?:$/.test(u.protocol) && !u.username && !u.password && u.pathname === '/' && !u.search && !u.hash ? u.origin : null;
}

/** Where the QR codes of labels point (the web app's origin), when not the request's own host. */
export const PublicOrigin = z
  .string()
  .max(200)
  .refine((v) => bareOrigin(v) !== null, { message: 'origine attendue : http(s)://hôte[:port], sans chemin ni paramètres' })
  .transform((v) => bareOrigin(v)!)
  .meta({ format: 'uri' })
  .describe('Origin the QR codes point to (default: this request’s), e.g. https://gmao.ght-exemple.fr');

/** Label sheets: A4 of 3 × 8 labels of 70 × 37 mm, or 2 × 5 of 105 × 57 mm. */
export const LABEL_SHEET_FORMATS = ['a4-3x8', 'a4-2x5'] as const;
export const LabelSheetFormat = z.enum(LABEL_SHEET_FORMATS);
export type LabelSheetFormat = z.infer<typeof LabelSheetFormat>;

export const LabelQuery = z.object({ origin: PublicOrigin.optional() });

/** POST /equipment/labels.pdf */
export const LabelsPdfRequest = z.object({
  /** Printed in this order; up to 500 labels (21 pages of 24). */
  ids: z.array(Uuid).min(1).max(500),
  format: LabelSheetFormat.default('a4-3x8').describe('a4-3x8: 70 × 37 mm labels (default); a4-2x5: 105 × 57 mm'),
  origin: PublicOrigin.optional(),
});
export type LabelsPdfRequest = z.input<typeof LabelsPdfRequest>;
