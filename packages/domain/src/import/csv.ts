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

export function decodeBytes(bytes: Uint8Array): DecodedText {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: Excel's "CSV (séparateur : point-virgule)" on Windows writes Windows-1252.
    let text = '';
    for (const byte of body) text += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : String.fromCharCode(byte);
    return { text, encoding: 'windows-1252' };
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
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const pushRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      pushRow();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += ch;
    }
    i++;
  }
  if (field !== '' || row.length > 0) pushRow();
  return rows;
}
