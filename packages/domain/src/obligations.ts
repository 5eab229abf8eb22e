/**
 * Risk classes and the legal obligations of maintenance and quality control that follow
 * from them (docs/regulatory.md, "Obligations of maintenance and quality control" and
 * "Risk classes").
 *
 * - Medical devices: classes I, IIa, IIb, III (Regulation (EU) 2017/745, Annex VIII).
 * - In-vitro diagnostic devices: classes A, B, C, D (Regulation (EU) 2017/746, Annex VIII).
 * - Maintenance obligation (CSP R.5212-26, arrêté of 3 March 2003, Annex I): devices
 *   exposing people to ionising radiation, and devices of classes IIb and III.
 * - Quality-control obligation (arrêté of 3 March 2003, Annex II, and the ANSM decisions
 *   that set the modalities, CSP R.5212-27): devices emitting ionising radiation.
 */

export const MDR_RISK_CLASSES = ['I', 'IIa', 'IIb', 'III'] as const;
export const IVD_RISK_CLASSES = ['A', 'B', 'C', 'D'] as const;
/** Every risk class a model may carry: MDR classes first, then IVDR classes. */
export const RISK_CLASSES = [...MDR_RISK_CLASSES, ...IVD_RISK_CLASSES] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** The MDR classes that bring the maintenance obligation (arrêté of 3 March 2003, Annex I, 5°). */
export const MAINTENANCE_OBLIGATION_CLASSES: readonly RiskClass[] = ['IIb', 'III'];

/** Why an obligation applies. */
export const OBLIGATION_GROUNDS = ['ionising_radiation', 'risk_class'] as const;
export type ObligationGround = (typeof OBLIGATION_GROUNDS)[number];

export const OBLIGATION_KINDS = ['maintenance', 'qualityControl'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export interface ObligationFacts {
  /** The device has a model (and so a category); without one nothing can be computed. */
  hasModel: boolean;
  /** The model's risk class, null when not recorded. */
  riskClass: RiskClass | null;
  /** The model's category emits ionising radiation. */
  ionisingRadiation: boolean;
}

export interface ComputedObligations {
  /** null: cannot be told (no model, or a model of unknown class that emits no ionising radiation). */
  maintenance: boolean | null;
  /** null: cannot be told (no model). */
  qualityControl: boolean | null;
  grounds: ObligationGround[];
}

export function computeObligations(f: ObligationFacts): ComputedObligations {
  if (!f.hasModel) return { maintenance: null, qualityControl: null, grounds: [] };
  const grounds: ObligationGround[] = [];
  if (f.ionisingRadiation) grounds.push('ionising_radiation');
  const byClass = f.riskClass !== null && MAINTENANCE_OBLIGATION_CLASSES.includes(f.riskClass);
  if (byClass) grounds.push('risk_class');
  const maintenance = f.ionisingRadiation || byClass ? true : f.riskClass === null ? null : false;
  return { maintenance, qualityControl: f.ionisingRadiation, grounds };
}

/**
 * The obligations whose manual flag disagrees with the computed one (a flag is never
 * overridden: the device is listed for an engineer's review). Unknown computed values
 * never disagree.
 */
export function obligationMismatches(
  manual: { maintenanceObligation: boolean; qualityControlObligation: boolean },
  computed: Pick<ComputedObligations, 'maintenance' | 'qualityControl'>,
): ObligationKind[] {
  const out: ObligationKind[] = [];
  if (computed.maintenance !== null && computed.maintenance !== manual.maintenanceObligation) out.push('maintenance');
  if (computed.qualityControl !== null && computed.qualityControl !== manual.qualityControlObligation) out.push('qualityControl');
  return out;
}
