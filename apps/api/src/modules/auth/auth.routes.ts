import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginBody, LogoutBody, Me, RefreshBody, TokenPair } from '@gmao/contracts';
import { problems } from '../../lib/http.js';
import type { AuthService, ClientMeta } from './auth.service.js';
import type { FastifyRequest } from 'fastify';

const meta = (request: FastifyRequest): ClientMeta => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
  requestId: String(request.id),
});

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      body: LoginBody,
      response: { 200: TokenPair, ...problems(400, 401, 429) },
    },
  }, async (request) => auth.login(request.body.email, request.body.password, meta(request)));

  app.post('/auth/refresh', {
    schema: {
      tags: ['auth'],
      summary: 'Exchange a refresh token for a new pair (rotation; a reuse revokes the session, except a concurrent one by the same client within a few seconds, which gets the same pair)',
      body: RefreshBody,
      response: { 200: TokenPair, ...problems(400, 401) },
    },
  }, async (request) => auth.refresh(request.body.refreshToken, meta(request)));

  app.post('/auth/logout', {
    schema: {
      tags: ['auth'],
      summary: 'End the session of a refresh token',
      body: LogoutBody,
      response: { 204: z.undefined(), ...problems(400) },
    },
  }, async (request, reply) => {
    await auth.logout(request.body.refreshToken, meta(request));
    return reply.status(204).send();
  });

  app.get('/me', {
    onRequest: app.authenticate,
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user, their home site and roles per site',
      security: [{ bearerAuth: [] }],
      response: { 200: Me, ...problems(401) },
    },
  }, async (request) => auth.me(request.principal!.userId, request.me));
};
