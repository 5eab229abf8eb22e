import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Config } from '@gmao/config';
import type { Database, DB } from '@gmao/db';
import { insertAudit } from '@gmao/db';
import type { Principal } from '@gmao/domain';
import type { Queues } from '@gmao/queue';

/** What services need from the outside world. */
export interface AppDeps {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  redis: Redis;
  /** Producers of the BullMQ queues (long work answers 202 + a job id). */
  queues: Queues;
}

/** Who is acting, for authorization and the audit trail. */
export interface ActorContext {
  principal: Principal;
  requestId: string;
  ip: string;
}

export function audit(
  db: Kysely<DB>,
  ctx: ActorContext,
  action: string,
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  return insertAudit(db, {
    territoryId: ctx.principal.territoryId,
    actorId: ctx.principal.userId,
    action,
    entityType,
    entityId,
    before: before ?? undefined,
    after: after ?? undefined,
    requestId: ctx.requestId,
    ip: ctx.ip,
  });
}
