import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, page, RoleGrant, RoleGrantCreate, User, UserCreate, UserListQuery, UserUpdate, Uuid } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { UsersService } from './users.service.js';

export const usersRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/users', {
    schema: {
      tags: ['users'], summary: 'List users (territory admin, site managers); sorted by full name, then id',
      querystring: UserListQuery, response: { 200: page(User), ...problems(400, 401, 403) },
    },
  }, async (request) => users.list(actor(request), request.query));

  app.get('/users/:id', {
    schema: { tags: ['users'], summary: 'One user', params: IdParams, response: { 200: User, ...problems(400, 401, 403, 404) } },
  }, async (request) => users.get(actor(request), request.params.id));

  app.post('/users', {
    schema: {
      tags: ['users'], summary: 'Create a user with an initial password and roles (territory admin)',
      body: UserCreate, response: { 201: User, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const user = await users.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/users/${user.id}`).send(user);
  });

  app.patch('/users/:id', {
    schema: {
      tags: ['users'], summary: "Change a user's settings: weeklyHours, the hours a week available for maintenance; fte, the full-time equivalent of the indicators (territory admin); If-Match: version",
      params: IdParams, headers: IfMatchHeaders, body: UserUpdate, response: { 200: User, ...problems(400, 401, 403, 404, 412, 428) },
    },
  }, async (request) => users.update(actor(request), request.params.id, requiredVersion(request), request.body));

  app.post('/users/:id/deactivate', {
    schema: {
      tags: ['users'], summary: 'Deactivate a user: no more login, sessions revoked (territory admin)',
      params: IdParams, response: { 200: User, ...problems(400, 401, 403, 404, 422) },
    },
  }, async (request) => users.setActive(actor(request), request.params.id, false));

  app.post('/users/:id/activate', {
    schema: {
      tags: ['users'], summary: 'Reactivate a user (territory admin)',
      params: IdParams, response: { 200: User, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => users.setActive(actor(request), request.params.id, true));

  app.post('/users/:id/roles', {
    schema: {
      tags: ['users'], summary: 'Grant a role on a site (or territory_admin on the territory)',
      params: IdParams, body: RoleGrantCreate, response: { 201: RoleGrant, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const grant = await users.grant(actor(request), request.params.id, request.body);
    return reply.status(201).header('location', `/api/v1/users/${request.params.id}/roles/${grant.id}`).send(grant);
  });

  app.delete('/users/:id/roles/:grantId', {
    schema: {
      tags: ['users'], summary: 'Revoke a role',
      params: z.object({ id: Uuid, grantId: Uuid }), response: { 204: z.undefined(), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    await users.revoke(actor(request), request.params.id, request.params.grantId);
    return reply.status(204).send();
  });
};
