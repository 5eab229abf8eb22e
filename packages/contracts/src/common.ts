import { z } from 'zod';

export const Uuid = z.uuid();

/** RFC 9457 problem details, as every error of the API is shaped. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

/*
 * What PostgreSQL cannot hold must be refused as a 400 naming the field, before it reaches
 * the database (which would answer a 500): text it cannot store, days and instants outside
 * the years it and every document can show, forged keyset cursors.
 */

/**
 * Why PostgreSQL cannot store this text, or undefined: a NUL character (refused in text and
 * jsonb), or half a UTF-16 surrogate pair (not Unicode: jsonb refuses its escape, text would
 * get U+FFFD instead).
 */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'caractère NUL (U+0000) interdit';
  if (/[\uD800-\uDFFF]/u.test(text)) return 'texte Unicode invalide (demi-paire de substitution isolée)';
  return undefined;
}

/** The strings and object keys of a value, at any depth, that PostgreSQL cannot store, with their paths (e.g. `['items', 0, 'label']`). */
export function unstorableTextPaths(value: unknown): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  // Iterative: a request body may be nested thousands of levels deep.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const message = unstorableText(v);
      if (message) found.push({ path, message });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      // Not into bytes: an uploaded file (a Buffer) may hold any byte.
      for (const [key, item] of Object.entries(v)) {
        const message = unstorableText(key);
        if (message) found.push({ path: [...path, key], message });
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return found;
}

/**
 * `schema`, refusing first any text PostgreSQL cannot store anywhere in the value. The API
 * wraps every route's params, query string, headers and body in it (apps/api/src/app.ts),
 * so that no text field can forget it.
 */
export function withStorableText<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      for (const { path, message } of unstorableTextPaths(value)) ctx.addIssue({ code: 'custom', path, message, input: value });
    })
    .pipe(schema);
}

/** Text that PostgreSQL can store, where a value is read outside a request's own fields (e.g. in a cursor). */
export const StoredText = z.string().superRefine((text, ctx) => {
  const message = unstorableText(text);
  if (message) ctx.addIssue({ code: 'custom', message, input: text });
});

/** Years a day or an instant sent to the API may fall in: what PostgreSQL, JavaScript and the documents all hold. */
export const SANE_YEARS = { min: 1900, max: 2200 } as const;
const saneYear = (text: string) => {
  const year = Number(text.slice(0, 4));
  return year >= SANE_YEARS.min && year <= SANE_YEARS.max;
};
/** The refinement's options: checked only on a well-formed value, so that a bad one gets one message. */
const SANE_YEARS_CHECK = {
  message: `année hors de ${SANE_YEARS.min}–${SANE_YEARS.max}`,
  when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0,
};

/** A calendar day `YYYY-MM-DD`, as the API answers it. */
export const IsoDate = z.iso.date();
/** A calendar day a client sends: a real day of the years 1900 to 2200. */
export const DateInput = IsoDate.refine(saneYear, SANE_YEARS_CHECK);

/** Keyset cursors: base64url of the JSON of the last row's sort key, opaque to clients. */
export function encodeCursor(key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function decodeCursorJson(text: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
}

/**
 * The `cursor` query parameter of a list: decoded and checked against the list's sort key
 * (`key`), so that a forged cursor is a 400 naming `querystring.cursor`, never a query.
 */
export function keysetCursor<K extends z.ZodTuple>(key: K) {
  return z
    .string()
    .max(500)
    .transform((text, ctx): z.output<K> => {
      let decoded: unknown;
      try {
        decoded = decodeCursorJson(text);
      } catch {
        decoded = undefined;
      }
      const parsed = key.safeParse(decoded);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'curseur invalide', input: text });
        return z.NEVER;
      }
      return parsed.data;
    });
}

/** Query parameters shared by every list: keyset pagination on the list's sort key. */
export function listQuery<K extends z.ZodTuple>(cursorKey: K) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: keysetCursor(cursorKey).optional(),
  });
}

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParams = z.object({ id: Uuid });

/** Query-string boolean: accepts true/false/1/0. */
export const QueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** An instant with its offset, as the API answers it. */
export const Timestamp = z.iso.datetime({ offset: true });
/** An instant a client sends: in the years 1900 to 2200. */
export const TimestampInput = Timestamp.refine(saneYear, SANE_YEARS_CHECK);

/** Query-string list `a,b,c` of enum values (1 to 10). */
export const csvList = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(10));

/**
 * `?lang=fr|en`: the reader's language for what the API writes in words (documents, the
 * register's results, history reasons). Without it the API reads `Accept-Language`; French
 * by default.
 */
export const LanguageQuery = z.object({ lang: z.enum(['fr', 'en']).optional() });
