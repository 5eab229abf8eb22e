import type { Register } from '@gmao/contracts';
import type { checklistOf, externalOf, labourOf, partReturnsOf, partsOf, transitionsOf, WorkOrderRow } from '@gmao/db';
import type { Conformity, WorkOrderPriority, WorkOrderState, WorkOrderType } from '@gmao/domain';
import { csvDocument } from '../../lib/csv.js';
import type { Locale } from '../../lib/french.js';
import { PdfDocumentWriter, type Thumbnail } from '../../lib/pdf-document.js';
import type { EquipmentRow } from '../equipment/equipment.repository.js';
import { documentTexts, limitsText, type DocumentTexts } from './document-texts.js';

/**
 * The documents of work orders, in the reader's language (French or English), for
 * inspectors and for the file: the maintenance register of a device (CSV and PDF, from its
 * JSON) and the intervention report (bon d'intervention) of one work order (PDF). Fixed
 * texts come from document-texts.ts, labels of coded values from packages/domain. The PDFs
 * embed Unicode fonts and flow over as many pages as the text needs (lib/pdf-document.ts):
 * they are records, nothing is cut.
 */

type Entry = Register['entries'][number];

/** « Camille Martin (CHU de Démo, FINESS 750000001), Jean Dupont (Dräger Service) ». */
function performers(t: DocumentTexts, e: Entry): string {
  return e.performers.map((p) => {
    if (!p.employer) return p.name;
    return `${p.name} (${p.employer.name}${p.employer.finess ? `, ${t.register.finess} ${p.employer.finess}` : ''})`;
  }).join(', ');
}

/** The nature, with the kind of a quality control: « Contrôle qualité — Externe, par un organisme accrédité (CQE) ». */
function nature(t: DocumentTexts, e: Entry): string {
  const label = t.labels.workOrderNatures[e.nature];
  return e.qualityControl ? `${label} — ${t.labels.qualityControlKinds[e.qualityControl.kind]}` : label;
}

/** The accredited body of an external quality control, with its accreditation. */
function body(t: DocumentTexts, e: Entry): string {
  const b = e.qualityControl?.body;
  if (!b) return '';
  return b.accreditationReference ? t.register.accreditedBody(b.name, b.accreditationReference) : b.name;
}

/** The reservation or non-conformity, and an engineer's override with its reason. */
function observations(t: DocumentTexts, e: Entry): string {
  return [e.conformityNote, e.conformityOverride ? t.register.override(e.conformityOverride.by, e.conformityOverride.reason) : null].filter(Boolean).join(' — ');
}

/** The register as a PDF, one block per operation. */
export async function registerPdf(r: Register, locale: Locale = 'fr'): Promise<Uint8Array> {
  const t = documentTexts(locale);
  const T = t.register;
  const f = t.formats;
  const inv = r.equipment.inventoryNumber;
  const w = await PdfDocumentWriter.create({ title: T.documentTitle(inv), language: f.tag, footer: (p, n) => T.footer(inv, p, n) });
  w.title(T.title);
  w.field(T.inventoryNumber, inv);
  w.field(T.site, r.equipment.site);
  w.field(T.model, r.equipment.model ?? t.none);
  w.field(T.serialNumber, r.equipment.serialNumber ?? t.none);
  if (r.entries.length === 0) {
    w.heading(T.operations);
    w.paragraph(T.noOperations);
  }
  for (const e of r.entries) {
    w.heading(T.entryHeading(f.date(e.performedOn), nature(t, e), e.number));
    w.field(T.operation, e.description || t.none);
    w.field(T.performers, performers(t, e) || t.none);
    if (e.qualityControl?.body) w.field(T.body, body(t, e));
    w.field(T.downtime, `${f.dateTime(e.stoppedAt) || t.none} / ${f.dateTime(e.restartedAt) || t.none}`);
    w.field(T.performance, e.performance.length ? e.performance.join('\n') : t.none);
    w.field(T.result, [t.labels.conformities[e.conformity], observations(t, e)].filter(Boolean).join(' — '));
    w.field(T.evidence, e.evidence.length ? e.evidence.map((x) => x.fileName).join('\n') : t.none);
    w.field(T.completedAt, f.dateTime(e.completedAt));
  }
  return w.save();
}

/** The register as a CSV for Excel (lib/csv.ts: BOM, `;`, CRLF, formula guard), times in Paris. */
export function registerCsv(r: Register, locale: Locale = 'fr'): string {
  const t = documentTexts(locale);
  const f = t.formats;
  return csvDocument(t.register.csvHeader, r.entries.map((e) => [
    e.number, f.date(e.performedOn), nature(t, e), e.description, performers(t, e), f.dateTime(e.stoppedAt),
    f.dateTime(e.restartedAt), e.performance.join(' ; '), t.labels.conformities[e.conformity], observations(t, e), body(t, e),
    e.evidence.map((x) => x.fileName).join(' ; '), f.dateTime(e.completedAt),
  ]));
}

type Rows<F extends (...args: never[]) => Promise<unknown[]>> = Awaited<ReturnType<F>>;

/** An image attached to the work order, read from the attachments' storage. */
export interface ReportImage {
  fileName: string;
  mediaType: string;
  uploadedBy: string;
  uploadedAt: Date;
  bytes: Uint8Array;
}

export interface ReportInput {
  wo: WorkOrderRow;
  device: EquipmentRow | undefined;
  labour: Rows<typeof labourOf>;
  external: Rows<typeof externalOf>;
  checklist: Rows<typeof checklistOf>;
  parts: Rows<typeof partsOf>;
  /** Parts given back to the store: shown under the parts used, as negative quantities. */
  returns?: Rows<typeof partReturnsOf>;
  transitions: Rows<typeof transitionsOf>;
  images: readonly ReportImage[];
}

/** The answer to one checklist item: the value (with its unit) and the verdict. */
function checklistResult(t: DocumentTexts, c: ReportInput['checklist'][number]): string {
  const outcome = (o: 'pass' | 'fail' | 'not_applicable') => t.inSentence(t.labels.checklistOutcomes[o]);
  if (c.outcome === 'not_applicable') return outcome('not_applicable');
  if (c.kind === 'measurement' && c.numericValue !== null) {
    return `${t.formats.number(c.numericValue)}${c.unit ? ` ${c.unit}` : ''} — ${outcome(c.outcome === 'pass' ? 'pass' : 'fail')}`;
  }
  if (c.kind === 'text') return c.textValue ?? t.report.noAnswer;
  return c.outcome === 'pass' || c.outcome === 'fail' ? outcome(c.outcome) : t.report.noAnswer;
}

/** The intervention report (bon d'intervention) of a work order, as a PDF in `locale`. */
export async function workOrderReportPdf(input: ReportInput, locale: Locale = 'fr'): Promise<Uint8Array> {
  const { wo, device, labour, external, checklist, parts, transitions, images } = input;
  const returns = input.returns ?? [];
  const t = documentTexts(locale);
  const R = t.report;
  const f = t.formats;
  const L = t.labels;
  const png = wo.signatureImage?.startsWith('data:image/png;base64,') ? Buffer.from(wo.signatureImage.slice(22), 'base64') : null;
  const last = (state: WorkOrderState) => transitions.filter((x) => x.toState === state).at(-1);

  const w = await PdfDocumentWriter.create({ title: R.title(wo.number), language: f.tag, footer: (p, n) => R.footer(wo.number, p, n) });
  w.title(R.title(wo.number));
  w.field(R.site, wo.siteName);
  w.field(R.state, L.workOrderStates[wo.state as WorkOrderState]);
  w.field(R.nature, R.natureAndPriority(L.workOrderNatures[wo.type as WorkOrderType], t.inSentence(L.workOrderPriorities[wo.priority as WorkOrderPriority])));

  w.heading(R.equipment);
  w.field(R.inventoryNumber, wo.inventoryNumber);
  w.field(R.designation, wo.manufacturer ? `${wo.manufacturer} ${wo.modelName}` : wo.inventoryNumber);
  w.field(R.serialNumber, device?.serialNumber ?? t.none);
  w.field(R.location, (device ? [device.l0Code, device.l1Code, device.l2Label, device.l3Code].filter(Boolean).join(' › ') : '') || t.none);

  w.heading(R.request);
  w.field(R.symptom, wo.symptom);
  w.field(R.requestedBy, t.byOn(wo.requestedByName, f.dateTime(wo.requestedAt)));
  w.field(R.outOfService, wo.deviceOutOfService ? t.yes : t.no);
  w.field(R.downtime, `${f.dateTime(wo.downtimeStartedAt) || t.none} / ${f.dateTime(wo.downtimeEndedAt) || t.none}`);

  w.heading(R.operations);
  w.field(R.diagnosis, wo.diagnosis ?? t.none);
  w.field(R.actions, wo.actions ?? t.none);

  w.heading(R.checklist);
  if (checklist.length === 0) w.paragraph(R.noChecklist);
  else {
    w.table(
      [{ title: R.checklistColumns[0], share: 5 }, { title: R.checklistColumns[1], share: 2.2 }, { title: R.checklistColumns[2], share: 2.8 }],
      checklist.map((c) => [c.mandatory ? `${c.label} (${R.mandatory})` : c.label, limitsText(t, c) ?? (c.unit ? c.unit : t.none), checklistResult(t, c)]),
    );
  }

  w.heading(R.parts);
  if (parts.length === 0 && returns.length === 0) w.paragraph(R.noParts);
  else {
    w.table(
      [{ title: R.partsColumns[0], share: 3 }, { title: R.partsColumns[1], share: 6 }, { title: R.partsColumns[2], share: 1.2 }],
      [
        ...parts.map((p) => [p.reference, p.description || t.none, String(p.quantity)]),
        ...returns.map((r) => [r.reference, `${r.description} (${R.returned})`, `\u2212${r.quantity}`]),
      ],
    );
  }

  w.heading(R.times);
  if (labour.length === 0 && external.length === 0) w.paragraph(R.noTimes);
  for (const l of labour) w.field(l.fullName, R.minutes(l.minutes, l.travelMinutes));
  for (const x of external) {
    const who = x.accreditationReference ? t.register.accreditedBody(x.vendor, x.accreditationReference) : x.vendor;
    w.field(x.technicianName ? `${x.technicianName} (${who})` : who, `${x.vendorReference ? `${R.vendorReference(x.vendorReference)}, ` : ''}${f.money(x.costCents)}`);
  }

  if (images.length > 0) {
    w.heading(R.photos);
    const thumbnails: Thumbnail[] = images.map((i) => ({
      bytes: i.bytes,
      mediaType: i.mediaType,
      caption: `${R.photoCaption(i.fileName, i.uploadedBy, f.dateTime(i.uploadedAt))}${i.mediaType === 'image/webp' ? ` ${R.notEmbeddable}` : ''}`,
    }));
    await w.images(thumbnails, { width: 155, height: 116 }, R.unreadableImage);
  }

  w.heading(R.closure);
  const completed = last('completed');
  const closed = wo.state === 'closed' ? last('closed') : undefined;
  if (completed && wo.completedAt) w.field(R.completedBy, t.byOn(completed.actorName ?? R.automaticClosure, f.dateTime(completed.at)));
  if (wo.conformity) w.field(R.conformity, [L.conformities[wo.conformity as Conformity], wo.conformityNote].filter(Boolean).join(' — '));
  if (wo.conformityOverrideReason) w.field(R.override, t.register.override(wo.conformityOverrideByName ?? '', wo.conformityOverrideReason));
  if (wo.restartDecidedAt && wo.restartReason) w.field(R.restart, `${t.byOn(wo.restartDecidedByName ?? '', f.dateTime(wo.restartDecidedAt))} — ${wo.restartReason}`);
  if (closed) w.field(R.closedBy, t.byOn(closed.actorName ?? R.automaticClosure, f.dateTime(closed.at)));
  else w.paragraph(R.notClosed);

  w.heading(R.signature);
  if (!wo.signedName || !wo.signedAt) w.paragraph(R.notSigned);
  else {
    w.field(R.signedBy, t.byOn(wo.signedName, f.dateTime(wo.signedAt)));
    if (png && !(await w.signature(png, 60))) w.paragraph(R.unreadableSignature);
  }
  return w.save();
}
