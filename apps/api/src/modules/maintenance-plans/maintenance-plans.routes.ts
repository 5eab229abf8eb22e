import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DeviceMaintenanceSchedule, IdParams, JobAccepted, MaintenancePlan, MaintenancePlanCreate, MaintenancePlanListQuery, MaintenancePlanUpdate, MeterReading, MeterReadingCreate,
  MeterReadingListQuery, PlanCoverage, PlanCoverageQuery, PlanDevice, PlanDeviceListQuery, PlanOptOut, PlanOptOutCreate, PlanOptOutParams,
  PmGenerateRequest, page,
} from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { MaintenancePlansService } from './maintenance-plans.service.js';

/** Preventive maintenance (issue 13, ADR 0016): plans, their devices, coverage, opt-outs, meter readings, runs of the generator. */
export const maintenancePlansRoutes: FastifyPluginAsyncZod<{ plans: MaintenancePlansService }> = async (app, { plans }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/maintenance-plans', {
    schema: {
      tags: ['maintenance-plans'], summary: 'Maintenance plans of the territory (active ones unless includeInactive), by name',
      querystring: MaintenancePlanListQuery, response: { 200: page(MaintenancePlan), ...problems(400, 401) },
    },
  }, async (request) => plans.list(actor(request), request.query));

  app.get('/maintenance-plans/coverage', {
    schema: {
      tags: ['maintenance-plans'], summary: 'Devices with a Fennigkoh–Smith EM score ≥ 12 that no active plan covers, per site',
      querystring: PlanCoverageQuery, response: { 200: PlanCoverage, ...problems(400, 401) },
    },
  }, async (request) => plans.coverage(actor(request), request.query.siteId));

  app.post('/maintenance-plans', {
    schema: {
      tags: ['maintenance-plans'],
      summary: "Create a plan for one device (engineer or site manager of its site), a model or a category (engineers, territory admin); its devices are scheduled at once",
      body: MaintenancePlanCreate, response: { 201: MaintenancePlan, ...problems(400, 401, 403, 422) },
    },
  }, async (request, reply) => {
    const plan = await plans.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/maintenance-plans/${plan.id}`).send(plan);
  });

  app.get('/maintenance-plans/:id', {
    schema: { tags: ['maintenance-plans'], summary: 'One maintenance plan', params: IdParams, response: { 200: MaintenancePlan, ...problems(400, 401, 404) } },
  }, async (request) => plans.get(actor(request), request.params.id));

  app.patch('/maintenance-plans/:id', {
    schema: {
      tags: ['maintenance-plans'], summary: 'Change a plan (If-Match: version); the next occurrences not generated yet are rescheduled',
      params: IdParams, headers: IfMatchHeaders, body: MaintenancePlanUpdate, response: { 200: MaintenancePlan, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request) => plans.update(actor(request), request.params.id, requiredVersion(request), request.body));

  app.delete('/maintenance-plans/:id', {
    schema: {
      tags: ['maintenance-plans'], summary: 'Deactivate a plan (kept with its history and work orders); its devices fall back to the next most specific plan',
      params: IdParams, response: { 204: z.undefined(), ...problems(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    await plans.deactivate(actor(request), request.params.id);
    return reply.status(204).send();
  });

  app.get('/maintenance-plans/:id/devices', {
    schema: {
      tags: ['maintenance-plans'], summary: 'The devices the plan applies to, each with its next due date (by inventory number)',
      params: IdParams, querystring: PlanDeviceListQuery, response: { 200: page(PlanDevice), ...problems(400, 401, 404) },
    },
  }, async (request) => plans.devices(actor(request), request.params.id, request.query));

  app.get('/equipment/:id/maintenance-schedule', {
    schema: {
      tags: ['maintenance-plans'], summary: 'The plans that apply to a device, each with its next occurrence, and its current opt-outs (whoever may read the device)',
      params: IdParams, response: { 200: DeviceMaintenanceSchedule, ...problems(400, 401, 404) },
    },
  }, async (request) => plans.deviceSchedule(actor(request), request.params.id));

  app.post('/equipment/:id/plan-opt-outs/:planId', {
    schema: {
      tags: ['maintenance-plans'], summary: 'Leave a device out of a plan, with the reason (engineer or site manager of its site)',
      params: PlanOptOutParams, body: PlanOptOutCreate, response: { 201: PlanOptOut, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await plans.optOut(actor(request), request.params.id, request.params.planId, request.body.reason)));

  app.delete('/equipment/:id/plan-opt-outs/:planId', {
    schema: {
      tags: ['maintenance-plans'], summary: "End a device's opt-out of a plan (the record stays)",
      params: PlanOptOutParams, response: { 204: z.undefined(), ...problems(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    await plans.endOptOut(actor(request), request.params.id, request.params.planId);
    return reply.status(204).send();
  });

  app.get('/equipment/:id/meter-readings', {
    schema: {
      tags: ['maintenance-plans'], summary: "A device's meter readings (hours, cycles), latest first",
      params: IdParams, querystring: MeterReadingListQuery, response: { 200: page(MeterReading), ...problems(400, 401, 404) },
    },
  }, async (request) => plans.readings(actor(request), request.params.id, request.query));

  app.post('/equipment/:id/meter-readings', {
    schema: {
      tags: ['maintenance-plans'], summary: 'Record a meter reading (the biomedical team of its site); its meter plans are rescheduled',
      params: IdParams, body: MeterReadingCreate, response: { 201: MeterReading, ...problems(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.status(201).send(await plans.addReading(actor(request), request.params.id, request.body)));

  app.post('/pm/generate', {
    schema: {
      tags: ['maintenance-plans'],
      summary: 'Run the preventive generator now (a site: its engineers and manager; the territory: engineers): 202 + jobId, result {created} at /jobs/{jobId}',
      body: PmGenerateRequest, response: { 202: JobAccepted, ...problems(400, 401, 403, 503) },
    },
  }, async (request, reply) => reply.status(202).send(await plans.generate(actor(request), request.body.siteId)));
};
