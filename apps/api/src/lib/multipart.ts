import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** A file field of a multipart body, read into memory (bounded by `maxFileBytes`). */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

/** The zod schema of an UploadedFile field, for route body schemas. */
export const UploadedFileSchema = z.object({ filename: z.string(), data: z.custom<Buffer>((v) => Buffer.isBuffer(v)) });

/**
 * Multipart bodies for one plugin's routes: fields and the file land in `request.body`
 * (the file as an UploadedFile), so zod validates them like JSON; too large → 413.
 */
export async function acceptMultipart(app: FastifyInstance, opts: { maxFileBytes: number; maxFields: number }): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: opts.maxFileBytes, files: 1, fields: opts.maxFields },
    async onFile(part) {
      const file: UploadedFile = { filename: part.filename, data: await part.toBuffer() };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
}
