import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { embedDocumentFonts, textRuns, textWidth, wrapLines } from './pdf-document.js';

async function fonts() {
  return embedDocumentFonts(await PDFDocument.create());
}

describe('document text with embedded fonts', () => {
  it('takes each character from the first font that has it, and writes the code point of one that none has', async () => {
    const { regular } = await fonts();
    const runs = textRuns(regular, 'Łukasz Żółć, Ωμέγα, Дмитрий — 王小明 🧲');
    expect(runs.map((r) => r.text).join('')).toBe('Łukasz Żółć, Ωμέγα, Дмитрий — 王小明 [U+1F9F2]');
    expect(runs.find((r) => r.text.includes('王小明'))!.font).not.toBe(runs[0]!.font);
    expect(new Set(runs.map((r) => r.font)).size).toBe(2);
  });

  it('keeps a right-to-left name in one run, its spaces inside it', async () => {
    const { regular } = await fonts();
    const runs = textRuns(regular, 'Dr محمد عبد الله (CHU)');
    expect(runs.map((r) => [r.text, r.rtl])).toEqual([['Dr ', false], ['محمد عبد الله', true], [' (CHU)', false]]);
  });

  it('wraps at spaces, between CJK characters and inside a word only when it is wider than the line; nothing is lost', async () => {
    const { regular } = await fonts();
    const text = `Remplacement du capteur ${'x'.repeat(300)} puis essai.\nDeuxième ligne ${'王'.repeat(80)}`;
    const lines = wrapLines(regular, text, 10, 200);
    for (const line of lines) expect(textWidth(regular, line, 10)).toBeLessThanOrEqual(200);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(lines.length).toBeGreaterThan(6);
    expect(lines[0]).toBe('Remplacement du capteur');
  });
});

describe('scripts laid out by the Universal and Indic shapers', () => {
  it('writes Tifinagh text (Tamazight) instead of failing in the shaper', async () => {
    const { PdfDocumentWriter } = await import('./pdf-document.js');
    const w = await PdfDocumentWriter.create({ title: 't', language: 'fr-FR', footer: () => '' });
    // DejaVu Sans draws Tifinagh, which fontkit shapes with its Universal Shaping Engine; the
    // engine's matcher was a generator compiled for a regeneratorRuntime the package does not
    // ship (patches/@pdf-lib__fontkit@1.1.1.patch), so any report quoting such a name was a 500.
    w.paragraph('Technicien : ⵜⴰⵎⴰⵣⵉⵖⵜ Amazigh');
    const bytes = await w.save();
    expect(Buffer.from(bytes).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('embedded font programs', () => {
  it('every glyph of every subset font decodes, CJK ones included (glyphs padded for the short loca format)', async () => {
    const { PdfDocumentWriter } = await import('./pdf-document.js');
    const { PDFRawStream, decodePDFRawStream } = await import('pdf-lib');
    const fontkit = (await import('@pdf-lib/fontkit')).default;
    const w = await PdfDocumentWriter.create({ title: 't', language: 'fr-FR', footer: () => '' });
    w.paragraph('王小明 漢字 東芝 医疗设备 かな Łukasz محمد');
    const doc = await PDFDocument.load(await w.save());
    let fonts = 0;
    for (const [, obj] of doc.context.enumerateIndirectObjects()) {
      if (!(obj instanceof PDFRawStream)) continue;
      const bytes = Buffer.from(decodePDFRawStream(obj).decode());
      // A TrueType font program starts with its sfnt version: 'true' or 0x00010000.
      if (!['74727565', '00010000'].includes(bytes.subarray(0, 4).toString('hex'))) continue;
      const font = fontkit.create(bytes);
      fonts++;
      // Every glyph decodes; only the space is empty.
      const empty = Array.from({ length: font.numGlyphs - 1 }, (_, i) => font.getGlyph(i + 1)).filter((g) => (g.path as unknown as { commands: unknown[] }).commands.length === 0);
      expect(empty.length, `font ${fonts}`).toBeLessThanOrEqual(1);
    }
    expect(fonts).toBeGreaterThanOrEqual(2);
  });
});
