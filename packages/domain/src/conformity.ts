/**
 * The verdict of a work order: "the result regarding conformity" that article R.5212-28 of
 * the Public Health Code asks the maintenance register to record for each operation
 * (docs/regulatory.md, "The maintenance register (R.5212-28)"). Pure: the API decides with
 * it, the web app asks for what it requires.
 */
import type { WorkOrderType } from './work-orders.js';

/** What a person judges at completion. */
export const VERDICTS = ['conforming', 'conforming_with_reservations', 'non_conforming'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What the register shows: a verdict, or `not_evaluated` where the law asks for none and nobody gave one. */
export const CONFORMITIES = [...VERDICTS, 'not_evaluated'] as const;
export type Conformity = (typeof CONFORMITIES)[number];

/** Quality control done by the establishment itself (CQI) or by an accredited body (CQE). */
export const QUALITY_CONTROL_KINDS = ['internal', 'external'] as const;
export type QualityControlKind = (typeof QUALITY_CONTROL_KINDS)[number];

/**
 * The operations whose completion requires a verdict: maintenance (preventive), quality
 * control, electrical safety and commissioning. A corrective work order, a recall action,
 * a decommissioning or another operation may be completed without one (shown
 * `not_evaluated`), unless a measurement of its checklist failed.
 */
export const VERDICT_REQUIRED_TYPES: readonly WorkOrderType[] = ['preventive', 'quality_control', 'electrical_safety', 'commissioning'];

export function verdictRequired(type: WorkOrderType): boolean {
  return VERDICT_REQUIRED_TYPES.includes(type);
}

export interface VerdictInput {
  type: WorkOrderType;
  /** The verdict sent with the completion; null: none. */
  conformity: Verdict | null;
  /** The reservation or the non-conformity, described. */
  note: string | null;
  /** Labels of the checklist measurements outside their limits. */
  failedMeasurements: readonly string[];
  /** Why a (reserved) conforming verdict stands over a failed measurement. */
  overrideReason: string | null;
  /** The person completing is an engineer of the work order's site (policy: conformity.decide). */
  byEngineer: boolean;
  /** The completion asks to put the device back in service. */
  backInService: boolean | null;
}

export type VerdictProblemCode =
  | 'verdict_required'
  | 'verdict_note_required'
  | 'verdict_contradicts_measurement'
  | 'verdict_override_unneeded'
  | 'non_conforming_back_in_service';

export type VerdictDecision =
  | { ok: true; conformity: Conformity; overridden: boolean }
  | { ok: false; code: VerdictProblemCode; message: string; problems: { path: string; message: string }[] };

const refuse = (code: VerdictProblemCode, message: string, path: string, detail: string): VerdictDecision => ({
  ok: false, code, message, problems: [{ path, message: detail }],
});

/**
 * The verdict rule. A verdict is required for the types of VERDICT_REQUIRED_TYPES and
 * whenever a measurement failed; a reservation or a non-conformity is described; a failed
 * measurement makes the verdict at best non conforming, unless an engineer overrides it
 * with a reason (recorded); a non-conforming device is not put back in service by the
 * completion (an engineer decides later).
 */
export function decideVerdict(v: VerdictInput): VerdictDecision {
  const failed = v.failedMeasurements.length > 0;
  const reason = v.overrideReason?.trim() ?? '';
  if (v.conformity === null) {
    if (verdictRequired(v.type)) {
      return refuse('verdict_required', 'Le résultat du contrôle (conformité) est obligatoire pour ce type de bon.', 'body.conformity', 'conforme, conforme avec réserves ou non conforme');
    }
    if (failed) {
      return refuse('verdict_required', `Une mesure est hors limites (${v.failedMeasurements.join(', ')}) : indiquez le résultat (conformité).`, 'body.conformity', 'mesure hors limites');
    }
    if (reason !== '') return refuse('verdict_override_unneeded', 'Aucune mesure hors limites : pas de dérogation à motiver.', 'body.conformityOverrideReason', 'sans objet');
    return { ok: true, conformity: 'not_evaluated', overridden: false };
  }
  if (v.conformity !== 'conforming' && (v.note?.trim() ?? '') === '') {
    const what = v.conformity === 'non_conforming' ? 'la non-conformité' : 'les réserves';
    return refuse('verdict_note_required', `Décrivez ${what}.`, 'body.conformityNote', `${what} à décrire`);
  }
  let overridden = false;
  if (v.conformity !== 'non_conforming' && failed) {
    if (!v.byEngineer || reason === '') {
      return refuse(
        'verdict_contradicts_measurement',
        `Une mesure est hors limites (${v.failedMeasurements.join(', ')}) : le résultat est au mieux « non conforme », sauf dérogation motivée d'un ingénieur biomédical.`,
        v.byEngineer ? 'body.conformityOverrideReason' : 'body.conformity',
        v.byEngineer ? 'motif de la dérogation obligatoire' : 'non conforme attendu (dérogation réservée à un ingénieur)',
      );
    }
    overridden = true;
  } else if (reason !== '') {
    return refuse('verdict_override_unneeded', 'Aucune dérogation à motiver : le résultat ne contredit aucune mesure.', 'body.conformityOverrideReason', 'sans objet');
  }
  if (v.conformity === 'non_conforming' && v.backInService === true) {
    return refuse(
      'non_conforming_back_in_service',
      "Un équipement non conforme ne peut pas être remis en service à la clôture : il reste hors service jusqu'à la décision d'un ingénieur.",
      'body.backInService', 'non conforme : reste hors service',
    );
  }
  return { ok: true, conformity: v.conformity, overridden };
}

/**
 * What an external quality control (CQE) needs before completion: an intervention by an
 * accredited body, with its accreditation reference and its report attached (listed in
 * the register as evidence).
 */
export function externalQualityControlProblems(
  kind: QualityControlKind | null,
  interventions: readonly { accreditationReference: string | null; reportAttachmentId: string | null }[],
): { path: string; message: string }[] {
  if (kind !== 'external') return [];
  const accredited = interventions.filter((x) => (x.accreditationReference ?? '').trim() !== '');
  if (accredited.length === 0) {
    return [{ path: 'external', message: "contrôle de qualité externe : intervention de l'organisme accrédité (nom et n° d'accréditation) obligatoire" }];
  }
  if (!accredited.some((x) => x.reportAttachmentId !== null)) {
    return [{ path: 'external.report', message: "contrôle de qualité externe : rapport de l'organisme accrédité à joindre" }];
  }
  return [];
}

/**
 * The day an operation was carried out, as the register dates it (R.5212-28): the first
 * day of its work — the days of its labour entries and of its vendors' interventions
 * (yyyy-mm-dd, Paris) — and the day of its completion only when no work is dated. Time
 * logged on the day of completion (the report, the signature) does not move an
 * intervention done before to that day; the stop and restart dates bound the operation.
 */
export function operationDay(workDays: readonly (string | null)[], completedOn: string): string {
  const days = workDays.filter((d): d is string => d !== null).sort();
  return days[0] ?? completedOn;
}
