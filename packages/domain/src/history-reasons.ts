/**
 * The reasons of history entries (a device's timeline, a work order's transitions) that the
 * product writes itself — as opposed to the reasons people type, kept as typed. They are
 * stored as a code with its parameters (`coded_reason`) and written out in the reader's
 * language when read, from here: one home for their French and English sentences.
 */
import { DECOMMISSION_REASONS, type DecommissionReason } from './equipment.js';
import { ENUM_LABELS, inSentence, type LabelLocale } from './labels.js';

export type CodedReason =
  /** A fault report took the device out of service. */
  | { code: 'work_order_reported'; number: string; symptom: string }
  /** The completion of a work order put the device back in service. */
  | { code: 'back_in_service'; number: string }
  /** A non-conforming verdict keeps (or takes) the device out of service. */
  | { code: 'non_conforming'; number: string }
  /** An engineer put the device back in service after a non-conforming verdict, with the reason. */
  | { code: 'restart_decided'; number: string; reason: string }
  /** A completed work order nobody verified was closed by the scheduled job. */
  | { code: 'automatic_closure'; days: number }
  /** A decommissioning (réforme) for this reason, with the requester's comment. */
  | { code: 'decommission'; reason: DecommissionReason; comment?: string }
  /** Devices created by an inventory import. */
  | { code: 'imported_file'; fileName: string }
  /** Devices of the demonstration data set. */
  | { code: 'demo_inventory' };

const SENTENCES: Record<LabelLocale, { [C in CodedReason['code']]: (r: Extract<CodedReason, { code: C }>) => string }> = {
  fr: {
    work_order_reported: (r) => `Bon ${r.number} : ${r.symptom}`,
    back_in_service: (r) => `Remise en service après le bon ${r.number}`,
    non_conforming: (r) => `Non conforme au bon ${r.number} : hors service jusqu'à la décision d'un ingénieur`,
    restart_decided: (r) => `Remise en service décidée par l'ingénieur après la non-conformité du bon ${r.number} : ${r.reason}`,
    automatic_closure: (r) => `Clôture automatique : terminé depuis plus de ${r.days} jours sans vérification`,
    decommission: (r) => `${inSentence(ENUM_LABELS.fr.decommissionReasons[r.reason])}${r.comment ? ` — ${r.comment}` : ''}`,
    imported_file: (r) => `Import du fichier ${r.fileName}`,
    demo_inventory: () => "Reprise de l'inventaire existant (données de démonstration)",
  },
  en: {
    work_order_reported: (r) => `Work order ${r.number}: ${r.symptom}`,
    back_in_service: (r) => `Back in service after work order ${r.number}`,
    non_conforming: (r) => `Non-compliant at work order ${r.number}: out of service until an engineer decides`,
    restart_decided: (r) => `Put back in service by the engineer after the non-compliance of work order ${r.number}: ${r.reason}`,
    automatic_closure: (r) => `Automatic closure: completed more than ${r.days} days ago and never verified`,
    decommission: (r) => `${ENUM_LABELS.en.decommissionReasons[r.reason]}${r.comment ? ` — ${r.comment}` : ''}`,
    imported_file: (r) => `Imported from the file ${r.fileName}`,
    demo_inventory: () => 'Existing inventory taken over (demonstration data)',
  },
};

/** The sentence of a coded reason in `locale`. */
export function codedReasonText(reason: CodedReason, locale: LabelLocale): string {
  const sentence = SENTENCES[locale][reason.code] as (r: CodedReason) => string;
  return sentence(reason);
}

const str = (v: unknown): v is string => typeof v === 'string';

/** A coded reason read back from storage (JSON), or null when it is none or not one we know. */
export function parseCodedReason(value: unknown): CodedReason | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  switch (v.code) {
    case 'work_order_reported':
      return str(v.number) && str(v.symptom) ? { code: v.code, number: v.number, symptom: v.symptom } : null;
    case 'back_in_service':
      return str(v.number) ? { code: v.code, number: v.number } : null;
    case 'non_conforming':
      return str(v.number) ? { code: v.code, number: v.number } : null;
    case 'restart_decided':
      return str(v.number) && str(v.reason) ? { code: v.code, number: v.number, reason: v.reason } : null;
    case 'automatic_closure':
      return typeof v.days === 'number' ? { code: v.code, days: v.days } : null;
    case 'decommission':
      return str(v.reason) && (DECOMMISSION_REASONS as readonly string[]).includes(v.reason)
        ? { code: v.code, reason: v.reason as DecommissionReason, ...(str(v.comment) && v.comment ? { comment: v.comment } : {}) }
        : null;
    case 'imported_file':
      return str(v.fileName) ? { code: v.code, fileName: v.fileName } : null;
    case 'demo_inventory':
      return { code: v.code };
    default:
      return null;
  }
}

/** What a history entry says: its coded reason in the reader's language, else the reason as written. */
export function historyReason(stored: { reason: string | null; codedReason: unknown }, locale: LabelLocale): string | null {
  const coded = parseCodedReason(stored.codedReason);
  return coded ? codedReasonText(coded, locale) : stored.reason;
}
