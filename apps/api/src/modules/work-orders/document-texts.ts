import { ENUM_LABELS, inSentence, type EnumLabels } from '@gmao/domain';
import { formatsFor, type DocumentFormats, type Locale } from '../../lib/french.js';

/**
 * Every fixed text of the work orders' documents — the intervention report (PDF), the
 * maintenance register (PDF, CSV) and the register's results — in French and in English,
 * one object per language. Labels of coded values come from packages/domain (ENUM_LABELS).
 */

export interface DocumentTexts {
  labels: EnumLabels;
  formats: DocumentFormats;
  /** A label inside a sentence: « hors service », “out of service”. */
  inSentence(label: string): string;
  none: string;
  yes: string;
  no: string;
  /** « Camille, le 01/03/2026 14:05 ». */
  byOn(who: string, at: string): string;
  limits: { min(v: string): string; max(v: string): string; between(min: string, max: string): string };
  report: {
    title(number: string): string;
    footer(number: string, page: number, pages: number): string;
    site: string;
    state: string;
    nature: string;
    natureAndPriority(nature: string, priority: string): string;
    equipment: string;
    inventoryNumber: string;
    designation: string;
    serialNumber: string;
    location: string;
    request: string;
    symptom: string;
    requestedBy: string;
    outOfService: string;
    downtime: string;
    operations: string;
    diagnosis: string;
    actions: string;
    checklist: string;
    noChecklist: string;
    checklistColumns: [item: string, limits: string, result: string];
    mandatory: string;
    noAnswer: string;
    parts: string;
    noParts: string;
    partsColumns: [reference: string, description: string, quantity: string];
    /** After a part given back to the store. */
    returned: string;
    times: string;
    noTimes: string;
    minutes(minutes: number, travelMinutes: number): string;
    vendorReference(reference: string): string;
    photos: string;
    photoCaption(fileName: string, by: string, at: string): string;
    notEmbeddable: string;
    unreadableImage: string;
    closure: string;
    completedBy: string;
    /** The verdict (R.5212-28), with the reservation or non-conformity. */
    conformity: string;
    override: string;
    restart: string;
    closedBy: string;
    automaticClosure: string;
    notClosed: string;
    signature: string;
    notSigned: string;
    signedBy: string;
    unreadableSignature: string;
  };
  register: {
    title: string;
    documentTitle(inventoryNumber: string): string;
    footer(inventoryNumber: string, page: number, pages: number): string;
    inventoryNumber: string;
    site: string;
    model: string;
    serialNumber: string;
    operations: string;
    noOperations: string;
    entryHeading(date: string, nature: string, number: string): string;
    operation: string;
    performers: string;
    downtime: string;
    performance: string;
    result: string;
    csvHeader: readonly string[];
    finess: string;
    body: string;
    evidence: string;
    completedAt: string;
    accreditedBody(name: string, accreditation: string): string;
    override(by: string, reason: string): string;
    /** One measurement or check with its result, as the register states it. */
    performanceLine(label: string, value: string | null, verdict: string): string;
    vendorWithReference(vendor: string, reference: string): string;
  };
}

const fr: DocumentTexts = {
  labels: ENUM_LABELS.fr,
  formats: formatsFor('fr'),
  inSentence,
  none: '—',
  yes: 'oui',
  no: 'non',
  byOn: (who, at) => `${who}, le ${at}`,
  limits: { min: (v) => `≥ ${v}`, max: (v) => `≤ ${v}`, between: (min, max) => `≥ ${min} et ≤ ${max}` },
  report: {
    title: (n) => `Bon d'intervention ${n}`,
    footer: (n, p, total) => `Bon d'intervention ${n} — page ${p} / ${total}`,
    site: 'Établissement',
    state: 'Statut',
    nature: 'Nature',
    natureAndPriority: (nature, priority) => `${nature} — priorité ${priority}`,
    equipment: 'Équipement',
    inventoryNumber: "N° d'inventaire",
    designation: 'Désignation',
    serialNumber: 'N° de série',
    location: 'Localisation',
    request: 'Demande',
    symptom: 'Symptôme',
    requestedBy: 'Demandé par',
    outOfService: 'Hors service',
    downtime: 'Arrêt / remise en service',
    operations: 'Opérations',
    diagnosis: 'Diagnostic',
    actions: 'Actions réalisées',
    checklist: 'Mesures et contrôles',
    noChecklist: 'Aucun point de contrôle.',
    checklistColumns: ['Point de contrôle', 'Limites', 'Résultat'],
    mandatory: 'obligatoire',
    noAnswer: 'sans réponse',
    parts: 'Pièces',
    noParts: 'Aucune pièce enregistrée sur ce bon.',
    partsColumns: ['Référence', 'Désignation', 'Quantité'],
    returned: 'rendue au magasin',
    times: 'Temps passés et interventions externes',
    noTimes: 'Aucun temps saisi.',
    minutes: (m, travel) => `${m} min${travel ? ` + ${travel} min de trajet` : ''}`,
    vendorReference: (r) => `réf. ${r}`,
    photos: 'Photos',
    photoCaption: (name, by, at) => `${name} — ${by}, le ${at}`,
    notEmbeddable: '(format WebP : consultable dans l’application)',
    unreadableImage: '(image illisible)',
    closure: 'Fin de l’intervention',
    completedBy: 'Terminé par',
    conformity: 'Résultat (conformité)',
    override: 'Dérogation',
    restart: 'Remis en service',
    closedBy: 'Clôturé par',
    automaticClosure: 'clôture automatique',
    notClosed: 'Non clôturé.',
    signature: 'Signature du technicien',
    notSigned: 'Non signé.',
    signedBy: 'Signé par',
    unreadableSignature: '(image de signature illisible)',
  },
  register: {
    title: 'Registre de maintenance et de contrôle qualité',
    documentTitle: (inv) => `Registre de maintenance ${inv}`,
    footer: (inv, p, total) => `Registre de maintenance ${inv} — page ${p} / ${total}`,
    inventoryNumber: "N° d'inventaire",
    site: 'Établissement',
    model: 'Modèle',
    serialNumber: 'N° de série',
    operations: 'Opérations',
    noOperations: 'Aucune opération de maintenance ou de contrôle enregistrée.',
    entryHeading: (date, nature, number) => `${date} — ${nature} (bon ${number})`,
    operation: 'Opération',
    performers: 'Intervenants',
    downtime: 'Arrêt / remise en service',
    performance: 'Performances obtenues',
    result: 'Résultat',
    csvHeader: [
      'N° du bon', 'Date de réalisation', 'Nature', 'Description', 'Intervenants (employeur)', 'Arrêt', 'Remise en service', 'Performances obtenues', 'Conformité',
      'Réserves, non-conformité, dérogation', 'Organisme accrédité', 'Pièces justificatives', 'Bon terminé le',
    ],
    finess: 'FINESS',
    body: 'Organisme accrédité',
    evidence: 'Pièces justificatives',
    completedAt: 'Bon terminé le',
    accreditedBody: (name, accreditation) => `${name} (accréditation ${accreditation})`,
    override: (by, reason) => `dérogation de ${by} : ${reason}`,
    performanceLine: (label, value, verdict) => `${label} : ${value === null ? verdict : `${value} ${verdict}`}`,
    vendorWithReference: (vendor, reference) => `${vendor} (réf. ${reference})`,
  },
};

const en: DocumentTexts = {
  labels: ENUM_LABELS.en,
  formats: formatsFor('en'),
  inSentence: (label) => label.charAt(0).toLocaleLowerCase('en') + label.slice(1),
  none: '—',
  yes: 'yes',
  no: 'no',
  byOn: (who, at) => `${who}, on ${at}`,
  limits: { min: (v) => `≥ ${v}`, max: (v) => `≤ ${v}`, between: (min, max) => `≥ ${min} and ≤ ${max}` },
  report: {
    title: (n) => `Intervention report ${n}`,
    footer: (n, p, total) => `Intervention report ${n} — page ${p} of ${total}`,
    site: 'Facility',
    state: 'Status',
    nature: 'Nature',
    natureAndPriority: (nature, priority) => `${nature} — ${priority} priority`,
    equipment: 'Device',
    inventoryNumber: 'Inventory number',
    designation: 'Description',
    serialNumber: 'Serial number',
    location: 'Location',
    request: 'Request',
    symptom: 'Symptom',
    requestedBy: 'Requested by',
    outOfService: 'Out of service',
    downtime: 'Stopped / back in service',
    operations: 'Work done',
    diagnosis: 'Diagnosis',
    actions: 'Actions taken',
    checklist: 'Measurements and checks',
    noChecklist: 'No checklist item.',
    checklistColumns: ['Check', 'Limits', 'Result'],
    mandatory: 'mandatory',
    noAnswer: 'no answer',
    parts: 'Parts',
    noParts: 'No part recorded on this work order.',
    partsColumns: ['Reference', 'Description', 'Quantity'],
    returned: 'returned to the store',
    times: 'Time spent and external interventions',
    noTimes: 'No time recorded.',
    minutes: (m, travel) => `${m} min${travel ? ` + ${travel} min travel` : ''}`,
    vendorReference: (r) => `ref. ${r}`,
    photos: 'Photos',
    photoCaption: (name, by, at) => `${name} — ${by}, on ${at}`,
    notEmbeddable: '(WebP format: see it in the application)',
    unreadableImage: '(unreadable image)',
    closure: 'End of the intervention',
    completedBy: 'Completed by',
    conformity: 'Result (conformity)',
    override: 'Override',
    restart: 'Put back in service',
    closedBy: 'Closed by',
    automaticClosure: 'automatic closure',
    notClosed: 'Not closed.',
    signature: 'Technician’s signature',
    notSigned: 'Not signed.',
    signedBy: 'Signed by',
    unreadableSignature: '(unreadable signature image)',
  },
  register: {
    title: 'Maintenance and quality control register',
    documentTitle: (inv) => `Maintenance register ${inv}`,
    footer: (inv, p, total) => `Maintenance register ${inv} — page ${p} of ${total}`,
    inventoryNumber: 'Inventory number',
    site: 'Facility',
    model: 'Model',
    serialNumber: 'Serial number',
    operations: 'Operations',
    noOperations: 'No maintenance or control operation recorded.',
    entryHeading: (date, nature, number) => `${date} — ${nature} (work order ${number})`,
    operation: 'Operation',
    performers: 'Performed by',
    downtime: 'Stopped / back in service',
    performance: 'Performance obtained',
    result: 'Result',
    csvHeader: [
      'Work order', 'Date performed', 'Nature', 'Description', 'Performed by (employer)', 'Stopped', 'Back in service', 'Performance obtained', 'Conformity',
      'Reservations, non-compliance, override', 'Accredited body', 'Evidence', 'Work order completed',
    ],
    finess: 'FINESS',
    body: 'Accredited body',
    evidence: 'Evidence',
    completedAt: 'Work order completed',
    accreditedBody: (name, accreditation) => `${name} (accreditation ${accreditation})`,
    override: (by, reason) => `override by ${by}: ${reason}`,
    performanceLine: (label, value, verdict) => `${label}: ${value === null ? verdict : `${value} ${verdict}`}`,
    vendorWithReference: (vendor, reference) => `${vendor} (ref. ${reference})`,
  },
};

const TEXTS: Record<Locale, DocumentTexts> = { fr, en };

export function documentTexts(locale: Locale): DocumentTexts {
  return TEXTS[locale];
}

/** The limits of a measurement: « ≥ 60 min », « ≤ 0,3 Ω », « ≥ 1 et ≤ 2 V » (without the unit if asked); null without any. */
export function limitsText(
  t: DocumentTexts,
  c: { minValue: number | null; maxValue: number | null; unit: string | null },
  withUnit = true,
): string | null {
  const n = t.formats.number;
  const unit = withUnit && c.unit ? ` ${c.unit}` : '';
  if (c.minValue !== null && c.maxValue !== null) return `${t.limits.between(n(c.minValue), n(c.maxValue))}${unit}`;
  if (c.minValue !== null) return `${t.limits.min(n(c.minValue))}${unit}`;
  if (c.maxValue !== null) return `${t.limits.max(n(c.maxValue))}${unit}`;
  return null;
}
