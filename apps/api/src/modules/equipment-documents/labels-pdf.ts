import {
  PDFDocument, StandardFonts, fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingGrayscaleColor,
  type PDFFont, type PDFPage,
} from 'pdf-lib';
import { fitText, winAnsiSafe, wrapText } from '../../lib/pdf-text.js';
import type { LabelData } from './label-svg.js';
import { QUIET_ZONE, darkRuns, qrMatrix } from './qr.js';

import type { LabelSheetFormat } from '@gmao/contracts';

export type LabelFormatName = LabelSheetFormat;

/** A sheet of labels; lengths in millimetres, font sizes in points. */
export interface LabelFormat {
  cols: number;
  rows: number;
  /** One label. */
  width: number;
  height: number;
  /** Side of the QR code, its quiet zone included. */
  qrSide: number;
  /** Inner margin of a label (printers do not print to the edge of the sheet). */
  pad: number;
  fontSizes: { inventory: number; site: number; small: number };
}

/** The usual self-adhesive A4 sheets without margins between labels. */
export const LABEL_FORMATS: Record<LabelFormatName, LabelFormat> = {
  'a4-3x8': { cols: 3, rows: 8, width: 70, height: 37, qrSide: 33, pad: 2, fontSizes: { inventory: 14, site: 9, small: 7 } },
  'a4-2x5': { cols: 2, rows: 5, width: 105, height: 57, qrSide: 49, pad: 4, fontSizes: { inventory: 20, site: 12, small: 9 } },
};

const A4 = { width: 210, height: 297 };
const PT_PER_MM = 72 / 25.4;
const pt = (mm: number) => mm * PT_PER_MM;
const round2 = (v: number) => Math.round(v * 100) / 100;

// --- The sheet ------------------------------------------------------------------------------

export function labelsPerPage(format: LabelFormatName): number {
  const f = LABEL_FORMATS[format];
  return f.cols * f.rows;
}

/**
 * A4 sheets of labels, filled row by row in the order given. Each label: the QR code as
 * vector squares (one filled path, no raster image), the inventory number in bold, the
 * site short code, category and model.
 */
export async function labelsPdf(labels: readonly LabelData[], formatName: LabelFormatName, title = 'Étiquettes d’équipements'): Promise<Uint8Array> {
  const format = LABEL_FORMATS[formatName];
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsiSafe(title));
  doc.setProducer('GMAO de territoire');
  doc.setCreator('GMAO de territoire');
  doc.setLanguage('fr-FR');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const perPage = format.cols * format.rows;
  const left = (A4.width - format.cols * format.width) / 2;
  const top = (A4.height - format.rows * format.height) / 2;

  let page: PDFPage | undefined;
  labels.forEach((label, i) => {
    const slot = i % perPage;
    if (slot === 0) page = doc.addPage([pt(A4.width), pt(A4.height)]);
    const col = slot % format.cols;
    const row = Math.floor(slot / format.cols);
    drawLabel(page!, label, format, { regular, bold }, left + col * format.width, top + row * format.height);
  });
  return doc.save();
}

/** One label whose top-left corner is at (x, y) mm from the top-left of the page. */
function drawLabel(page: PDFPage, label: LabelData, f: LabelFormat, fonts: { regular: PDFFont; bold: PDFFont }, x: number, y: number) {
  const pageHeight = page.getHeight();
  const m = qrMatrix(label.url);
  const moduleSize = pt(f.qrSide) / (m.size + 2 * QUIET_ZONE);
  const qrLeft = pt(x + f.pad);
  const qrTop = pageHeight - pt(y + (f.height - f.qrSide) / 2);
  // Module edges rounded to 0.01 pt, shared by neighbours: a compact content stream, no gaps.
  const edgeX = (col: number) => round2(qrLeft + (QUIET_ZONE + col) * moduleSize);
  const edgeY = (row: number) => round2(qrTop - (QUIET_ZONE + row) * moduleSize);
  page.pushOperators(
    pushGraphicsState(),
    setFillingGrayscaleColor(0),
    ...darkRuns(m).map((r) =>
      rectangle(edgeX(r.col), edgeY(r.row + 1), round2(edgeX(r.col + r.length) - edgeX(r.col)), round2(edgeY(r.row) - edgeY(r.row + 1))),
    ),
    // One fill for the whole symbol: adjacent modules merge without anti-aliasing seams.
    fill(),
    popGraphicsState(),
  );

  // Text right of the quiet zone, 4 mm from the right edge (printers rarely print closer
  // to the edge of the sheet), the block centred vertically on the label.
  const textLeft = round2(pt(x + f.pad + f.qrSide + 1.5));
  const textWidth = pt(x + f.width - 4) - textLeft;
  const small = f.fontSizes.small;
  const inv = fitText(fonts.bold, winAnsiSafe(label.inventoryNumber), textWidth, f.fontSizes.inventory, 6);
  const site = fitText(fonts.bold, winAnsiSafe(label.siteShortCode), textWidth, f.fontSizes.site, 6);
  // `lead`: from the previous baseline (the first: from the top of the block, its cap height).
  const lines: { text: string; size: number; font: PDFFont; lead: number }[] = [
    { ...inv, font: fonts.bold, lead: inv.size * 0.75 },
    { ...site, font: fonts.bold, lead: inv.size * 0.3 + site.size * 1.15 },
  ];
  let gap = site.size * 0.4;
  for (const text of [label.category, label.model]) {
    if (!text) continue;
    for (const line of wrapText(fonts.regular, winAnsiSafe(text), small, textWidth, 2)) {
      lines.push({ text: line, size: small, font: fonts.regular, lead: gap + small * 1.2 });
      gap = 0;
    }
  }
  const blockHeight = lines.reduce((h, l) => h + l.lead, 0) + small * 0.25;
  const labelTop = pageHeight - pt(y);
  let baseline = labelTop - Math.max(pt(3.5), (pt(f.height) - blockHeight) / 2);
  const color = rgb(0, 0, 0);
  for (const l of lines) {
    baseline -= l.lead;
    page.drawText(l.text, { x: textLeft, y: round2(baseline), size: l.size, font: l.font, color });
  }
}
