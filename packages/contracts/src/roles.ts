import { z } from 'zod';
import { ROLE_NAMES } from '@gmao/domain';

export const Role = z.enum(ROLE_NAMES);
export type Role = z.infer<typeof Role>;

/** Roles that are granted on one site; territory_admin is granted on the whole territory. */
export const SITE_ROLES = ['site_manager', 'engineer', 'technician', 'care_staff'] as const satisfies readonly Role[];
