import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { fitText, isWinAnsi, winAnsiSafe, wrapText } from './pdf-text.js';

async function helvetica(): Promise<PDFFont> {
  const doc = await PDFDocument.create();
  return doc.embedFont(StandardFonts.Helvetica);
}

describe('WinAnsi-safe text', () => {
  it('isWinAnsi agrees with what pdf-lib’s Helvetica encodes', async () => {
    const font = await helvetica();
    const disagreements: string[] = [];
    for (let cp = 0; cp < 0x3000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      let encodes = true;
      try {
        font.encodeText(String.fromCodePoint(cp));
      } catch {
        encodes = false;
      }
      // pdf-lib also accepts a few controls it maps to nothing useful; we never print those
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
      if (encodes !== isWinAnsi(cp)) disagreements.push(cp.toString(16));
    }
    expect(disagreements).toEqual([]);
  });

  it('keeps French text, €, œ and typographic quotes; replaces what Helvetica cannot draw', () => {
    expect(winAnsiSafe('Réanimation › Salle 3 – l’œil à 12 €')).toBe('Réanimation › Salle 3 – l’œil à 12 €');
    expect(winAnsiSafe('Pression ≥ 10\u202fbar')).toBe('Pression >= 10 bar');
    expect(winAnsiSafe('Łódź Dąbrowa')).toBe('Lódz Dabrowa');
    expect(winAnsiSafe('10 μg − 5 Ω')).toBe('10 µg - 5 Ohm');
    expect(winAnsiSafe('ligne\nsuivante\tet\u0007bip')).toBe('ligne suivante et bip');
    expect(winAnsiSafe('zéro\u200blargeur e\u0301')).toBe('zérolargeur e');
    expect(winAnsiSafe('IRM 🧲 東芝')).toBe('IRM ? ??');
  });

  it('always yields text Helvetica encodes', async () => {
    const font = await helvetica();
    const nasty = 'Ǆ ǅ ǉ Ⅻ ℃ № ﬁ 𝔸 ∑ ∞ ß Ÿ ‹› „“ ‰ † ‡ • ™ ŀ ı ȷ Ω μ ¿¡ ½ ² ³ ¼ ± × ÷ 한국어 العربية';
    expect(() => font.encodeText(winAnsiSafe(nasty))).not.toThrow();
  });
});

describe('text fitting', () => {
  it('fitText shrinks to the width, then cuts with an ellipsis at the minimum size', async () => {
    const font = await helvetica();
    const fits = fitText(font, 'CHU-2019-00123', 80, 14, 6);
    expect(fits.text).toBe('CHU-2019-00123');
    expect(font.widthOfTextAtSize(fits.text, fits.size)).toBeLessThanOrEqual(80);
    expect(fits.size).toBeLessThan(14);
    const cut = fitText(font, 'X'.repeat(64), 80, 14, 6);
    expect(cut.size).toBe(6);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(font.widthOfTextAtSize(cut.text, 6)).toBeLessThanOrEqual(80);
  });
  it('wrapText wraps words into two lines at most', async () => {
    const font = await helvetica();
    const lines = wrapText(font, 'Fabricant au nom très long Modèle au nom encore plus long que le précédent', 7, 86, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    for (const l of lines) expect(font.widthOfTextAtSize(l, 7)).toBeLessThanOrEqual(86);
    expect(wrapText(font, 'Pousse-seringue', 7, 86, 2)).toEqual(['Pousse-seringue']);
  });
});
