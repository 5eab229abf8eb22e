import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { MAX_HEADER_CHARS, TableLimitError, type TableLimits } from '@gmao/domain';
import { UnreadableFileError, type Table } from './table.js';

/**
 * The first sheet of an XLSX workbook, read as a stream under limits: the zip's central
 * directory is read from the file's bytes, each entry is inflated in chunks whose bytes
 * are counted against `maxUncompressedBytes` (an entry that declares more is refused before
 * inflating), and each chunk goes through a SAX parser at once. Nothing grows without a
 * bound: a cell's text is refused past `maxCellChars` while it is inflated, rows past
 * `maxRows`, values past column `maxColumns`. Only the shared strings the sheet uses are
 * kept. Values read as ExcelJS gave them: dates (by their number format) as yyyy-mm-dd,
 * numbers as JavaScript writes them, booleans as true/false, errors as empty.
 */

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function centralDirectory(bytes: Buffer): Map<string, ZipEntry> {
  const min = Math.max(0, bytes.length - 65_557);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new UnreadableFileError('Classeur XLSX illisible.');
  const count = bytes.readUInt16LE(eocd + 10);
  let p = bytes.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== 0x02014b50) throw new UnreadableFileError('Classeur XLSX illisible.');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    let compressedSize = bytes.readUInt32LE(p + 20);
    let size = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLength = bytes.readUInt16LE(p + 32);
    let localOffset = bytes.readUInt32LE(p + 42);
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLength);
    // ZIP64: the real sizes and offset are in the extra field, in this order, when maxed out.
    let x = p + 46 + nameLength;
    const xEnd = x + extraLength;
    while (x + 4 <= xEnd) {
      const id = bytes.readUInt16LE(x);
      const len = bytes.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const read64 = () => {
          const v = Number(bytes.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = read64();
        if (compressedSize === 0xffffffff) compressedSize = read64();
        if (localOffset === 0xffffffff) localOffset = read64();
      }
      x += 4 + len;
    }
    if (flags & 1) throw new UnreadableFileError('Classeur XLSX chiffré : enregistrez-le sans mot de passe.');
    entries.set(name.replace(/^\/+/, ''), { name, method, compressedSize, size, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Counts the decompressed bytes of every entry read, against one limit for the file. */
class Budget {
  used = 0;
  constructor(readonly limit: number) {}
  take(n: number, entry: string) {
    this.used += n;
    if (this.used > this.limit) throw new TableLimitError('uncompressed', this.limit, { entry });
  }
}

/** An entry's content, chunk by chunk, as it is inflated. */
async function* entryChunks(bytes: Buffer, entry: ZipEntry, budget: Budget): AsyncGenerator<Buffer> {
  // A declared size beyond what is left is refused before inflating anything.
  if (entry.size > budget.limit - budget.used) throw new TableLimitError('uncompressed', budget.limit, { entry: entry.name });
  const p = entry.localOffset;
  if (p + 30 > bytes.length || bytes.readUInt32LE(p) !== 0x04034b50) throw new UnreadableFileError('Classeur XLSX illisible.');
  const start = p + 30 + bytes.readUInt16LE(p + 26) + bytes.readUInt16LE(p + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    budget.take(data.length, entry.name);
    yield data;
    return;
  }
  if (entry.method !== 8) throw new UnreadableFileError('Classeur XLSX illisible (compression inconnue).');
  const inflater = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
  const source = Readable.from([data]);
  source.pipe(inflater);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      budget.take(chunk.length, entry.name);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof TableLimitError || err instanceof UnreadableFileError) throw err;
    throw new UnreadableFileError('Classeur XLSX illisible (données compressées corrompues).');
  } finally {
    source.destroy();
    inflater.destroy();
  }
}

interface XmlHandlers {
  open?(tag: SaxesTagPlain): void;
  close?(name: string): void;
  text?(text: string): void;
}

/**
 * Streams one entry through saxes. Saxes keeps a text (or a tag) in memory until it ends;
 * a run of characters without any event longer than a cell may be is refused at once,
 * so that memory stays bounded whatever the content (`tooLong` says where).
 */
async function parseEntry(
  bytes: Buffer, entries: Map<string, ZipEntry>, name: string, budget: Budget, maxRun: number,
  handlers: XmlHandlers, tooLong: () => TableLimitError,
): Promise<boolean> {
  const entry = entries.get(name);
  if (!entry) return false;
  const parser = new SaxesParser({ xmlns: false, position: true });
  let failure: unknown = null;
  let lastEvent = 0;
  const mark = () => {
    lastEvent = parser.position;
  };
  parser.on('error', (err) => {
    failure ??= new UnreadableFileError(`Classeur XLSX illisible (${name} : ${err.message.slice(0, 120)}).`);
  });
  parser.on('opentag', (tag) => {
    mark();
    if (failure === null) handlers.open?.(tag);
  });
  parser.on('closetag', (tag) => {
    mark();
    if (failure === null) handlers.close?.(tag.name);
  });
  parser.on('text', (text) => {
    mark();
    if (failure === null) handlers.text?.(text);
  });
  const decoder = new TextDecoder('utf-8');
  let fed = 0;
  const feed = (text: string) => {
    fed += text.length;
    try {
      parser.write(text);
    } catch (err) {
      failure ??= err;
    }
    if (failure !== null) throw failure;
    if (fed - lastEvent > maxRun) throw tooLong();
  };
  for await (const chunk of entryChunks(bytes, entry, budget)) feed(decoder.decode(chunk, { stream: true }));
  feed(decoder.decode());
  try {
    parser.close();
  } catch (err) {
    failure ??= err;
  }
  if (failure !== null) throw failure;
  return true;
}

const attr = (tag: SaxesTagPlain, name: string): string | undefined => {
  const v = tag.attributes[name];
  return typeof v === 'string' ? v : undefined;
};

/** A1-style reference → 1-based column number. */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n;
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** ExcelJS's rule: a format with y, m, d, h, s or b outside quotes and brackets is a date. */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

const excelDate = (serial: number, date1904: boolean) =>
  new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)).toISOString().slice(0, 10);

const unescapeOoxml = (s: string) => s.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** A relationship target, resolved from the folder of the part that names it. */
function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/');
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

export async function readXlsx(input: Uint8Array, limits: TableLimits): Promise<Table> {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const entries = centralDirectory(bytes);
  const budget = new Budget(limits.maxUncompressedBytes);
  // Small parts (workbook, relationships, styles) have no cells: their own bound.
  const partRun = 64 * 1024;
  const cellRun = limits.maxCellChars * 8 + 4096;
  const partTooLong = (entry: string) => () => new TableLimitError('uncompressed', limits.maxUncompressedBytes, { entry });

  // The first sheet in the workbook's order, its shared strings and the 1904 date system.
  let firstSheetRel: string | undefined;
  let date1904 = false;
  const found = await parseEntry(bytes, entries, 'xl/workbook.xml', budget, partRun, {
    open(tag) {
      if (tag.name === 'sheet' && firstSheetRel === undefined) firstSheetRel = attr(tag, 'r:id');
      if (tag.name === 'workbookPr') date1904 = ['1', 'true'].includes(attr(tag, 'date1904') ?? '');
    },
  }, partTooLong('xl/workbook.xml'));
  if (!found) throw new UnreadableFileError('Classeur XLSX illisible.');
  const targets = new Map<string, { type: string; target: string }>();
  await parseEntry(bytes, entries, 'xl/_rels/workbook.xml.rels', budget, partRun, {
    open(tag) {
      if (tag.name === 'Relationship') targets.set(attr(tag, 'Id') ?? '', { type: attr(tag, 'Type') ?? '', target: resolveTarget('xl', attr(tag, 'Target') ?? '') });
    },
  }, partTooLong('xl/_rels/workbook.xml.rels'));
  const sheetPart = firstSheetRel !== undefined ? targets.get(firstSheetRel)?.target : undefined;
  if (!sheetPart || !entries.has(sheetPart)) throw new UnreadableFileError('Le classeur ne contient aucune feuille.');
  const byType = (suffix: string) => [...targets.values()].find((t) => t.type.endsWith(suffix))?.target;
  const sharedPart = byType('/sharedStrings') ?? 'xl/sharedStrings.xml';
  const stylesPart = byType('/styles') ?? 'xl/styles.xml';

  // Which cell styles are dates.
  const customFormats = new Map<number, string>();
  const dateStyles: boolean[] = [];
  let inCellXfs = false;
  await parseEntry(bytes, entries, stylesPart, budget, partRun, {
    open(tag) {
      if (tag.name === 'numFmt') customFormats.set(Number(attr(tag, 'numFmtId')), attr(tag, 'formatCode') ?? '');
      else if (tag.name === 'cellXfs') inCellXfs = true;
      else if (tag.name === 'xf' && inCellXfs) {
        const id = Number(attr(tag, 'numFmtId') ?? 0);
        dateStyles.push(BUILTIN_DATE_FORMATS.has(id) || isDateFormat(customFormats.get(id) ?? ''));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  }, partTooLong(stylesPart));

  // The sheet: values by row, shared strings as their index until they are read.
  const rows: (string | number)[][] = [];
  const rowNumbers: number[] = [];
  const wanted = new Set<number>();
  let dataRows = 0;
  let rowNumber = 0;
  let row: (string | number)[] = [];
  let column = 0;
  let type = 'n';
  let style = 0;
  let text = '';
  let capture = false;
  let inInline = false;
  let inPhonetic = false;
  const here = () => ({ row: rowNumber, column });
  await parseEntry(bytes, entries, sheetPart, budget, cellRun, {
    open(tag) {
      switch (tag.name) {
        case 'row': {
          const r = Number(attr(tag, 'r'));
          rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
          row = [];
          column = 0;
          break;
        }
        case 'c': {
          const ref = attr(tag, 'r');
          const c = ref ? columnOf(ref) : 0;
          column = c > 0 ? c : column + 1;
          type = attr(tag, 't') ?? 'n';
          style = Number(attr(tag, 's') ?? 0);
          text = '';
          inInline = false;
          break;
        }
        case 'v':
          capture = true;
          break;
        case 'is':
          inInline = true;
          break;
        case 'rPh':
          inPhonetic = true;
          break;
        case 't':
          if (inInline && !inPhonetic) capture = true;
          break;
      }
    },
    text(t) {
      if (!capture) return;
      text += t;
      if (text.length > limits.maxCellChars) throw new TableLimitError('cell', limits.maxCellChars, here());
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          capture = false;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'c': {
          let value: string | number;
          switch (type) {
            case 's': {
              const index = Number(text);
              value = Number.isInteger(index) && index >= 0 ? index : '';
              if (typeof value === 'number') wanted.add(value);
              break;
            }
            case 'inlineStr':
              value = unescapeOoxml(text).trim();
              break;
            case 'str':
              value = text.trim();
              break;
            case 'b':
              value = text === '' ? '' : String(text === '1' || text === 'true');
              break;
            case 'e':
              value = '';
              break;
            case 'd': {
              const d = new Date(text);
              value = Number.isNaN(d.getTime()) ? text.trim() : d.toISOString().slice(0, 10);
              break;
            }
            default: {
              const n = Number(text);
              if (text.trim() === '' || Number.isNaN(n)) value = text.trim();
              else value = dateStyles[style] ? excelDate(n, date1904) : String(n);
            }
          }
          if (value !== '') {
            if (column > limits.maxColumns) throw new TableLimitError('columns', limits.maxColumns, here());
            while (row.length < column - 1) row.push('');
            row[column - 1] = value;
          }
          break;
        }
        case 'row':
          if (row.length > 0) {
            if (rows.length === 0) {
              // The header: each title must be short enough to be mapped.
              const long = row.findIndex((v) => typeof v === 'string' && v.length > MAX_HEADER_CHARS);
              if (long !== -1) throw new TableLimitError('header', MAX_HEADER_CHARS, { row: rowNumber, column: long + 1 });
            } else if (++dataRows > limits.maxRows) {
              throw new TableLimitError('rows', limits.maxRows, { row: rowNumber });
            }
            rows.push(row);
            rowNumbers.push(rowNumber);
          }
          row = [];
          break;
      }
    },
  }, () => new TableLimitError('cell', limits.maxCellChars, here()));

  // The shared strings the sheet uses, and only those.
  const shared = new Map<number, string>();
  if (wanted.size > 0) {
    let index = -1;
    let si = '';
    let inSi = false;
    let inText = false;
    let phonetic = false;
    /** Where a too long shared string is used, for the message. */
    const usedAt = (i: number) => {
      for (let r = 0; r < rows.length; r++) {
        const c = rows[r]!.indexOf(i);
        if (c !== -1) return { row: rowNumbers[r]!, column: c + 1 };
      }
      return { sharedString: i };
    };
    await parseEntry(bytes, entries, sharedPart, budget, cellRun, {
      open(tag) {
        if (tag.name === 'si') {
          index++;
          si = '';
          inSi = true;
        } else if (tag.name === 'rPh') phonetic = true;
        else if (tag.name === 't' && inSi && !phonetic) inText = true;
      },
      text(t) {
        if (!inText) return;
        si += t;
        if (si.length > limits.maxCellChars) throw new TableLimitError('cell', limits.maxCellChars, usedAt(index));
      },
      close(name) {
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic = false;
        else if (name === 'si') {
          inSi = false;
          if (wanted.has(index)) shared.set(index, unescapeOoxml(si).trim());
          si = '';
        }
      },
    }, () => new TableLimitError('cell', limits.maxCellChars, usedAt(index)));
  }

  const text2 = (v: string | number | undefined): string => (typeof v === 'number' ? shared.get(v) ?? '' : v ?? '');
  const resolved = rows.map((r) => r.map(text2));
  const width = resolved.reduce((w, r) => Math.max(w, r.length), 0);
  const [header, ...rest] = resolved.map((r) => (r.length < width ? [...r, ...Array<string>(width - r.length).fill('')] : r));
  if (!header || header.every((h) => h === '')) throw new UnreadableFileError('La première feuille est vide ou sa première ligne (en-têtes) aussi.');
  const longHeader = header.findIndex((h) => h.length > MAX_HEADER_CHARS);
  if (longHeader !== -1) throw new TableLimitError('header', MAX_HEADER_CHARS, { row: rowNumbers[0], column: longHeader + 1 });
  return { format: 'xlsx', encoding: null, separator: null, header, rows: rest.filter((r) => r.some((v) => v !== '')) };
}
