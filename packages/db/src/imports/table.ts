/** A spreadsheet read for import: its header and its rows of strings. */
export interface Table {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'windows-1252' | null;
  separator: string | null;
  header: string[];
  rows: string[][];
}

/** Not a CSV or XLSX file, or a damaged one (415). */
export class UnreadableFileError extends Error {}
