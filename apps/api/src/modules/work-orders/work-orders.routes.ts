import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Assignable, AssignableQuery, AssigneeAdd, ChecklistAdd, ExternalIntervention, WorkOrderCreate, WorkOrderTransition, WorkOrderPartCreate, WorkOrderStockPartCreate, StockReservation, ReservationParams, ReservationRelease, PartUsed, Register, RestartDecisionCreate, ChecklistAnswerInput, ChecklistItem, ExternalCreate, IdParams, Uuid, LabourCreate, LabourEntry, SignatureCreate, WorkOrder, WorkOrderListQuery, WorkOrderSummary, WorkOrderTransitionRequest,
  WorkOrderPlanners, WorkOrderUpdate, WorkRequestCreate, LanguageQuery, page,
} from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { fileHeaders } from '../../lib/file-reply.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import { requestLocale } from '../../lib/locale.js';
import type { BacklogService } from './backlog.service.js';
import type { ChecklistService } from './checklist.service.js';
import type { WorkOrderLifecycleService } from './lifecycle.service.js';
import type { RegisterService } from './register.service.js';
import type { WorkEntriesService } from './work-entries.service.js';
import { registerCsv, registerPdf } from './work-order-documents.js';

export interface WorkOrdersRoutesOptions {
  lifecycle: WorkOrderLifecycleService;
  entries: WorkEntriesService;
  checklist: ChecklistService;
  backlog: BacklogService;
  register: RegisterService;
}

export const workOrdersRoutes: FastifyPluginAsyncZod<WorkOrdersRoutesOptions> = async (app, { lifecycle, entries, checklist, backlog, register }) => {
  app.addHook('onRequest', app.authenticate);

  app.post('/work-requests', {
    schema: {
      tags: ['work-orders'], summary: 'Report a fault on a device (care staff and the biomedical team of its site)',
      body: WorkRequestCreate, response: { 201: WorkOrder, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const wo = await lifecycle.request(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/work-orders/${wo.id}`).send(wo);
  });

  app.post('/work-orders', {
    schema: {
      tags: ['work-orders'], summary: 'Create a work order of any type on a device (technicians, engineers and site managers of its site)',
      body: WorkOrderCreate, response: { 201: WorkOrder, ...problems(400, 401, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const wo = await lifecycle.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/work-orders/${wo.id}`).send(wo);
  });

  app.get('/technicians', {
    schema: {
      tags: ['work-orders'], summary: 'Active technicians and engineers of the territory, with their sites (to assign work orders)',
      querystring: AssignableQuery, response: { 200: z.object({ items: z.array(Assignable) }), ...problems(400, 401) },
    },
  }, async (request) => backlog.assignable(actor(request), request.query));

  app.get('/work-orders', {
    schema: {
      tags: ['work-orders'], summary: 'Work orders (sorted by priority, repair due date, number); assignee=me, requestedBy=me and filters',
      description: 'Each item is a WorkOrderSummary, what the lists show of a work order; the full work order is at GET /work-orders/{id}.',
      querystring: WorkOrderListQuery, response: { 200: page(WorkOrderSummary), ...problems(400, 401) },
    },
    // What a user sees depends on their roles (care staff: their sites and requests) and on
    // "me"; "overdue" depends on the clock, which no snapshot captures.
    config: { pageCache: { scope: 'user', when: (request) => (request.query as { overdue?: unknown }).overdue === undefined } },
  }, async (request) => backlog.list(actor(request), request.query));

  app.get('/work-orders/:id', {
    schema: { tags: ['work-orders'], summary: 'One work order', params: IdParams, response: { 200: WorkOrder, ...problems(400, 401, 404) } },
  }, async (request) => lifecycle.get(actor(request), request.params.id));

  app.get('/work-orders/:id/planners', {
    schema: {
      tags: ['work-orders'], summary: 'Who assigns the work order: the site manager and engineers of its site (the territory admins when it has none)',
      params: IdParams, response: { 200: WorkOrderPlanners, ...problems(400, 401, 404) },
    },
  }, async (request) => lifecycle.planners(actor(request), request.params.id));

  app.post('/work-orders/:id/assignees', {
    schema: {
      tags: ['work-orders'], summary: 'Assign a technician of any site (cross-site interventions are recorded)',
      params: IdParams, body: AssigneeAdd, response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => lifecycle.assign(actor(request), request.params.id, request.body));

  app.post('/work-orders/:id/transitions', {
    schema: {
      tags: ['work-orders'], summary: 'Move a work order along its state machine (409 names the allowed states); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: WorkOrderTransitionRequest,
      response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request) => lifecycle.transition(actor(request), request.params.id, requiredVersion(request), request.body));

  app.post('/work-orders/:id/restart', {
    schema: {
      tags: ['work-orders'],
      summary: "An engineer puts the device back in service after the work order's non-conforming verdict, with a reason; If-Match: version",
      params: IdParams, headers: IfMatchHeaders, body: RestartDecisionCreate,
      response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request) => lifecycle.restart(actor(request), request.params.id, requiredVersion(request), request.body));

  app.get('/work-orders/:id/transitions', {
    schema: {
      tags: ['work-orders'], summary: 'Every change of state of a work order, oldest first (actor null: the system)',
      params: IdParams, querystring: LanguageQuery, response: { 200: z.object({ items: z.array(WorkOrderTransition) }), ...problems(400, 401, 404) },
    },
  }, async (request) => lifecycle.transitions(actor(request), request.params.id, requestLocale(request)));

  app.get('/work-orders/:id/external-interventions', {
    schema: {
      tags: ['work-orders'], summary: 'Vendor interventions recorded on a work order',
      params: IdParams, response: { 200: z.object({ items: z.array(ExternalIntervention) }), ...problems(400, 401, 404) },
    },
  }, async (request) => entries.externals(actor(request), request.params.id));

  app.patch('/work-orders/:id', {
    schema: {
      tags: ['work-orders'], summary: 'Diagnosis, actions (assignees, planners) and priority (planners); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: WorkOrderUpdate, response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request) => entries.update(actor(request), request.params.id, requiredVersion(request), request.body));

  app.get('/work-orders/:id/labour', {
    schema: {
      tags: ['work-orders'], summary: 'Time spent on a work order',
      params: IdParams, response: { 200: z.object({ items: z.array(LabourEntry) }), ...problems(400, 401, 404) },
    },
  }, async (request) => entries.labour(actor(request), request.params.id));

  app.post('/work-orders/:id/labour', {
    schema: {
      tags: ['work-orders'], summary: 'Log time (start and end, or minutes; travel minutes for cross-site work)',
      params: IdParams, body: LabourCreate, response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => entries.addLabour(actor(request), request.params.id, request.body));

  app.post('/work-orders/:id/external-interventions', {
    schema: {
      tags: ['work-orders'], summary: "Record a vendor intervention (vendor, its technician, reference, an accredited body's accreditation reference, cost in cents, report)",
      params: IdParams, body: ExternalCreate, response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => entries.addExternal(actor(request), request.params.id, request.body));

  app.post('/work-orders/:id/signature', {
    schema: {
      tags: ['work-orders'], summary: "The assigned technician's signature (name and drawn image), needed to complete",
      params: IdParams, body: SignatureCreate, response: { 200: WorkOrder, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => entries.sign(actor(request), request.params.id, request.body));

  app.get('/work-orders/:id/checklist', {
    schema: {
      tags: ['work-orders'], summary: 'The checklist of a work order, in order',
      params: IdParams, response: { 200: z.object({ items: z.array(ChecklistItem) }), ...problems(400, 401, 404) },
    },
  }, async (request) => checklist.checklist(actor(request), request.params.id));

  app.post('/work-orders/:id/checklist', {
    schema: {
      tags: ['work-orders'], summary: "Add a checklist template's items (e.g. iec-62353, with the territory's limits), or one item by hand",
      params: IdParams, body: ChecklistAdd, response: { 200: z.object({ items: z.array(ChecklistItem) }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => checklist.addChecklist(actor(request), request.params.id, request.body));

  app.put('/work-orders/:id/checklist/:itemId', {
    schema: {
      tags: ['work-orders'], summary: 'Answer a checklist item; a measurement is judged pass/fail against its limits',
      params: z.object({ id: Uuid, itemId: Uuid }), body: ChecklistAnswerInput, response: { 200: ChecklistItem, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => checklist.answer(actor(request), request.params.id, request.params.itemId, request.body));

  app.get('/equipment/:id/register', {
    schema: {
      tags: ['work-orders'], summary: "The maintenance register of a device (R.5212-28): JSON, or ?format=csv or ?format=pdf; results in the reader's language (?lang or Accept-Language)",
      params: IdParams, querystring: LanguageQuery.extend({ format: z.enum(['json', 'csv', 'pdf']).default('json') }),
      response: {
        200: {
          description: 'The register',
          content: {
            'application/json': { schema: Register },
            'text/csv': { schema: z.string() },
            'application/pdf': { schema: z.custom<Buffer>().meta({ type: 'string', format: 'binary' }) },
          },
        },
        ...problems(400, 401, 404),
      },
    },
  }, async (request, reply) => {
    const locale = requestLocale(request);
    const r = await register.register(actor(request), request.params.id, locale);
    const baseName = `${locale === 'en' ? 'register' : 'registre'}-${r.equipment.inventoryNumber.replace(/[^\w.-]+/g, '_')}`;
    if (request.query.format === 'pdf') {
      return fileHeaders(reply, { mediaType: 'application/pdf', fileName: `${baseName}.pdf` }).send(Buffer.from(await registerPdf(r, locale)));
    }
    if (request.query.format === 'csv') {
      return fileHeaders(reply, { mediaType: 'text/csv; charset=utf-8', fileName: `${baseName}.csv` })
        .serializer((v: unknown) => String(v))
        .send(registerCsv(r, locale));
    }
    return r;
  });

  app.get('/work-orders/:id/parts', {
    schema: {
      tags: ['work-orders'], summary: 'Parts used on a work order',
      params: IdParams, response: { 200: z.object({ items: z.array(PartUsed) }), ...problems(400, 401, 404) },
    },
  }, async (request) => entries.parts(actor(request), request.params.id));

  app.post('/work-orders/:id/parts', {
    schema: {
      tags: ['work-orders'],
      summary: 'Record a part used: from a store ({partId, storeId, quantity}: issued from the stock in the same transaction; 409 insufficient_stock) or as free text ({reference, description, quantity}: bought on the spot, no stock movement)',
      params: IdParams, body: WorkOrderPartCreate, response: { 200: z.object({ items: z.array(PartUsed) }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => entries.addPart(actor(request), request.params.id, request.body));

  app.get('/work-orders/:id/reservations', {
    schema: {
      tags: ['work-orders'], summary: 'Stock reserved for a work order (active, used, released)',
      params: IdParams, response: { 200: z.object({ items: z.array(StockReservation) }), ...problems(400, 401, 404) },
    },
  }, async (request) => entries.reservations(actor(request), request.params.id));

  app.post('/work-orders/:id/reservations', {
    schema: {
      tags: ['work-orders'],
      summary: "Hold a part of a store for the work order (counted in the store's reserved quantity; its issues use it first; released when the work order is cancelled); 409 insufficient_stock",
      params: IdParams, body: WorkOrderStockPartCreate, response: { 200: z.object({ items: z.array(StockReservation) }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => entries.reserve(actor(request), request.params.id, request.body));

  app.post('/work-orders/:id/reservations/:reservationId/release', {
    schema: {
      tags: ['work-orders'], summary: 'Give an active reservation back to the shelves (a body with its reason is optional)',
      // No body at all is Fastify's null body: no reason.
      params: ReservationParams, body: ReservationRelease.nullable(), response: { 200: z.object({ items: z.array(StockReservation) }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => entries.release(actor(request), request.params.id, request.params.reservationId, request.body?.reason ?? null));

  app.get('/work-orders/:id/report.pdf', {
    schema: {
      tags: ['work-orders'],
      summary: "The intervention report (bon d'intervention) in the reader's language (?lang or Accept-Language): site, device, request, operations, measurements with their limits, parts, times, photos, completion and closure, signature",
      params: IdParams, querystring: LanguageQuery,
      response: {
        200: { description: 'The report', content: { 'application/pdf': { schema: z.custom<Buffer>().meta({ type: 'string', format: 'binary' }) } } },
        ...problems(400, 401, 404),
      },
    },
  }, async (request, reply) => {
    const { number, pdf } = await register.report(actor(request), request.params.id, requestLocale(request));
    return fileHeaders(reply, { mediaType: 'application/pdf', fileName: `${number}.pdf` }).send(Buffer.from(pdf));
  });
};
