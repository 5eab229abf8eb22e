/**
 * What a phone camera read off a medical device: our own QR label, a bare inventory number,
 * or a GS1 code (UDI) in one of its three text forms — element string (GS1-128, GS1 DataMatrix,
 * GS1 QR, GS1 DataBar, GS1 DotCode), bracketed human-readable form, or GS1 Digital Link URI.
 *
 * `parseScanCode` never throws: it says what the code is, or exactly what is wrong with it,
 * in French, because the message is shown as is to the hospital technician holding the phone.
 *
 * References: GS1 General Specifications (AI table, check digit, YYMMDD dates and the
 * sliding century window), GS1 Digital Link URI syntax, ISO/IEC 15424 symbology identifiers.
 */

export type ScanCode =
  /** Our own QR label: a URL `…/e/<inventory number>` (see `labelUrl`). */
  | { kind: 'label'; inventoryNumber: string }
  /** A bare inventory number, typed or read from a 1D barcode. */
  | { kind: 'inventory'; inventoryNumber: string }
  | {
      kind: 'gs1';
      format: 'element-string' | 'bracketed' | 'digital-link';
      /** AI 01, always 14 digits (a GTIN-8/12/13 from a Digital Link is padded with zeros). */
      gtin: string | null;
      /** AI 21. */
      serial: string | null;
      /** AI 10. */
      lot: string | null;
      /** AI 17 as ISO yyyy-mm-dd (day 00 = last day of the month). */
      expiry: string | null;
      /** AI 11 as ISO yyyy-mm-dd. */
      productionDate: string | null;
      /** Every AI read, with its raw value (AI 01 normalised to 14 digits). */
      ais: Record<string, string>;
    };

export type ScanResult = { ok: true; code: ScanCode } | { ok: false; error: string };

/**
 * An inventory number: 1 to 64 letters, digits, spaces, `.`, `_`, `/`, `-`; it starts with a
 * letter or a digit and does not end with a space.
 */
export const INVENTORY_NUMBER_PATTERN = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._/-]{0,62}[\p{L}\p{N}._/-])?$/u;

/** Longest input looked at (trimmed); a real code is far shorter. */
const MAX_INPUT_LENGTH = 512;

/** ASCII group separator: ends a variable-length GS1 element (FNC1 as transmitted by scanners). */
const GS = '\u001d';

/** Symbology identifiers (ISO/IEC 15424) that announce GS1 element-string data. */
const GS1_SYMBOLOGY_IDS = new Set([']C1', ']e0', ']d2', ']Q3', ']J1']);

/** Any symbology identifier: `]`, a symbology letter, a modifier character. */
const SYMBOLOGY_ID = /^\][A-Za-z][0-9A-Za-z]/;

// ---------------------------------------------------------------------------------------------
// GS1 check digit and GTIN

/** The GS1 mod-10 check digit completing `body` (weights 3, 1, 3, … from the right). */
function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Checks a GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14: digits only, valid check digit. */
export function isValidGtin(digits: string): boolean {
  if (!/^(?:\d{8}|\d{12,14})$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** The URL printed in the QR code of our own equipment labels. */
export function labelUrl(origin: string, inventoryNumber: string): string {
  return `${origin.replace(/\/+$/, '')}/e/${encodeURIComponent(inventoryNumber)}`;
}

// ---------------------------------------------------------------------------------------------
// Application identifiers

type Check = 'gtin' | 'mod10' | 'itip' | 'date' | 'datetime';

interface AiSpec {
  /** French name, for the messages. */
  title: string;
  numeric: boolean;
  /** Fixed length, or null when variable (up to `max`). */
  fixed: number | null;
  max: number;
  check?: Check;
}

const fixedN = (length: number, title: string, check?: Check): AiSpec => ({ title, numeric: true, fixed: length, max: length, check });
const varN = (max: number, title: string): AiSpec => ({ title, numeric: true, fixed: null, max });
const varAn = (max: number, title: string): AiSpec => ({ title, numeric: false, fixed: null, max });

/** The AIs understood here (GS1 General Specifications, section 3.2); the GS1 AI set is prefix-free. */
const AIS = new Map<string, AiSpec>([
  ['00', fixedN(18, 'SSCC', 'mod10')],
  ['01', fixedN(14, 'GTIN', 'gtin')],
  ['02', fixedN(14, 'GTIN contenu', 'gtin')],
  ['10', varAn(20, 'lot')],
  ['11', fixedN(6, 'date de fabrication', 'date')],
  ['12', fixedN(6, "date d'échéance", 'date')],
  ['13', fixedN(6, "date d'emballage", 'date')],
  ['15', fixedN(6, 'date de durabilité minimale', 'date')],
  ['16', fixedN(6, 'date limite de vente', 'date')],
  ['17', fixedN(6, 'date de péremption', 'date')],
  ['20', fixedN(2, 'variante')],
  ['21', varAn(20, 'numéro de série')],
  ['22', varAn(20, 'variante produit')],
  ['235', varAn(28, 'extension TPX')],
  ['240', varAn(30, 'identification complémentaire')],
  ['241', varAn(30, 'référence client')],
  ['242', varN(6, 'variante sur commande')],
  ['243', varAn(20, "composant d'emballage")],
  ['250', varAn(30, 'numéro de série secondaire')],
  ['251', varAn(30, "référence de l'entité source")],
  ['254', varAn(20, 'extension de GLN')],
  ['30', varN(8, 'quantité variable')],
  ['37', varN(8, 'quantité')],
  ['400', varAn(30, 'numéro de commande')],
  ['410', fixedN(13, 'GLN destinataire', 'mod10')],
  ['411', fixedN(13, 'GLN facturé', 'mod10')],
  ['412', fixedN(13, 'GLN fournisseur', 'mod10')],
  ['413', fixedN(13, 'GLN destinataire final', 'mod10')],
  ['414', fixedN(13, 'GLN de lieu', 'mod10')],
  ['415', fixedN(13, 'GLN du facturant', 'mod10')],
  ['416', fixedN(13, 'GLN de production', 'mod10')],
  ['417', fixedN(13, 'GLN de partie', 'mod10')],
  ['422', fixedN(3, "pays d'origine")],
  ['7003', fixedN(10, 'date et heure de péremption', 'datetime')],
  ['710', varAn(20, 'code national de remboursement (DE)')],
  ['711', varAn(20, 'code national de remboursement (FR)')],
  ['712', varAn(20, 'code national de remboursement (ES)')],
  ['713', varAn(20, 'code national de remboursement (BR)')],
  ['714', varAn(20, 'code national de remboursement (PT)')],
  ['715', varAn(20, 'code national de remboursement (US)')],
  ['8004', varAn(30, "identifiant d'actif (GIAI)")],
  ['8006', fixedN(18, 'composant (ITIP)', 'itip')],
  ['8012', varAn(20, 'version logicielle')],
  ['8020', varAn(25, 'référence de paiement')],
  ['90', varAn(30, 'donnée convenue entre partenaires')],
  ...['91', '92', '93', '94', '95', '96', '97', '98', '99'].map((ai): [string, AiSpec] => [ai, varAn(90, 'donnée interne')]),
]);

/** Only AI 17 may carry day 00 ("end of the month"), by decision of the brief. */
const DAY_ZERO_AIS = new Set(['17']);

/** GS1 AI encodable character set 82 (section 7.11, figure 7.11-1). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]$/;

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

// ---------------------------------------------------------------------------------------------
// Errors

/** Internal: carries a French message up to `parseScanCode`, which turns it into a result. */
class ScanError extends Error {}

function fail(message: string): never {
  throw new ScanError(message);
}

/** A value quoted in a message: long values shortened, control characters made visible. */
function quote(value: string): string {
  const visible = [...value].map(showChar).join('');
  const chars = [...visible];
  return `« ${chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : visible} »`;
}

function showChar(ch: string): string {
  if (ch === GS) return '<GS>';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch;
}

function aiName(ai: string): string {
  const spec = AIS.get(ai);
  return spec ? `AI ${ai} (${spec.title})` : `AI ${ai}`;
}

// ---------------------------------------------------------------------------------------------
// Dates

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The full year of a two-digit GS1 year (General Specifications 7.12): more than 50 years
 * ahead of the current year means the previous century, 50 or more years behind the next one.
 */
function gs1Year(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const century = current - (current % 100);
  const diff = yy - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** YYMMDD → ISO date, or a French reason why it is not a date. */
function gs1Date(value: string, allowDayZero: boolean, now: Date): { iso: string } | { reason: string } {
  const month = Number(value.slice(2, 4));
  let day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return { reason: `le mois ${value.slice(2, 4)} n'existe pas` };
  const year = gs1Year(Number(value.slice(0, 2)), now);
  const last = daysInMonth(year, month);
  if (day === 0) {
    if (!allowDayZero) return { reason: "le jour 00 n'est admis que pour la date de péremption (AI 17)" };
    day = last;
  }
  if (day > last) return { reason: `le ${day} ${MONTHS[month - 1] ?? ''} ${year} n'existe pas` };
  return { iso: `${year}-${pad2(month)}-${pad2(day)}` };
}

// ---------------------------------------------------------------------------------------------
// GS1 values

/** Checks one AI value against its specification; fails with a message naming the AI. */
function validateAi(ai: string, spec: AiSpec, value: string, now: Date): void {
  const name = aiName(ai);
  if (value === '') fail(`${name} : valeur vide.`);
  if (spec.numeric) {
    if (!/^\d+$/.test(value)) fail(`${name} : valeur non numérique ${quote(value)}, chiffres attendus.`);
  } else {
    const bad = [...value].find((ch) => !CSET82.test(ch));
    if (bad !== undefined) fail(`${name} : caractère non autorisé ${quote(bad)} dans ${quote(value)}.`);
  }
  if (spec.fixed !== null && value.length !== spec.fixed) {
    fail(`${name} : ${spec.fixed} chiffres attendus, ${value.length} lus dans ${quote(value)}.`);
  }
  if (value.length > spec.max) {
    fail(`${name} : ${spec.max} caractères au plus, ${value.length} lus dans ${quote(value)}.`);
  }
  switch (spec.check) {
    case 'gtin':
    case 'itip': {
      const gtin = value.slice(0, 14);
      const expected = gs1CheckDigit(gtin.slice(0, 13));
      const read = gtin.slice(13);
      if (String(expected) !== read) {
        fail(`${name} : clé de contrôle GTIN invalide : attendu ${expected}, lu ${read} dans ${quote(value)}.`);
      }
      break;
    }
    case 'mod10': {
      const expected = gs1CheckDigit(value.slice(0, -1));
      const read = value.slice(-1);
      if (String(expected) !== read) fail(`${name} : clé de contrôle invalide : attendu ${expected}, lu ${read} dans ${quote(value)}.`);
      break;
    }
    case 'date': {
      const date = gs1Date(value, DAY_ZERO_AIS.has(ai), now);
      if ('reason' in date) fail(`${name} : date invalide ${quote(value)} (AAMMJJ) : ${date.reason}.`);
      break;
    }
    case 'datetime': {
      const date = gs1Date(value.slice(0, 6), false, now);
      if ('reason' in date) fail(`${name} : date invalide ${quote(value)} (AAMMJJHHMM) : ${date.reason}.`);
      const hours = Number(value.slice(6, 8));
      const minutes = Number(value.slice(8, 10));
      if (hours > 23 || minutes > 59) fail(`${name} : heure invalide ${quote(value)} (AAMMJJHHMM) : ${value.slice(6, 8)} h ${value.slice(8, 10)}.`);
      break;
    }
    case undefined:
      break;
  }
}

/** Validates and records one AI; the same AI twice is fine only with the same value. */
function addAi(ais: Map<string, string>, ai: string, value: string, now: Date): void {
  const spec = AIS.get(ai);
  if (!spec) fail(`AI ${ai} inconnu ou non pris en charge.`);
  validateAi(ai, spec, value, now);
  const previous = ais.get(ai);
  if (previous !== undefined && previous !== value) {
    fail(`${aiName(ai)} présent deux fois avec des valeurs différentes : ${quote(previous)} et ${quote(value)}.`);
  }
  ais.set(ai, value);
}

function gs1Code(format: 'element-string' | 'bracketed' | 'digital-link', ais: Map<string, string>, now: Date): ScanCode {
  if (ais.size === 0) fail("Code GS1 vide : aucun identifiant d'application (AI) lu.");
  const date = (ai: string): string | null => {
    const value = ais.get(ai);
    if (value === undefined) return null;
    const parsed = gs1Date(value, DAY_ZERO_AIS.has(ai), now);
    return 'iso' in parsed ? parsed.iso : null; // already validated by addAi
  };
  return {
    kind: 'gs1',
    format,
    gtin: ais.get('01') ?? null,
    serial: ais.get('21') ?? null,
    lot: ais.get('10') ?? null,
    expiry: date('17'),
    productionDate: date('11'),
    ais: Object.fromEntries(ais),
  };
}

// ---------------------------------------------------------------------------------------------
// The three GS1 text forms

/** The AI at the start of `s` (the GS1 AI set is prefix-free: at most one of 2, 3, 4 digits fits). */
function aiAt(s: string, at: number): string | null {
  for (const length of [2, 3, 4]) {
    const candidate = s.slice(at, at + length);
    if (candidate.length === length && AIS.has(candidate)) return candidate;
  }
  return null;
}

/** Unbracketed element string: fixed-length values by length, variable ones up to GS or the end. */
function parseElementString(s: string, now: Date): ScanCode {
  const ais = new Map<string, string>();
  let at = 0;
  while (at < s.length) {
    if (s[at] === GS) {
      at++;
      continue;
    }
    const ai = aiAt(s, at);
    if (ai === null) {
      fail(`Code GS1 illisible : aucun AI connu au début de ${quote(s.slice(at, at + 12))} (position ${at + 1}).`);
    }
    const spec = AIS.get(ai);
    if (!spec) fail(`AI ${ai} inconnu ou non pris en charge.`); // unreachable: aiAt found it
    at += ai.length;
    const gsAt = s.indexOf(GS, at);
    const end = gsAt === -1 ? s.length : gsAt;
    let value: string;
    if (spec.fixed !== null) {
      value = s.slice(at, Math.min(at + spec.fixed, end));
      if (value.length < spec.fixed) {
        fail(`${aiName(ai)} : ${spec.fixed} chiffres attendus, seulement ${value.length} lus${value ? ` (${quote(value)})` : ''}.`);
      }
    } else {
      value = s.slice(at, end);
      if (value.length > spec.max) {
        fail(`${aiName(ai)} : ${value.length} caractères lus pour ${spec.max} au plus (${quote(value)}) — séparateur GS manquant après l'AI ${ai} ?`);
      }
      if (spec.numeric && !/^\d*$/.test(value)) {
        fail(`${aiName(ai)} : valeur non numérique ${quote(value)} — séparateur GS manquant après l'AI ${ai} ?`);
      }
    }
    at += value.length;
    addAi(ais, ai, value, now);
  }
  return gs1Code('element-string', ais, now);
}

/** Human-readable form: `(01)09506000134352(17)261231(10)ABC123`. */
function parseBracketed(s: string, now: Date): ScanCode {
  const head = /^\((\d{2,4})\)/.exec(s);
  if (!head) fail(`Code GS1 entre parenthèses mal formé : ${quote(s.slice(0, 12))} ne commence pas par un AI comme (01).`);
  const ais = new Map<string, string>();
  const marker = /\((\d{2,4})\)/g;
  const found: { ai: string; start: number; end: number }[] = [];
  for (let m = marker.exec(s); m !== null; m = marker.exec(s)) {
    found.push({ ai: m[1] ?? '', start: m.index, end: m.index + m[0].length });
  }
  found.forEach(({ ai, end }, i) => {
    const next = found[i + 1];
    const value = s.slice(end, next ? next.start : s.length).replaceAll(GS, '').trim();
    if (!AIS.has(ai)) fail(`AI (${ai}) inconnu ou non pris en charge.`);
    addAi(ais, ai, value, now);
  });
  return gs1Code('bracketed', ais, now);
}

/** Aliases of the GS1 Digital Link path keys (the "convenience alphas" of early versions). */
const DL_PRIMARY_KEYS = new Set(['01', 'gtin']);
const DL_QUALIFIERS = new Map([
  ['22', '22'],
  ['cpv', '22'],
  ['10', '10'],
  ['lot', '10'],
  ['21', '21'],
  ['ser', '21'],
]);

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return fail(`${what} : encodage d'URL invalide dans ${quote(part)}.`);
  }
}

/**
 * GS1 Digital Link URI: `[/prefix…]/01/<gtin>[/22/<cpv>][/10/<lot>][/21/<serial>][?17=…&11=…]`.
 * Returns null when the path holds no GTIN key at all (so not a Digital Link).
 */
function parseDigitalLink(url: URL, now: Date): ScanCode | null {
  const segments = url.pathname.split('/').filter((x) => x !== '');
  const keyAt = segments.findIndex((x, i) => DL_PRIMARY_KEYS.has(x.toLowerCase()) && i + 1 < segments.length);
  if (keyAt === -1) return null;
  const what = 'GS1 Digital Link';
  const ais = new Map<string, string>();

  const gtin = decode(segments[keyAt + 1] ?? '', what);
  if (!/^(?:\d{8}|\d{12,14})$/.test(gtin)) {
    fail(`${what} : GTIN ${quote(gtin)} invalide, 8, 12, 13 ou 14 chiffres attendus.`);
  }
  addAi(ais, '01', gtin.padStart(14, '0'), now);

  for (let i = keyAt + 2; i < segments.length; i += 2) {
    const key = decode(segments[i] ?? '', what);
    const ai = DL_QUALIFIERS.get(key.toLowerCase());
    if (ai === undefined) fail(`${what} : ${quote(key)} n'est pas un qualificatif du GTIN (attendu 22, 10 ou 21).`);
    const raw = segments[i + 1];
    if (raw === undefined) fail(`${what} : valeur manquante après /${key}.`);
    addAi(ais, ai, decode(raw, what), now);
  }

  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq), what);
    if (!/^\d+$/.test(key)) continue; // linkType, context, … : not AIs
    addAi(ais, key, decode(eq === -1 ? '' : pair.slice(eq + 1), what), now);
  }
  return gs1Code('digital-link', ais, now);
}

// ---------------------------------------------------------------------------------------------
// Entry point

function parseUrl(s: string, now: Date): ScanCode {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return fail(`URL mal formée : ${quote(s)}.`);
  }
  const label = /^\/e\/([^/]+)\/?$/i.exec(url.pathname);
  if (label) {
    const inventoryNumber = decode(label[1] ?? '', 'Étiquette GMAO');
    if (!INVENTORY_NUMBER_PATTERN.test(inventoryNumber)) {
      fail(`Étiquette GMAO : numéro d'inventaire invalide ${quote(inventoryNumber)}.`);
    }
    return { kind: 'label', inventoryNumber };
  }
  const link = parseDigitalLink(url, now);
  if (link) return link;
  return fail('URL non reconnue : ni étiquette GMAO ni GS1 Digital Link.');
}

/** Why `s` is not an inventory number. */
function inventoryError(s: string): string {
  const chars = [...s];
  if (chars.length > 64) return `Code illisible : ${chars.length} caractères, un numéro d'inventaire en compte 64 au plus.`;
  const first = chars[0] ?? '';
  if (!/^[\p{L}\p{N}]$/u.test(first)) {
    return `Code illisible : un numéro d'inventaire commence par une lettre ou un chiffre, pas par ${quote(first)}.`;
  }
  const bad = chars.find((ch) => !/^[\p{L}\p{N} ._/-]$/u.test(ch));
  if (bad !== undefined) {
    return `Code illisible : caractère ${quote(bad)} non autorisé dans un numéro d'inventaire (lettres, chiffres, espaces, . _ / -).`;
  }
  return `Code illisible : ${quote(s)} n'est pas un numéro d'inventaire valide.`;
}

/** An unmarked string is read as a GS1 element string when it holds a GS or starts with AI 01 and a valid GTIN. */
function looksLikeElementString(s: string): boolean {
  if (s.includes(GS)) return true;
  const m = /^01(\d{14})/.exec(s);
  return m !== null && isValidGtin(m[1] ?? '');
}

/** What the camera read: our label, an inventory number or a GS1 code — or what is wrong with it. */
export function parseScanCode(raw: string, now: Date = new Date()): ScanResult {
  try {
    return { ok: true, code: classify(raw, now) };
  } catch (e) {
    if (e instanceof ScanError) return { ok: false, error: e.message };
    throw e;
  }
}

function classify(raw: string, now: Date): ScanCode {
  let s = raw.trim();
  if (s === '') fail("Code vide : rien n'a été lu.");
  if (s.length > MAX_INPUT_LENGTH) fail(`Code trop long : ${s.length} caractères, ${MAX_INPUT_LENGTH} au plus.`);

  let gs1Symbology = false;
  const symbology = SYMBOLOGY_ID.exec(s);
  if (symbology) {
    gs1Symbology = GS1_SYMBOLOGY_IDS.has(symbology[0]);
    s = s.slice(symbology[0].length);
    if (s.trim() === '') fail(`Code vide : seul l'identifiant de symbologie ${symbology[0]} a été lu.`);
  }

  if (/^https?:\/\//i.test(s)) return parseUrl(s, now);

  s = s.replace(/<GS>|\{GS\}/gi, GS);
  if (s.startsWith('(')) return parseBracketed(s, now);
  if (gs1Symbology || looksLikeElementString(s)) return parseElementString(s, now);

  if (!INVENTORY_NUMBER_PATTERN.test(s)) fail(inventoryError(s));
  return { kind: 'inventory', inventoryNumber: s };
}
