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
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

/** Query parameters shared by every list (keyset pagination). */
export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParams = z.object({ id: Uuid });

/** Query-string boolean: accepts true/false/1/0. */
export const QueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const Timestamp = z.iso.datetime({ offset: true });

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
