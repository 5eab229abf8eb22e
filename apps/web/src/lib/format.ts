/** Every date and time is shown in the hospitals' time zone, whatever the browser's. */
export const TIME_ZONE = 'Europe/Paris';

const cache = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
      timeZone: TIME_ZONE,
      dateStyle: 'short',
      timeStyle: 'short',
    });
    cache.set(locale, format);
  }
  return format.format(date);
}

const intlLocale = (locale: string) => (locale === 'fr' ? 'fr-FR' : 'en-GB');
const dateCache = new Map<string, Intl.DateTimeFormat>();
const moneyCache = new Map<string, Intl.NumberFormat>();

/** A calendar date (yyyy-mm-dd) as the user reads it, without any time-zone shift. */
export function formatDate(isoDate: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  let format = dateCache.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(locale), { timeZone: 'UTC', dateStyle: 'short' });
    dateCache.set(locale, format);
  }
  return format.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

/** An amount in euro cents, e.g. 123456 → "1 234,56 €" in French. */
export function formatMoney(cents: number, locale: string): string {
  let format = moneyCache.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: 'EUR' });
    moneyCache.set(locale, format);
  }
  return format.format(cents / 100);
}

/**
 * Reads an amount typed in euros ("1 234,56", "1234.5", "12 €") as integer cents.
 * Empty → null; anything else that is not an amount with at most two decimals → NaN.
 */
export function parseEuros(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, '');
  if (compact === '') return null;
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return Number.NaN;
  const euros = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return euros * 100 + cents;
}

/** Cents as the cost field shows them for editing: "1234,56" in French, "1234.56" in English. */
export function centsToInput(cents: number | null, locale: string): string {
  if (cents === null) return '';
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  const separator = locale === 'fr' ? ',' : '.';
  return rest === 0 ? String(euros) : `${euros}${separator}${String(rest).padStart(2, '0')}`;
}

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A file size as people read it: "850 octets", "12,3 ko", "4,2 Mo" in French (powers of 1024). */
export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'unit',
    unit: byteUnits[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** Today's date (yyyy-mm-dd) in the hospitals' time zone, as the API reckons it. */
export function todayIso(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(now);
}

/**
 * Reads a number typed in French or English ("0,3", "1 000,5", "-2", "5000"):
 * empty → null, anything else that is not a number → NaN.
 */
export function parseDecimal(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return null;
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(compact)) return Number.NaN;
  return Number(compact.replace(',', '.'));
}

/** A number as typed back in an input of the user's language (decimal comma in French). */
export function decimalInput(value: number | null, locale: string): string {
  if (value === null) return '';
  const text = String(value);
  return locale === 'fr' ? text.replace('.', ',') : text;
}
