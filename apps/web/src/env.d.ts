/// <reference types="vite/client" />

/** A UI catalogue, precompiled at build time (vite.config.ts, precompiledCatalogues). */
declare module 'virtual:i18n/*' {
  import type { MessageSchema } from './i18n/fr.ts';
  const messages: MessageSchema;
  export default messages;
}
