import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CostConventionInput, CostConventionList, CostConventionVersion } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import type { CostConventionsService } from './cost-conventions.service.js';

/** The territory's cost convention (issue 15, ADR 0023). */
export const costConventionsRoutes: FastifyPluginAsyncZod<{ conventions: CostConventionsService }> = async (app, { conventions }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/cost-conventions', {
    schema: {
      tags: ['cost-allocation'],
      summary: 'Every version of the cost convention, newest first, each with the day before the next applies, and the one in force today (readers of the statements or the indicators)',
      response: { 200: CostConventionList, ...problems(401, 403) },
    },
  }, async (request) => conventions.list(actor(request)));

  app.post('/cost-conventions', {
    schema: {
      tags: ['cost-allocation'],
      summary: 'A new version of the convention, applying from a day of an open month (territory admin only; 409 cost_convention_applies_too_early, cost_convention_day_taken; 422 for the fixed shares)',
      body: CostConventionInput, response: { 201: CostConventionVersion, ...problems(400, 401, 403, 409, 422) },
    },
  }, async (request, reply) => reply.status(201).send(await conventions.create(actor(request), request.body)));
};
