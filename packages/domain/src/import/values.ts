/** Parsers for the values found in French spreadsheets; each returns a value or an error message. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): Parsed<never> => ({ ok: false, error });

function isoIfValid(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** dd/mm/yyyy (also - or . separators, 2-digit years), yyyy-mm-dd, or an Excel serial day number. */
export function parseFrenchDate(raw: string): Parsed<string> {
  const s = raw.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    let y = Number(m[3]);
    if (m[3]!.length === 2) y += y >= 70 ? 1900 : 2000;
    const iso = isoIfValid(y, Number(m[2]), Number(m[1]));
    return iso ? ok(iso) : fail(`date invalide « ${s} » (jj/mm/aaaa attendu)`);
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(s);
  if (m) {
    const iso = isoIfValid(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : fail(`date invalide « ${s} »`);
  }
  if (/^\d{5}$/.test(s)) {
    // Excel's serial day numbers (1900 date system), as some exports leave them.
    const d = new Date(Date.UTC(1899, 11, 30) + Number(s) * 86_400_000);
    return ok(d.toISOString().slice(0, 10));
  }
  return fail(`date illisible « ${s} » (jj/mm/aaaa attendu)`);
}

/** "1 234,56 €", "1234.56", "1.234,56" → cents. */
export function parseEuroCents(raw: string): Parsed<number> {
  let s = raw.trim().replace(/\s|\u00a0|\u202f|€|EUR/gi, '');
  if (s === '') return fail('montant vide');
  if (/^-/.test(s)) return fail(`montant négatif « ${raw.trim()} »`);
  if (s.includes(',') && s.includes('.')) s = s.lastIndexOf(',') > s.lastIndexOf('.') ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  else if (s.includes(',')) s = s.replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return fail(`montant illisible « ${raw.trim()} » (ex. 1 234,56)`);
  const [units, dec = ''] = s.split('.');
  return ok(Number(units) * 100 + Number(dec.padEnd(2, '0')));
}

export function parseBoolean(raw: string): Parsed<boolean> {
  const s = raw.trim().toLowerCase();
  if (['oui', 'o', 'yes', 'y', 'vrai', 'true', '1', 'x'].includes(s)) return ok(true);
  if (['non', 'n', 'no', 'faux', 'false', '0', ''].includes(s)) return ok(false);
  return fail(`oui/non attendu, lu « ${raw.trim()} »`);
}

const fold = (s: string) =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** An enum value from its code or one of its French labels, accent- and case-insensitive. */
export function parseEnum<T extends string>(raw: string, labels: Record<T, readonly string[]>, what: string): Parsed<T> {
  const s = fold(raw);
  for (const [value, names] of Object.entries(labels) as [T, readonly string[]][]) {
    if (fold(value) === s || names.some((n) => fold(n) === s)) return ok(value);
  }
  return fail(`${what} inconnu(e) « ${raw.trim()} »`);
}

export { fold as foldLabel };
