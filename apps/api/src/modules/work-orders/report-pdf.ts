import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { winAnsiSafe, wrapText } from '../equipment-documents/labels-pdf.js';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;

/** A small top-to-bottom writer over A4 pages: headings, label/value lines, wrapped paragraphs. */
class Writer {
  private page!: PDFPage;
  private y = 0;
  constructor(private readonly doc: PDFDocument, private readonly font: PDFFont, private readonly bold: PDFFont) {
    this.newPage();
  }
  private newPage() {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  private ensure(height: number) {
    if (this.y - height < MARGIN) this.newPage();
  }
  title(text: string) {
    this.ensure(30);
    this.page.drawText(winAnsiSafe(text), { x: MARGIN, y: this.y - 18, size: 16, font: this.bold });
    this.y -= 30;
  }
  heading(text: string) {
    this.ensure(28);
    this.y -= 8;
    this.page.drawText(winAnsiSafe(text), { x: MARGIN, y: this.y - 12, size: 11.5, font: this.bold, color: rgb(0.05, 0.3, 0.6) });
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 16 }, end: { x: A4[0] - MARGIN, y: this.y - 16 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 22;
  }
  field(label: string, value: string) {
    const lines = wrapText(this.font, winAnsiSafe(value || '—'), 10, A4[0] - 2 * MARGIN - 150, 30);
    this.ensure(14 * lines.length);
    this.page.drawText(winAnsiSafe(label), { x: MARGIN, y: this.y - 10, size: 10, font: this.bold });
    for (const line of lines) {
      this.page.drawText(line, { x: MARGIN + 150, y: this.y - 10, size: 10, font: this.font });
      this.y -= 14;
    }
  }
  paragraph(text: string) {
    for (const line of wrapText(this.font, winAnsiSafe(text || '—'), 10, A4[0] - 2 * MARGIN, 200)) {
      this.ensure(14);
      this.page.drawText(line, { x: MARGIN, y: this.y - 10, size: 10, font: this.font });
      this.y -= 14;
    }
  }
  async image(png: Uint8Array, height: number) {
    const img = await this.doc.embedPng(png);
    const width = (img.width / img.height) * height;
    this.ensure(height + 6);
    this.page.drawImage(img, { x: MARGIN, y: this.y - height, width, height });
    this.y -= height + 6;
  }
}

export interface ReportData {
  number: string;
  state: string;
  type: string;
  priority: string;
  site: string;
  device: { inventoryNumber: string; label: string; serialNumber: string | null; location: string | null };
  request: { symptom: string; by: string; at: string; outOfService: boolean };
  diagnosis: string | null;
  actions: string | null;
  checklist: { label: string; result: string }[];
  labour: { who: string; minutes: number; travelMinutes: number }[];
  parts: { reference: string; description: string; quantity: number }[];
  external: { vendor: string; reference: string | null; cost: string }[];
  downtime: { from: string | null; to: string | null };
  signature: { name: string; at: string; png: Uint8Array | null } | null;
}

/** The intervention report (bon d'intervention), in French, as a PDF. */
export async function workOrderReportPdf(d: ReportData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsiSafe(`Bon d'intervention ${d.number}`));
  doc.setLanguage('fr-FR');
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
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

export interface RegisterPdfData {
  device: { inventoryNumber: string; site: string; model: string | null; serialNumber: string | null };
  entries: { number: string; date: string; nature: string; description: string; performers: string; stop: string; restart: string; performance: string[]; conformity: string }[];
}

/** The maintenance register of a device (art. R.5212-28 CSP) as a French PDF, one block per operation. */
export async function registerPdf(d: RegisterPdfData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsiSafe(`Registre de maintenance ${d.device.inventoryNumber}`));
  doc.setLanguage('fr-FR');
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
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
