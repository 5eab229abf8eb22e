import { createI18n } from 'vue-i18n';
import { z } from 'zod';
import { en as zodEn, fr as zodFr } from 'zod/locales';
// The catalogues as vite.config.ts precompiles them from fr.ts and en.ts, each in two parts:
// `shell` (SHELL_SECTIONS, sections.ts) and `pages` (every other section).
import frShell from 'virtual:i18n/fr-shell';
import type { MessageSchema } from './fr.ts';
import { setRequestLanguage } from '../api/client.ts';

export const LOCALES = ['fr', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
type Part = 'shell' | 'pages';

const STORAGE_KEY = 'gmao.locale';

/** Every part but the French shell (in the main bundle) is fetched when needed, as its own chunk. */
const LOADERS: Record<`${AppLocale}/${Part}`, (() => Promise<{ default: Partial<MessageSchema> }>) | null> = {
  'fr/shell': null,
  'fr/pages': () => import('virtual:i18n/fr-pages'),
  'en/shell': () => import('virtual:i18n/en-shell'),
  'en/pages': () => import('virtual:i18n/en-pages'),
};

function isLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): AppLocale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : 'fr';
  } catch {
    return 'fr';
  }
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: 'fr',
  fallbackLocale: 'fr',
  messages: { fr: frShell } as Record<AppLocale, MessageSchema>,
});

const loading = new Map<string, Promise<void>>();
/** Once a page needed the feature sections, a change of language fetches them too. */
let pagesWanted = false;

/** Adds a part of a language's catalogue (fetched once; a failed fetch is tried again next time). */
function loadPart(locale: AppLocale, part: Part): Promise<void> {
  const key = `${locale}/${part}` as const;
  const loader = LOADERS[key];
  if (!loader) return Promise.resolve();
  let pending = loading.get(key);
  if (!pending) {
    pending = loader().then(
      ({ default: messages }) => {
        // The parts hold different sections: they add up.
        i18n.global.setLocaleMessage(locale, { ...i18n.global.getLocaleMessage(locale), ...messages } as MessageSchema);
      },
      (error: unknown) => {
        loading.delete(key);
        throw error;
      },
    );
    loading.set(key, pending);
  }
  return pending;
}

/** What the pages shown so far need in `locale`. */
async function loadMessages(locale: AppLocale): Promise<void> {
  await Promise.all([loadPart(locale, 'shell'), pagesWanted ? loadPart(locale, 'pages') : undefined]);
}

/** The feature sections, in the current language: awaited before showing any page but the shell's. */
export function loadPageMessages(): Promise<void> {
  pagesWanted = true;
  return loadPart(i18n.global.locale.value, 'pages');
}

/** Switches the UI language once its catalogue is there, remembers it, and keeps <html lang> and zod's messages in step. */
export async function setLocale(locale: AppLocale): Promise<void> {
  await loadMessages(locale);
  i18n.global.locale.value = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or storage full: the choice lasts for this page only.
  }
  applyLocale(locale);
}

/**
 * The remembered language, its catalogue loaded: awaited before the first navigation, so that
 * the first paint is in that language. If it cannot be fetched, the page starts in French.
 */
export async function initLocale(): Promise<void> {
  const locale = storedLocale();
  try {
    await loadMessages(locale);
    i18n.global.locale.value = locale;
  } catch (error) {
    console.error(`Catalogue '${locale}' unavailable: the page starts in French`, error);
  }
  applyLocale(i18n.global.locale.value);
}

function applyLocale(locale: AppLocale): void {
  document.documentElement.lang = locale;
  // The API writes documents, register results and history reasons in the reader's language.
  setRequestLanguage(locale);
  // Client-side validation uses the contracts' zod schemas: their generic messages follow
  // the UI language (custom messages written in the contracts stay as written).
  z.config(locale === 'fr' ? zodFr() : zodEn());
}
