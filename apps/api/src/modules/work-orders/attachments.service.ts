import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sniffAttachmentType, can, hasRoleOnSite } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { HttpProblem, forbidden, notFound } from '../../lib/problem.js';
import * as repo from './work-orders.repository.js';

/**
 * Photos and PDFs of a work order. The type is read from the bytes (415 otherwise), the
 * size is capped by the multipart limit (413), and the files are stored under
 * ATTACHMENTS_DIR — never under the web root — and served only through the API, to the
 * users who may see the work order.
 */
export class AttachmentsService {
  constructor(private readonly deps: AppDeps) {}

  private dir(territoryId: string) {
    return path.join(this.deps.config.ATTACHMENTS_DIR, territoryId);
  }

  async list(ctx: ActorContext, workOrderId: string) {
    await this.workOrder(ctx, workOrderId);
    const rows = await this.deps.db
      .selectFrom('workOrderAttachments as a')
      .innerJoin('users as u', 'u.id', 'a.uploadedBy')
      .select(['a.id', 'a.fileName', 'a.mediaType', 'a.sizeBytes', 'a.uploadedBy', 'u.fullName', 'a.uploadedAt'])
      .where('a.workOrderId', '=', workOrderId)
      .orderBy('a.uploadedAt')
      .execute();
    return { items: rows.map((r) => this.toAttachment(r)) };
  }

  async upload(ctx: ActorContext, workOrderId: string, file: { filename: string; data: Buffer }) {
    const wo = await this.workOrder(ctx, workOrderId);
    const territoryId = ctx.principal.territoryId;
    const allowed =
      can(ctx.principal, 'maintenance.plan', { territoryId, siteId: wo.siteId }) ||
      hasRoleOnSite(ctx.principal, wo.siteId, ['technician']) ||
      (await repo.assigneesOf(this.deps.db, [wo.id])).get(wo.id)?.some((a) => a.id === ctx.principal.userId) ||
      wo.requestedBy === ctx.principal.userId;
    if (!allowed) throw forbidden();
    const mediaType = sniffAttachmentType(file.data);
    if (!mediaType) throw new HttpProblem(415, 'unsupported_media_type', 'Seules les photos (JPEG, PNG, WebP) et les PDF sont acceptés.');
    const key = randomUUID();
    await fs.mkdir(this.dir(territoryId), { recursive: true });
    await fs.writeFile(path.join(this.dir(territoryId), key), file.data, { mode: 0o600 });
    try {
      const row = await this.deps.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('workOrderAttachments')
          .values({
            workOrderId, fileName: file.filename.slice(0, 200) || 'fichier', mediaType, sizeBytes: file.data.length,
            sha256: createHash('sha256').update(file.data).digest('hex'), storageKey: key, uploadedBy: ctx.principal.userId,
          })
          .returning(['id', 'fileName', 'mediaType', 'sizeBytes', 'uploadedBy', 'uploadedAt'])
          .executeTakeFirstOrThrow();
        await audit(trx, ctx, 'work_order.attachment', 'work_order', workOrderId, null, { id: inserted.id, fileName: inserted.fileName, mediaType, sizeBytes: inserted.sizeBytes });
        return inserted;
      });
      const fullName = (await this.deps.db.selectFrom('users').select('fullName').where('id', '=', ctx.principal.userId).executeTakeFirstOrThrow()).fullName;
      return this.toAttachment({ ...row, fullName });
    } catch (err) {
      await fs.rm(path.join(this.dir(territoryId), key), { force: true });
      throw err;
    }
  }

  async download(ctx: ActorContext, workOrderId: string, attachmentId: string) {
    await this.workOrder(ctx, workOrderId);
    const row = await this.deps.db
      .selectFrom('workOrderAttachments')
      .select(['fileName', 'mediaType', 'storageKey'])
      .where('workOrderId', '=', workOrderId)
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!row) throw notFound('Pièce jointe');
    const data = await fs.readFile(path.join(this.dir(ctx.principal.territoryId), row.storageKey));
    return { ...row, data };
  }

  private async workOrder(ctx: ActorContext, id: string) {
    const wo = await repo.findWorkOrder(this.deps.db, ctx.principal.territoryId, id);
    if (!wo) throw notFound('Bon de travail');
    return wo;
  }

  private toAttachment(r: { id: string; fileName: string; mediaType: string; sizeBytes: number; uploadedBy: string; fullName: string; uploadedAt: Date }) {
    return {
      id: r.id, fileName: r.fileName, mediaType: r.mediaType as 'image/png', sizeBytes: r.sizeBytes,
      uploadedBy: { id: r.uploadedBy, fullName: r.fullName }, uploadedAt: r.uploadedAt.toISOString(),
    };
  }
}
