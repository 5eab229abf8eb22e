/// <reference types="vite/client" />

/** A part of a UI catalogue, precompiled at build time (vite.config.ts, precompiledCatalogues). */
declare module 'virtual:i18n/*' {
  import type { MessageSchema } from './i18n/fr.ts';
  const messages: Partial<MessageSchema>;
  export default messages;
}
