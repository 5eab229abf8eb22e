import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpProblem, badRequest } from './problem.js';

/** A file field of a multipart body, read into memory (bounded by `maxFileBytes`). */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

/** The zod schema of an UploadedFile field, for route body schemas. */
export const UploadedFileSchema = z.object({ filename: z.string(), data: z.custom<Buffer>((v) => Buffer.isBuffer(v)) });

/**
 * Multipart bodies for one plugin's routes: fields and the file land in `request.body`
 * (the file as an UploadedFile), so zod validates them like JSON; too large → 413 naming
 * the limit, as soon as the limit is crossed (the rest of the body is not kept); a body
 * that cannot be read as multipart (no boundary, a truncated part) → 400.
 */
export async function acceptMultipart(app: FastifyInstance, opts: { maxFileBytes: number; maxFields: number }): Promise<void> {
  // The multipart plugin reads the body in a preValidation hook; these two hooks bracket it,
  // so that an error thrown meanwhile without a status (busboy's framing errors) is known
  // to be the body's fault.
  const reading = new WeakSet<FastifyRequest>();
  app.addHook('preValidation', async (request) => {
    reading.add(request);
  });
  app.setErrorHandler((err: FastifyError, request) => {
    if (reading.has(request) && !(err instanceof HttpProblem) && err.statusCode === undefined) {
      throw badRequest('Corps multipart/form-data illisible (délimiteur absent ou corps tronqué).', undefined, 'invalid_multipart');
    }
    // Everything else goes to the application's error handler.
    throw err;
  });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: opts.maxFileBytes, files: 1, fields: opts.maxFields },
    async onFile(part) {
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
        const mb = opts.maxFileBytes / (1024 * 1024);
        const size = mb >= 1 ? `${Number(mb.toFixed(1)).toLocaleString('fr-FR')} Mo` : `${Math.round(opts.maxFileBytes / 1024)} ko`;
        throw new HttpProblem(413, 'file_too_large', `Le fichier dépasse la taille autorisée (${size}).`);
      }
      const file: UploadedFile = { filename: part.filename, data };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
  app.addHook('preValidation', async (request) => {
    reading.delete(request);
  });
}
