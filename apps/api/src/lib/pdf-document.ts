import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';

/**
 * The A4 documents that are records — the intervention report and the maintenance
 * register: embedded Unicode fonts (subset, so a PDF carries only the glyphs it uses),
 * text that wraps and flows onto as many pages as it needs, columns measured with the
 * fonts so that nothing overprints, and page numbers. Nothing is cut or replaced: a
 * character no shipped font draws is written as its code point (`[U+1F9F2]`).
 *
 * Fonts (apps/api/assets/fonts/README.md): DejaVu Sans and DejaVu Sans Bold (Latin, Greek,
 * Cyrillic, Arabic, Hebrew…), then Droid Sans Fallback (CJK), chosen per character: the
 * first font that has the glyph.
 *
 * Right-to-left text: a run of Arabic or Hebrew letters (with the spaces and punctuation
 * between them) is laid out by fontkit, which shapes it (initial, medial, final forms and
 * ligatures, from the font's OpenType tables) and orders its glyphs right to left; the
 * document's lines stay left to right, so a right-to-left name inside a French or English
 * sentence reads as it should. The ToUnicode map of each embedded font gives the letters
 * back to a reader (copy, search) in their logical order.
 */

// --- Fonts ------------------------------------------------------------------------------------

const requireFrom = createRequire(import.meta.url);

const FONT_FILES = {
  sans: () => requireFrom.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  sansBold: () => requireFrom.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  cjk: () => fileURLToPath(new URL('../../assets/fonts/DroidSansFallbackFull.ttf', import.meta.url)),
} as const;
type FontName = keyof typeof FONT_FILES;

interface LoadedFont {
  bytes: Uint8Array;
  covers: (codePoint: number) => boolean;
}

/** Each font file is read and parsed once per process; only its cmap is consulted here. */
const loaded = new Map<FontName, LoadedFont>();
function loadFont(name: FontName): LoadedFont {
  let font = loaded.get(name);
  if (!font) {
    const bytes = new Uint8Array(readFileSync(FONT_FILES[name]()));
    const parsed = fontkit.create(bytes);
    const cache = new Map<number, boolean>();
    font = {
      bytes,
      covers: (cp) => {
        let has = cache.get(cp);
        if (has === undefined) {
          has = parsed.hasGlyphForCodePoint(cp);
          cache.set(cp, has);
        }
        return has;
      },
    };
    loaded.set(name, font);
  }
  return font;
}

interface Face {
  font: PDFFont;
  covers: (codePoint: number) => boolean;
}

/** A family: faces in order of preference; a character takes the first that has its glyph. */
export type FontFamily = readonly Face[];

/** Embeds the document fonts (subset) into `doc`: a regular and a bold family. */
export async function embedDocumentFonts(doc: PDFDocument): Promise<{ regular: FontFamily; bold: FontFamily }> {
  doc.registerFontkit(fontkit);
  const face = async (name: FontName): Promise<Face> => {
    const f = loadFont(name);
    return { font: await doc.embedFont(f.bytes, { subset: true }), covers: f.covers };
  };
  const [sans, sansBold, cjk] = await Promise.all([face('sans'), face('sansBold'), face('cjk')]);
  return { regular: [sans, cjk], bold: [sansBold, cjk] };
}

// --- Runs: which font draws which characters, and in which direction ---------------------------

export interface Run {
  text: string;
  font: PDFFont;
  rtl: boolean;
}

const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
/** Characters that take the direction of what surrounds them (spaces, punctuation), digits excepted. */
const NEUTRAL = /[\s\p{P}\p{S}]/u;
const MARK = /\p{M}|[\u200c\u200d]|[\ufe00-\ufe0f]/u;

function codePointLabel(cp: number): string {
  return `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/**
 * Splits a line of text into runs of one font and one direction. Combining marks stay with
 * their base character; spaces and punctuation join the run they sit in (between two
 * right-to-left letters, the right-to-left run); a character that no face draws becomes its
 * code point, written with the first face; an invisible format character that none draws
 * (zero-width space, direction mark) is left out.
 */
export function textRuns(family: FontFamily, text: string): Run[] {
  const primary = family[0]!;
  const runs: Run[] = [];
  let pendingNeutral = '';
  const push = (chunk: string, face: Face, rtl: boolean) => {
    const last = runs.at(-1);
    if (last && last.font === face.font && last.rtl === rtl) last.text += chunk;
    else runs.push({ text: chunk, font: face.font, rtl });
  };
  const flushNeutral = (nextRtl: boolean, nextFace: Face | null) => {
    if (!pendingNeutral) return;
    const last = runs.at(-1);
    const chars = [...pendingNeutral];
    pendingNeutral = '';
    // Between two right-to-left letters of one face, neutrals belong to the right-to-left run.
    if (last?.rtl && nextRtl && nextFace && last.font === nextFace.font && chars.every((c) => nextFace.covers(c.codePointAt(0)!))) {
      last.text += chars.join('');
      return;
    }
    for (const c of chars) {
      const cp = c.codePointAt(0)!;
      const current = runs.at(-1);
      const currentFace = current && !current.rtl ? family.find((f) => f.font === current.font) : undefined;
      push(c, currentFace?.covers(cp) || MARK.test(c) ? currentFace! : (family.find((f) => f.covers(cp)) ?? primary), false);
    }
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (MARK.test(ch)) {
      // A combining mark follows its base character; the pending neutral text (if any) or the last run.
      if (pendingNeutral) pendingNeutral += ch;
      else if (runs.length > 0) runs.at(-1)!.text += ch;
      else push(ch, primary, false);
      continue;
    }
    if (NEUTRAL.test(ch) && family.some((f) => f.covers(cp))) {
      pendingNeutral += ch;
      continue;
    }
    const face = family.find((f) => f.covers(cp));
    if (!face && /\p{Cf}/u.test(ch)) continue; // an invisible format character (zero-width space, direction mark…)
    const rtl = RTL.test(ch);
    flushNeutral(rtl, face ?? null);
    if (face) push(ch, face, rtl);
    else push(codePointLabel(cp), primary, false);
  }
  flushNeutral(false, null);
  return runs;
}

/** Widths already measured, per family (one per document): words come back often. */
const widths = new WeakMap<FontFamily, Map<string, number>>();

export function textWidth(family: FontFamily, text: string, size: number): number {
  let cache = widths.get(family);
  if (!cache) {
    cache = new Map();
    widths.set(family, cache);
  }
  const key = `${size}|${text}`;
  let width = cache.get(key);
  if (width === undefined) {
    width = textRuns(family, text).reduce((w, r) => w + r.font.widthOfTextAtSize(r.text, size), 0);
    if (text.length <= 64) cache.set(key, width);
  }
  return width;
}

// --- Wrapping -------------------------------------------------------------------------------------

/** Scripts written without spaces between words: a line may break between any two of their characters. */
const TOKEN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]\p{M}*|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]+|\s+/gu;

/** Control characters and other spaces as plain spaces; line breaks kept (they separate paragraphs). */
function normalise(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const cp = ch.codePointAt(0)!;
    out += ch === '\n' ? ch : cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || /\s/u.test(ch) ? ' ' : ch;
  }
  return out;
}

/** Cuts a word wider than the line into pieces that fit (combining marks stay with their base). */
function breakWord(family: FontFamily, word: string, size: number, maxWidth: number): string[] {
  const clusters = word.match(/\P{M}\p{M}*|\p{M}+/gu) ?? [word];
  const pieces: string[] = [];
  let current = '';
  let width = 0;
  for (const c of clusters) {
    const w = textWidth(family, c, size);
    if (current && width + w > maxWidth) {
      pieces.push(current);
      current = '';
      width = 0;
    }
    current += c;
    width += w;
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Wraps text into lines no wider than `maxWidth`, measured with the family's fonts: at
 * spaces, between two CJK characters, and inside a word only when the word alone is wider
 * than the line. Line breaks in the text start a new line. Every character is kept.
 */
export function wrapLines(family: FontFamily, text: string, size: number, maxWidth: number): string[] {
  // Widths add up token by token (a space has no kerning with its neighbours); a little slack covers rounding.
  const limit = maxWidth - 0.01;
  const space = textWidth(family, ' ', size);
  const lines: string[] = [];
  for (const paragraph of normalise(text).split('\n')) {
    let current = '';
    let width = 0;
    let spaced = false;
    for (const token of paragraph.match(TOKEN) ?? []) {
      if (token.trim() === '') {
        spaced = current !== '';
        continue;
      }
      const w = textWidth(family, token, size);
      const candidate = width + (spaced ? space : 0) + w;
      if (candidate <= limit) {
        current += (spaced ? ' ' : '') + token;
        width = candidate;
        spaced = false;
        continue;
      }
      spaced = false;
      if (current) lines.push(current);
      const pieces = w <= limit ? [token] : breakWord(family, token, size, limit);
      lines.push(...pieces.slice(0, -1));
      current = pieces.at(-1) ?? '';
      width = textWidth(family, current, size);
    }
    lines.push(current);
  }
  return lines;
}

// --- The A4 writer -----------------------------------------------------------------------------------

export const A4: readonly [number, number] = [595.28, 841.89];
const MARGIN = 48;
const FOOTER_SPACE = 28;
const CONTENT_WIDTH = A4[0] - 2 * MARGIN;
const BODY = 10;
const LEADING = 13.5;
const LABEL_WIDTH = 150;
const GREY = rgb(0.45, 0.45, 0.45);
const BLUE = rgb(0.05, 0.3, 0.6);

export interface TableColumn {
  title: string;
  /** Share of the content width. */
  share: number;
}

export interface Thumbnail {
  bytes: Uint8Array;
  mediaType: string;
  caption: string;
}

export interface DocumentInfo {
  title: string;
  /** BCP 47, e.g. fr-FR. */
  language: string;
  /** The footer of page `page` of `pages`. */
  footer: (page: number, pages: number) => string;
}

/** Writes a document top to bottom, opening pages as the text needs them. */
export class PdfDocumentWriter {
  private page!: PDFPage;
  private y = 0;
  /** Drawn again at the top of a page when a table goes on. */
  private repeatHeader: (() => void) | null = null;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: { regular: FontFamily; bold: FontFamily },
    private readonly info: DocumentInfo,
  ) {
    this.newPage();
  }

  static async create(info: DocumentInfo): Promise<PdfDocumentWriter> {
    const doc = await PDFDocument.create();
    doc.setTitle(info.title);
    doc.setLanguage(info.language);
    doc.setCreator('GMAO de territoire');
    return new PdfDocumentWriter(doc, await embedDocumentFonts(doc), info);
  }

  private newPage() {
    this.page = this.doc.addPage([A4[0], A4[1]]);
    this.y = A4[1] - MARGIN;
    const header = this.repeatHeader;
    if (header) header();
  }

  /** Room for `height` more points on this page, or a new page. */
  private ensure(height: number) {
    if (this.y - height < MARGIN + FOOTER_SPACE) this.newPage();
  }

  private draw(family: FontFamily, text: string, x: number, baseline: number, size: number, color?: RGB) {
    let at = x;
    for (const run of textRuns(family, text)) {
      this.page.drawText(run.text, { x: at, y: baseline, size, font: run.font, ...(color ? { color } : {}) });
      at += run.font.widthOfTextAtSize(run.text, size);
    }
  }

  title(text: string) {
    for (const line of wrapLines(this.fonts.bold, text, 16, CONTENT_WIDTH)) {
      this.ensure(22);
      this.draw(this.fonts.bold, line, MARGIN, this.y - 16, 16);
      this.y -= 22;
    }
    this.y -= 8;
  }

  heading(text: string) {
    const lines = wrapLines(this.fonts.bold, text, 11.5, CONTENT_WIDTH);
    // A heading never ends a page: room for it and the first lines of what it heads.
    this.ensure(8 + 15 * Math.min(lines.length, 2) + 8 + 3 * LEADING);
    this.y -= 8;
    for (const line of lines) {
      this.ensure(15);
      this.draw(this.fonts.bold, line, MARGIN, this.y - 12, 11.5, BLUE);
      this.y -= 15;
    }
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 2 }, end: { x: A4[0] - MARGIN, y: this.y - 2 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 8;
  }

  /** A label and its value side by side, each wrapped in its own column; as many lines and pages as needed. */
  field(label: string, value: string) {
    this.columns([
      { family: this.fonts.bold, lines: wrapLines(this.fonts.bold, label, BODY, LABEL_WIDTH - 10), x: MARGIN },
      { family: this.fonts.regular, lines: wrapLines(this.fonts.regular, value || '—', BODY, CONTENT_WIDTH - LABEL_WIDTH), x: MARGIN + LABEL_WIDTH },
    ]);
    this.y -= 2;
  }

  paragraph(text: string) {
    this.columns([{ family: this.fonts.regular, lines: wrapLines(this.fonts.regular, text || '—', BODY, CONTENT_WIDTH), x: MARGIN }]);
    this.y -= 2;
  }

  /** Wrapped columns drawn line by line, side by side: a page break may fall between any two lines. */
  private columns(cols: { family: FontFamily; lines: string[]; x: number; size?: number }[]) {
    const rows = Math.max(...cols.map((c) => c.lines.length));
    for (let i = 0; i < rows; i++) {
      this.ensure(LEADING);
      for (const c of cols) {
        const line = c.lines[i];
        if (line) this.draw(c.family, line, c.x, this.y - BODY, c.size ?? BODY);
      }
      this.y -= LEADING;
    }
  }

  /**
   * A table whose cells wrap inside their columns (widths as shares of the page): rows never
   * overprint, a long row goes on over the next page, and the header is repeated there.
   */
  table(columns: readonly TableColumn[], rows: readonly (readonly string[])[]) {
    const total = columns.reduce((s, c) => s + c.share, 0);
    const xs: number[] = [];
    let x = MARGIN;
    for (const c of columns) {
      xs.push(x);
      x += (c.share / total) * CONTENT_WIDTH;
    }
    const widths = columns.map((c) => (c.share / total) * CONTENT_WIDTH - 8);
    const header = () => {
      this.columns(columns.map((c, i) => ({ family: this.fonts.bold, lines: wrapLines(this.fonts.bold, c.title, 9, widths[i]!), x: xs[i]!, size: 9 })));
      // Under the descenders of the last line (its baseline is LEADING - BODY above this.y).
      this.page.drawLine({ start: { x: MARGIN, y: this.y + 0.5 }, end: { x: A4[0] - MARGIN, y: this.y + 0.5 }, thickness: 0.5, color: GREY });
      this.y -= 3;
    };
    this.ensure(3 * LEADING);
    header();
    this.repeatHeader = header;
    try {
      for (const row of rows) {
        this.columns(row.map((cell, i) => ({ family: this.fonts.regular, lines: wrapLines(this.fonts.regular, cell || '—', BODY, widths[i]!), x: xs[i]! })));
        this.page.drawLine({ start: { x: MARGIN, y: this.y + 0.5 }, end: { x: A4[0] - MARGIN, y: this.y + 0.5 }, thickness: 0.25, color: rgb(0.8, 0.8, 0.8) });
        this.y -= 3;
      }
    } finally {
      this.repeatHeader = null;
    }
  }

  /**
   * A small bar chart across the page: one bar per item (values ≥ 0 scaled to the largest;
   * null: no bar, a dash), the item's text above its bar and its label under it. The numbers
   * stay written, so the chart only helps the eye.
   */
  bars(items: readonly { label: string; value: number | null; text: string }[], height = 48) {
    if (items.length === 0) return;
    const size = 6.5;
    this.ensure(height + 2 * size + 14);
    const slot = CONTENT_WIDTH / items.length;
    const barWidth = Math.max(2, slot * 0.6);
    const max = Math.max(0, ...items.map((i) => (i.value !== null && Number.isFinite(i.value) ? i.value : 0)));
    const base = this.y - size - 4 - height;
    this.page.drawLine({ start: { x: MARGIN, y: base }, end: { x: A4[0] - MARGIN, y: base }, thickness: 0.5, color: GREY });
    items.forEach((item, i) => {
      const x = MARGIN + i * slot + (slot - barWidth) / 2;
      const v = item.value !== null && Number.isFinite(item.value) ? Math.max(0, item.value) : null;
      const h = v === null || max === 0 ? 0 : (v / max) * height;
      if (h > 0) this.page.drawRectangle({ x, y: base, width: barWidth, height: h, color: BLUE });
      const text = v === null ? '—' : item.text;
      const centre = (s: string) => MARGIN + i * slot + (slot - textWidth(this.fonts.regular, s, size)) / 2;
      this.draw(this.fonts.regular, text, centre(text), base + h + 2, size, GREY);
      this.draw(this.fonts.regular, item.label, centre(item.label), base - size - 2, size, GREY);
    });
    this.y = base - size - 10;
  }

  /** Images side by side, scaled into boxes of `box` points, each with its caption wrapped underneath. */
  async images(items: readonly Thumbnail[], box: { width: number; height: number }, unreadable: string) {
    const gap = 12;
    const perRow = Math.max(1, Math.floor((CONTENT_WIDTH + gap) / (box.width + gap)));
    for (let start = 0; start < items.length; start += perRow) {
      const row = items.slice(start, start + perRow);
      const embedded: (PDFImage | null)[] = [];
      for (const item of row) {
        try {
          embedded.push(item.mediaType === 'image/png' ? await this.doc.embedPng(item.bytes) : await this.doc.embedJpg(item.bytes));
        } catch {
          embedded.push(null);
        }
      }
      const captions = row.map((item, i) => wrapLines(this.fonts.regular, embedded[i] ? item.caption : `${item.caption} ${unreadable}`, 8, box.width));
      const captionHeight = Math.max(...captions.map((c) => c.length)) * 10;
      this.ensure(box.height + 4 + captionHeight + 8);
      row.forEach((_item, i) => {
        const x = MARGIN + i * (box.width + gap);
        const img = embedded[i];
        if (img) {
          const scale = Math.min(box.width / img.width, box.height / img.height, 1);
          const w = img.width * scale;
          const h = img.height * scale;
          this.page.drawImage(img, { x: x + (box.width - w) / 2, y: this.y - box.height + (box.height - h) / 2, width: w, height: h });
        } else {
          this.page.drawRectangle({ x, y: this.y - box.height, width: box.width, height: box.height, borderColor: GREY, borderWidth: 0.5 });
        }
        captions[i]!.forEach((line, k) => this.draw(this.fonts.regular, line, x, this.y - box.height - 4 - 8 - k * 10, 8, GREY));
      });
      this.y -= box.height + 4 + captionHeight + 8;
    }
  }

  /** A signature image (PNG), at most `height` points high. */
  async signature(png: Uint8Array, height: number): Promise<boolean> {
    try {
      const img = await this.doc.embedPng(png);
      const h = Math.min(height, img.height);
      const w = Math.min((img.width / img.height) * h, CONTENT_WIDTH);
      this.ensure(h + 6);
      this.page.drawImage(img, { x: MARGIN, y: this.y - h, width: w, height: h });
      this.y -= h + 6;
      return true;
    } catch {
      return false;
    }
  }

  /** Numbers the pages and serialises the document. */
  async save(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      this.page = page;
      this.draw(this.fonts.regular, this.info.footer(i + 1, pages.length), MARGIN, 24, 8, GREY);
    });
    return this.doc.save();
  }
}
