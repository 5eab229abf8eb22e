import { createI18n } from 'vue-i18n';
import { z } from 'zod';
import { en as zodEn, fr as zodFr } from 'zod/locales';
import fr, { type MessageSchema } from './fr.ts';
import en from './en.ts';

export const LOCALES = ['fr', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

const STORAGE_KEY = 'gmao.locale';

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
  locale: storedLocale(),
  fallbackLocale: 'fr',
  messages: { fr, en },
});

/** Switches the UI language, remembers it, and keeps <html lang> and zod's messages in step. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or storage full: the choice lasts for this page only.
  }
  applyLocale(locale);
}

function applyLocale(locale: AppLocale): void {
  document.documentElement.lang = locale;
  // Client-side validation uses the contracts' zod schemas: their generic messages follow
  // the UI language (custom messages written in the contracts stay as written).
  z.config(locale === 'fr' ? zodFr() : zodEn());
}

applyLocale(i18n.global.locale.value);
