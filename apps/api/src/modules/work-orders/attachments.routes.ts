import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UploadedFileSchema, acceptMultipart } from '../../lib/multipart.js';
import { z } from 'zod';
import { Attachment, IdParams, Uuid } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { fileHeaders } from '../../lib/file-reply.js';
import { problems } from '../../lib/http.js';
import type { AttachmentsService } from './attachments.service.js';

/** The types an attachment can have (read from its bytes at upload); anything else is sent as application/octet-stream. */
const ATTACHMENT_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);

const UploadBody = z.object({
  file: UploadedFileSchema.describe('A photo (JPEG, PNG, WebP) or a PDF'),
});

export const attachmentsRoutes: FastifyPluginAsyncZod<{ attachments: AttachmentsService; maxBytes: number }> = async (app, { attachments, maxBytes }) => {
  app.addHook('onRequest', app.authenticate);
  await acceptMultipart(app, { maxFileBytes: maxBytes, maxFields: 2 });

  app.get('/work-orders/:id/attachments', {
    schema: {
      tags: ['work-orders'], summary: 'Photos and PDFs of a work order',
      params: IdParams, response: { 200: z.object({ items: z.array(Attachment) }), ...problems(400, 401, 404) },
    },
  }, async (request) => attachments.list(actor(request), request.params.id));

  app.post('/work-orders/:id/attachments', {
    schema: {
      tags: ['work-orders'], summary: 'Attach a photo or a PDF (multipart "file"; type read from the content; size limited)',
      consumes: ['multipart/form-data'], params: IdParams, body: UploadBody,
      response: { 201: Attachment, ...problems(400, 401, 403, 404, 413, 415) },
    },
  }, async (request, reply) => reply.status(201).send(await attachments.upload(actor(request), request.params.id, request.body.file)));

  app.get('/work-orders/:id/attachments/:attachmentId', {
    schema: {
      tags: ['work-orders'], summary: 'Download an attachment (PDF: as a download; JPEG, PNG, WebP photos: inline, for thumbnails)',
      params: z.object({ id: Uuid, attachmentId: Uuid }),
      response: {
        200: { description: 'The file', content: { 'application/octet-stream': { schema: z.custom<Buffer>().meta({ type: 'string', format: 'binary' }) } } },
        ...problems(400, 401, 404),
      },
    },
  }, async (request, reply) => {
    const file = await attachments.download(actor(request), request.params.id, request.params.attachmentId);
    // A download (PDF), or inline for the photos the SPA shows as thumbnails (lib/file-reply.ts).
    return fileHeaders(reply, { mediaType: file.mediaType, fileName: file.fileName, known: ATTACHMENT_TYPES }).send(file.data);
  });
};
