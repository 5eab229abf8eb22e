/**
 * Reads what a phone camera or a barcode scanner got off a medical device: the project's
 * own QR label (a URL ending in /e/<inventory number>), a bare inventory number, a GS1
 * element string (bracketed, or unbracketed with GS separators) or a GS1 Digital Link URI.
 * Pure; French error messages say exactly what is wrong.
 */

export type ScanCode =
  | { kind: 'label'; inventoryNumber: string }
  | { kind: 'inventory'; inventoryNumber: string }
  | {
      kind: 'gs1';
      format: 'element-string' | 'bracketed' | 'digital-link';
      gtin: string | null;
      serial: string | null;
      lot: string | null;
      /** ISO yyyy-mm-dd */
      expiry: string | null;
      productionDate: string | null;
      /** Every application identifier read, with its raw value. */
      ais: Record<string, string>;
    };

export type ScanResult = { ok: true; code: ScanCode } | { ok: false; error: string };

/** 1–64 characters: letters, digits, `-_/.` and inner spaces, starting with a letter or digit. */
export const INVENTORY_NUMBER_PATTERN = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._/-]{0,62}[\p{L}\p{N}._/-])?$/u;

const GS = '\u001d';

interface AiSpec {
  /** Fixed length of the value, or null for variable. */
  fixed: number | null;
  max: number;
  numeric: boolean;
  date?: boolean;
}

const n = (len: number, date = false): AiSpec => ({ fixed: len, max: len, numeric: true, date });
const an = (max: number): AiSpec => ({ fixed: null, max, numeric: false });
const nv = (max: number): AiSpec => ({ fixed: null, max, numeric: true });

/** The application identifiers read here (GS1 General Specifications lengths). */
const AIS: Record<string, AiSpec> = {
  '00': n(18), '01': n(14), '02': n(14), '10': an(20), '11': n(6, true), '13': n(6, true), '15': n(6, true),
  '17': n(6, true), '21': an(20), '22': an(20), '240': an(30), '241': an(30), '250': an(30), '251': an(30),
  '30': nv(8), '37': nv(8), '7003': n(10), '8004': an(30), '8006': n(18), '8020': an(25),
};

/** Finds the AI at the start of `s` (AIs are prefix-free). */
function aiAt(s: string): string | null {
  for (const len of [2, 3, 4]) {
    const candidate = s.slice(0, len);
    if (AIS[candidate]) return candidate;
  }
  return null;
}

export function isValidGtin(digits: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(digits)) return false;
  return gtinCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

export function labelUrl(origin: string, inventoryNumber: string): string {
  return `${origin.replace(/\/+$/, '')}/e/${encodeURIComponent(inventoryNumber)}`;
}

class ScanError extends Error {}

/** YYMMDD → ISO date, with GS1's sliding century window; day 00 only for AI 17 (end of month). */
function gs1Date(ai: string, value: string, now: Date): string {
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const dd = Number(value.slice(4, 6));
  const current = now.getUTCFullYear();
  const diff = yy - (current % 100);
  const century = Math.floor(current / 100) * 100 + (diff >= 51 ? -100 : diff <= -50 ? 100 : 0);
  const year = century + yy;
  if (mm < 1 || mm > 12) throw new ScanError(`Date invalide dans l'AI (${ai}) : ${value} (mois ${value.slice(2, 4)}).`);
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  let day = dd;
  if (dd === 0) {
    if (ai !== '17') throw new ScanError(`Date invalide dans l'AI (${ai}) : ${value} (jour 00 admis pour la seule date de péremption).`);
    day = last;
  } else if (dd > last) {
    throw new ScanError(`Date invalide dans l'AI (${ai}) : ${value} (le mois n'a que ${last} jours).`);
  }
  return `${year}-${String(mm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function checkValue(ai: string, value: string): void {
  const spec = AIS[ai]!;
  if (value === '') throw new ScanError(`Valeur vide pour l'AI (${ai}).`);
  if (spec.numeric && !/^\d+$/.test(value)) throw new ScanError(`L'AI (${ai}) n'admet que des chiffres : « ${value} ».`);
  if (spec.fixed !== null && value.length !== spec.fixed) {
    throw new ScanError(`L'AI (${ai}) attend ${spec.fixed} chiffres, ${value.length} lus.`);
  }
  if (value.length > spec.max) {
    throw new ScanError(`Valeur trop longue pour l'AI (${ai}) (${value.length} > ${spec.max}) : séparateur GS manquant après l'AI ${ai} ?`);
  }
  if (!spec.numeric && !/^[\x21-\x22\x25-\x2f\x30-\x39\x3a-\x3f\x41-\x5a\x5f\x61-\x7a]+$/.test(value)) {
    throw new ScanError(`Caractère non admis par GS1 dans l'AI (${ai}) : « ${value} ».`);
  }
  if ((ai === '01' || ai === '02') && !isValidGtin(value)) {
    throw new ScanError(`Clé de contrôle GTIN invalide dans l'AI (${ai}) : attendu ${gtinCheckDigit(value.slice(0, 13))}, lu ${value[13]}.`);
  }
}

function build(format: 'element-string' | 'bracketed' | 'digital-link', pairs: [string, string][], now: Date): ScanCode {
  const ais: Record<string, string> = {};
  for (const [ai, value] of pairs) {
    if (!AIS[ai]) throw new ScanError(`Identifiant d'application GS1 inconnu ou non pris en charge : (${ai}).`);
    checkValue(ai, value);
    if (ais[ai] !== undefined && ais[ai] !== value) throw new ScanError(`L'AI (${ai}) apparaît deux fois avec des valeurs différentes.`);
    ais[ai] = value;
  }
  if (Object.keys(ais).length === 0) throw new ScanError('Code GS1 vide : aucun identifiant d’application lu.');
  return {
    kind: 'gs1',
    format,
    gtin: ais['01'] ?? null,
    serial: ais['21'] ?? null,
    lot: ais['10'] ?? null,
    expiry: ais['17'] ? gs1Date('17', ais['17'], now) : null,
    productionDate: ais['11'] ? gs1Date('11', ais['11'], now) : null,
    ais,
  };
}

function parseBracketed(s: string, now: Date): ScanCode {
  const pairs: [string, string][] = [];
  const re = /\((\d{2,4})\)([^()]*)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s)) !== null) {
    pairs.push([m[1]!, m[2]!]);
    consumed = re.lastIndex;
  }
  if (consumed !== s.length) throw new ScanError(`Chaîne GS1 entre parenthèses mal formée près de « ${s.slice(consumed, consumed + 12)} ».`);
  return build('bracketed', pairs, now);
}

function parseUnbracketed(s: string, now: Date): ScanCode {
  const pairs: [string, string][] = [];
  let rest = s;
  while (rest.length > 0) {
    if (rest.startsWith(GS)) {
      rest = rest.slice(1);
      continue;
    }
    const ai = aiAt(rest);
    if (!ai) throw new ScanError(`Identifiant d'application GS1 inconnu au début de « ${rest.slice(0, 8)} ».`);
    const spec = AIS[ai]!;
    rest = rest.slice(ai.length);
    let value: string;
    if (spec.fixed !== null) {
      value = rest.slice(0, spec.fixed);
      rest = rest.slice(spec.fixed);
    } else {
      const end = rest.indexOf(GS);
      value = end === -1 ? rest : rest.slice(0, end);
      rest = end === -1 ? '' : rest.slice(end + 1);
    }
    pairs.push([ai, value]);
  }
  return build('element-string', pairs, now);
}

function parseUrl(url: URL, now: Date): ScanCode {
  const segments = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const e = segments.lastIndexOf('e');
  if (e !== -1 && e === segments.length - 2) {
    const inventoryNumber = segments[e + 1]!;
    if (!INVENTORY_NUMBER_PATTERN.test(inventoryNumber)) throw new ScanError(`Numéro d'inventaire illisible dans l'étiquette : « ${inventoryNumber} ».`);
    return { kind: 'label', inventoryNumber };
  }
  const start = segments.findIndex((seg, i) => (seg === '01' || seg === 'gtin') && i + 1 < segments.length);
  if (start === -1) throw new ScanError('URL non reconnue : ni étiquette GMAO ni GS1 Digital Link.');
  const pairs: [string, string][] = [];
  const path = segments.slice(start);
  if (path.length % 2 !== 0) throw new ScanError('GS1 Digital Link mal formé : chaque identifiant du chemin doit être suivi de sa valeur.');
  for (let i = 0; i < path.length; i += 2) {
    const key = path[i] === 'gtin' ? '01' : path[i]!;
    let value = path[i + 1]!;
    if (key === '01' && /^\d{8}$|^\d{12,13}$/.test(value)) value = value.padStart(14, '0');
    pairs.push([key, value]);
  }
  for (const [key, value] of url.searchParams) {
    if (/^\d{2,4}$/.test(key)) pairs.push([key, value]);
  }
  return build('digital-link', pairs, now);
}

export function parseScanCode(raw: string, now: Date = new Date()): ScanResult {
  try {
    let s = raw.trim();
    if (s === '') throw new ScanError('Code vide.');
    if (s.length > 512) throw new ScanError('Code trop long (512 caractères au plus).');
    s = s.replace(/<GS>|\{GS\}/g, GS);
    const symbology = /^\](C1|e0|d2|Q3|J1)/.exec(s);
    if (symbology) return { ok: true, code: parseUnbracketed(s.slice(3), now) };
    if (/^https?:\/\//i.test(s)) {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new ScanError('URL illisible.');
      }
      return { ok: true, code: parseUrl(url, now) };
    }
    if (s.startsWith('(')) return { ok: true, code: parseBracketed(s, now) };
    if (s.includes(GS)) return { ok: true, code: parseUnbracketed(s, now) };
    if (/^\d+$/.test(s) && s.startsWith('01') && s.length >= 16 && isValidGtin(s.slice(2, 16))) {
      return { ok: true, code: parseUnbracketed(s, now) };
    }
    if (INVENTORY_NUMBER_PATTERN.test(s)) return { ok: true, code: { kind: 'inventory', inventoryNumber: s } };
    throw new ScanError(`Code illisible : ni étiquette GMAO, ni numéro d'inventaire, ni code GS1 (« ${s.slice(0, 40)} »).`);
  } catch (err) {
    if (err instanceof ScanError) return { ok: false, error: err.message };
    throw err;
  }
}
