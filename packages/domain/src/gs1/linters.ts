/**
 * The GS1 Barcode Syntax Tests ("linters") that the Syntax Dictionary names, ported from the
 * reference implementation (gs1/gs1-syntax-dictionary, src/lint_*.c, Apache-2.0). Each one
 * checks one component of an AI's value and says what is wrong, or returns null.
 *
 * `gcppos1`/`gcppos2` check, as the reference does without a GS1 Company Prefix lookup service,
 * that the key starts with four digits.
 */
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC, MEDIA_TYPES, PACKAGE_TYPES } from './syntax-dictionary.generated.js';
import type { Gs1Linter } from './syntax-dictionary-types.js';

export type LintFailure =
  | { kind: 'check_digit'; expected: string; read: string }
  | { kind: 'check_pair'; expected: string; read: string }
  | { kind: 'date'; problem: 'month' | 'day' | 'day_zero'; year: number; month: number; day: number }
  | { kind: 'time' }
  | { kind: 'other'; linter: Gs1Linter };

const lazySet = (list: string): (() => Set<string>) => {
  let set: Set<string> | null = null;
  return () => (set ??= new Set(list.split(' ')));
};
const iso3166 = lazySet(ISO3166_NUMERIC);
const iso3166alpha2 = lazySet(ISO3166_ALPHA2);
const iso4217 = lazySet(ISO4217_NUMERIC);
const mediaTypes = lazySet(MEDIA_TYPES);
const packageTypes = lazySet(PACKAGE_TYPES);

const allDigits = (s: string): boolean => /^\d+$/.test(s);

/** The GS1 mod-10 check digit completing `body` (weights 3, 1, 3, … from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

function csum(data: string): LintFailure | null {
  if (!allDigits(data)) return { kind: 'other', linter: 'csum' };
  const expected = String(gs1CheckDigit(data.slice(0, -1)));
  const read = data.slice(-1);
  return expected === read ? null : { kind: 'check_digit', expected, read };
}

const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131,
  137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271,
  277, 281, 283, 293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419, 421, 431, 433,
  439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509,
];
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** GS1 character set 82 in the order of its check-character weights (1 for `!` … 82 for `z`). */
export const CSET82_CHARS = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** The check character pair of a GMN or MUDI (AIs 8013, 8014). */
function csumalpha(data: string): LintFailure | null {
  if (data.length < 2 || data.length > PRIMES.length + 2) return { kind: 'other', linter: 'csumalpha' };
  let sum = 0;
  const body = data.slice(0, -2);
  for (let pos = 0; pos < body.length; pos++) {
    const weight = CSET82_CHARS.indexOf(body[pos] ?? '');
    if (weight === -1) return { kind: 'other', linter: 'csumalpha' };
    sum += weight * (PRIMES[body.length - 1 - pos] ?? 0);
  }
  sum %= 1021;
  const expected = body.length === 0 ? '22' : `${CSET32[sum >> 5] ?? ''}${CSET32[sum & 31] ?? ''}`;
  const read = data.slice(-2);
  return expected === read ? null : { kind: 'check_pair', expected, read };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The full year of a two-digit GS1 year (General Specifications 7.12): more than 50 years
 * ahead of the current year means the previous century, 50 or more years behind the next one.
 */
export function gs1Year(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const century = current - (current % 100);
  const diff = yy - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** YYMMDD or YYYYMMDD, day 00 allowed or not; `now` places a two-digit year in its century. */
function date(data: string, linter: Gs1Linter, allowDayZero: boolean, now: Date): LintFailure | null {
  const digits = linter.startsWith('yyyy') ? 8 : 6;
  if (data.length !== digits || !allDigits(data)) return { kind: 'other', linter };
  const y = data.slice(0, digits - 4);
  const year = digits === 8 ? Number(y) : gs1Year(Number(y), now);
  const month = Number(data.slice(-4, -2));
  const day = Number(data.slice(-2));
  if (month < 1 || month > 12) return { kind: 'date', problem: 'month', year, month, day };
  if (day === 0) return allowDayZero ? null : { kind: 'date', problem: 'day_zero', year, month, day };
  if (day > daysInMonth(year, month)) return { kind: 'date', problem: 'day', year, month, day };
  return null;
}

function twoDigits(data: string, max: number): boolean {
  return data.length === 2 && allDigits(data) && Number(data) <= max;
}

function pieceOfTotal(data: string): boolean {
  if (!allDigits(data) || data.length === 0 || data.length % 2 !== 0) return false;
  const piece = data.slice(0, data.length / 2);
  const total = data.slice(data.length / 2);
  return Number(piece) > 0 && Number(total) > 0 && piece <= total;
}

function posInSeqSlash(data: string): boolean {
  const m = /^(\d+)\/(\d+)$/.exec(data);
  if (!m) return false;
  const [pos, end] = [m[1] ?? '', m[2] ?? ''];
  if (pos.startsWith('0') || end.startsWith('0')) return false;
  return pos.length < end.length || (pos.length === end.length && pos <= end);
}

function iban(data: string): boolean {
  if (data.length < 4 || !iso3166alpha2().has(data.slice(0, 2))) return false;
  if (data.length > 34 || data.length <= 10) return false;
  let sum = 0;
  for (const ch of data.slice(4) + data.slice(0, 4)) {
    const v = parseInt(ch, 36);
    if (Number.isNaN(v) || (ch >= 'a' && ch <= 'z')) return false;
    sum = (sum * (v < 10 ? 10 : 100) + v) % 97;
  }
  return sum === 1;
}

function gcppos1(data: string): LintFailure | null {
  return /^\d{4}/.test(data) ? null : { kind: 'other', linter: 'gcppos1' };
}

/**
 * The original North American Coupon Code (NACC) carried in AI 8110, after lint_couponcode.c:
 * a run of digits where each field either has a fixed length or follows a one-digit Variable
 * Length Indicator (VLI). The reference's many error codes all become one failure of the
 * linter, except that a GS1 Company Prefix refused by `gcppos1` is reported as such.
 */
function couponcode(data: string, now: Date): LintFailure | null {
  const bad: LintFailure = { kind: 'other', linter: 'couponcode' };
  if (!/^\d*$/.test(data)) return bad;
  const end = data.length;
  const digit = (at: number): number => data.charCodeAt(at) - 48;
  let p = 0;

  /** A VLI from `min` to `max` at `p`, then a field of VLI + `add` digits; false when either fails. */
  const vliField = (min: number, max: number, add: number): boolean => {
    if (p === end || digit(p) < min || digit(p) > max) return false;
    const length = digit(p++) + add;
    if (end - p < length) return false;
    p += length;
    return true;
  };
  /** A GS1 Company Prefix of VLI "0" to "6" (+ 6 digits) at `p`, or none for VLI "9" when `nineForNone`. */
  const gcpField = (nineForNone: boolean): LintFailure | null => {
    if (p === end || (digit(p) > 6 && !(nineForNone && digit(p) === 9))) return bad;
    const length = digit(p) === 9 ? 0 : digit(p) + 6;
    p++;
    if (end - p < length) return bad;
    if (length > 0) {
      const gcp = gcppos1(data.slice(p, p + length));
      if (gcp) return gcp;
      p += length;
    }
    return null;
  };
  /** A Purchase Requirement (VLI "1" to "5"), its code ("0" to "4" or "9") and a 3-digit Family Code. */
  const purchase = (): boolean => {
    if (!vliField(1, 5, 0)) return false;
    if (p === end || (digit(p) > 4 && digit(p) !== 9)) return false;
    p++;
    if (end - p < 3) return false;
    p += 3;
    return true;
  };
  /** A YYMMDD date at `p` (the reference's yymmdd linter: no day 00). */
  const yymmdd = (): string | null => {
    if (end - p < 6) return null;
    const value = data.slice(p, p + 6);
    if (date(value, 'yymmdd', false, now)) return null;
    p += 6;
    return value;
  };

  // Primary GS1 Company Prefix, 6-digit Offer Code, Save Value (VLI "1" to "5"), 1st purchase.
  const primaryGcp = gcpField(false);
  if (primaryGcp) return primaryGcp;
  if (end - p < 6) return bad;
  p += 6;
  if (!vliField(1, 5, 0)) return bad;
  if (!purchase()) return bad;

  // Optional field 1: Additional Purchase Rules Code ("0" to "3"), 2nd purchase and its GCP.
  if (p < end && data[p] === '1') {
    p++;
    if (p === end || digit(p) > 3) return bad;
    p++;
    if (!purchase()) return bad;
    const gcp = gcpField(true);
    if (gcp) return gcp;
  }
  // Optional field 2: 3rd purchase and its GCP.
  if (p < end && data[p] === '2') {
    p++;
    if (!purchase()) return bad;
    const gcp = gcpField(true);
    if (gcp) return gcp;
  }
  // Optional field 3: expiration date.
  let expiry: string | null = null;
  if (p < end && data[p] === '3') {
    p++;
    expiry = yymmdd();
    if (expiry === null) return bad;
  }
  // Optional field 4: start date, not after the expiration date (compared as YYMMDD, as the reference does).
  if (p < end && data[p] === '4') {
    p++;
    const start = yymmdd();
    if (start === null || (expiry !== null && start > expiry)) return bad;
  }
  // Optional field 5: Serial Number (VLI "0" to "9", + 6 digits).
  if (p < end && data[p] === '5') {
    p++;
    if (!vliField(0, 9, 6)) return bad;
  }
  // Optional field 6: Retailer GCP or GLN (VLI "1" to "7", + 6 digits).
  if (p < end && data[p] === '6') {
    p++;
    if (p === end || digit(p) < 1 || digit(p) > 7) return bad;
    const length = digit(p++) + 6;
    if (end - p < length) return bad;
    const gcp = gcppos1(data.slice(p, p + length));
    if (gcp) return gcp;
    p += length;
  }
  // Optional field 9: Save Value Code (0, 1, 2, 5 or 6), Applies to Item ("0" to "2"), Store Coupon
  // Flag (any digit), Don't Multiply Flag ("0" or "1").
  if (p < end && data[p] === '9') {
    p++;
    if (!/^[01256][0-2]\d[01]/.test(data.slice(p))) return bad;
    p += 4;
  }
  // Nothing else may follow.
  return p === end ? null : bad;
}

/**
 * The positive offer file coupon code carried in AI 8112, after lint_couponposoffer.c: Format
 * Code ("0" or "1"), Funder ID (VLI "0" to "6", + 6 digits), 6-digit Offer Code, Serial Number
 * (VLI "0" to "9", + 6 digits), and nothing more.
 */
function couponposoffer(data: string): boolean {
  const m = /^[01]([0-6])(\d*)$/.exec(data);
  if (!m) return false;
  let rest = m[2] ?? '';
  const funder = Number(m[1]) + 6;
  if (rest.length < funder + 6 + 1) return false; // Funder ID, Offer Code, Serial Number VLI
  rest = rest.slice(funder + 6);
  return rest.length === Number(rest[0]) + 6 + 1;
}

function percentEncoded(data: string): boolean {
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== '%') continue;
    if (!/^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) return false;
    i += 2;
  }
  return true;
}

/** Runs one linter on one component; null when the component passes. */
export function lint(linter: Gs1Linter, data: string, now: Date): LintFailure | null {
  const ok = (passes: boolean): LintFailure | null => (passes ? null : { kind: 'other', linter });
  switch (linter) {
    case 'csum':
      return csum(data);
    case 'csumalpha':
      return csumalpha(data);
    case 'gcppos1':
      return gcppos1(data);
    case 'gcppos2':
      return ok(/^.\d{4}/.test(data));
    case 'yymmd0':
    case 'yyyymmd0':
      return date(data, linter, true, now);
    case 'yymmdd':
    case 'yyyymmdd':
      return date(data, linter, false, now);
    case 'hh':
      return twoDigits(data, 23) ? null : { kind: 'time' };
    case 'mi':
    case 'ss':
      return twoDigits(data, 59) ? null : { kind: 'time' };
    case 'hhmi':
      return twoDigits(data.slice(0, 2), 23) && twoDigits(data.slice(2), 59) ? null : { kind: 'time' };
    case 'hasnondigit':
      return ok(!allDigits(data));
    case 'hyphen':
      return ok(/^-+$/.test(data));
    case 'iban':
      return ok(iban(data));
    case 'importeridx':
      return ok(/^[-0-9A-Za-z_]$/.test(data));
    case 'iso3166':
      return ok(iso3166().has(data));
    case 'iso3166999':
      return ok(data === '999' || iso3166().has(data));
    case 'iso3166alpha2':
      return ok(iso3166alpha2().has(data));
    case 'iso4217':
      return ok(iso4217().has(data));
    case 'iso5218':
      return ok(/^[0129]$/.test(data));
    case 'latitude':
      return ok(/^\d{10}$/.test(data) && Number(data) <= 1800000000);
    case 'longitude':
      return ok(/^\d{10}$/.test(data) && Number(data) <= 3600000000);
    case 'mediatype':
      return ok(mediaTypes().has(data));
    case 'nonzero':
      return ok(allDigits(data) && /[1-9]/.test(data));
    case 'nozeroprefix':
      return ok(data === '' || (allDigits(data) && !data.startsWith('0')));
    case 'packagetype':
      return ok(packageTypes().has(data));
    case 'pcenc':
      return ok(percentEncoded(data));
    case 'pieceoftotal':
      return ok(pieceOfTotal(data));
    case 'posinseqslash':
      return ok(posInSeqSlash(data));
    case 'winding':
      return ok(/^[019]$/.test(data));
    case 'yesno':
      return ok(/^[01]$/.test(data));
    case 'zero':
      return ok(/^0+$/.test(data));
    case 'couponcode':
      return couponcode(data, now);
    case 'couponposoffer':
      return ok(couponposoffer(data));
  }
}
