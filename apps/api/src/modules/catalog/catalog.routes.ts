import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EquipmentCategory, EquipmentModel, EquipmentModelCreate, EquipmentModelListQuery, EquipmentModelUpdate, IdParams, page } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { CatalogService } from './catalog.service.js';

export const catalogRoutes: FastifyPluginAsyncZod<{ catalog: CatalogService }> = async (app, { catalog }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/equipment-categories', {
    schema: {
      tags: ['catalog'], summary: 'The territory nomenclature of equipment categories (flat, sorted by code)',
      response: { 200: z.object({ items: z.array(EquipmentCategory) }), ...problems(401) },
    },
  }, async (request) => catalog.categories(actor(request)));

  app.get('/equipment-models', {
    schema: {
      tags: ['catalog'], summary: 'Equipment models (sorted by manufacturer, model name, id)',
      querystring: EquipmentModelListQuery, response: { 200: page(EquipmentModel), ...problems(400, 401) },
    },
  }, async (request) => catalog.models(actor(request), request.query));

  app.post('/equipment-models', {
    schema: {
      tags: ['catalog'], summary: 'Add an equipment model (technicians, engineers, site managers)',
      body: EquipmentModelCreate, response: { 201: EquipmentModel, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const model = await catalog.createModel(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/equipment-models/${model.id}`).send(model);
  });

  app.get('/equipment-models/:id', {
    schema: {
      tags: ['catalog'], summary: 'One equipment model',
      params: IdParams, response: { 200: EquipmentModel, ...problems(400, 401, 404) },
    },
  }, async (request) => catalog.model(actor(request), request.params.id));

  app.patch('/equipment-models/:id', {
    schema: {
      tags: ['catalog'],
      summary: "Set a model's electrical class, applied-part type, Basic UDI-DI or EMDN code (technicians, engineers, site managers); If-Match: version",
      params: IdParams, headers: IfMatchHeaders, body: EquipmentModelUpdate,
      response: { 200: EquipmentModel, ...problems(400, 401, 403, 404, 412, 428) },
    },
  }, async (request) => catalog.updateModel(actor(request), request.params.id, requiredVersion(request), request.body));
};
