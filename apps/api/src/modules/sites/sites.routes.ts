import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, page, Site, SiteCreate, SiteListQuery, SiteUpdate } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { SitesService } from './sites.service.js';

export const sitesRoutes: FastifyPluginAsyncZod<{ sites: SitesService }> = async (app, { sites }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/sites', {
    schema: {
      tags: ['sites'], summary: 'List the sites of the territory (sorted by name, then id)',
      querystring: SiteListQuery, response: { 200: page(Site), ...problems(400, 401) },
    },
  }, async (request) => sites.list(actor(request), request.query));

  app.get('/sites/:id', {
    schema: { tags: ['sites'], summary: 'One site', params: IdParams, response: { 200: Site, ...problems(400, 401, 404) } },
  }, async (request) => sites.get(actor(request), request.params.id));

  app.post('/sites', {
    schema: {
      tags: ['sites'], summary: 'Create a site (territory admin)', body: SiteCreate,
      response: { 201: Site, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const site = await sites.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/sites/${site.id}`).send(site);
  });

  app.patch('/sites/:id', {
    schema: {
      tags: ['sites'], summary: 'Update a site (territory admin, or its site manager); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: SiteUpdate,
      response: { 200: Site, ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request) => sites.update(actor(request), request.params.id, requiredVersion(request), request.body));
};
