import { z } from 'zod';
import { Role } from './roles.js';
import { Timestamp, Uuid } from './common.js';

export const LoginBody = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(200) });
export type RefreshBody = z.infer<typeof RefreshBody>;

export const LogoutBody = z.object({ refreshToken: z.string().min(20).max(200) });

export const RoleGrant = z.object({
  id: Uuid,
  role: Role,
  /** null for a territory-wide role (territory_admin). */
  siteId: Uuid.nullable(),
  siteName: z.string().nullable(),
  siteShortCode: z.string().nullable(),
});
export type RoleGrant = z.infer<typeof RoleGrant>;

export const SiteRef = z.object({ id: Uuid, name: z.string(), shortCode: z.string() });
export type SiteRef = z.infer<typeof SiteRef>;

export const Me = z
  .object({
    id: Uuid,
    email: z.string(),
    fullName: z.string(),
    territory: z.object({ id: Uuid, name: z.string() }),
    homeSite: SiteRef.nullable(),
    roles: z.array(RoleGrant),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const TokenPair = z.object({
  accessToken: z.string(),
  /** When the access token expires (it lives 15 minutes). */
  accessTokenExpiresAt: Timestamp,
  refreshToken: z.string(),
  refreshTokenExpiresAt: Timestamp,
  user: Me,
});
export type TokenPair = z.infer<typeof TokenPair>;
