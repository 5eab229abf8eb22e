import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { z } from 'zod';
import { ApiError, ServerUnreachableError } from '../api/client.ts';

/** Turns any error of an API call into one sentence for the user. */
export function useErrorMessage() {
  const { t } = useI18n();
  return function errorMessage(error: unknown): string {
    if (error instanceof ServerUnreachableError) return t('errors.unreachable');
    if (error instanceof ApiError) {
      if (error.status === 412 || error.code === 'version_mismatch') return t('errors.versionMismatch');
      if (error.status === 403) return error.problem.detail ? `${t('errors.forbidden')} (${error.problem.detail})` : t('errors.forbidden');
      if (error.status === 404) return error.problem.detail ?? t('errors.notFound');
      if (error.code === 'invalid_response') return t('errors.invalidResponse');
      return error.problem.detail ?? error.problem.title ?? t('errors.generic');
    }
    console.error(error);
    return t('errors.generic');
  };
}

/** Error state of a form: a message for the whole form and one per field. */
export function useFormErrors() {
  const { t } = useI18n();
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

  /** Validates with a contract schema; on failure fills the field errors and returns null. */
  function validate<T>(schema: z.ZodType<T>, value: unknown): T | null {
    reset();
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || '_';
      errors[key] ??= issue.message;
    }
    fieldErrors.value = errors;
    formError.value = errors._ ?? t('errors.invalidForm');
    return null;
  }

  function fromError(error: unknown): void {
    reset();
    if (error instanceof ApiError) {
      fieldErrors.value = error.fieldErrors();
      stale.value = error.status === 412;
    }
    formError.value = errorMessage(error);
  }

  return { formError, fieldErrors, stale, reset, validate, fromError };
}
