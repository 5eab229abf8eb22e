import QRCode from 'qrcode';

/** Light modules required around the symbol (ISO/IEC 18004: four modules wide). */
export const QUIET_ZONE = 4;

/** The module grid of a QR code, without its quiet zone. */
export interface QrMatrix {
  /** Modules per side (21 for version 1, +4 per version). */
  size: number;
  version: number;
  dark(row: number, col: number): boolean;
}

/**
 * The QR code of a label: error-correction level M (15 % of the symbol may be lost to
 * a scratch or a smudge), the segment modes chosen by the `qrcode` library.
 */
export function qrMatrix(text: string): QrMatrix {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { size, version: qr.version, dark: (row, col) => data[row * size + col] === 1 };
}

/** One horizontal run of dark modules, in module units, quiet zone excluded. */
export interface DarkRun {
  row: number;
  col: number;
  length: number;
}

/** The dark modules merged into horizontal runs: fewer shapes to draw, no seams inside a run. */
export function darkRuns(m: QrMatrix): DarkRun[] {
  const runs: DarkRun[] = [];
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!m.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && m.dark(row, col)) col++;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return runs;
}

/** SVG path data of the dark modules, in module units, offset by the quiet zone. */
export function qrSvgPath(m: QrMatrix): string {
  return darkRuns(m)
    .map((r) => `M${r.col + QUIET_ZONE} ${r.row + QUIET_ZONE}h${r.length}v1h-${r.length}z`)
    .join('');
}
