import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

export function findImport(db: Kysely<DB>, territoryId: string, id: string) {
  return db.selectFrom('equipmentImports').selectAll().where('territoryId', '=', territoryId).where('id', '=', id).executeTakeFirst();
}
export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/** The import's state, its row locked until the end of the transaction (commits one at a time). */
export function lockImportState(trx: Kysely<DB>, id: string) {
  return trx.selectFrom('equipmentImports').select(['status', 'updatedAt']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export async function insertImport(
  db: Kysely<DB>,
  v: {
    territoryId: string; siteId: string; createdBy: string; fileName: string; fileFormat: string; encoding: string | null;
    separator: string | null; fileBytes: Buffer; rowCount: number; header: string[]; sampleRows: string[][];
  },
): Promise<string> {
  return (await db
    .insertInto('equipmentImports')
    .values({ ...v, header: JSON.stringify(v.header), sampleRows: JSON.stringify(v.sampleRows) })
    .returning('id')
    .executeTakeFirstOrThrow()).id;
}

export async function updateImport(db: Kysely<DB>, id: string, patch: { mapping?: unknown; options?: unknown; status?: string; jobId?: string; report?: unknown; error?: string | null }) {
  await db
    .updateTable('equipmentImports')
    .set({
      ...(patch.mapping !== undefined ? { mapping: JSON.stringify(patch.mapping) } : {}),
      ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}),
      ...(patch.report !== undefined ? { report: JSON.stringify(patch.report) } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.jobId !== undefined ? { jobId: patch.jobId } : {}),
      ...(patch.error !== undefined ? { error: patch.error } : {}),
      updatedAt: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export function savedMappings(db: Kysely<DB>, siteId: string) {
  return db.selectFrom('importMappings').select(['id', 'name', 'mapping']).where('siteId', '=', siteId).orderBy('name').execute();
}

export async function saveMapping(db: Kysely<DB>, v: { territoryId: string; siteId: string; name: string; mapping: unknown; createdBy: string }) {
  await db
    .insertInto('importMappings')
    .values({ ...v, mapping: JSON.stringify(v.mapping) })
    .onConflict((oc) => oc.columns(['siteId', 'name']).doUpdateSet({ mapping: JSON.stringify(v.mapping), createdBy: v.createdBy, updatedAt: sql`now()` }))
    .execute();
}
