import ExcelJS from 'exceljs';
import { decodeBytes, detectSeparator, parseCsv } from '@gmao/domain';

export interface Table {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'windows-1252' | null;
  separator: string | null;
  header: string[];
  rows: string[][];
}

export class UnreadableFileError extends Error {}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** The first sheet of an XLSX file, or a CSV file, as a header and rows of trimmed strings. */
export async function readTable(bytes: Uint8Array): Promise<Table> {
  if (isZip(bytes)) return readXlsx(bytes);
  if (bytes.subarray(0, 4096).includes(0)) throw new UnreadableFileError('Fichier binaire non reconnu : CSV ou XLSX attendu.');
  const { text, encoding } = decodeBytes(bytes);
  const separator = detectSeparator(text);
  const all = parseCsv(text, separator);
  const [header, ...rows] = all;
  if (!header || header.every((h) => h.trim() === '')) throw new UnreadableFileError('Le fichier est vide ou sa première ligne (en-têtes) aussi.');
  return { format: 'csv', encoding, separator, header: header.map((h) => h.trim()), rows };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel dates are calendar dates: read them as UTC to keep the day.
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFileError('Classeur XLSX illisible.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableFileError('Le classeur ne contient aucune feuille.');
  const rows: string[][] = [];
  // columnCount is a getter that scans the whole sheet: read it once.
  const columns = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values: string[] = [];
    for (let c = 1; c <= columns; c++) values.push(cellText(row.getCell(c).value).trim());
    rows.push(values);
  });
  const [header, ...rest] = rows;
  if (!header || header.every((h) => h === '')) throw new UnreadableFileError('La première feuille est vide ou sa première ligne (en-têtes) aussi.');
  return { format: 'xlsx', encoding: null, separator: null, header, rows: rest.filter((r) => r.some((v) => v !== '')) };
}
