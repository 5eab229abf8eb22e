import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EquipmentListQuery, IdParams, LabelQuery, LabelsPdfRequest, PublicOrigin } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { fileHeaders } from '../../lib/file-reply.js';
import { problems } from '../../lib/http.js';
import { badRequest } from '../../lib/problem.js';
import type { EquipmentDocumentsService } from './equipment-documents.service.js';
import { exportFileName } from './export.js';

export const ExportQuerystring = EquipmentListQuery.omit({ limit: true, cursor: true });

/**
 * A response that is a file, documented by its media type (OpenAPI content map); the
 * handler sends a string, a Buffer or a stream, which Fastify never serialises.
 */
function file<T extends string | Buffer | Readable>(mediaType: string, description: string, binary: boolean) {
  const schema = z.custom<T>().meta(binary ? { type: 'string', format: 'binary' } : { type: 'string' });
  return { description, content: { [mediaType]: { schema } } };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The origin of this request, as the browser reached the API (behind a proxy: with TRUST_PROXY). */
function requestOrigin(request: FastifyRequest): string {
  const origin = PublicOrigin.safeParse(`${request.protocol}://${request.host}`);
  if (origin.success) return origin.data;
  throw badRequest('En-tête Host invalide : indiquez l’origine des étiquettes.', [{ path: 'headers.host', message: 'hôte invalide' }], 'invalid_host');
}

export const equipmentDocumentsRoutes: FastifyPluginAsyncZod<{ documents: EquipmentDocumentsService }> = async (app, { documents }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/equipment/:id/label.svg', {
    schema: {
      tags: ['equipment'],
      summary: 'Printable label of a device (70 × 37 mm SVG): QR code of its page /e/{inventoryNumber}, inventory number, site, category and model',
      params: IdParams, querystring: LabelQuery,
      response: { 200: file<string>('image/svg+xml', 'The label', false), ...problems(400, 401, 404) },
    },
  }, async (request, reply) => {
    const origin = request.query.origin ?? requestOrigin(request);
    const { svg, inventoryNumber } = await documents.labelSvg(actor(request), request.params.id, origin);
    // SVG is never rendered on the API's origin: a download (the SPA shows it from a blob: URL).
    return fileHeaders(reply, { mediaType: 'image/svg+xml; charset=utf-8', fileName: `etiquette-${inventoryNumber}.svg` })
      .header('cache-control', 'private, no-cache')
      .send(svg);
  });

  app.post('/equipment/labels.pdf', {
    schema: {
      tags: ['equipment'],
      summary: 'A4 sheets of labels for the devices given, in that order (QR codes as vector graphics); unknown ids: 400 naming each',
      body: LabelsPdfRequest,
      response: { 200: file<Buffer>('application/pdf', 'The sheets of labels', true), ...problems(400, 401, 413, 415) },
    },
  }, async (request, reply) => {
    const origin = request.body.origin ?? requestOrigin(request);
    const pdf = await documents.labelsPdf(actor(request), request.body.ids, request.body.format, origin);
    return fileHeaders(reply, { mediaType: 'application/pdf', fileName: 'etiquettes.pdf' })
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
  });

  app.get('/equipment/export.csv', {
    schema: {
      tags: ['equipment'],
      summary: 'The filtered inventory as CSV for French Excel (UTF-8 with BOM, `;`, dd/mm/yyyy, decimal comma), streamed; same filters as GET /equipment',
      querystring: ExportQuerystring,
      response: { 200: file<Readable>('text/csv', 'The inventory, sorted by inventory number', false), ...problems(400, 401) },
    },
  }, async (request, reply) => {
    const stream = await documents.exportCsv(actor(request), request.query);
    return fileHeaders(reply, { mediaType: 'text/csv; charset=utf-8', fileName: exportFileName('csv') })
      .header('cache-control', 'private, no-store')
      .send(stream);
  });

  app.get('/equipment/export.xlsx', {
    schema: {
      tags: ['equipment'],
      summary: 'The filtered inventory as an Excel workbook (real dates and numbers, frozen header, auto-filter), streamed; same filters as GET /equipment',
      querystring: ExportQuerystring,
      response: { 200: file<Readable>(XLSX, 'The inventory, sorted by inventory number', true), ...problems(400, 401) },
    },
  }, async (request, reply) => {
    const stream = await documents.exportXlsx(actor(request), request.query);
    return fileHeaders(reply, { mediaType: XLSX, fileName: exportFileName('xlsx') })
      .header('cache-control', 'private, no-store')
      .send(stream);
  });
};
