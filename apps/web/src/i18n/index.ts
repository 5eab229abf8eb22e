import { createI18n } from 'vue-i18n';
import { z } from 'zod';
import { en as zodEn, fr as zodFr } from 'zod/locales';
// The catalogues as vite.config.ts precompiles them from fr.ts and en.ts (see precompiledCatalogues).
import fr from 'virtual:i18n/fr';
import type { MessageSchema } from './fr.ts';

export const LOCALES = ['fr', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

const STORAGE_KEY = 'gmao.locale';

/** French is in the main bundle; the other languages are fetched when chosen (their own chunk). */
const LOADERS: Record<Exclude<AppLocale, 'fr'>, () => Promise<{ default: MessageSchema }>> = {
  en: () => import('virtual:i18n/en'),
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
  messages: { fr } as Record<AppLocale, MessageSchema>,
});

/** Makes a language's catalogue available (fetched once). */
async function loadMessages(locale: AppLocale): Promise<void> {
  if (locale === 'fr' || i18n.global.availableLocales.includes(locale)) return;
  i18n.global.setLocaleMessage(locale, (await LOADERS[locale]()).default);
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
 * The remembered language, its catalogue loaded: awaited before mounting, so that the first
 * paint is in that language. If it cannot be fetched, the page starts in French.
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
  // Client-side validation uses the contracts' zod schemas: their generic messages follow
  // the UI language (custom messages written in the contracts stay as written).
  z.config(locale === 'fr' ? zodFr() : zodEn());
}
