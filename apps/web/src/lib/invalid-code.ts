import { parseScanCode, scanErrorMessage, type LabelLocale } from '@gmao/domain';

/**
 * What is wrong with a code the API refused (400), in `locale`: the API parses with the same
 * domain function (`parseScanCode`) and answers in French, so the sentence is made here from
 * the parser's reason; the API's own detail when the two disagree (another version).
 */
export function invalidCodeDetail(code: string, apiDetail: string | null, locale: string): string | null {
  const parsed = parseScanCode(code);
  const language: LabelLocale = locale === 'en' ? 'en' : 'fr';
  return parsed.ok ? apiDetail : scanErrorMessage(parsed, language);
}
