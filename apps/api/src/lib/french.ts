/**
 * How documents for people (PDFs, CSVs, file names) write dates, numbers and money:
 * French conventions, hospital time (Europe/Paris). The API's JSON stays in UTC ISO.
 */

export const HOSPITAL_TIME_ZONE = 'Europe/Paris';

const dateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: HOSPITAL_TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: HOSPITAL_TIME_ZONE });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 });
const money = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** 01/03/2026 14:05 in Paris; '' for none. */
export function parisDateTime(at: string | Date | null): string {
  return at ? dateTime.format(typeof at === 'string' ? new Date(at) : at) : '';
}

/** The calendar day in Paris as yyyy-mm-dd. */
export function parisDay(at: Date = new Date()): string {
  return isoDay.format(at);
}

/** A measured value: decimal comma, at most three decimals. */
export function frenchNumber(n: number): string {
  return decimal.format(n);
}

/** Integer cents as « 1 234,50 € ». */
export function euros(cents: number): string {
  return money.format(cents / 100);
}
