import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SteeringReportQuery } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import { fileHeaders } from '../../lib/file-reply.js';
import { requestLocale } from '../../lib/locale.js';
import type { SteeringReportService } from './steering-report.service.js';

/** The steering committee's monthly PDF (issue 15): engineers, site managers and the territory admin. */
export const steeringReportRoutes: FastifyPluginAsyncZod<{ report: SteeringReportService }> = async (app, { report }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/kpis/steering-report.pdf', {
    schema: {
      tags: ['kpis'],
      summary: "The month's steering report: the six indicators per site and for the territory with 12 months of trend, the month's cost allocation between sites, the main events (decommissionings, longest downtimes, overdue regulatory work, the period's state); in the reader's language (?lang or Accept-Language)",
      querystring: SteeringReportQuery,
      response: {
        200: { description: 'The report', content: { 'application/pdf': { schema: z.custom<Buffer>().meta({ type: 'string', format: 'binary' }) } } },
        ...problems(400, 401, 403),
      },
    },
  }, async (request, reply) => {
    const locale = requestLocale(request);
    const pdf = await report.pdf(actor(request), request.query.month, locale);
    const name = `${locale === 'en' ? 'steering-report' : 'rapport-pilotage'}-${request.query.month}.pdf`;
    return fileHeaders(reply, { mediaType: 'application/pdf', fileName: name }).header('cache-control', 'private, no-store').send(Buffer.from(pdf));
  });
};
