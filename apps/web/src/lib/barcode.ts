/**
 * Reading codes from the camera: the browser's BarcodeDetector where it exists (Chrome on
 * Android, Safari on macOS…), else the ZXing polyfill, loaded only then (see barcode-polyfill.ts).
 */

/** What the devices carry: our QR labels, GS1 DataMatrix (UDI), GS1-128, EAN/UPC, ITF-14, GS1 DataBar. */
export const SCAN_FORMATS = [
  'qr_code',
  'data_matrix',
  'code_128',
  'ean_13',
  'ean_8',
  'upc_a',
  'itf',
  'databar',
  'databar_expanded',
  'databar_limited',
] as const;

export interface DetectedCode {
  rawValue: string;
  format: string;
}

export interface CodeDetector {
  detect(source: HTMLVideoElement): Promise<DetectedCode[]>;
}

interface BarcodeDetectorClass {
  new (options?: { formats?: string[] }): CodeDetector;
  getSupportedFormats(): Promise<string[]>;
}

/** The native detector if it reads QR codes and DataMatrix, else the polyfill. Rejects if neither can run. */
export async function createCodeDetector(): Promise<CodeDetector> {
  const Native = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Native) {
    try {
      const supported = await Native.getSupportedFormats();
      const formats = SCAN_FORMATS.filter((f) => supported.includes(f));
      if (formats.includes('qr_code') && formats.includes('data_matrix')) return new Native({ formats });
    } catch {
      // A detector that cannot list its formats: use the polyfill instead.
    }
  }
  const { createPolyfillDetector } = await import('./barcode-polyfill.ts');
  return createPolyfillDetector(SCAN_FORMATS);
}
