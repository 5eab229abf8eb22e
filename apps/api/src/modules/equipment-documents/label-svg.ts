import { QUIET_ZONE, qrMatrix, qrSvgPath } from './qr.js';

/** What a printed label shows: the QR code of the device's page and who it is. */
export interface LabelData {
  /** What the QR code encodes: `labelUrl(origin, inventoryNumber)`. */
  url: string;
  inventoryNumber: string;
  siteShortCode: string;
  /** Category label (common name), when the device has a model. */
  category: string | null;
  /** Manufacturer and model name (trade name), when known. */
  model: string | null;
}

/** Characters XML 1.0 forbids are dropped; markup characters are escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Text cut to `max` characters, an ellipsis marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** Greedy word wrap by character count into at most `maxLines` lines, the last one truncated. */
export function wrapWords(text: string, maxChars: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < words.length; i++) {
    const candidate = current ? `${current} ${words[i]}` : words[i]!;
    if ([...candidate].length <= maxChars || !current) {
      current = candidate;
    } else if (lines.length === maxLines - 1) {
      current = `${current} ${words.slice(i).join(' ')}`;
      break;
    } else {
      lines.push(current);
      current = words[i]!;
    }
  }
  if (current) lines.push(current);
  return lines.map((l) => truncate(l, maxChars));
}

// Label geometry in millimetres: the 70 × 37 mm label of the A4 3 × 8 sheets.
const WIDTH = 70;
const HEIGHT = 37;
/** The QR code and its quiet zone: a square on the left, vertically centred. */
const QR_SIDE = 34;
const QR_TOP = (HEIGHT - QR_SIDE) / 2;
const TEXT_LEFT = QR_SIDE + 1;
const TEXT_WIDTH = WIDTH - TEXT_LEFT - 2;
/** Average advance of a sans-serif character, as a fraction of the font size (bold: wider). */
const AVG_ADVANCE = 0.5;
const AVG_ADVANCE_BOLD = 0.58;

/**
 * A printable label as SVG, 70 × 37 mm: the QR code on the left (34 mm square, quiet zone
 * included, drawn as vector modules), the inventory number in large bold text, the site's
 * short code, then category and model in small text.
 */
export function labelSvg(label: LabelData): string {
  const m = qrMatrix(label.url);
  const modules = m.size + 2 * QUIET_ZONE;
  const scale = QR_SIDE / modules;

  const inv = label.inventoryNumber;
  const invLength = [...inv].length;
  // As large as 6 mm (17 pt), smaller for long numbers; squeezed to the width below 2.6 mm.
  const invSize = Math.max(2.6, Math.min(6, TEXT_WIDTH / (AVG_ADVANCE_BOLD * invLength)));
  const invFits = invSize * AVG_ADVANCE_BOLD * invLength <= TEXT_WIDTH;
  const small = 2.7;
  const smallMax = Math.floor(TEXT_WIDTH / (AVG_ADVANCE * small));

  const lines: string[] = [];
  let y = 3 + invSize;
  lines.push(
    `<text x="${TEXT_LEFT}" y="${fmt(y)}" font-size="${fmt(invSize)}" font-weight="bold"${invFits ? '' : ` textLength="${TEXT_WIDTH}" lengthAdjust="spacingAndGlyphs"`}>${escapeXml(inv)}</text>`,
  );
  y += 5;
  lines.push(`<text x="${TEXT_LEFT}" y="${fmt(y)}" font-size="3.2" font-weight="bold">${escapeXml(truncate(label.siteShortCode, 16))}</text>`);
  y += 4.8;
  for (const text of [label.category, label.model]) {
    if (!text) continue;
    for (const line of wrapWords(text, smallMax, 2)) {
      lines.push(`<text x="${TEXT_LEFT}" y="${fmt(y)}" font-size="${small}">${escapeXml(line)}</text>`);
      y += small * 1.35;
    }
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${WIDTH}mm" height="${HEIGHT}mm" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(`Étiquette ${inv}`)}">`,
    `<title>${escapeXml(`Équipement ${inv}`)}</title>`,
    `<desc>${escapeXml(label.url)}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<g id="qr" transform="translate(0 ${fmt(QR_TOP)}) scale(${fmt(scale, 5)})" shape-rendering="crispEdges" data-modules="${m.size}" data-quiet-zone="${QUIET_ZONE}">`,
    `<rect width="${modules}" height="${modules}" fill="#fff"/>`,
    `<path fill="#000" d="${qrSvgPath(m)}"/>`,
    '</g>',
    `<g fill="#000" font-family="Helvetica, Arial, sans-serif">`,
    ...lines,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

function fmt(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)));
}
