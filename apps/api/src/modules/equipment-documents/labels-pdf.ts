import {
  PDFDocument, StandardFonts, fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingGrayscaleColor,
  type PDFFont, type PDFPage,
} from 'pdf-lib';
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

// --- WinAnsi-safe text --------------------------------------------------------------------

/** Code points of Windows-1252 above Latin-1's 0x80–0x9F gap: what the standard fonts' WinAnsiEncoding adds. */
const CP1252_EXTRAS = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

/** True when the standard 14 fonts (WinAnsiEncoding) can draw this code point. */
export function isWinAnsi(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || CP1252_EXTRAS.has(codePoint);
}

/** Common characters WinAnsi lacks, and what to print instead. */
const REPLACEMENTS: Record<string, string> = {
  '\t': ' ', '\n': ' ', '\r': ' ',
  '\u2002': ' ', '\u2003': ' ', '\u2004': ' ', '\u2005': ' ', '\u2006': ' ', '\u2007': ' ', '\u2008': ' ', '\u2009': ' ',
  '\u200a': ' ', '\u202f': ' ', '\u205f': ' ', '\u3000': ' ',
  '\u200b': '', '\u200c': '', '\u200d': '', '\u2060': '', '\ufeff': '', '\u00ad': '',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2015': '-', '\u2212': '-',
  '\u2032': "'", '\u2033': '"', '\u2035': "'", '\u201b': "'", '\u201f': '"',
  '\u2264': '<=', '\u2265': '>=', '\u2260': '!=', '\u2248': '~', '\u2192': '->', '\u2190': '<-', '\u2194': '<->', '\u21d2': '=>',
  '\u03bc': '\u00b5', '\u2126': 'Ohm', '\u03a9': 'Ohm', '\u2103': '\u00b0C', '\u2116': 'No',
  '\u0141': 'L', '\u0142': 'l', '\u0110': 'D', '\u0111': 'd', '\u0131': 'i',
};

/**
 * Text the standard Helvetica can encode: French accents, œ, €, ’ and › pass as they are;
 * other characters become an ASCII equivalent, their base letter without diacritics, or `?`.
 */
export function winAnsiSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isWinAnsi(cp)) {
      out += ch;
      continue;
    }
    const replacement = REPLACEMENTS[ch];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0)!))) out += base;
    else if (/\p{M}/u.test(ch)) continue; // a lone combining mark
    else if (/\p{Cc}/u.test(ch)) out += ' ';
    else out += '?';
  }
  return out;
}

// --- Text fitting ---------------------------------------------------------------------------

/** The largest size (down to `min`) at which the text fits, cut with an ellipsis if even `min` is too wide. */
export function fitText(font: PDFFont, text: string, maxWidth: number, size: number, min: number): { text: string; size: number } {
  let s = size;
  while (s > min && font.widthOfTextAtSize(text, s) > maxWidth) s = Math.max(min, s - 0.5);
  return { text: cut(font, text, s, maxWidth), size: s };
}

function cut(font: PDFFont, text: string, size: number, maxWidth: number): string {
  if (font.widthOfTextAtSize(text, size) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && font.widthOfTextAtSize(`${chars.join('')}…`, size) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Greedy word wrap into at most `maxLines` lines, the last one cut with an ellipsis when needed. */
export function wrapText(font: PDFFont, text: string, size: number, maxWidth: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= maxWidth || !current) {
      current = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) {
      current = `${current} ${words.slice(i).join(' ')}`;
      break;
    }
    lines.push(cut(font, current, size, maxWidth));
    current = word;
  }
  if (current) lines.push(cut(font, current, size, maxWidth));
  return lines;
}

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
