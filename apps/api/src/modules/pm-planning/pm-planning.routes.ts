import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, PlannedDateUpdate, PmCalendar, PmCompliance, PmComplianceQuery, PmPlanningQuery, PmWorkload, WorkOrder } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { PmPlanningService } from './pm-planning.service.js';

/** The engineer's planning views of preventive maintenance (issue 13, ADR 0018). */
export const pmPlanningRoutes: FastifyPluginAsyncZod<{ planning: PmPlanningService }> = async (app, { planning }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/pm/calendar', {
    schema: {
      tags: ['maintenance-plans'],
      summary: 'Planned work by planned day (the biomedical team, every site): generated work orders and forecasts; days complete, items capped at 5,000',
      querystring: PmPlanningQuery, response: { 200: PmCalendar, ...problems(400, 401, 403) },
    },
  }, async (request) => planning.calendar(actor(request), request.query));

  app.get('/pm/workload', {
    schema: {
      tags: ['maintenance-plans'],
      summary: "Planned internal work per site and ISO week against the technicians' weekly hours (the biomedical team)",
      querystring: PmPlanningQuery, response: { 200: PmWorkload, ...problems(400, 401, 403) },
    },
  }, async (request) => planning.workload(actor(request), request.query));

  app.get('/pm/compliance', {
    schema: {
      tags: ['maintenance-plans'],
      summary: 'Planned work due in the period: done within tolerance ÷ due, by site and category, regulatory apart; regulatory work overdue now (the biomedical team)',
      querystring: PmComplianceQuery, response: { 200: PmCompliance, ...problems(400, 401, 403) },
    },
  }, async (request) => planning.compliance(actor(request), request.query));

  app.put('/work-orders/:id/planned-date', {
    schema: {
      tags: ['work-orders'],
      summary: 'Move planned work to another day within its tolerance window (engineers and site managers of its site, while open); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: PlannedDateUpdate, response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request) => planning.reschedule(actor(request), request.params.id, requiredVersion(request), request.body.plannedDate));
};
