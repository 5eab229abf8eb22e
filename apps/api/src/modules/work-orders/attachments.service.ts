import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { assigneesOf, type DB } from '@gmao/db';
import { sniffAttachmentType } from '@gmao/domain';
import { audit, type ActorContext } from '../../lib/context.js';
import { HttpProblem, notFound } from '../../lib/problem.js';
import { findUser } from '../users/users.repository.js';
import { attachmentsOf, findAttachment, insertAttachment } from './attachments.repository.js';
import { requireAbility } from './work-order-access.js';
import { findOr404 } from './work-order-view.js';

/**
 * Photos and PDFs of a work order. The type is read from the bytes (415 otherwise), the
 * size is capped by the multipart limit (413), and the files are stored under
 * ATTACHMENTS_DIR — never under the web root — and served only through the API, to the
 * users who may see the work order.
 */
export class AttachmentsService {
  constructor(private readonly deps: { db: Kysely<DB>; attachmentsDir: string }) {}

  private dir(territoryId: string) {
    return path.join(this.deps.attachmentsDir, territoryId);
  }

  async list(ctx: ActorContext, workOrderId: string) {
    await findOr404(this.deps.db, ctx.principal, workOrderId);
    const rows = await attachmentsOf(this.deps.db, workOrderId);
    return { items: rows.map((r) => this.toAttachment(r)) };
  }

  async upload(ctx: ActorContext, workOrderId: string, file: { filename: string; data: Buffer }) {
    const territoryId = ctx.principal.territoryId;
    const wo = await findOr404(this.deps.db, ctx.principal, workOrderId);
    requireAbility(ctx, wo, (await assigneesOf(this.deps.db, [wo.id])).get(wo.id) ?? [], 'attach');
    const mediaType = sniffAttachmentType(file.data);
    if (!mediaType) throw new HttpProblem(415, 'unsupported_media_type', 'Seules les photos (JPEG, PNG, WebP) et les PDF sont acceptés.');
    const key = randomUUID();
    await fs.mkdir(this.dir(territoryId), { recursive: true });
    await fs.writeFile(path.join(this.dir(territoryId), key), file.data, { mode: 0o600 });
    try {
      const row = await this.deps.db.transaction().execute(async (trx) => {
        const inserted = await insertAttachment(trx, {
          workOrderId, fileName: file.filename.slice(0, 200) || 'fichier', mediaType, sizeBytes: file.data.length,
          sha256: createHash('sha256').update(file.data).digest('hex'), storageKey: key, uploadedBy: ctx.principal.userId,
        });
        await audit(trx, ctx, 'work_order.attachment', 'work_order', workOrderId, null, { id: inserted.id, fileName: inserted.fileName, mediaType, sizeBytes: inserted.sizeBytes });
        return inserted;
      });
      const uploader = await findUser(this.deps.db, territoryId, ctx.principal.userId);
      return this.toAttachment({ ...row, fullName: uploader?.fullName ?? '' });
    } catch (err) {
      await fs.rm(path.join(this.dir(territoryId), key), { force: true });
      throw err;
    }
  }

  async download(ctx: ActorContext, workOrderId: string, attachmentId: string) {
    await findOr404(this.deps.db, ctx.principal, workOrderId);
    const row = await findAttachment(this.deps.db, workOrderId, attachmentId);
    if (!row) throw notFound('Pièce jointe');
    const data = await fs.readFile(path.join(this.dir(ctx.principal.territoryId), row.storageKey));
    return { ...row, data };
  }

  private toAttachment(r: { id: string; fileName: string; mediaType: string; sizeBytes: number; uploadedBy: string; fullName: string; uploadedAt: Date }) {
    return {
      id: r.id, fileName: r.fileName, mediaType: r.mediaType as 'image/png', sizeBytes: r.sizeBytes,
      uploadedBy: { id: r.uploadedBy, fullName: r.fullName }, uploadedAt: r.uploadedAt.toISOString(),
    };
  }
}
