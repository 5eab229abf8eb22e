import { UnrecoverableError, type Job } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { DEFAULT_IMPORT_LIMITS, UnreadableFileError, analyzeImportedTables, commitImportPlan, planStoredImport, type ImportLimits } from '@gmao/db';
import { TableLimitError, type ImportMapping, type ImportOptions } from '@gmao/domain';

/**
 * Re-validates the stored file with the mapping chosen at commit time and, if no row has a
 * problem, writes everything in one transaction. Running twice does no harm: a succeeded
 * import returns its result; a failed transaction left nothing behind. Only a committed
 * import (queued, or running when the job is run again) is run: the API enqueues inside
 * the transaction that marks it queued, so a job may exist for a commit that was rolled
 * back (Redis answered too late); it is refused.
 */
export async function runEquipmentImport(db: Kysely<DB>, importId: string, job: Job, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Promise<unknown> {
  // FOR UPDATE waits for the committing transaction, which holds the row until it ends.
  const imp = await db.selectFrom('equipmentImports').selectAll().where('id', '=', importId).forUpdate().executeTakeFirst();
  if (!imp) throw new UnrecoverableError(`import ${importId} not found`);
  if (imp.status === 'succeeded') return imp.result;
  if (imp.status !== 'queued' && imp.status !== 'running') throw new UnrecoverableError(`import ${importId} is not committed (${imp.status})`);
  const setStatus = (status: string, extra: { report?: unknown; result?: unknown; error?: string | null } = {}) =>
    db
      .updateTable('equipmentImports')
      .set({
        status,
        updatedAt: sql`now()`,
        ...(extra.report !== undefined ? { report: JSON.stringify(extra.report) } : {}),
        ...(extra.result !== undefined ? { result: JSON.stringify(extra.result) } : {}),
        ...(extra.error !== undefined ? { error: extra.error } : {}),
      })
      .where('id', '=', importId)
      .execute();

  await setStatus('running', { error: null });
  await job.updateProgress(1);
  let plan;
  try {
    plan = await planStoredImport(db, imp, imp.mapping as ImportMapping, imp.options as unknown as ImportOptions, limits);
  } catch (err) {
    // The stored file cannot be read again (e.g. the limits were lowered since the upload):
    // the import fails, saying why, rather than staying "running".
    if (err instanceof TableLimitError || err instanceof UnreadableFileError) {
      const error = `Fichier illisible : ${err.message} Rien n'a été importé.`;
      await setStatus('failed', { error });
      throw new UnrecoverableError(error);
    }
    throw err;
  }
  if (plan.problems.length > 0) {
    const error = `${plan.problems.length} problème(s) dans le fichier : rien n'a été importé.`;
    await setStatus('failed', { report: { rowCount: plan.rowCount, problemCount: plan.problems.length, problems: plan.problems.slice(0, 1000) }, error });
    throw new UnrecoverableError(error);
  }
  await job.updateProgress(5);
  let result: Awaited<ReturnType<typeof commitImportPlan>>;
  try {
    result = await commitImportPlan(db, {
      territoryId: imp.territoryId, actorId: imp.createdBy, importId, fileName: imp.fileName, plan,
      onProgress: (done) => job.updateProgress(5 + Math.floor((94 * done) / Math.max(1, plan.rows.length))),
    });
    await setStatus('succeeded', { result });
  } catch (err) {
    await setStatus('failed', { error: `Import interrompu : ${(err as Error).message}` });
    throw err;
  }
  // The devices are in and the import says so; then fresh planner statistics for the tables
  // just filled (6-7 s after 100,000 devices), before the job ends. A failure, or a worker
  // stopped meanwhile, only leaves them to autovacuum.
  await analyzeImportedTables(db, result).catch((err: unknown) => job.log(`ANALYZE failed: ${(err as Error).message}`).catch(() => undefined));
  await job.updateProgress(100);
  return result;
}
