import { describe, expect, it } from 'vitest';
import { labelUrl } from '@gmao/domain';
import { escapeXml, labelSvg, truncate, wrapWords, type LabelData } from './label-svg.js';
import { QUIET_ZONE, qrMatrix } from './qr.js';
import { assertWellFormedXml, decodeQr, gridFromSvg } from '../../../../../tests/support/documents.js';

const label = (over: Partial<LabelData> = {}): LabelData => ({
  url: labelUrl('https://gmao.ght-demo.fr', over.inventoryNumber ?? 'CHU-2019-00123'),
  inventoryNumber: 'CHU-2019-00123',
  siteShortCode: 'CHU',
  category: 'Pousse-seringue',
  model: 'B. Braun Perfusor Space',
  ...over,
});

/** Text content of the <text> elements, entities decoded. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );

describe('escapeXml', () => {
  it('escapes markup characters and drops characters XML forbids', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
    expect(escapeXml('bip\u0007\u0000 ok\tété 🙂')).toBe('bip ok\tété 🙂');
    expect(escapeXml('lone \uD800 surrogate')).toBe('lone  surrogate');
  });
  it('wrapWords wraps on spaces into two lines at most', () => {
    expect(wrapWords('Pompe à perfusion volumétrique', 20, 2)).toEqual(['Pompe à perfusion', 'volumétrique']);
    expect(wrapWords('un deux trois quatre cinq six', 9, 2)).toEqual(['un deux', 'trois qu…']);
    expect(wrapWords('Anticonstitutionnellement', 10, 2)).toEqual(['Anticonst…']);
    expect(wrapWords('', 10, 2)).toEqual([]);
  });
  it('truncate cuts with an ellipsis, counting characters rather than UTF-16 units', () => {
    expect(truncate('Défibrillateur', 20)).toBe('Défibrillateur');
    expect(truncate('Défibrillateur externe', 10)).toBe('Défibrill…');
    expect([...truncate('🙂🙂🙂🙂', 3)]).toHaveLength(3);
  });
});

describe('labelSvg', () => {
  it('is a well-formed 70 × 37 mm SVG with the inventory number, site, category and model', () => {
    const svg = labelSvg(label());
    assertWellFormedXml(svg);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('width="70mm" height="37mm" viewBox="0 0 70 37"');
    expect(texts(svg)).toEqual(['CHU-2019-00123', 'CHU', 'Pousse-seringue', 'B. Braun Perfusor Space']);
    // the inventory number is the large, bold line
    const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(sizes[0]).toBeGreaterThan(3.5);
    expect(sizes[0]).toBe(Math.max(...sizes));
    expect(svg).toMatch(/font-weight="bold">CHU-2019-00123</);
  });

  it('draws a QR code that reads back as the label URL, at level M, with its quiet zone', () => {
    const l = label({ inventoryNumber: 'CHU/2019 001' });
    const svg = labelSvg(l);
    const { grid, offset } = gridFromSvg(svg);
    expect(decodeQr(grid)).toMatchObject({ text: 'https://gmao.ght-demo.fr/e/CHU%2F2019%20001', ecLevel: 'M' });
    expect(offset).toEqual({ row: QUIET_ZONE, col: QUIET_ZONE });
    const size = qrMatrix(l.url).size;
    expect(svg).toContain(`<rect width="${size + 2 * QUIET_ZONE}" height="${size + 2 * QUIET_ZONE}" fill="#fff"/>`);
    // the symbol and its quiet zone: a 34 mm square; the text starts to the right of it
    const [, top, scale] = /<g id="qr" transform="translate\(0 ([\d.]+)\) scale\(([\d.]+)\)"/.exec(svg)!.map(Number) as number[];
    expect(scale! * (size + 2 * QUIET_ZONE)).toBeCloseTo(34, 2);
    expect(top! * 2 + 34).toBeCloseTo(37, 2);
    for (const x of [...svg.matchAll(/<text x="([\d.]+)"/g)].map((m) => Number(m[1]))) expect(x).toBeGreaterThan(34);
  });

  it('escapes what users typed and stays well-formed', () => {
    const svg = labelSvg(label({ inventoryNumber: 'A&B-1', siteShortCode: 'C<H>', category: 'Moniteur "multi" & co', model: "L'Acme <script>alert(1)</script>" }));
    assertWellFormedXml(svg);
    expect(svg).not.toContain('<script>');
    expect(texts(svg)).toEqual(['A&B-1', 'C<H>', 'Moniteur "multi" & co', "L'Acme", '<script>alert(1)</scrip…']);
    expect(decodeQr(gridFromSvg(svg).grid).text).toBe('https://gmao.ght-demo.fr/e/A%26B-1');
  });

  it('shrinks a long inventory number to the width and shortens long names; omits what is unknown', () => {
    const long = 'CHU-BLOC-OPERATOIRE-SALLE-12-2024-000123';
    const svg = labelSvg(label({ inventoryNumber: long, category: null, model: 'Fabricant au nom très long Modèle au nom encore plus long que le précédent' }));
    assertWellFormedXml(svg);
    expect(svg).toMatch(new RegExp(`textLength="[\\d.]+" lengthAdjust="spacingAndGlyphs">${long}<`));
    const t = texts(svg);
    expect(t).toHaveLength(4);
    expect(t[2]).toBe('Fabricant au nom très');
    expect(t[3]!.endsWith('…')).toBe(true);
    expect(t[3]!.length).toBeLessThan(30);
  });

  it('rejects nothing a device may hold: accents and symbols survive', () => {
    const svg = labelSvg(label({ inventoryNumber: 'ÉCHO-Ø-µ', category: 'Échographe › cardio' }));
    assertWellFormedXml(svg);
    expect(texts(svg)).toContain('ÉCHO-Ø-µ');
    expect(texts(svg)).toContain('Échographe › cardio');
  });
});

describe('assertWellFormedXml (the test helper)', () => {
  it.each(['<a><b></a></b>', '<a>x & y</a>', '<a x="1" x="2"/>', '<a/><b/>', '<a>', 'text', '<a x=1/>', '<a>1 < 2</a>'])('refuses %s', (xml) => {
    expect(() => assertWellFormedXml(xml)).toThrow();
  });
  it('accepts a declaration, comments, entities and self-closing tags', () => {
    expect(() => assertWellFormedXml('<?xml version="1.0"?>\n<!-- c --><a x=\'1\'>&amp;&#233;<b/></a>\n')).not.toThrow();
  });
});
