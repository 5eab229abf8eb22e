import type { LabelLocale } from '@gmao/domain';

/**
 * How documents for people (PDFs, CSVs, file names) write dates, numbers and money:
 * French conventions by default, English ones for a reader who chose English (`formatsFor`);
 * always hospital time (Europe/Paris). The API's JSON stays in UTC ISO.
 */

export const HOSPITAL_TIME_ZONE = 'Europe/Paris';

/** The language of a document or a message: the labels' locales (packages/domain). */
export type Locale = LabelLocale;

/** The BCP 47 tag each locale writes with (dates dd/mm/yyyy in both). */
const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export interface DocumentFormats {
  locale: Locale;
  /** BCP 47 tag of the document (its /Lang). */
  tag: string;
  /** 01/03/2026 14:05 in Paris; '' for none. */
  dateTime(at: string | Date | null): string;
  /** A calendar day (yyyy-mm-dd) as 01/03/2026; '' for none. */
  date(day: string | null): string;
  /** A measured value: at most three decimals (decimal comma in French). */
  number(n: number): string;
  /** Integer cents as « 1 234,50 € » or “€1,234.50”. */
  money(cents: number): string;
}

function makeFormats(locale: Locale): DocumentFormats {
  const tag = INTL_LOCALE[locale];
  const dateTime = new Intl.DateTimeFormat(tag, { timeZone: HOSPITAL_TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });
  const day = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', dateStyle: 'short' });
  const decimal = new Intl.NumberFormat(tag, { maximumFractionDigits: 3 });
  const money = new Intl.NumberFormat(tag, { style: 'currency', currency: 'EUR' });
  return {
    locale,
    tag,
    dateTime: (at) => (at ? dateTime.format(typeof at === 'string' ? new Date(at) : at) : ''),
    date: (d) => (d ? day.format(new Date(`${d}T00:00:00Z`)) : ''),
    number: (n) => decimal.format(n),
    money: (cents) => money.format(cents / 100),
  };
}

const FORMATS: Record<Locale, DocumentFormats> = { fr: makeFormats('fr'), en: makeFormats('en') };

/** The formats of documents in `locale`. */
export function formatsFor(locale: Locale): DocumentFormats {
  return FORMATS[locale];
}

const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: HOSPITAL_TIME_ZONE });

/** The calendar day in Paris as yyyy-mm-dd. */
export function parisDay(at: Date = new Date()): string {
  return isoDay.format(at);
}
