import type { z } from 'zod';
import { en as zodEn } from 'zod/locales';
import { CONTRACT_MESSAGES_EN } from '../i18n/contract-messages.ts';

/**
 * Validation messages in the UI language. The contracts' schemas carry French messages (the
 * API answers them too); zod's generic ones follow `z.config()`. In English, a contract's
 * message is translated with CONTRACT_MESSAGES_EN, and anything still unknown falls back to
 * zod's English wording of the issue, never to French.
 */
export type UiLocale = 'fr' | 'en';
type Issue = z.core.$ZodIssue & { input?: unknown };

const english = zodEn();

/** Nothing was given where a value is needed (an unanswered choice, an empty required text). */
export function isMissingValue(issue: Issue): boolean {
  if (issue.code === 'invalid_type') return issue.input === undefined || issue.input === null;
  return issue.code === 'too_small' && issue.origin === 'string' && issue.input === '' && Number(issue.minimum) <= 1;
}

/** The message of a zod issue (parsed with `reportInput: true`) in `locale`. */
export function issueMessage(issue: Issue, locale: UiLocale): string {
  if (locale === 'fr') return issue.message;
  const known = CONTRACT_MESSAGES_EN[issue.message];
  if (known) return known;
  const generic = english.localeError(issue as unknown as Parameters<typeof english.localeError>[0]);
  return (typeof generic === 'string' ? generic : generic?.message) ?? issue.message;
}

/** A field error answered by the API in `locale`, or null when it has no translation. */
export function apiFieldMessage(message: string, locale: UiLocale): string | null {
  if (locale === 'fr') return message;
  return CONTRACT_MESSAGES_EN[message] ?? null;
}
