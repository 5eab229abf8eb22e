/**
 * What a phone camera read off a medical device: our own QR label, a bare inventory number,
 * or a GS1 code (UDI) in one of its three text forms — element string (GS1-128, GS1 DataMatrix,
 * GS1 QR, GS1 DataBar, GS1 DotCode), bracketed human-readable form, or GS1 Digital Link URI.
 *
 * `parseScanCode` never throws: it says what the code is, or exactly what is wrong with it
 * (a reason code, and its sentence in French; `scanErrorMessage` gives it in English), because
 * the message is shown as is to the hospital technician holding the phone.
 *
 * GS1 codes are read against the complete AI table of the GS1 Barcode Syntax Dictionary
 * (`gs1/syntax-dictionary.generated.ts`) and its rules: each AI's components, lengths and
 * syntax tests (check digits, dates with day 00 where the format is `yymmd0`…), FNC1 after
 * every AI that is not of pre-defined length, the `req` and `ex` pairings, and the GS1 Digital
 * Link key–qualifier order. References: GS1 General Specifications, GS1 Digital Link URI
 * syntax, the GS1 Barcode Syntax Engine, ISO/IEC 15424 symbology identifiers.
 */
import {
  aiAt, aiEntry, DL_CONVENIENCE_ALPHAS, excludedBy, isDlPathSequence, predefinedLength, unmetRequirement, valueLengths,
  type Gs1AiEntry,
} from './gs1/dictionary.js';
import { CSET82_CHARS, daysInMonth, gs1CheckDigit, gs1Year, lint } from './gs1/linters.js';
import { scanErrorMessage, type ScanErrorParams, type ScanErrorReason } from './scan-code-messages.js';

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
      /** AI 17 as ISO yyyy-mm-dd (day 00, the month only: its last day). */
      expiry: string | null;
      /** AI 11 as ISO yyyy-mm-dd (day 00, the month only: its first day). */
      productionDate: string | null;
      /** Every AI read, with its raw value (AI 01 normalised to 14 digits). */
      ais: Record<string, string>;
    };

export type ScanFailure = {
  ok: false;
  /** What is wrong, in French (the API's language); `scanErrorMessage` says it in English too. */
  error: string;
  /** Why, as a stable code, with the values the sentence names. */
  reason: ScanErrorReason;
  params: ScanErrorParams;
};

export type ScanResult = { ok: true; code: ScanCode } | ScanFailure;

export { scanErrorMessage, type ScanErrorParams, type ScanErrorReason } from './scan-code-messages.js';

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

/** Characters allowed in a GS1 Digital Link URI (unreserved, reserved and `%`). */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

// ---------------------------------------------------------------------------------------------
// GTIN

/** Checks a GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14: digits only, valid check digit. */
export function isValidGtin(digits: string): boolean {
  if (!/^(?:\d{8}|\d{12,14})$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

// In a module of its own so that the SPA's device page does not load the parser with it.
export { labelUrl } from './label-url.js';

// ---------------------------------------------------------------------------------------------
// Errors

/** Internal: carries the reason up to `parseScanCode`, which turns it into a result. */
class ScanError extends Error {
  constructor(
    readonly reason: ScanErrorReason,
    readonly params: ScanErrorParams,
  ) {
    super(reason);
  }
}

function fail(reason: ScanErrorReason, params: ScanErrorParams = {}): never {
  throw new ScanError(reason, params);
}

// ---------------------------------------------------------------------------------------------
// One AI value against the dictionary

/** GS1 character sets of the dictionary's component types X, Y and Z. */
const CSETS: Record<'X' | 'Y' | 'Z', RegExp> = {
  X: new RegExp(`^[${CSET82_CHARS.replace(/[\]\\^-]/g, '\\$&')}]$`),
  Y: /^[#\-/0-9A-Z]$/,
  Z: /^[-0-9A-Za-z_]$/,
};

/** Base64url (set 64): up to two `=` of padding at the end, and then a length that is a multiple of 3. */
function badCset64Char(component: string): string | undefined {
  const pads = /=*$/.exec(component)?.[0].length ?? 0;
  if (pads > 2 || (pads > 0 && component.length % 3 !== 0)) return '=';
  return [...component.slice(0, component.length - pads)].find((ch) => !CSETS.Z.test(ch));
}

/** Where a value came from: an element string's variable value ran up to a GS, hence the hint when it is wrong. */
interface ValueContext {
  now: Date;
  gsHint: boolean;
}

/** Checks one AI value against the dictionary: length, character sets, then each component's linters. */
function validateValue(ai: string, entry: Gs1AiEntry, value: string, { now, gsHint }: ValueContext): void {
  if (value === '') fail('ai_empty', { ai });
  const digits = entry.parts.every((p) => p.cset === 'N');
  const ranges = valueLengths(entry);
  const max = ranges.at(-1)?.[1] ?? 0;
  const length = [...value].length;
  if (length > max) fail('ai_too_long', { ai, max, length, value, gsHint });
  if (!ranges.some(([lo, hi]) => length >= lo && length <= hi)) {
    fail('ai_length', { ai, lengths: ranges.map(([lo, hi]) => `${lo}-${hi}`).join('|'), length, value, digits });
  }
  let at = 0;
  for (const part of entry.parts) {
    const component = value.slice(at, at + part.max);
    if (part.optional && component === '') continue;
    if (part.cset === 'N') {
      const bad = [...component].find((ch) => !/^\d$/.test(ch));
      if (bad !== undefined) {
        if (digits) fail('ai_not_numeric', { ai, value, gsHint });
        fail('ai_bad_char', { ai, char: bad, value, digit: true });
      }
    } else {
      const cset = CSETS[part.cset];
      const bad = part.cset === 'Z' ? badCset64Char(component) : [...component].find((ch) => !cset.test(ch));
      if (bad !== undefined) fail('ai_bad_char', { ai, char: bad, value });
    }
    for (const linter of part.linters ?? []) {
      const problem = lint(linter, component, now);
      if (!problem) continue;
      switch (problem.kind) {
        case 'check_digit':
          fail('ai_check_digit', { ai, expected: problem.expected, read: problem.read, value, gtin: component.length === 14 });
          break;
        case 'check_pair':
          fail('ai_check_pair', { ai, expected: problem.expected, read: problem.read, value });
          break;
        case 'date':
          fail('ai_date', { ai, value: component, format: component.length === 8 ? 'yyyymmdd' : 'yymmdd', problem: problem.problem, year: problem.year, month: problem.month, day: problem.day });
          break;
        case 'time':
          fail('ai_time', { ai, value: component });
          break;
        case 'other':
          fail('ai_invalid', { ai, linter: problem.linter, value: component });
      }
    }
    at += component.length;
  }
}

/** Validates and records one AI; the same AI twice is fine only with the same value. */
function addAi(ais: Map<string, string>, ai: string, value: string, ctx: ValueContext): void {
  const entry = aiEntry(ai);
  if (!entry) fail('ai_unknown', { ai });
  validateValue(ai, entry, value, ctx);
  const previous = ais.get(ai);
  if (previous !== undefined && previous !== value) fail('ai_conflict', { ai, first: previous, second: value });
  ais.set(ai, value);
}

/** The YYMMDD date of a date AI as ISO yyyy-mm-dd; day 00 is the month only: its last day (`last`) or its first. */
function isoDate(value: string | undefined, dayZero: 'first' | 'last', now: Date): string | null {
  if (value === undefined) return null;
  const year = gs1Year(Number(value.slice(0, 2)), now);
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6)) || (dayZero === 'last' ? daysInMonth(year, month) : 1);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The dictionary's rules over the whole code: `ex` (AIs that exclude each other), then `req` (AIs that need others). */
function gs1Code(format: 'element-string' | 'bracketed' | 'digital-link', ais: Map<string, string>, now: Date): ScanCode {
  if (ais.size === 0) fail('gs1_empty');
  const present = [...ais.keys()];
  for (const ai of present) {
    const other = excludedBy(ai, aiEntry(ai) as Gs1AiEntry, present);
    if (other !== null) fail('ai_excludes', { ai, other });
  }
  for (const ai of present) {
    const unmet = unmetRequirement(ai, aiEntry(ai) as Gs1AiEntry, present);
    if (unmet) fail('ai_requires', { ai, groups: unmet.map((group) => group.join('+')).join('|') });
  }
  if (ais.has('8030')) {
    // The GS1 Barcode Syntax Engine's rule: a signed GDTI, GCN or GRAI carries its serial component.
    for (const ai of ['253', '255', '8003']) {
      const value = ais.get(ai);
      if (value !== undefined && value.length === valueLengths(aiEntry(ai) as Gs1AiEntry)[0]?.[0]) fail('ai_digsig_serial', { ai });
    }
  }
  return {
    kind: 'gs1',
    format,
    gtin: ais.get('01') ?? null,
    serial: ais.get('21') ?? null,
    lot: ais.get('10') ?? null,
    expiry: isoDate(ais.get('17'), 'last', now),
    productionDate: isoDate(ais.get('11'), 'first', now),
    ais: Object.fromEntries(ais),
  };
}

// ---------------------------------------------------------------------------------------------
// The three GS1 text forms

/**
 * Unbracketed element string: a pre-defined length AI (flag `*`) takes its length, any other
 * runs up to the next GS (FNC1) or the end.
 */
function parseElementString(s: string, now: Date): ScanCode {
  const ais = new Map<string, string>();
  let at = 0;
  while (at < s.length) {
    if (s[at] === GS) {
      at++;
      continue;
    }
    const ai = aiAt(s, at);
    if (ai === null) fail('gs1_no_ai', { text: s.slice(at, at + 12), position: at + 1 });
    const entry = aiEntry(ai) as Gs1AiEntry;
    at += ai.length;
    const gsAt = s.indexOf(GS, at);
    const end = gsAt === -1 ? s.length : gsAt;
    let value: string;
    if (entry.predefined) {
      const length = predefinedLength(entry);
      value = s.slice(at, Math.min(at + length, end));
      if (value.length < length) fail('ai_truncated', { ai, expected: length, length: value.length, value, digits: true });
    } else {
      value = s.slice(at, end);
    }
    at += value.length;
    addAi(ais, ai, value, { now, gsHint: !entry.predefined });
  }
  return gs1Code('element-string', ais, now);
}

/** Human-readable form: `(01)09506000134352(17)261231(10)ABC123`; `\(` is a bracket in a value. */
function parseBracketed(s: string, now: Date): ScanCode {
  if (!/^\(\d{2,4}\)/.test(s)) fail('bracket_malformed', { text: s.slice(0, 12) });
  const ais = new Map<string, string>();
  const marker = /(?<!\\)\((\d{2,4})\)/g;
  const found: { ai: string; start: number; end: number }[] = [];
  for (let m = marker.exec(s); m !== null; m = marker.exec(s)) {
    found.push({ ai: m[1] ?? '', start: m.index, end: m.index + m[0].length });
  }
  found.forEach(({ ai, end }, i) => {
    const next = found[i + 1];
    const value = s.slice(end, next ? next.start : s.length).replaceAll('\\(', '(').replaceAll(GS, '').trim();
    if (!aiEntry(ai)) fail('ai_unknown', { ai, bracketed: true });
    addAi(ais, ai, value, { now, gsHint: false });
  });
  return gs1Code('bracketed', ais, now);
}

function decode(part: string, what: 'label' | 'dl'): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return fail('bad_encoding', { what, value: part });
  }
}

/** The AI a Digital Link path segment names: digits of a known AI, or a convenience alpha (`gtin`, `lot`, `ser`…). */
function pathAi(segment: string | undefined): string | null {
  if (segment === undefined) return null;
  let key: string;
  try {
    key = decodeURIComponent(segment).toLowerCase();
  } catch {
    return null;
  }
  if (/^\d{2,4}$/.test(key)) return aiEntry(key) ? key : null;
  return DL_CONVENIENCE_ALPHAS[key] ?? null;
}

/** Where the Digital Link's primary key is: walking back over `/AI/value` pairs from the end to the rightmost key. */
function primaryKeyAt(segments: readonly string[]): number {
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const ai = pathAi(segments[i]);
    if (ai === null) return -1;
    if (aiEntry(ai)?.dlpkey) return i;
  }
  return -1;
}

/** AI 01 in a Digital Link: a GTIN-8, -12 or -13 is padded to 14 digits. */
function dlValue(ai: string, value: string): string {
  if (ai !== '01') return value;
  if (!/^(?:\d{8}|\d{12,14})$/.test(value)) fail('dl_key_value', { value });
  return value.padStart(14, '0');
}

/** Why the path's key and qualifiers are not one of the key's sequences (dictionary attribute `dlpkey`). */
function dlPathProblem(path: readonly string[]): never {
  const [key = '', ...qualifiers] = path;
  const sequences = aiEntry(key)?.dlpkey ?? [];
  const described = sequences.filter((seq) => seq.length > 0).map((seq) => seq.join(',')).join('|');
  const stray = qualifiers.find((q) => !sequences.some((seq) => seq.includes(q)));
  if (stray !== undefined) fail('dl_not_qualifier', { key, ai: stray, sequences: described });
  return fail('dl_qualifier_order', { key, got: qualifiers.join(','), sequences: described });
}

/**
 * GS1 Digital Link URI: `[/stem…]/<key>/<value>[/<qualifier>/<value>…][?<AI>=<value>&…]`, as the
 * GS1 Barcode Syntax Engine reads it: the qualifiers in the order of the key's `dlpkey`
 * sequence, the query's numeric keys AIs that are data attributes (flag `?`) and that do not
 * belong in the path, no AI twice. Returns null when the path holds no primary key.
 */
function parseDigitalLink(raw: string, url: URL, now: Date): ScanCode | null {
  const segments = url.pathname.split('/').slice(1);
  const trailingSlash = segments.length > 1 && segments.at(-1) === '';
  if (trailingSlash) segments.pop();
  const keyAt = primaryKeyAt(segments);
  if (keyAt === -1) {
    const dangling = segments.at(-1);
    if (segments.length >= 3 && pathAi(dangling) !== null && primaryKeyAt(segments.slice(0, -1)) !== -1) {
      fail('dl_missing_value', { key: decode(dangling ?? '', 'dl') });
    }
    return null;
  }
  const bad = [...raw].find((ch) => !URI_CHARACTERS.test(ch));
  if (bad !== undefined) fail('dl_bad_char', { char: bad });
  if (trailingSlash) fail('dl_trailing_slash');

  const ais = new Map<string, string>();
  const ctx = { now, gsHint: false };
  const path: { ai: string; value: string }[] = [];
  for (let i = keyAt; i < segments.length; i += 2) {
    const ai = pathAi(segments[i]) as string;
    path.push({ ai, value: decode(segments[i + 1] ?? '', 'dl') });
  }
  if (!isDlPathSequence(path.map((p) => p.ai))) dlPathProblem(path.map((p) => p.ai));
  for (const { ai, value } of path) {
    if (ais.has(ai)) fail('ai_repeated', { ai });
    addAi(ais, ai, value === '' ? '' : dlValue(ai, value), ctx);
  }

  for (const pair of url.search.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue; // empty or a singleton: not an AI
    const key = decode(pair.slice(0, eq), 'dl');
    if (!/^\d+$/.test(key)) continue; // linkType, context, … : not AIs
    const entry = aiEntry(key);
    if (!entry) fail('ai_unknown', { ai: key });
    const value = decode(pair.slice(eq + 1).replaceAll('+', ' '), 'dl');
    if (ais.has(key)) fail('ai_repeated', { ai: key });
    addAi(ais, key, value === '' ? '' : dlValue(key, value), ctx);
    if (!entry.dlAttr) fail('dl_not_attribute', { ai: key });
    const pathAis = path.map((p) => p.ai);
    for (let j = 1; j <= pathAis.length; j++) {
      if (isDlPathSequence([...pathAis.slice(0, j), key, ...pathAis.slice(j)])) fail('dl_attribute_in_path', { ai: key });
    }
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
    return fail('url_malformed', { value: s });
  }
  const label = /^\/e\/([^/]+)\/?$/i.exec(url.pathname);
  if (label) {
    const inventoryNumber = decode(label[1] ?? '', 'label');
    if (!INVENTORY_NUMBER_PATTERN.test(inventoryNumber)) fail('label_invalid', { value: inventoryNumber });
    return { kind: 'label', inventoryNumber };
  }
  const link = parseDigitalLink(s, url, now);
  if (link) return link;
  return fail('url_unknown');
}

/** Why `s` is not an inventory number. */
function inventoryError(s: string): never {
  const chars = [...s];
  if (chars.length > 64) fail('inventory_too_long', { length: chars.length });
  const first = chars[0] ?? '';
  if (!/^[\p{L}\p{N}]$/u.test(first)) fail('inventory_first_char', { char: first });
  const bad = chars.find((ch) => !/^[\p{L}\p{N} ._/-]$/u.test(ch));
  if (bad !== undefined) fail('inventory_char', { char: bad });
  return fail('inventory_invalid', { value: s });
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
    if (e instanceof ScanError) {
      return { ok: false, error: scanErrorMessage(e, 'fr'), reason: e.reason, params: e.params };
    }
    throw e;
  }
}

function classify(raw: string, now: Date): ScanCode {
  let s = raw.trim();
  if (s === '') fail('empty');
  if (s.length > MAX_INPUT_LENGTH) fail('too_long', { length: s.length, max: MAX_INPUT_LENGTH });

  let gs1Symbology = false;
  const symbology = SYMBOLOGY_ID.exec(s);
  if (symbology) {
    gs1Symbology = GS1_SYMBOLOGY_IDS.has(symbology[0]);
    s = s.slice(symbology[0].length);
    if (s.trim() === '') fail('empty', { symbology: symbology[0] });
  }

  if (/^https?:\/\//i.test(s)) return parseUrl(s, now);

  s = s.replace(/<GS>|\{GS\}/gi, GS);
  if (s.startsWith('(')) return parseBracketed(s, now);
  if (gs1Symbology || looksLikeElementString(s)) return parseElementString(s, now);

  if (!INVENTORY_NUMBER_PATTERN.test(s)) inventoryError(s);
  return { kind: 'inventory', inventoryNumber: s };
}
