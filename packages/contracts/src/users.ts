import { z } from 'zod';
import { QueryBoolean, StoredText, Timestamp, Uuid, listQuery } from './common.js';
import { RoleGrant } from './auth.js';
import { Role } from './roles.js';

export const PASSWORD_MIN_LENGTH = 12;
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Le mot de passe doit faire au moins ${PASSWORD_MIN_LENGTH} caractères`)
  .max(256);

export const User = z
  .object({
    id: Uuid,
    email: z.string(),
    fullName: z.string(),
    homeSiteId: Uuid.nullable(),
    homeSiteName: z.string().nullable(),
    active: z.boolean(),
    roles: z.array(RoleGrant),
    /** Hours a week available for maintenance (the technicians' capacity in GET /pm/workload); 35 by default. */
    weeklyHours: z.number(),
    /** Full-time equivalent, 0 to 1 (technicians per 1,000 devices, GET /kpis); 1 by default. */
    fte: z.number(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const RoleGrantCreate = z.object({
  role: Role,
  /** Required for site roles; must be null for territory_admin. */
  siteId: Uuid.nullable().default(null),
});
export type RoleGrantCreate = z.input<typeof RoleGrantCreate>;

export const UserCreate = z.object({
  email: z.email().max(254).transform((v) => v.toLowerCase()),
  fullName: z.string().trim().min(2).max(200),
  homeSiteId: Uuid.nullable().default(null),
  password: NewPassword,
  roles: z.array(RoleGrantCreate).max(20).default([]),
});
export type UserCreate = z.input<typeof UserCreate>;

/** PATCH /api/v1/users/{id} (If-Match: version; territory admin): the settings of a user. */
export const UserUpdate = z
  .object({
    /** Hours a week available for maintenance: 0 to 60, by half hours. */
    weeklyHours: z.number().min(0).max(60).refine((v) => Number.isInteger(v * 2), { message: 'Heures hebdomadaires : de 0 à 60, par demi-heures' }),
    /** Full-time equivalent: 0 to 1, by hundredths. */
    fte: z.number().min(0).max(1).refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, { message: 'Équivalent temps plein : de 0 à 1, par centièmes' }),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Aucun champ à modifier' });
export type UserUpdate = z.input<typeof UserUpdate>;

/** GET /api/v1/users — sorted by full name then id. */
export const UserListQuery = listQuery(z.tuple([StoredText, Uuid])).extend({
  q: z.string().trim().max(100).optional(),
  siteId: Uuid.optional(),
  role: Role.optional(),
  active: QueryBoolean.optional(),
});
