import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { labelUrl } from '@gmao/domain';
import type { LabelData } from './label-svg.js';
import { LABEL_FORMATS, labelsPdf, labelsPerPage } from './labels-pdf.js';
import { QUIET_ZONE, qrMatrix } from './qr.js';
import { decodeQr, gridFromPdfRects, pdfContentStreams, pdfRects, pdfTexts } from '../../../../../tests/support/documents.js';

const label = (n: number, over: Partial<LabelData> = {}): LabelData => {
  const inventoryNumber = over.inventoryNumber ?? `CHU-2019-${String(n).padStart(5, '0')}`;
  return {
    url: labelUrl('https://gmao.ght-demo.fr', inventoryNumber),
    inventoryNumber,
    siteShortCode: 'CHU',
    category: 'Pousse-seringue',
    model: 'B. Braun Perfusor Space',
    ...over,
  };
};

describe('labelsPdf', () => {
  it('fills A4 pages of 24 (3 × 8) or 10 (2 × 5) labels, in order', async () => {
    expect(labelsPerPage('a4-3x8')).toBe(24);
    expect(labelsPerPage('a4-2x5')).toBe(10);
    const labels = Array.from({ length: 25 }, (_, i) => label(i + 1));
    const small = await PDFDocument.load(await labelsPdf(labels, 'a4-3x8'));
    expect(small.getPageCount()).toBe(2);
    const { width, height } = small.getPage(0).getSize();
    expect(width).toBeCloseTo(595.28, 1);
    expect(height).toBeCloseTo(841.89, 1);
    const large = await PDFDocument.load(await labelsPdf(labels, 'a4-2x5'));
    expect(large.getPageCount()).toBe(3);

    const texts = pdfContentStreams(await labelsPdf(labels, 'a4-3x8')).flatMap(pdfTexts);
    const numbers = texts.filter((t) => t.startsWith('CHU-2019-'));
    expect(numbers).toEqual(labels.map((l) => l.inventoryNumber));
  });

  it('draws the QR code as vector squares that read back as the label URL, clear of the text', async () => {
    const l = label(7, { inventoryNumber: 'CH1/2020 042' });
    const pdf = await labelsPdf([l], 'a4-3x8');
    expect(Buffer.from(pdf).toString('latin1')).not.toMatch(/\/Subtype\s*\/Image/);
    const content = pdfContentStreams(pdf).find((s) => / re\b/.test(s))!;
    const { grid, moduleSize, left, top } = gridFromPdfRects(pdfRects(content));
    expect(decodeQr(grid)).toMatchObject({ text: 'https://gmao.ght-demo.fr/e/CH1%2F2020%20042', ecLevel: 'M' });
    const size = qrMatrix(l.url).size;
    expect(grid).toHaveLength(size);
    // the symbol with its quiet zone is the 33 mm square of the format, 2 mm from the label's edge
    const mm = 72 / 25.4;
    expect(moduleSize * (size + 2 * QUIET_ZONE)).toBeCloseTo(LABEL_FORMATS['a4-3x8'].qrSide * mm, 1);
    expect(left - QUIET_ZONE * moduleSize).toBeCloseTo(2 * mm, 1);
    // every text starts right of the quiet zone and below the top of the label
    const quietRight = left + (size + QUIET_ZONE) * moduleSize;
    const positions = [...content.matchAll(/1 0 0 1 (-?[\d.]+) (-?[\d.]+) Tm/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(positions.length).toBe(4);
    for (const [x, y] of positions) {
      expect(x).toBeGreaterThan(quietRight);
      expect(y).toBeLessThan(top + QUIET_ZONE * moduleSize);
    }
    expect(pdfTexts(content)).toEqual(['CH1/2020 042', 'CHU', 'Pousse-seringue', 'B. Braun Perfusor Space']);
  });

  it('keeps every text inside its label, 4 mm from the right edge, even for long names', async () => {
    const doc = await PDFDocument.create();
    const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
    const mm = 72 / 25.4;
    for (const format of ['a4-3x8', 'a4-2x5'] as const) {
      const f = LABEL_FORMATS[format];
      const labels = Array.from({ length: labelsPerPage(format) }, (_, i) =>
        label(i, { inventoryNumber: `CHU-BLOC-OPERATOIRE-${'W'.repeat(i)}`, category: 'Catégorie '.repeat(8), model: 'Modèle '.repeat(9) }),
      );
      const content = pdfContentStreams(await labelsPdf(labels, format)).find((s) => / re\b/.test(s))!;
      const drawn = [...content.matchAll(/\/(\S+) ([\d.]+) Tf[^]*?1 0 0 1 (-?[\d.]+) (-?[\d.]+) Tm\s*<([0-9A-F]*)> Tj/g)];
      expect(drawn.length).toBeGreaterThanOrEqual(labels.length * 4);
      const left = (210 - f.cols * f.width) / 2;
      const top = (297 - f.rows * f.height) / 2;
      for (const m of drawn) {
        const [text] = pdfTexts(`<${m[5]}> Tj`);
        const font = m[1]!.startsWith('Helvetica-Bold') ? fonts.bold : fonts.regular;
        const x = Number(m[3]);
        const y = Number(m[4]);
        const col = Math.floor((x / mm - left) / f.width);
        const row = Math.floor((297 - y / mm - top) / f.height);
        const right = (left + (col + 1) * f.width - 4) * mm;
        expect(x + font.widthOfTextAtSize(text!, Number(m[2]))).toBeLessThanOrEqual(right + 0.01);
        const labelTop = (297 - top - row * f.height) * mm;
        expect(y).toBeLessThan(labelTop - 3 * mm);
        expect(y).toBeGreaterThan(labelTop - f.height * mm + 2 * mm);
      }
    }
  });

  it('prints any name: unencodable characters replaced, long ones cut', async () => {
    const pdf = await labelsPdf(
      [label(1, { inventoryNumber: 'Ł-2021-0001', category: 'Pompe ≥ 2 voies › réanimation', model: `Fabricant ${'très '.repeat(30)}long` })],
      'a4-2x5',
    );
    const texts = pdfContentStreams(pdf).flatMap(pdfTexts);
    expect(texts[0]).toBe('L-2021-0001');
    expect(texts.join(' ')).toContain('Pompe >= 2 voies › réanimation');
    expect(texts.at(-1)!.endsWith('…')).toBe(true);
  });
});
