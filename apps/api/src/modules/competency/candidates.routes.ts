import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, LanguageQuery, WorkOrderCandidates, WorkOrderCandidatesQuery } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import { requestLocale } from '../../lib/locale.js';
import type { CandidatesService } from './candidates.service.js';

/** Choosing a technician (issue 14, ADR 0020): the ranked candidates for a work order. */
export const candidatesRoutes: FastifyPluginAsyncZod<{ candidates: CandidatesService }> = async (app, { candidates }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/work-orders/:id/candidates', {
    schema: {
      tags: ['work-orders', 'competency'],
      summary: 'The technicians and engineers ranked for a work order (whoever may assign it): required skill and level, certificate, site and distance, load; reasons in the reader’s language',
      description: 'The requirement comes from the work order’s plan, else the device’s model’s skill, else its category’s (nearest ancestor with one, level confirmed). Reasons follow ?lang=fr|en, else Accept-Language.',
      params: IdParams, querystring: WorkOrderCandidatesQuery.extend(LanguageQuery.shape),
      response: { 200: WorkOrderCandidates, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => candidates.candidates(actor(request), request.params.id, request.query, requestLocale(request)));
};
