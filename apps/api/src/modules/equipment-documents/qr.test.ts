import { describe, expect, it } from 'vitest';
import { labelUrl } from '@gmao/domain';
import { QUIET_ZONE, darkRuns, qrMatrix, qrSvgPath, type QrMatrix } from './qr.js';
import { decodeQr, type Grid } from '../../../../../tests/support/documents.js';

const gridOf = (m: QrMatrix): Grid => Array.from({ length: m.size }, (_, r) => Array.from({ length: m.size }, (_, c) => m.dark(r, c)));

describe('qrMatrix', () => {
  it.each([
    labelUrl('https://gmao.ght-demo.fr', 'CHU-2019-00123'),
    labelUrl('http://localhost:3000/', 'CHU/2019 001'),
    labelUrl('https://gmao.ght-demo.fr', 'Échographe n°7 – bloc'),
    '0123456789012345',
    'HTTPS://GMAO.EXAMPLE/E/ABC-123',
    labelUrl('https://gmao.un-groupe-hospitalier-de-territoire.example.fr', 'A'.repeat(64)),
  ])('encodes %s at error-correction level M, read back by an independent decoder', (text) => {
    const m = qrMatrix(text);
    expect(m.size).toBe(17 + 4 * m.version);
    const decoded = decodeQr(gridOf(m));
    expect(decoded).toMatchObject({ text, ecLevel: 'M', version: m.version });
  });

  it('grows with the text and stays small for a typical label URL', () => {
    expect(qrMatrix(labelUrl('https://gmao.ght-demo.fr', 'CHU-2019-00123')).version).toBeLessThanOrEqual(4);
    expect(qrMatrix('x'.repeat(200)).version).toBeGreaterThan(qrMatrix('x'.repeat(20)).version);
  });
});

describe('darkRuns and qrSvgPath', () => {
  const m = qrMatrix(labelUrl('https://gmao.ght-demo.fr', 'CH1-2020-00042'));

  it('cover exactly the dark modules with maximal horizontal runs', () => {
    const runs = darkRuns(m);
    const covered = Array.from({ length: m.size }, () => Array<boolean>(m.size).fill(false));
    for (const r of runs) {
      expect(r.length).toBeGreaterThan(0);
      for (let c = r.col; c < r.col + r.length; c++) {
        expect(covered[r.row]![c]).toBe(false);
        covered[r.row]![c] = true;
      }
      // maximal: the modules just before and after a run are light
      if (r.col > 0) expect(m.dark(r.row, r.col - 1)).toBe(false);
      if (r.col + r.length < m.size) expect(m.dark(r.row, r.col + r.length)).toBe(false);
    }
    expect(covered).toEqual(gridOf(m));
  });

  it('draws the runs offset by a four-module quiet zone', () => {
    const d = qrSvgPath(m);
    const first = darkRuns(m)[0]!;
    expect(QUIET_ZONE).toBe(4);
    expect(d.startsWith(`M${QUIET_ZONE + first.col} ${QUIET_ZONE + first.row}h${first.length}v1h-${first.length}z`)).toBe(true);
    // the top-left finder pattern starts a run of 7 at the quiet zone's corner
    expect(d.startsWith('M4 4h7v1h-7z')).toBe(true);
    const coords = [...d.matchAll(/M(\d+) (\d+)h(\d+)/g)].map((x) => [Number(x[1]), Number(x[2]), Number(x[3])] as const);
    expect(Math.min(...coords.map(([x]) => x))).toBe(QUIET_ZONE);
    expect(Math.max(...coords.map(([x, , len]) => x + len))).toBe(QUIET_ZONE + m.size);
    expect(Math.max(...coords.map(([, y]) => y + 1))).toBe(QUIET_ZONE + m.size);
  });
});

describe('the test decoder', () => {
  it('refuses a damaged or mirrored symbol instead of reading anything', () => {
    const text = labelUrl('https://gmao.ght-demo.fr', 'CHU-2019-00123');
    const grid = gridOf(qrMatrix(text));
    const n = grid.length;
    const damaged = grid.map((row) => [...row]);
    damaged[n - 1]![n - 1] = !damaged[n - 1]![n - 1]; // the first data module
    expect(() => decodeQr(damaged)).toThrow(/Reed–Solomon/);
    const transposed = grid.map((row, r) => row.map((_, c) => grid[c]![r]!));
    let read: string | undefined;
    try {
      read = decodeQr(transposed).text;
    } catch {
      read = undefined;
    }
    expect(read).not.toBe(text);
  });
});
