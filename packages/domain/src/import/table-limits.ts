/**
 * What an imported spreadsheet may expand to. Readers check these while they read (a
 * file is refused as soon as one is crossed, never after everything is loaded).
 */
export interface TableLimits {
  /** Bytes of decompressed content an XLSX file may expand to (the zip entries actually read). */
  maxUncompressedBytes: number;
  /** Data rows under the header. */
  maxRows: number;
  /** Columns holding a value. */
  maxColumns: number;
  /** Characters of one cell. */
  maxCellChars: number;
}

/** A column header longer than a mapping may name (ImportMapping's 200) cannot be used. */
export const MAX_HEADER_CHARS = 200;

/** Sample cells shown before the mapping is chosen are cut to this length. */
export const SAMPLE_CELL_CHARS = 200;

/** A sample cell as shown (upload answer, import state): at most SAMPLE_CELL_CHARS characters. */
export function truncateCell(value: string, max = SAMPLE_CELL_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Spreadsheet column letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** uncompressed and memory are sizes (413); the others are shapes (422). */
export type TableLimitKind = 'uncompressed' | 'memory' | 'rows' | 'columns' | 'cell' | 'header';

const MB = 1024 * 1024;

/** A limit crossed while reading: `kind` says which, `row`/`column` (1-based) where, when known. */
export class TableLimitError extends Error {
  constructor(
    public readonly kind: TableLimitKind,
    public readonly limit: number,
    public readonly where: { row?: number; column?: number; entry?: string; sharedString?: number } = {},
  ) {
    super(tableLimitMessage(kind, limit, where));
    this.name = 'TableLimitError';
  }
}

function place(where: TableLimitError['where']): string {
  const parts: string[] = [];
  if (where.row !== undefined) parts.push(`ligne ${where.row}`);
  if (where.column !== undefined) parts.push(`colonne ${columnLetter(where.column)}`);
  if (parts.length === 0 && where.sharedString !== undefined) parts.push(`texte partagé n° ${where.sharedString + 1} du classeur`);
  if (where.entry !== undefined) parts.push(`partie ${where.entry} du classeur`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The French message of a crossed limit, naming the limit and where it was crossed. */
export function tableLimitMessage(kind: TableLimitKind, limit: number, where: TableLimitError['where'] = {}): string {
  const at = place(where);
  switch (kind) {
    case 'uncompressed':
      return `Le classeur se décompresse en plus de ${Math.round(limit / MB)} Mo${at} : fichier refusé. Enregistrez-le sans contenu superflu ou découpez-le.`;
    case 'memory':
      return `La lecture du fichier demande plus de ${limit} Mo de mémoire : découpez-le en plusieurs imports.`;
    case 'rows':
      return `Le fichier dépasse ${limit.toLocaleString('fr-FR')} lignes de données${at} : découpez-le en plusieurs imports.`;
    case 'columns':
      return `Le fichier dépasse ${limit} colonnes${at} : ne gardez que les colonnes à importer.`;
    case 'cell':
      return `Une cellule dépasse ${limit.toLocaleString('fr-FR')} caractères${at}.`;
    case 'header':
      return `Un en-tête de colonne dépasse ${limit} caractères${at} : il ne pourrait pas être associé à un champ.`;
  }
}
