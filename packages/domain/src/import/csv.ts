import { TableLimitError, type TableLimits } from './table-limits.js';

/**
 * CSV as French hospitals export it: UTF-8 (with or without BOM) or Windows-1252,
 * `;` or `,` (or tab) separators, quoted fields with doubled quotes and line breaks.
 */
export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'windows-1252';
}

/**
 * Windows-1252 differs from Latin-1 only in 0x80–0x9F (€, œ, typographic quotes…); Node's
 * TextDecoder treats the label as Latin-1, so the table is spelled out here.
 */
const CP1252_HIGH = [
  '\u20ac', '\u0081', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021', '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008d', '\u017d', '\u008f',
  '\u0090', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014', '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '\u009d', '\u017e', '\u0178',
];

/** Windows-1252 bytes as text (Latin-1, with 0x80–0x9F spelled out). */
export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: Excel's "CSV (séparateur : point-virgule)" on Windows writes Windows-1252.
    return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  }
}

/** The separator that splits the header line into the most fields, outside quotes. */
export function detectSeparator(text: string): ';' | ',' | '\t' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (sep: string) => {
    let n = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === sep && !quoted) n++;
    }
    return n;
  };
  const candidates = [';', ',', '\t'] as const;
  return candidates.reduce((best, sep) => (count(sep) > count(best) ? sep : best), ';' as ';' | ',' | '\t');
}

/** RFC 4180 parsing with a chosen separator; blank lines are skipped. */
export function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  const reader = new CsvRowReader(separator, (cells) => rows.push(cells));
  reader.push(text);
  reader.end();
  return rows;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Incremental RFC 4180 parsing: text is pushed chunk by chunk (a quoted field, a doubled
 * quote or a CRLF may straddle two chunks) and each record is handed to `onRow` as soon
 * as it ends; blank lines are skipped. With `limits`, a record with a value beyond
 * `maxColumns` (empty trailing fields are dropped), a field longer than `maxCellChars` or
 * more than `maxRows` records after the header throws a TableLimitError at once, naming
 * the record (the header is 1) and the column.
 */
export class CsvRowReader {
  private readonly sep: number;
  private row: string[] = [];
  /** Empty fields not stored yet: kept only if a value follows (trailing ones are dropped). */
  private emptyRun = 0;
  private field = '';
  private fieldLength = 0;
  private quoted = false;
  /** In a quoted field, a quote was the last character: a doubled quote or the closing one. */
  private quotePending = false;
  /** A CR ended the last record: a LF right after it belongs to it. */
  private skipLf = false;
  private records = 0;

  constructor(
    separator: string,
    private readonly onRow: (cells: string[], record: number) => void,
    private readonly limits?: Pick<TableLimits, 'maxRows' | 'maxColumns' | 'maxCellChars'>,
  ) {
    this.sep = separator.charCodeAt(0);
  }

  push(text: string): void {
    const maxCell = this.limits?.maxCellChars ?? Infinity;
    // Characters are copied in runs (slices), never one by one.
    let runStart = -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (ch === LF) continue;
      }
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (ch === QUOTE) {
            if (++this.fieldLength > maxCell) this.cellTooLong(maxCell);
            this.field += '"';
            continue;
          }
          this.quoted = false;
        } else if (ch === QUOTE) {
          if (runStart !== -1) this.field += text.slice(runStart, i);
          runStart = -1;
          this.quotePending = true;
          continue;
        } else {
          if (runStart === -1) runStart = i;
          if (++this.fieldLength > maxCell) this.cellTooLong(maxCell);
          continue;
        }
      }
      if (ch === QUOTE && this.fieldLength === 0) {
        this.quoted = true;
      } else if (ch === this.sep || ch === LF || ch === CR) {
        if (runStart !== -1) this.field += text.slice(runStart, i);
        runStart = -1;
        if (ch === this.sep) this.endField();
        else {
          this.endRecord();
          if (ch === CR) this.skipLf = true;
        }
      } else {
        if (runStart === -1) runStart = i;
        if (++this.fieldLength > maxCell) this.cellTooLong(maxCell);
      }
    }
    if (runStart !== -1) this.field += text.slice(runStart);
  }

  end(): void {
    this.quotePending = false;
    this.quoted = false;
    if (this.fieldLength > 0 || this.row.length > 0 || this.emptyRun > 0) this.endRecord();
  }

  private cellTooLong(limit: number): never {
    throw new TableLimitError('cell', limit, { row: this.records + 1, column: this.row.length + this.emptyRun + 1 });
  }

  private endField(): void {
    const value = this.field;
    this.field = '';
    this.fieldLength = 0;
    if (value === '') {
      this.emptyRun++;
      return;
    }
    const column = this.row.length + this.emptyRun + 1;
    if (this.limits && column > this.limits.maxColumns) {
      throw new TableLimitError('columns', this.limits.maxColumns, { row: this.records + 1, column });
    }
    for (; this.emptyRun > 0; this.emptyRun--) this.row.push('');
    this.row.push(value);
  }

  private endRecord(): void {
    this.endField();
    const cells = this.row;
    const empties = this.emptyRun;
    this.row = [];
    this.emptyRun = 0;
    if (cells.length === 0) {
      // A blank line is skipped; a line of separators only is a record of empty fields.
      if (empties <= 1) return;
      for (let i = Math.min(empties, this.limits?.maxColumns ?? Infinity); i > 0; i--) cells.push('');
    }
    this.records++;
    if (this.limits && this.records - 1 > this.limits.maxRows) {
      throw new TableLimitError('rows', this.limits.maxRows, { row: this.records });
    }
    this.onRow(cells, this.records);
  }
}
