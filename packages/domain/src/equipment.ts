/** Pure rules of the equipment inventory: statuses, the risk score, the legal inventory fields. */

export const EQUIPMENT_STATUSES = ['in_stock', 'in_service', 'out_of_service', 'under_maintenance', 'on_loan', 'decommissioned'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];

export const OWNERSHIPS = ['owned', 'leased', 'lent_by_site', 'lent_by_vendor'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const MAINTENANCE_MODES = ['internal', 'external_contract', 'mixed'] as const;
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/**
 * Allowed status changes. `decommissioned` is never reached by a plain transition: only
 * the approval of a decommissioning (réforme) sets it, and nothing leaves it.
 */
const TRANSITIONS: Record<EquipmentStatus, readonly EquipmentStatus[]> = {
  in_stock: ['in_service', 'on_loan'],
  in_service: ['out_of_service', 'under_maintenance', 'on_loan', 'in_stock'],
  out_of_service: ['under_maintenance', 'in_service', 'in_stock'],
  under_maintenance: ['in_service', 'out_of_service', 'in_stock'],
  on_loan: ['in_service', 'in_stock'],
  decommissioned: [],
};

export function allowedStatusTransitions(from: EquipmentStatus): readonly EquipmentStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: EquipmentStatus, to: EquipmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses in which a device is part of the active inventory (not decommissioned). */
export const ACTIVE_STATUSES = EQUIPMENT_STATUSES.filter((s) => s !== 'decommissioned');

/**
 * Article R.5212-28 of the Public Health Code: the inventory of a device in use names its
 * common and trade names (category and model), manufacturer (model), supplier, serial
 * number, location and date of first commissioning. Returns the missing fields' names.
 */
export interface LegalInventoryFields {
  modelId: string | null;
  supplier: string | null;
  serialNumber: string | null;
  locationId: string | null;
  commissioningDate: string | null;
}

/** The legal inventory fields, in the order they are listed (labels: ENUM_LABELS.legalFields). */
export const LEGAL_FIELDS: readonly (keyof LegalInventoryFields)[] = ['modelId', 'supplier', 'serialNumber', 'locationId', 'commissioningDate'];

export function missingLegalFields(e: LegalInventoryFields): (keyof LegalInventoryFields)[] {
  return LEGAL_FIELDS.filter((k) => {
    const v = e[k];
    return v === null || v === undefined || String(v).trim() === '';
  });
}

/** Statuses in which the legal inventory fields are mandatory (the device is in use). */
export function requiresLegalFields(status: EquipmentStatus): boolean {
  return status === 'in_service' || status === 'out_of_service' || status === 'under_maintenance' || status === 'on_loan';
}

/**
 * Fennigkoh–Smith equipment-management number (1989): EM = function (2–10) + physical
 * risk (1–5) + maintenance requirement (1–5) + incident history (−2…+2). Devices with
 * EM ≥ 12 belong in the planned-maintenance programme.
 */
export const EM_THRESHOLD = 12;
export const EM_RANGES = {
  function: [2, 10],
  physicalRisk: [1, 5],
  maintenance: [1, 5],
  incidentHistory: [-2, 2],
} as const;

export type EmPartName = keyof typeof EM_RANGES;
export type EmSource = 'device' | 'category' | 'default';

export interface EmScore {
  total: number;
  inPlannedMaintenance: boolean;
  parts: { name: EmPartName; value: number; source: EmSource }[];
}

export function emScore(
  category: { function: number; physicalRisk: number; maintenance: number } | null,
  overrides: { function: number | null; physicalRisk: number | null; maintenance: number | null; incidentHistory: number | null },
): EmScore | null {
  const pick = (name: EmPartName, fromCategory: number | undefined, neutral: number | null) => {
    const own = overrides[name];
    if (own !== null && own !== undefined) return { name, value: own, source: 'device' as const };
    if (fromCategory !== undefined) return { name, value: fromCategory, source: 'category' as const };
    return neutral === null ? null : { name, value: neutral, source: 'default' as const };
  };
  const parts = [
    pick('function', category?.function, null),
    pick('physicalRisk', category?.physicalRisk, null),
    pick('maintenance', category?.maintenance, null),
    // No incident history recorded: neutral (0, "typical").
    pick('incidentHistory', undefined, 0),
  ];
  if (parts.some((p) => p === null)) return null;
  const present = parts as NonNullable<(typeof parts)[number]>[];
  for (const p of present) {
    const [min, max] = EM_RANGES[p.name];
    if (p.value < min || p.value > max) throw new RangeError(`EM part ${p.name} out of range: ${p.value}`);
  }
  const total = present.reduce((s, p) => s + p.value, 0);
  return { total, inPlannedMaintenance: total >= EM_THRESHOLD, parts: present };
}

export const DECOMMISSION_REASONS = ['scrap', 'resale', 'donation', 'parts_harvesting', 'returned_to_lessor'] as const;
export type DecommissionReason = (typeof DECOMMISSION_REASONS)[number];
