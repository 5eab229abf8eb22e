import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UploadedFileSchema, acceptMultipart } from '../../lib/multipart.js';
import { z } from 'zod';
import { IdParams, ImportPlanRequest, ImportReport, ImportState, ImportUpload, JobAccepted, Uuid } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import type { EquipmentImportsService } from './equipment-imports.service.js';

const UploadBody = z.object({
  siteId: Uuid.describe('The site the rows belong to unless a "site" column says otherwise'),
  file: UploadedFileSchema
    .describe('The CSV (UTF-8 or Windows-1252, ; or , separated) or XLSX file'),
});

export const equipmentImportsRoutes: FastifyPluginAsyncZod<{ imports: EquipmentImportsService; maxFileBytes: number }> = async (
  app, { imports, maxFileBytes },
) => {
  app.addHook('onRequest', app.authenticate);
  await acceptMultipart(app, { maxFileBytes, maxFields: 5 });

  app.post('/equipment-imports', {
    schema: {
      tags: ['imports'],
      summary: 'Upload a CSV or XLSX inventory file (multipart: siteId, file); answers its columns and a suggested mapping',
      description: 'The file is read off the event loop under limits (IMPORT_* variables): 413 when the file or what it expands to is '
        + 'too large, 422 when it has too many rows or columns or too long a cell (the message names the row and column). '
        + 'Sample cells are cut to 200 characters.',
      consumes: ['multipart/form-data'], body: UploadBody,
      response: { 201: ImportUpload, ...problems(400, 401, 403, 413, 415, 422) },
    },
  }, async (request, reply) => {
    const created = await imports.upload(actor(request), request.body.siteId, request.body.file);
    return reply.status(201).header('location', `/api/v1/equipment-imports/${created.id}`).send(created);
  });

  app.get('/equipment-imports/:id', {
    schema: { tags: ['imports'], summary: 'State of an import', params: IdParams, response: { 200: ImportState, ...problems(400, 401, 404) } },
  }, async (request) => imports.get(actor(request), request.params.id));

  app.post('/equipment-imports/:id/dry-run', {
    schema: {
      tags: ['imports'], summary: 'Validate every row with a mapping, writing nothing: problems by row and column, what would be created',
      params: IdParams, body: ImportPlanRequest, response: { 200: ImportReport, ...problems(400, 401, 403, 404, 413, 415, 422) },
    },
  }, async (request) => imports.dryRun(actor(request), request.params.id, request.body));

  app.post('/equipment-imports/:id/commit', {
    schema: {
      tags: ['imports'], summary: 'Import for real (all or nothing) as a background job: 202 + jobId, follow it at /jobs/{jobId}; 503 queue_unavailable (nothing changed) when the queue cannot take it',
      params: IdParams, body: ImportPlanRequest, response: { 202: JobAccepted, ...problems(400, 401, 403, 404, 409, 413, 415, 422, 503) },
    },
  }, async (request, reply) => reply.status(202).send(await imports.commit(actor(request), request.params.id, request.body)));
};
