import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { z } from 'zod';
import { ApiError, ServerUnreachableError } from '../api/client.ts';
import { apiFieldMessage, isMissingValue, issueMessage, type UiLocale } from '../lib/validation.ts';

/**
 * Turns any error of an API call into one sentence for the user. The API writes its details in
 * French: the French UI shows them; the English UI says the same from the problem's code
 * (`errors.api.<code>`), never the French text.
 */
export function useErrorMessage() {
  const { t, te, locale } = useI18n();
  return function errorMessage(error: unknown): string {
    if (error instanceof ServerUnreachableError) return t('errors.unreachable');
    if (error instanceof ApiError) {
      const french = locale.value === 'fr';
      if (error.status === 412 || error.code === 'version_mismatch') return t('errors.versionMismatch');
      if (error.status === 403) return french && error.problem.detail ? `${t('errors.forbidden')} (${error.problem.detail})` : t('errors.forbidden');
      if (error.status === 404) return (french ? error.problem.detail : null) ?? t('errors.notFound');
      if (error.code === 'invalid_response') return t('errors.invalidResponse');
      if (french) return error.problem.detail ?? error.problem.title ?? t('errors.generic');
      const key = `errors.api.${error.code}`;
      return te(key) ? t(key) : t('errors.refused', { code: `${error.status} ${error.code}` });
    }
    console.error(error);
    return t('errors.generic');
  };
}

/** Error state of a form: a message for the whole form and one per field. */
export function useFormErrors() {
  const { t, te, locale } = useI18n();
  const errorMessage = useErrorMessage();
  const formError = ref<string | null>(null);
  const fieldErrors = ref<Record<string, string>>({});
  /** Set when the API answered 412: the form offers to reload the object. */
  const stale = ref(false);

  function reset(): void {
    formError.value = null;
    fieldErrors.value = {};
    stale.value = false;
  }

  /** The form-level message: names the fields to fill in or correct when their labels are given. */
  function summary(errors: Record<string, string>, labels?: Record<string, string>): string {
    if (errors._) return errors._;
    const named = labels ? Object.keys(errors).flatMap((key) => (labels[key] ? [t('errors.fieldName', { label: labels[key] })] : [])) : [];
    return named.length > 0 ? t('errors.fixFields', { fields: named.join(', ') }) : t('errors.invalidForm');
  }

  /**
   * Validates with a contract schema; on failure fills the field errors (in the UI language;
   * an unanswered field says it is required) and returns null. `labels` (field → label) lets
   * the form's message name the fields to fill in.
   */
  function validate<T>(schema: z.ZodType<T>, value: unknown, labels?: Record<string, string>): T | null {
    reset();
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || '_';
      errors[key] ??= isMissingValue(issue) ? t('errors.required') : issueMessage(issue, locale.value as UiLocale);
    }
    fieldErrors.value = errors;
    formError.value = summary(errors, labels);
    return null;
  }

  function fromError(error: unknown): void {
    reset();
    if (error instanceof ApiError) {
      const errors: Record<string, string> = {};
      const codes = error.fieldCodes();
      for (const [key, message] of Object.entries(error.fieldErrors())) {
        errors[key] =
          apiFieldMessage(message, locale.value as UiLocale) ??
          (codes[key] && te(`errors.api.${codes[key]}`) ? t(`errors.api.${codes[key]}`) : error.code === 'duplicate' ? t('errors.alreadyUsed') : t('errors.invalidValue'));
      }
      fieldErrors.value = errors;
      stale.value = error.status === 412;
    }
    formError.value = errorMessage(error);
  }

  return { formError, fieldErrors, stale, reset, validate, fromError };
}
