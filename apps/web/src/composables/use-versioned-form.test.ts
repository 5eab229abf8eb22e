import { describe, expect, it, vi } from 'vitest';
import { createSSRApp, h, ref } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createI18n } from 'vue-i18n';
import { ApiError } from '../api/client.ts';
import { useVersionedForm, type VersionedFormOptions } from './use-versioned-form.ts';

interface Thing {
  id: string;
  name: string;
  version: number;
}

const messages = {
  errors: {
    versionMismatch: 'Modifié entre-temps.',
    generic: 'Erreur.',
    invalidForm: 'Formulaire invalide.',
    forbidden: 'Interdit.',
    notFound: 'Introuvable.',
    unreachable: 'Injoignable.',
    invalidResponse: 'Réponse inattendue.',
  },
};

/** The composable as a component's setup() runs it (useI18n needs one), rendered once on the server side. */
async function setUp<T = Thing>(options: VersionedFormOptions<T> = {}) {
  let form: ReturnType<typeof useVersionedForm<T>> | undefined;
  const app = createSSRApp({
    setup() {
      form = useVersionedForm<T>(options);
      return () => h('div');
    },
  });
  app.use(createI18n({ legacy: false, locale: 'fr', messages: { fr: messages } }));
  await renderToString(app);
  return form!;
}

const problem = (status: number, extra: Record<string, unknown> = {}) =>
  new ApiError({ type: 'about:blank', title: 'Problem', status, code: 'problem', ...extra });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('useVersionedForm', () => {
  const v1: Thing = { id: 'a', name: 'Pompe', version: 1 };
  const v2: Thing = { id: 'a', name: 'Pompe à perfusion', version: 2 };

  it('saves: busy meanwhile, the answer becomes the base', async () => {
    const form = await setUp<Thing>({ base: v1 });
    const answer = deferred<Thing>();
    const saving = form.save(() => answer.promise);
    expect(form.busy.value).toBe(true);
    answer.resolve(v2);
    expect(await saving).toEqual(v2);
    expect(form.busy.value).toBe(false);
    expect(form.base.value).toEqual(v2);
    expect(form.formError.value).toBeNull();
  });

  it('ignores a second write while one runs', async () => {
    const form = await setUp<Thing>({ base: v1 });
    const answer = deferred<Thing>();
    const first = form.save(() => answer.promise);
    const second = vi.fn(async () => v2);
    expect(await form.save(second)).toBeUndefined();
    expect(second).not.toHaveBeenCalled();
    answer.resolve(v2);
    await first;
  });

  it('412: keeps the base, says so (in the form’s words if given), then reloads the current version', async () => {
    const fetchLatest = vi.fn(async (current: Thing) => ({ ...v2, id: current.id }));
    const onReloaded = vi.fn();
    const form = await setUp<Thing>({ base: v1, fetchLatest, onReloaded, staleMessage: () => 'Réglages changés : rechargez.' });
    expect(await form.save(async () => Promise.reject(problem(412, { code: 'version_mismatch' })))).toBeUndefined();
    expect(form.stale.value).toBe(true);
    expect(form.formError.value).toBe('Réglages changés : rechargez.');
    expect(form.base.value).toEqual(v1);
    expect(form.busy.value).toBe(false);

    expect(await form.reloadLatest()).toEqual(v2);
    expect(fetchLatest).toHaveBeenCalledWith(v1);
    expect(onReloaded).toHaveBeenCalledWith(v2);
    expect(form.base.value).toEqual(v2);
    expect(form.stale.value).toBe(false);
    expect(form.formError.value).toBeNull();
    expect(form.reloading.value).toBe(false);
  });

  it('412 without a message of its own: the generic sentence', async () => {
    const form = await setUp<Thing>({ base: v1 });
    await form.save(async () => Promise.reject(problem(412)));
    expect(form.formError.value).toBe('Modifié entre-temps.');
  });

  it('a reload that fails says why and keeps the base', async () => {
    const form = await setUp<Thing>({ base: v1, fetchLatest: async () => Promise.reject(problem(404, { detail: 'Supprimé.' })) });
    expect(await form.reloadLatest()).toBeUndefined();
    expect(form.formError.value).toBe('Supprimé.');
    expect(form.base.value).toEqual(v1);
  });

  it('reloads nothing for a creation', async () => {
    const fetchLatest = vi.fn(async () => v2);
    const form = await setUp<Thing>({ fetchLatest });
    expect(await form.reloadLatest()).toBeUndefined();
    expect(fetchLatest).not.toHaveBeenCalled();
  });

  it('sends other writes: field errors from a 422, the caller told, the base untouched', async () => {
    const form = await setUp<Thing>({ base: v1 });
    const onError = vi.fn();
    const failure = problem(422, { detail: 'Champs invalides.', errors: [{ path: 'body.vendor', message: 'obligatoire' }] });
    expect(await form.send(async () => Promise.reject(failure), { onError })).toBeUndefined();
    expect(form.fieldErrors.value).toEqual({ vendor: 'obligatoire' });
    expect(form.formError.value).toBe('Champs invalides.');
    expect(onError).toHaveBeenCalledWith(failure);

    expect(await form.send(async () => 3)).toBe(3);
    expect(form.fieldErrors.value).toEqual({});
    expect(form.formError.value).toBeNull();
    expect(form.base.value).toEqual(v1);
  });

  it('shares a busy flag with the page’s other actions', async () => {
    const busy = ref(true);
    const form = await setUp<Thing>({ busy });
    const call = vi.fn(async () => 1);
    expect(await form.send(call)).toBeUndefined();
    expect(call).not.toHaveBeenCalled();
    busy.value = false;
    expect(await form.send(call)).toBe(1);
  });
});
