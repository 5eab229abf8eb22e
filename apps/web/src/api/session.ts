import { Me, TokenPair, type LoginBody } from '@gmao/contracts';
import { z } from 'zod';
import { request, requestNoContent } from './client.ts';

/**
 * The endpoints the application shell needs before any page (sign-in, session restore, the
 * "server unreachable" banner's retry). Kept apart from endpoints.ts (which re-exports them)
 * so that the main bundle carries only their contracts: the other endpoints and schemas load
 * with the pages that use them.
 */
const Health = z.object({ status: z.string() });

export const healthApi = {
  check: () => request('/api/health', Health, { auth: false }),
};

export const authApi = {
  login: (body: LoginBody) => request('/auth/login', TokenPair, { method: 'POST', body, auth: false }),
  refresh: (refreshToken: string) =>
    request('/auth/refresh', TokenPair, { method: 'POST', body: { refreshToken }, auth: false }),
  logout: (refreshToken: string) =>
    requestNoContent('/auth/logout', { method: 'POST', body: { refreshToken }, auth: false }),
  me: () => request('/me', Me),
};
