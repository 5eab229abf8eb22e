import { BarcodeDetector, prepareZXingModule, type BarcodeFormat } from 'barcode-detector/ponyfill';
// The ZXing reader's WebAssembly, emitted into dist/assets by Vite. By default the package
// would fetch it from a CDN: hospitals run the app offline, so it must come from our origin.
import zxingWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { CodeDetector } from './barcode.ts';

/** One object, so that the module compiled once is reused (the cache compares overrides shallowly). */
const overrides = {
  locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? zxingWasmUrl : prefix + path),
};

/**
 * The ZXing polyfill (browsers without BarcodeDetector: Firefox, Safari on iOS, Chrome on
 * desktop Linux and Windows). Loaded on demand, so the main bundle does not carry it.
 * Resolves once the wasm is compiled: a failure (blocked, missing) shows here, not at the first frame.
 */
export async function createPolyfillDetector(formats: readonly string[]): Promise<CodeDetector> {
  await prepareZXingModule({ overrides, fireImmediately: true });
  const supported = await BarcodeDetector.getSupportedFormats();
  return new BarcodeDetector({ formats: supported.filter((f) => formats.includes(f)) as BarcodeFormat[] });
}
