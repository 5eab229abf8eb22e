import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Register } from '@gmao/contracts';
import type { checklistOf, externalOf, labourOf, partsOf, WorkOrderRow } from '@gmao/db';
import { LABELS_FR, inSentence, type WorkOrderPriority, type WorkOrderState, type WorkOrderType } from '@gmao/domain';
import { csvDocument } from '../../lib/csv.js';
import { euros, frenchNumber, parisDateTime } from '../../lib/french.js';
import { PdfTextWriter, winAnsiSafe } from '../../lib/pdf-text.js';
import type { EquipmentRow } from '../equipment/equipment.repository.js';

/**
 * The documents of work orders, in French, for inspectors and for the file: the
 * maintenance register of a device (CSV and PDF, from its JSON) and the intervention
 * report (bon d'intervention) of one work order (PDF). Labels come from packages/domain.
 */

const L = LABELS_FR;

function performers(e: Register['entries'][number]): string {
  return e.performedBy.map((p) => `${p.name} (${p.employer})`).join(', ');
}

/** The register as a French PDF, one block per operation. */
export async function registerPdf(r: Register): Promise<Uint8Array> {
  const d = {
    device: { inventoryNumber: r.equipment.inventoryNumber, site: r.equipment.site, model: r.equipment.model, serialNumber: r.equipment.serialNumber },
    entries: r.entries.map((e) => ({
      number: e.number, date: parisDateTime(e.date), nature: L.workOrderNatures[e.nature], description: e.description || '—',
      performers: performers(e) || '—', stop: parisDateTime(e.stoppedAt), restart: parisDateTime(e.restartedAt),
      performance: e.performance, conformity: L.conformities[e.conformity],
    })),
  };
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsiSafe(`Registre de maintenance ${d.device.inventoryNumber}`));
  doc.setLanguage('fr-FR');
  const w = new PdfTextWriter(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  w.title('Registre de maintenance et de contrôle qualité');
  w.field("N° d'inventaire", d.device.inventoryNumber);
  w.field('Établissement', d.device.site);
  w.field('Modèle', d.device.model ?? '—');
  w.field('N° de série', d.device.serialNumber ?? '—');
  if (d.entries.length === 0) {
    w.heading('Opérations');
    w.paragraph('Aucune opération de maintenance ou de contrôle enregistrée.');
  }
  for (const e of d.entries) {
    w.heading(`${e.date} — ${e.nature} (bon ${e.number})`);
    w.field('Opération', e.description);
    w.field('Intervenants', e.performers);
    w.field('Arrêt / remise en service', `${e.stop || '—'} / ${e.restart || '—'}`);
    w.field('Performances obtenues', e.performance.length ? e.performance.join(' ; ') : '—');
    w.field('Résultat', e.conformity);
  }
  return doc.save();
}

/** The register as a CSV for French Excel (lib/csv.ts: BOM, `;`, CRLF, formula guard), times in Paris. */
export function registerCsv(r: Register): string {
  const header = ['N° du bon', 'Date', 'Nature', 'Description', 'Intervenants (employeur)', 'Arrêt', 'Remise en service', 'Performances obtenues', 'Conformité'];
  return csvDocument(header, r.entries.map((e) => [
    e.number, parisDateTime(e.date), L.workOrderNatures[e.nature], e.description, performers(e), parisDateTime(e.stoppedAt),
    parisDateTime(e.restartedAt), e.performance.join(' ; '), L.conformities[e.conformity],
  ]));
}

type Rows<F extends (...args: never[]) => Promise<unknown[]>> = Awaited<ReturnType<F>>;

export interface ReportInput {
  wo: WorkOrderRow;
  device: EquipmentRow | undefined;
  labour: Rows<typeof labourOf>;
  external: Rows<typeof externalOf>;
  checklist: Rows<typeof checklistOf>;
  parts: Rows<typeof partsOf>;
}

function checklistResult(c: ReportInput['checklist'][number]): string {
  const outcome = (o: 'pass' | 'fail' | 'not_applicable') => inSentence(L.checklistOutcomes[o]);
  if (c.outcome === 'not_applicable') return outcome('not_applicable');
  if (c.kind === 'measurement' && c.numericValue !== null) return `${frenchNumber(c.numericValue)} ${c.unit ?? ''} — ${outcome(c.outcome === 'pass' ? 'pass' : 'fail')}`;
  if (c.kind === 'text') return c.textValue ?? '—';
  return c.outcome === 'pass' || c.outcome === 'fail' ? outcome(c.outcome) : 'sans réponse';
}

/** The intervention report (bon d'intervention) of a work order, as a French PDF. */
export async function workOrderReportPdf({ wo, device, labour, external, checklist, parts }: ReportInput): Promise<Uint8Array> {
  const png = wo.signatureImage?.startsWith('data:image/png;base64,') ? Buffer.from(wo.signatureImage.slice(22), 'base64') : null;
  const d = {
    number: wo.number,
    state: inSentence(L.workOrderStates[wo.state as WorkOrderState]),
    type: L.workOrderNatures[wo.type as WorkOrderType],
    priority: inSentence(L.workOrderPriorities[wo.priority as WorkOrderPriority]),
    site: wo.siteName,
    device: {
      inventoryNumber: wo.inventoryNumber, label: wo.manufacturer ? `${wo.manufacturer} ${wo.modelName}` : wo.inventoryNumber,
      serialNumber: device?.serialNumber ?? null,
      location: device ? [device.l0Code, device.l1Code, device.l2Label, device.l3Code].filter(Boolean).join(' › ') || null : null,
    },
    request: { symptom: wo.symptom, by: wo.requestedByName, at: parisDateTime(wo.requestedAt), outOfService: wo.deviceOutOfService },
    diagnosis: wo.diagnosis, actions: wo.actions,
    checklist: checklist.map((c) => ({ label: c.label, result: checklistResult(c) })),
    labour: labour.map((l) => ({ who: l.fullName, minutes: l.minutes, travelMinutes: l.travelMinutes })),
    parts: parts.map((p) => ({ reference: p.reference, description: p.description, quantity: p.quantity })),
    external: external.map((x) => ({ vendor: x.vendor, reference: x.vendorReference, cost: euros(x.costCents) })),
    downtime: { from: wo.downtimeStartedAt ? parisDateTime(wo.downtimeStartedAt) : null, to: wo.downtimeEndedAt ? parisDateTime(wo.downtimeEndedAt) : null },
    signature: wo.signedName && wo.signedAt ? { name: wo.signedName, at: parisDateTime(wo.signedAt), png } : null,
  };
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsiSafe(`Bon d'intervention ${d.number}`));
  doc.setLanguage('fr-FR');
  const w = new PdfTextWriter(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  w.title(`Bon d'intervention ${d.number}`);
  w.field('Établissement', d.site);
  w.field('Statut', d.state);
  w.field('Nature', `${d.type} — priorité ${d.priority}`);
  w.heading('Équipement');
  w.field("N° d'inventaire", d.device.inventoryNumber);
  w.field('Désignation', d.device.label);
  w.field('N° de série', d.device.serialNumber ?? '—');
  w.field('Localisation', d.device.location ?? '—');
  w.heading('Demande');
  w.field('Symptôme', d.request.symptom);
  w.field('Demandé par', `${d.request.by}, le ${d.request.at}`);
  w.field('Hors service', d.request.outOfService ? 'oui' : 'non');
  w.field('Arrêt / remise en service', `${d.downtime.from ?? '—'} / ${d.downtime.to ?? '—'}`);
  w.heading('Opérations');
  w.field('Diagnostic', d.diagnosis ?? '—');
  w.field('Actions réalisées', d.actions ?? '—');
  w.heading('Mesures et contrôles');
  if (d.checklist.length === 0) w.paragraph('Aucun point de contrôle.');
  for (const c of d.checklist) w.field(c.label, c.result);
  w.heading('Pièces');
  if (d.parts.length === 0) w.paragraph('Aucune pièce enregistrée sur ce bon.');
  for (const p of d.parts) w.field(p.reference, `${p.quantity} × ${p.description || '—'}`);
  w.heading('Temps passés et interventions externes');
  if (d.labour.length === 0 && d.external.length === 0) w.paragraph('Aucun temps saisi.');
  for (const l of d.labour) w.field(l.who, `${l.minutes} min${l.travelMinutes ? ` + ${l.travelMinutes} min de trajet` : ''}`);
  for (const x of d.external) w.field(x.vendor, `${x.reference ? `réf. ${x.reference}, ` : ''}${x.cost}`);
  w.heading('Signature du technicien');
  if (!d.signature) w.paragraph('Non signé.');
  else {
    w.field('Signé par', `${d.signature.name}, le ${d.signature.at}`);
    if (d.signature.png) {
      try {
        await w.image(d.signature.png, 60);
      } catch {
        w.paragraph('(image de signature illisible)');
      }
    }
  }
  return doc.save();
}
