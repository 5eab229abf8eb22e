import type { FastifyRequest } from 'fastify';
import type { Locale } from './french.js';

/**
 * The reader's language for what the API writes in words (PDFs, CSVs, the register's
 * results, history reasons): `?lang=fr|en` when the route takes it (a link or a download
 * can carry it), else the best of `Accept-Language` (the SPA sends its language), else French.
 */
export function requestLocale(request: FastifyRequest): Locale {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  if (lang === 'fr' || lang === 'en') return lang;
  return negotiate(request.headers['accept-language']);
}

/** The first of fr and en in an Accept-Language header, by quality (RFC 9110 §12.5.4); French without one. */
export function negotiate(header: string | undefined): Locale {
  if (!header) return 'fr';
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) if (r.primary === 'fr' || r.primary === 'en') return r.primary;
  return 'fr';
}
