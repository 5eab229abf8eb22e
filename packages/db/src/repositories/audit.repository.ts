import type { Kysely } from 'kysely';
import type { DB } from '../generated/db.js';

export interface AuditEntry {
  territoryId: string | null;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  ip?: string | null;
}

/** Appends one record to the audit trail (call it inside the write's transaction). */
export async function insertAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      territoryId: entry.territoryId,
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      requestId: entry.requestId ?? null,
      ip: entry.ip ?? null,
    })
    .execute();
}
