/**
 * Test support for the documents the API produces (QR labels, PDFs, spreadsheets), shared
 * by the unit tests beside the code and by tests/api. No I/O.
 *
 * - `decodeQr`: an independent QR code reader (ISO/IEC 18004, versions 1–10): reads the
 *   format information, unmasks, de-interleaves the blocks, checks every Reed–Solomon
 *   block and decodes the numeric, alphanumeric and byte segments — what a phone does
 *   once it has found the module grid.
 * - `gridFromSvg` / `gridFromPdfContent`: the module grid drawn in our SVG and PDF labels.
 * - `pdfContentStreams` / `pdfTexts`: the inflated streams of a PDF and its drawn strings
 *   (standard-font text, as the labels draw it).
 * - `readPdf`: the text of a PDF as a reader gets it (Mozilla's PDF.js, the engine of
 *   Firefox's viewer): embedded fonts decoded through their ToUnicode maps, right-to-left
 *   runs in logical order, with each string's position and width on its page.
 */
import { inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export { ExcelJS, PDFDocument };

export type Grid = boolean[][];

// --- QR decoding --------------------------------------------------------------------------

/** Level M: [number of blocks, data codewords per block] groups, and EC codewords per block. */
const BLOCKS_M: Record<number, { groups: [number, number][]; ec: number }> = {
  1: { groups: [[1, 16]], ec: 10 },
  2: { groups: [[1, 28]], ec: 16 },
  3: { groups: [[1, 44]], ec: 26 },
  4: { groups: [[2, 32]], ec: 18 },
  5: { groups: [[2, 43]], ec: 24 },
  6: { groups: [[4, 27]], ec: 16 },
  7: { groups: [[4, 31]], ec: 18 },
  8: { groups: [[2, 38], [2, 39]], ec: 22 },
  9: { groups: [[3, 36], [2, 37]], ec: 22 },
  10: { groups: [[4, 43], [1, 44]], ec: 26 },
};
const ALIGNMENT: Record<number, number[]> = {
  1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34], 7: [6, 22, 38], 8: [6, 24, 42], 9: [6, 26, 46], 10: [6, 28, 50],
};
const EC_LEVELS = { 1: 'L', 0: 'M', 3: 'Q', 2: 'H' } as const;
type EcLevel = (typeof EC_LEVELS)[keyof typeof EC_LEVELS];

const MASKS: ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

/** The 32 valid format words: BCH(15,5), masked with 0x5412. */
function formatWord(ecBits: number, mask: number): number {
  const data = (ecBits << 3) | mask;
  let rem = data << 10;
  for (let i = 14; i >= 10; i--) if (rem & (1 << i)) rem ^= 0x537 << (i - 10);
  return ((data << 10) | rem) ^ 0x5412;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x; x &= x - 1) c++;
  return c;
}

function readFormat(g: Grid): { ecLevel: EcLevel; mask: number } {
  const n = g.length;
  const bit = (r: number, c: number) => (g[r]![c] ? 1 : 0);
  // Copy 1 around the top-left finder; copy 2 split between the bottom-left and top-right ones.
  let a = 0;
  let b = 0;
  for (let i = 0; i < 15; i++) {
    a |= (i < 6 ? bit(i, 8) : i < 8 ? bit(i + 1, 8) : i === 8 ? bit(8, 7) : bit(8, 14 - i)) << i;
    b |= (i < 8 ? bit(8, n - 1 - i) : bit(n - 15 + i, 8)) << i;
  }
  let best: { ecLevel: EcLevel; mask: number; distance: number } | null = null;
  for (const ecBits of [0, 1, 2, 3] as const) {
    for (let mask = 0; mask < 8; mask++) {
      const w = formatWord(ecBits, mask);
      const distance = Math.min(popcount(w ^ a), popcount(w ^ b));
      if (!best || distance < best.distance) best = { ecLevel: EC_LEVELS[ecBits], mask, distance };
    }
  }
  if (!best || best.distance > 3) throw new Error('QR: unreadable format information');
  return { ecLevel: best.ecLevel, mask: best.mask };
}

function functionModules(n: number, version: number): Grid {
  const f: Grid = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  const mark = (r0: number, c0: number, rows: number, cols: number) => {
    for (let r = r0; r < r0 + rows; r++) for (let c = c0; c < c0 + cols; c++) f[r]![c] = true;
  };
  mark(0, 0, 9, 9); // finder, separator, format information
  mark(0, n - 8, 9, 8);
  mark(n - 8, 0, 8, 9); // includes the dark module at (n - 8, 8)
  mark(6, 0, 1, n); // timing patterns
  mark(0, 6, n, 1);
  const pos = ALIGNMENT[version]!;
  const last = pos.length - 1;
  pos.forEach((r, i) =>
    pos.forEach((c, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      mark(r - 2, c - 2, 5, 5);
    }),
  );
  if (version >= 7) {
    mark(0, n - 11, 6, 3);
    mark(n - 11, 0, 3, 6);
  }
  return f;
}

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
const EXP = new Array<number>(512);
const LOG = new Array<number>(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const gfMul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

/** Reed–Solomon EC codewords of a block (the remainder of data · x^ec by the generator). */
function reedSolomon(data: number[], ecCount: number): number[] {
  let gen = [1];
  for (let i = 0; i < ecCount; i++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    gen.forEach((g, j) => {
      next[j] = next[j]! ^ g;
      next[j + 1] = next[j + 1]! ^ gfMul(g, EXP[i]!);
    });
    gen = next;
  }
  const rem = [...data, ...new Array<number>(ecCount).fill(0)];
  for (let i = 0; i < data.length; i++) {
    const coef = rem[i]!;
    if (coef !== 0) for (let j = 0; j < gen.length; j++) rem[i + j] = rem[i + j]! ^ gfMul(gen[j]!, coef);
  }
  return rem.slice(data.length);
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export interface DecodedQr {
  text: string;
  version: number;
  ecLevel: EcLevel;
  mask: number;
}

/** Reads a QR code from its module grid (dark = true, quiet zone excluded). Level M only past the format. */
export function decodeQr(g: Grid): DecodedQr {
  const n = g.length;
  if (n < 21 || (n - 17) % 4 !== 0 || g.some((row) => row.length !== n)) throw new Error(`QR: bad grid size ${n}`);
  const version = (n - 17) / 4;
  const spec = BLOCKS_M[version];
  if (!spec) throw new Error(`QR: version ${version} not supported by this reader`);
  const { ecLevel, mask } = readFormat(g);
  if (ecLevel !== 'M') throw new Error(`QR: error correction ${ecLevel}, this reader handles M`);

  const fn = functionModules(n, version);
  const bits: number[] = [];
  let upward = true;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let v = 0; v < n; v++) {
      const row = upward ? n - 1 - v : v;
      for (const col of [right, right - 1]) {
        if (fn[row]![col]) continue;
        bits.push((g[row]![col] ? 1 : 0) ^ (MASKS[mask]!(row, col) ? 1 : 0));
      }
    }
    upward = !upward;
  }
  const lengths = spec.groups.flatMap(([count, len]) => Array<number>(count).fill(len));
  const total = lengths.reduce((s, l) => s + l + spec.ec, 0);
  const codewords: number[] = [];
  for (let i = 0; i < total; i++) {
    let byte = 0;
    for (let k = 0; k < 8; k++) byte = (byte << 1) | bits[i * 8 + k]!;
    codewords.push(byte);
  }
  const dataBlocks = lengths.map(() => [] as number[]);
  const ecBlocks = lengths.map(() => [] as number[]);
  let k = 0;
  for (let i = 0; i < Math.max(...lengths); i++) lengths.forEach((len, b) => i < len && dataBlocks[b]!.push(codewords[k++]!));
  for (let i = 0; i < spec.ec; i++) ecBlocks.forEach((block) => block.push(codewords[k++]!));
  dataBlocks.forEach((block, b) => {
    const expected = reedSolomon(block, spec.ec);
    if (expected.some((c, i) => c !== ecBlocks[b]![i])) throw new Error(`QR: Reed–Solomon check failed in block ${b}`);
  });

  const data = dataBlocks.flat();
  let pos = 0;
  const read = (count: number) => {
    let v = 0;
    for (let i = 0; i < count; i++) {
      const byte = data[(pos + i) >> 3] ?? 0;
      v = (v << 1) | ((byte >> (7 - ((pos + i) & 7))) & 1);
    }
    pos += count;
    return v;
  };
  const out: number[] = [];
  const small = version < 10;
  while (pos + 4 <= data.length * 8) {
    const mode = read(4);
    if (mode === 0) break;
    if (mode === 1) {
      let count = read(small ? 10 : 12);
      for (; count >= 3; count -= 3) out.push(...Buffer.from(String(read(10)).padStart(3, '0')));
      if (count === 2) out.push(...Buffer.from(String(read(7)).padStart(2, '0')));
      if (count === 1) out.push(...Buffer.from(String(read(4))));
    } else if (mode === 2) {
      let count = read(small ? 9 : 11);
      for (; count >= 2; count -= 2) {
        const v = read(11);
        out.push(ALNUM.charCodeAt(Math.floor(v / 45)), ALNUM.charCodeAt(v % 45));
      }
      if (count === 1) out.push(ALNUM.charCodeAt(read(6)));
    } else if (mode === 4) {
      const count = read(small ? 8 : 16);
      for (let i = 0; i < count; i++) out.push(read(8));
    } else if (mode === 7) {
      read(8); // ECI designator (one byte); UTF-8 is assumed below
    } else {
      throw new Error(`QR: unsupported mode ${mode}`);
    }
  }
  const text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(out));
  return { text, version, ecLevel, mask };
}

// --- Grids drawn by our labels ----------------------------------------------------------------

/** Cells from runs given in module units, the grid's origin at the top-left dark module. */
function gridFromRuns(runs: { col: number; row: number; length: number }[]): Grid {
  const minCol = Math.min(...runs.map((r) => r.col));
  const minRow = Math.min(...runs.map((r) => r.row));
  const size = Math.max(...runs.map((r) => r.col + r.length)) - minCol;
  const g: Grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const r of runs) for (let c = 0; c < r.length; c++) g[r.row - minRow]![r.col - minCol + c] = true;
  return g;
}

/** The QR grid of one of our SVG labels, with where its dark modules start (the quiet zone). */
export function gridFromSvg(svg: string): { grid: Grid; offset: { row: number; col: number } } {
  const d = /<path fill="#000" d="([^"]+)"/.exec(svg)?.[1];
  if (!d) throw new Error('no QR path in the SVG');
  const runs = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)].map((m) => ({ col: Number(m[1]), row: Number(m[2]), length: Number(m[3]) }));
  if (runs.map((r) => `M${r.col} ${r.row}h${r.length}v1h-${r.length}z`).join('') !== d) throw new Error('unexpected path data');
  return {
    grid: gridFromRuns(runs),
    offset: { row: Math.min(...runs.map((r) => r.row)), col: Math.min(...runs.map((r) => r.col)) },
  };
}

/** Rectangles `x y w h re` of a PDF content stream. */
export function pdfRects(content: string): { x: number; y: number; w: number; h: number }[] {
  const num = String.raw`(-?\d+(?:\.\d+)?)`;
  return [...content.matchAll(new RegExp(`${num} ${num} ${num} ${num} re`, 'g'))].map((m) => ({
    x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]),
  }));
}

/** The QR grid of a PDF label from its filled rectangles, the module size read from their heights (rounded edges). */
export function gridFromPdfRects(rects: { x: number; y: number; w: number; h: number }[]): { grid: Grid; moduleSize: number; left: number; top: number } {
  const moduleSize = rects.reduce((s, r) => s + r.h, 0) / rects.length;
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.max(...rects.map((r) => r.y + r.h));
  const runs = rects.map((r) => ({
    col: Math.round((r.x - left) / moduleSize),
    row: Math.round((top - (r.y + r.h)) / moduleSize),
    length: Math.round(r.w / moduleSize),
  }));
  return { grid: gridFromRuns(runs), moduleSize, left, top };
}

// --- PDF streams ------------------------------------------------------------------------------

/** Every Flate-encoded stream of a PDF, inflated (content streams, object streams…). */
export function pdfContentStreams(pdf: Uint8Array): string[] {
  const buf = Buffer.from(pdf);
  const text = buf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/\/Length (\d+)[^]{0,200}?>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const header = text.slice(Math.max(0, m.index - 300), m.index + m[0].length);
    if (!header.includes('/FlateDecode')) continue;
    try {
      out.push(inflateSync(buf.subarray(start, start + Number(m[1]))).toString('latin1'));
    } catch {
      // not a Flate stream after all
    }
  }
  return out;
}

/** Windows-1252 bytes 0x80–0x9F (WinAnsiEncoding); undefined positions stay as they are. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** The strings drawn with `<hex> Tj` (how pdf-lib writes standard-font text), WinAnsi-decoded. */
export function pdfTexts(content: string): string[] {
  return [...content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) =>
    [...Buffer.from(m[1]!, 'hex')].map((b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b))).join(''),
  );
}

// --- PDF text as a reader gets it -------------------------------------------------------------

export interface PdfTextItem {
  page: number;
  str: string;
  /** Left edge and baseline, in points from the bottom-left corner. */
  x: number;
  y: number;
  width: number;
  /** The font size. */
  size: number;
  dir: string;
}

export interface ReadPdf {
  pages: number;
  items: PdfTextItem[];
  /** Each page's strings joined, pages separated by a form feed; strings on one baseline joined without a break. */
  text: string;
  /** Images drawn, per page. */
  images: number[];
}

/** Reads a PDF with PDF.js: every string drawn, where, and the number of images on each page. */
export async function readPdf(pdf: Uint8Array): Promise<ReadPdf> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const items: PdfTextItem[] = [];
  const images: number[] = [];
  const pageTexts: string[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const pageItems: PdfTextItem[] = [];
      for (const it of content.items) {
        if (!('str' in it) || it.str === '') continue;
        const [a, , , d, e, f] = it.transform as number[];
        pageItems.push({ page: n, str: it.str, x: e!, y: f!, width: it.width, size: Math.abs(d! || a!), dir: it.dir });
      }
      items.push(...pageItems);
      const lines: string[] = [];
      let lastY: number | null = null;
      for (const it of pageItems) {
        if (lastY !== null && Math.abs(it.y - lastY) < 0.5) lines[lines.length - 1] += it.str;
        else lines.push(it.str);
        lastY = it.y;
      }
      pageTexts.push(lines.join('\n'));
      const ops = await page.getOperatorList();
      const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
      images.push(ops.fnArray.filter((op) => op === OPS.paintImageXObject || op === OPS.paintInlineImageXObject).length);
    }
    return { pages: doc.numPages, items, text: pageTexts.join('\f'), images };
  } finally {
    await doc.destroy();
  }
}

// --- XML ----------------------------------------------------------------------------------------

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

/**
 * Throws unless `xml` is a well-formed XML document (one root element, balanced tags,
 * quoted attributes without duplicates, `&` only in entities, no stray `<`). Enough for
 * documents without DTDs or CDATA, as our SVG labels are.
 */
export function assertWellFormedXml(xml: string): void {
  const token =
    /<\?[^]*?\?>|<!--[^]*?-->|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/y;
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  while (pos < xml.length) {
    const start = pos;
    token.lastIndex = pos;
    const m = token.exec(xml);
    if (!m) throw new Error(`XML: unexpected markup at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = token.lastIndex;
    const [whole, closing, name, attrs, selfClosing, text] = m;
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '') throw new Error(`XML: text outside the root: ${text.slice(0, 40)}`);
      if (text.replace(ENTITY, '').includes('&')) throw new Error(`XML: bare & in text: ${text.slice(0, 40)}`);
      continue;
    }
    if (!name) {
      if (/^<\?xml\s/.test(whole) && start !== 0) throw new Error('XML: declaration not at the very start');
      continue;
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`XML: </${name}> does not close the open element`);
      continue;
    }
    const seen = new Set<string>();
    for (const a of (attrs ?? '').matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (seen.has(a[1]!)) throw new Error(`XML: duplicate attribute ${a[1]} on <${name}>`);
      seen.add(a[1]!);
      if ((a[2] ?? a[3] ?? '').replace(ENTITY, '').includes('&')) throw new Error(`XML: bare & in attribute ${a[1]}`);
    }
    if (stack.length === 0) roots++;
    if (roots > 1) throw new Error('XML: more than one root element');
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) throw new Error(`XML: unclosed <${stack.at(-1)}>`);
  if (roots !== 1) throw new Error('XML: no root element');
}

/**
 * A CSV for French Excel (after its BOM) as rows of cells: `;` separators, CRLF line ends,
 * RFC 4180 quotes. A bare LF, or a last line without its CRLF, is an error: what
 * `apps/api/src/lib/csv.ts` writes has neither.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\n') throw new Error(`bare LF at ${i}`);
    else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}
