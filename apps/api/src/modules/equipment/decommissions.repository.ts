import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

export function selectDecommissions(db: Kysely<DB>) {
  return db
    .selectFrom('equipmentDecommissions as d')
    .innerJoin('users as rq', 'rq.id', 'd.requestedBy')
    .leftJoin('users as dc', 'dc.id', 'd.decidedBy')
    .select([
      'd.id', 'd.equipmentId', 'd.reason', 'd.decommissionDate', 'd.comment', 'd.status', 'd.requestedBy', 'rq.fullName as requestedByName',
      'd.requestedAt', 'd.decidedBy', 'dc.fullName as decidedByName', 'd.decidedAt', 'd.decisionComment',
    ]);
}
export type DecommissionRow = Awaited<ReturnType<ReturnType<typeof selectDecommissions>['executeTakeFirstOrThrow']>>;

export function decommissionsOf(db: Kysely<DB>, equipmentId: string) {
  return selectDecommissions(db).where('d.equipmentId', '=', equipmentId).orderBy('d.requestedAt', 'desc').execute();
}

export function findDecommission(db: Kysely<DB>, equipmentId: string, id: string) {
  return selectDecommissions(db).where('d.equipmentId', '=', equipmentId).where('d.id', '=', id).executeTakeFirst();
}

export async function insertDecommission(
  db: Kysely<DB>,
  v: { territoryId: string; equipmentId: string; reason: string; decommissionDate: string; comment: string; requestedBy: string },
): Promise<string> {
  return (await db.insertInto('equipmentDecommissions').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

/** Decides a pending request; false if it was no longer pending. */
export async function decide(db: Kysely<DB>, id: string, status: 'approved' | 'rejected', decidedBy: string, comment: string): Promise<boolean> {
  const r = await db
    .updateTable('equipmentDecommissions')
    .set({ status, decidedBy, decidedAt: sql`now()`, decisionComment: comment })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
