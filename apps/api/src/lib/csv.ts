/**
 * CSV files for French Excel, the one writer of every CSV the API serves (the inventory
 * export, the maintenance register): UTF-8 with a byte-order mark, `;` separators, CRLF,
 * dd/mm/yyyy dates, decimal commas, and text cells that a spreadsheet never runs as
 * formulas.
 */

/** Excel opens a UTF-8 CSV as UTF-8 only when it starts with a byte-order mark. */
export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
export const CSV_EOL = '\r\n';

/**
 * One text cell: a leading `= + - @` (or tab, carriage return) gets an apostrophe so that a
 * spreadsheet never runs it as a formula (CSV injection); quoted when it holds the
 * separator, a quote, a line break or edge spaces.
 */
export function csvText(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** yyyy-mm-dd → dd/mm/yyyy. */
export function frenchDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** Integer cents → euros with a decimal comma and no thousands separator (what French Excel reads as a number). */
export function frenchEuros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** One line of already formatted cells. */
export function csvRow(cells: readonly string[]): string {
  return cells.join(CSV_SEPARATOR) + CSV_EOL;
}

/** A whole file of text cells: the header, then one line per row. */
export function csvDocument(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return CSV_BOM + [header, ...rows].map((cells) => csvRow(cells.map(csvText))).join('');
}
