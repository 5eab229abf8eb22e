import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { KpiQuery, Kpis, KpiSeries, KpiSeriesQuery } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import type { KpisService } from './kpis.service.js';

export const kpisRoutes: FastifyPluginAsyncZod<{ kpis: KpisService }> = async (app, { kpis }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/kpis', {
    schema: {
      tags: ['kpis'],
      summary: 'The six indicators over a period (Europe/Paris days), for the territory or a site and/or a category, with their details per category and per site (ADR 0022; the biomedical team and site managers)',
      querystring: KpiQuery, response: { 200: Kpis, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => kpis.kpis(actor(request), request.query));

  app.get('/kpis/series', {
    schema: {
      tags: ['kpis'],
      summary: 'One indicator month by month over a period (interval=month)',
      querystring: KpiSeriesQuery, response: { 200: KpiSeries, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => kpis.series(actor(request), request.query));
};
