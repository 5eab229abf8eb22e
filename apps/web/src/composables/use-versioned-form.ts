import { ref, type Ref } from 'vue';
import { useFormErrors } from './use-form-errors.ts';

export interface VersionedFormOptions<T> {
  /** The object edited, at the version the edit starts from; null or absent: a creation. */
  base?: T | null;
  /** Fetches the current version of the object (offered after a 412). */
  fetchLatest?: (current: T) => Promise<T>;
  /** Refills the form from the current version, once `reloadLatest()` has it. */
  onReloaded?: (latest: T) => void;
  /** The form's own sentence for a 412 (someone changed the object meanwhile), instead of the generic one. */
  staleMessage?: () => string;
  /** A flag shared with other actions of the page, instead of the form's own: one write at a time. */
  busy?: Ref<boolean>;
}

export interface WriteOptions {
  /** Called after the form's errors are filled from the failure (to add to them, or to react to a status). */
  onError?: (error: unknown) => void;
}

/**
 * A form that writes to the API: its errors (`useFormErrors`), `busy` while a write runs (a second
 * one is ignored), and for an object the API versions (If-Match → 412 when someone changed it
 * meanwhile) the version the edit is based on (`base`), with `reloadLatest()` to start again from
 * the current version after a 412 (`stale`).
 *
 * - `save(call)` writes the edited object: its answer becomes the new `base`.
 * - `send(call)` any other write (a line added to a work order, a status change, a move…).
 * Both clear the previous errors, resolve to the answer, or to undefined when the write failed
 * (its errors are then in `formError` / `fieldErrors`) or another one was running.
 */
export function useVersionedForm<T = never>(options: VersionedFormOptions<T> = {}) {
  const errors = useFormErrors();
  const base = ref(options.base ?? null) as Ref<T | null>;
  const busy = options.busy ?? ref(false);
  const reloading = ref(false);

  async function send<R>(call: () => Promise<R>, writeOptions: WriteOptions = {}): Promise<R | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    errors.reset();
    try {
      return await call();
    } catch (error) {
      errors.fromError(error);
      if (errors.stale.value && options.staleMessage) errors.formError.value = options.staleMessage();
      writeOptions.onError?.(error);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function save(call: () => Promise<T>, writeOptions: WriteOptions = {}): Promise<T | undefined> {
    const saved = await send(call, writeOptions);
    if (saved !== undefined) base.value = saved;
    return saved;
  }

  /** After a 412: fetches the current version and starts the form again from it. */
  async function reloadLatest(): Promise<T | undefined> {
    const current = base.value;
    if (current === null || !options.fetchLatest || reloading.value) return undefined;
    reloading.value = true;
    try {
      const latest = await options.fetchLatest(current);
      base.value = latest;
      errors.reset();
      options.onReloaded?.(latest);
      return latest;
    } catch (error) {
      errors.fromError(error);
      return undefined;
    } finally {
      reloading.value = false;
    }
  }

  return { ...errors, base, busy, reloading, save, send, reloadLatest };
}
