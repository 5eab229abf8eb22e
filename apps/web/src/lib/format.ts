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
