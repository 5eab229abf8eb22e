import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  Equipment, EquipmentCreate, EquipmentSummary, EquipmentHistory, EquipmentListQuery, EquipmentMove, EquipmentStatusChange, EquipmentUpdate,
  Decommission, DecommissionCreate, DecommissionDecision, IdParams, LanguageQuery, LookupQuery, LookupResult, ObligationReviewItem,
  ObligationReviewQuery, Uuid, page,
} from '@gmao/contracts';
import { z } from 'zod';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import { requestLocale } from '../../lib/locale.js';
import type { EquipmentService } from './equipment.service.js';
import type { DecommissionsService } from './decommissions.service.js';

export const equipmentRoutes: FastifyPluginAsyncZod<{ equipment: EquipmentService; decommissions: DecommissionsService }> = async (
  app,
  { equipment, decommissions },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/equipment', {
    schema: {
      tags: ['equipment'],
      summary: 'Search the territory inventory (sorted by inventory number; decommissioned devices only when asked by status)',
      description: 'Each item is an EquipmentSummary, what the lists show of a device; the full device is at GET /equipment/{id}.',
      querystring: EquipmentListQuery, response: { 200: page(EquipmentSummary), ...problems(400, 401) },
    },
    // Every user of the territory reads the same inventory (no rights check per device).
    config: { pageCache: { scope: 'territory' } },
  }, async (request) => equipment.listSummaries(actor(request), request.query));

  app.get('/equipment/lookup', {
    schema: {
      tags: ['equipment'],
      summary: 'Find devices from a scanned code: own QR label, inventory number, GS1 element string or Digital Link',
      querystring: LookupQuery, response: { 200: LookupResult, ...problems(400, 401, 404) },
    },
  }, async (request) => equipment.lookup(actor(request), request.query.code));

  app.get('/equipment/obligation-review', {
    schema: {
      tags: ['equipment'],
      summary: 'Devices whose manual obligation flags disagree with the computed obligations (to review; sorted by inventory number)',
      description:
        'The maintenance obligation applies to devices of classes IIb and III and to those emitting ionising radiation, the '
        + 'quality-control obligation to those emitting ionising radiation (docs/regulatory.md). A device whose '
        + 'maintenanceObligation or qualityControlObligation flag says otherwise is listed here, never overridden; '
        + 'computedObligations.mismatches names the flags that disagree.',
      querystring: ObligationReviewQuery, response: { 200: page(ObligationReviewItem), ...problems(400, 401) },
    },
  }, async (request) => equipment.obligationReview(actor(request), request.query));

  app.get('/equipment/:id', {
    schema: { tags: ['equipment'], summary: 'One device', params: IdParams, response: { 200: Equipment, ...problems(400, 401, 404) } },
  }, async (request) => equipment.get(actor(request), request.params.id));

  app.post('/equipment', {
    schema: {
      tags: ['equipment'], summary: 'Register a device at a site (technicians, engineers, site managers of the site)',
      body: EquipmentCreate, response: { 201: Equipment, ...problems(400, 401, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const device = await equipment.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/equipment/${device.id}`).send(device);
  });

  app.patch('/equipment/:id', {
    schema: {
      tags: ['equipment'], summary: 'Change descriptive fields of a device; If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: EquipmentUpdate,
      response: { 200: Equipment, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request) => equipment.update(actor(request), request.params.id, requiredVersion(request), request.body));

  app.post('/equipment/:id/move', {
    schema: {
      tags: ['equipment'], summary: 'Move a device to another location or site (recorded); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: EquipmentMove,
      response: { 200: Equipment, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request) => equipment.move(actor(request), request.params.id, requiredVersion(request), request.body));

  app.post('/equipment/:id/status', {
    schema: {
      tags: ['equipment'], summary: 'Change the status along the allowed transitions, with a reason; If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: EquipmentStatusChange,
      response: { 200: Equipment, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request) => equipment.changeStatus(actor(request), request.params.id, requiredVersion(request), request.body));

  app.get('/equipment/:id/history', {
    schema: {
      tags: ['equipment'], summary: 'The device timeline: creation, edits, status changes, moves (newest first)',
      params: IdParams, querystring: LanguageQuery, response: { 200: EquipmentHistory, ...problems(400, 401, 404) },
    },
  }, async (request) => equipment.history(actor(request), request.params.id, requestLocale(request)));

  app.get('/equipment/:id/decommissions', {
    schema: {
      tags: ['equipment'], summary: 'Decommissioning (réforme) requests of a device, newest first',
      params: IdParams, response: { 200: z.object({ items: z.array(Decommission) }), ...problems(400, 401, 404) },
    },
  }, async (request) => decommissions.list(actor(request), request.params.id));

  app.post('/equipment/:id/decommissions', {
    schema: {
      tags: ['equipment'], summary: 'Ask for a device to be decommissioned (the site manager decides)',
      params: IdParams, body: DecommissionCreate, response: { 201: Decommission, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const created = await decommissions.request(actor(request), request.params.id, request.body);
    return reply.status(201).header('location', `/api/v1/equipment/${request.params.id}/decommissions/${created.id}`).send(created);
  });

  app.post('/equipment/:id/decommissions/:decommissionId/decision', {
    schema: {
      tags: ['equipment'], summary: 'Approve or reject a decommissioning request (site manager); approval takes the device out of the active inventory',
      params: z.object({ id: Uuid, decommissionId: Uuid }), body: DecommissionDecision,
      response: { 200: Decommission, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => decommissions.decide(actor(request), request.params.id, request.params.decommissionId, request.body));
};
