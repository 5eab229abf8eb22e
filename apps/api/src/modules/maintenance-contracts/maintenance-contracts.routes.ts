import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, MaintenanceContract, MaintenanceContractInput, MaintenanceContractListQuery, MaintenanceContractPage } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { MaintenanceContractsService } from './maintenance-contracts.service.js';

/** Maintenance contracts and the devices they cover (issue 15, ADR 0023). */
export const maintenanceContractsRoutes: FastifyPluginAsyncZod<{ contracts: MaintenanceContractsService }> = async (app, { contracts }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/maintenance-contracts', {
    schema: {
      tags: ['cost-allocation'],
      summary: 'Maintenance contracts by reference (keyset), of a site (payer or covering one of its devices), active or not; the covered device ids are in GET /{id}',
      querystring: MaintenanceContractListQuery, response: { 200: MaintenanceContractPage, ...problems(400, 401, 403) },
    },
  }, async (request) => contracts.list(actor(request), request.query));

  app.post('/maintenance-contracts', {
    schema: {
      tags: ['cost-allocation'],
      summary: 'A maintenance contract paid by a site (its engineer or site manager), with the devices it covers (any site of the territory)',
      body: MaintenanceContractInput, response: { 201: MaintenanceContract, ...problems(400, 401, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const created = await contracts.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/maintenance-contracts/${created.id}`).send(created);
  });

  app.get('/maintenance-contracts/:id', {
    schema: { tags: ['cost-allocation'], summary: 'One maintenance contract with its covered devices', params: IdParams, response: { 200: MaintenanceContract, ...problems(400, 401, 403, 404) } },
  }, async (request) => contracts.get(actor(request), request.params.id));

  app.put('/maintenance-contracts/:id', {
    schema: {
      tags: ['cost-allocation'],
      summary: 'Replace a contract’s fields and covered devices (If-Match: version); the open months are repriced, closed ones get counter-entries',
      params: IdParams, headers: IfMatchHeaders, body: MaintenanceContractInput,
      response: { 200: MaintenanceContract, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request) => contracts.replace(actor(request), request.params.id, requiredVersion(request), request.body));

  app.post('/maintenance-contracts/:id/deactivate', {
    schema: {
      tags: ['cost-allocation'],
      summary: 'Deactivate a contract: its shares are reversed by the next posting (409 contract_inactive when it is already)',
      params: IdParams, response: { 200: MaintenanceContract, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => contracts.deactivate(actor(request), request.params.id));
};
