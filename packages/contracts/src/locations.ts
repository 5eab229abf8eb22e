import { z } from 'zod';
import { LOCATION_LEVELS } from '@gmao/domain';
import { Timestamp, Uuid } from './common.js';

/** A site's locations form a tree: building › floor › care unit › room. */
export const LOCATION_KINDS = LOCATION_LEVELS;
export const LocationKind = z.enum(LOCATION_KINDS);
export type LocationKind = z.infer<typeof LocationKind>;

export const Location = z
  .object({
    id: Uuid,
    siteId: Uuid,
    parentId: Uuid.nullable(),
    kind: LocationKind,
    code: z.string(),
    label: z.string(),
    /** Codes from the building down to this node, joined by " › ". */
    path: z.string(),
    depth: z.number().int(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Location' });
export type Location = z.infer<typeof Location>;

const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._/-]*$/u, 'Code : lettres, chiffres, espaces, . _ / -');
const label = z.string().trim().min(1).max(200);

export const LocationCreate = z.object({
  parentId: Uuid.nullable().default(null),
  kind: LocationKind,
  code,
  label,
});
export type LocationCreate = z.input<typeof LocationCreate>;

export const LocationUpdate = z
  .object({ code, label })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Aucun champ à modifier' });
export type LocationUpdate = z.input<typeof LocationUpdate>;

export const LocationMove = z.object({ parentId: Uuid.nullable() });
export type LocationMove = z.infer<typeof LocationMove>;

/** GET /api/v1/sites/{siteId}/locations — the whole tree, depth-first, siblings by code. */
export const LocationTree = z.object({ items: z.array(Location) });
