import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';

export function attachmentsOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderAttachments as a')
    .innerJoin('users as u', 'u.id', 'a.uploadedBy')
    .select(['a.id', 'a.fileName', 'a.mediaType', 'a.sizeBytes', 'a.uploadedBy', 'u.fullName', 'a.uploadedAt'])
    .where('a.workOrderId', '=', workOrderId)
    .orderBy('a.uploadedAt')
    .execute();
}

export function insertAttachment(
  db: Kysely<DB>,
  a: { workOrderId: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string; storageKey: string; uploadedBy: string },
) {
  return db
    .insertInto('workOrderAttachments')
    .values(a)
    .returning(['id', 'fileName', 'mediaType', 'sizeBytes', 'uploadedBy', 'uploadedAt'])
    .executeTakeFirstOrThrow();
}

export function findAttachment(db: Kysely<DB>, workOrderId: string, attachmentId: string) {
  return db
    .selectFrom('workOrderAttachments')
    .select(['fileName', 'mediaType', 'storageKey'])
    .where('workOrderId', '=', workOrderId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}

/** The photos of a work order (JPEG, PNG, WebP) with where they are stored, oldest first: the intervention report shows them. */
export function imageAttachmentsOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderAttachments as a')
    .innerJoin('users as u', 'u.id', 'a.uploadedBy')
    .select(['a.fileName', 'a.mediaType', 'a.storageKey', 'u.fullName', 'a.uploadedAt'])
    .where('a.workOrderId', '=', workOrderId)
    .where('a.mediaType', 'like', 'image/%')
    .orderBy('a.uploadedAt')
    .orderBy('a.id')
    .execute();
}
