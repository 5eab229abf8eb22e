import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Location, LocationCreate, LocationMove, LocationTree, LocationUpdate, Uuid } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { LocationsService } from './locations.service.js';

const SiteParams = z.object({ siteId: Uuid });

export const locationsRoutes: FastifyPluginAsyncZod<{ locations: LocationsService }> = async (app, { locations }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/sites/:siteId/locations', {
    schema: {
      tags: ['locations'], summary: "A site's location tree, depth-first (siblings by code)",
      params: SiteParams, response: { 200: LocationTree, ...problems(400, 401, 404) },
    },
  }, async (request) => locations.tree(actor(request), request.params.siteId));

  app.post('/sites/:siteId/locations', {
    schema: {
      tags: ['locations'], summary: 'Add a location (building, floor, care unit or room) to a site',
      params: SiteParams, body: LocationCreate, response: { 201: Location, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const created = await locations.create(actor(request), request.params.siteId, request.body);
    return reply.status(201).header('location', `/api/v1/locations/${created.id}`).send(created);
  });

  app.patch('/locations/:id', {
    schema: {
      tags: ['locations'], summary: 'Change the code or label of a location; If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: LocationUpdate,
      response: { 200: Location, ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request) => locations.update(actor(request), request.params.id, requiredVersion(request), request.body));

  app.post('/locations/:id/move', {
    schema: {
      tags: ['locations'], summary: 'Move a location under another parent of the same site; If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: LocationMove,
      response: { 200: Location, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request) => locations.move(actor(request), request.params.id, requiredVersion(request), request.body));
};
