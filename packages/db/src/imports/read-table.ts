import {
  CsvRowReader, MAX_HEADER_CHARS, TableLimitError, decodeWindows1252, detectSeparator, type TableLimits,
} from '@gmao/domain';

import { readXlsx } from './read-xlsx.js';
import { UnreadableFileError, type Table } from './table.js';

export { UnreadableFileError, type Table } from './table.js';

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * The first sheet of an XLSX file, or a CSV file, as a header and rows of strings, read
 * under `limits` (TableLimitError as soon as one is crossed). This runs in the calling
 * thread: the API and the worker go through `readTable` (table-reader.ts), which runs it
 * in the parser thread.
 */
export async function readTableNow(bytes: Uint8Array, limits: TableLimits): Promise<Table> {
  if (isZip(bytes)) return readXlsx(bytes, limits);
  if (bytes.subarray(0, 4096).includes(0)) throw new UnreadableFileError('Fichier binaire non reconnu : CSV ou XLSX attendu.');
  return readCsv(bytes, limits);
}

const CHUNK = 1 << 20;

function* utf8Chunks(body: Uint8Array): Generator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < body.length; i += CHUNK) yield decoder.decode(body.subarray(i, i + CHUNK), { stream: true });
  yield decoder.decode();
}

function* cp1252Chunks(body: Uint8Array): Generator<string> {
  for (let i = 0; i < body.length; i += CHUNK) yield decodeWindows1252(body.subarray(i, i + CHUNK));
}

/**
 * CSV, decoded and parsed 1 MB at a time: UTF-8 (with or without BOM), or Windows-1252 when
 * the bytes are not UTF-8 (then read again from the start).
 */
function readCsv(bytes: Uint8Array, limits: TableLimits): Table {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const parse = (chunks: Generator<string>) => {
    let separator: ';' | ',' | '\t' | null = null;
    let header: string[] | null = null;
    const rows: string[][] = [];
    let reader: CsvRowReader | null = null;
    for (const text of chunks) {
      if (!reader) {
        if (text === '') continue;
        separator = detectSeparator(text);
        reader = new CsvRowReader(separator, (cells, record) => {
          if (header) {
            rows.push(cells);
            return;
          }
          header = cells.map((h) => h.trim());
          const long = header.findIndex((h) => h.length > MAX_HEADER_CHARS);
          if (long !== -1) throw new TableLimitError('header', MAX_HEADER_CHARS, { row: record, column: long + 1 });
        }, limits);
      }
      reader.push(text);
    }
    reader?.end();
    return { separator, header: header as string[] | null, rows };
  };
  let encoding: 'utf-8' | 'windows-1252' = 'utf-8';
  let parsed;
  try {
    parsed = parse(utf8Chunks(body));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw err;
    // Not valid UTF-8: Excel's "CSV (séparateur : point-virgule)" on Windows writes Windows-1252.
    encoding = 'windows-1252';
    parsed = parse(cp1252Chunks(body));
  }
  const { separator, header, rows } = parsed;
  if (!header || header.every((h) => h === '')) throw new UnreadableFileError('Le fichier est vide ou sa première ligne (en-têtes) aussi.');
  return { format: 'csv', encoding, separator, header, rows };
}
