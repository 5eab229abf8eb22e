import type { z } from 'zod';
import type { ImportPlanRequest, ImportReport, ImportState, ImportUpload } from '@gmao/contracts';
import { planStoredImport, summarizeTable, UnreadableFileError, type ImportLimits } from '@gmao/db';
import {
  IMPORT_FIELDS, TableLimitError, can, suggestMapping, truncateCell, type ImportMapping, type ImportPlan, type TableLimitKind,
} from '@gmao/domain';
import { jobIdFor } from '@gmao/queue';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { HttpProblem, badRequest, conflict, forbidden, notFound } from '../../lib/problem.js';
import { categoryLabels } from '../catalog/catalog.repository.js';
import { findSite } from '../sites/sites.repository.js';
import * as repo from './equipment-imports.repository.js';

type PlanInput = z.output<typeof ImportPlanRequest>;

/** Sizes are 413 (like the upload's own limit); shapes are 422. */
const LIMIT_PROBLEMS: Record<TableLimitKind, { status: number; code: string }> = {
  uncompressed: { status: 413, code: 'uncompressed_too_large' },
  memory: { status: 413, code: 'file_too_complex' },
  rows: { status: 422, code: 'too_many_rows' },
  columns: { status: 422, code: 'too_many_columns' },
  cell: { status: 422, code: 'cell_too_long' },
  header: { status: 422, code: 'header_too_long' },
};

/** A file the reader refused, as a problem: 415 unreadable, 413/422 beyond a limit. */
async function readingFile<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof UnreadableFileError) throw new HttpProblem(415, 'unreadable_file', err.message);
    if (err instanceof TableLimitError) throw new HttpProblem(LIMIT_PROBLEMS[err.kind].status, LIMIT_PROBLEMS[err.kind].code, err.message);
    throw err;
  }
}

function toReport(plan: ImportPlan & { rowCount: number }, categoryLabels: Map<string, string>): ImportReport {
  return {
    rowCount: plan.rowCount,
    validRows: plan.rows.length,
    problemCount: plan.problems.length,
    problems: plan.problems.slice(0, 1000),
    toCreate: {
      categories: plan.toCreate.categories.map((c) => ({ label: c.label })),
      models: plan.toCreate.models.map((m) => ({
        manufacturer: m.manufacturer, modelName: m.modelName,
        category: (m.categoryId ? categoryLabels.get(m.categoryId) : undefined) ?? plan.toCreate.categories.find((c) => c.key === m.categoryKey)?.label ?? m.categoryKey,
      })),
    },
  };
}

function storedOptions(o: Record<string, unknown>): NonNullable<ImportState['options']> {
  return {
    createMissingModels: Boolean(o.createMissingModels), createMissingCategories: Boolean(o.createMissingCategories),
    defaultSupplier: typeof o.defaultSupplier === 'string' ? o.defaultSupplier : null,
  };
}

/**
 * Spreadsheet import of an existing inventory: upload (the file is kept), dry run (every
 * problem by row and column, nothing written), commit (a worker job, all or nothing).
 */
export class EquipmentImportsService {
  constructor(private readonly deps: Pick<AppDeps, 'db' | 'queues'> & { importLimits: ImportLimits }) {}

  async upload(ctx: ActorContext, siteId: string, file: { filename: string; data: Buffer }): Promise<ImportUpload> {
    const territoryId = ctx.principal.territoryId;
    const site = await findSite(this.deps.db, territoryId, siteId);
    if (!site) throw badRequest('Site inconnu.', [{ path: 'body.siteId', message: 'site inconnu' }]);
    if (!can(ctx.principal, 'inventory.write', { territoryId, siteId })) throw forbidden();
    // Off the event loop, one file at a time, refused as soon as a limit is crossed.
    const table = await readingFile(summarizeTable(file.data, this.deps.importLimits));
    if (table.rowCount === 0) throw new HttpProblem(422, 'empty_file', 'Le fichier ne contient aucune ligne de données sous les en-têtes.');
    const fileName = file.filename.slice(0, 200) || 'import';
    const id = await repo.insertImport(this.deps.db, {
      territoryId, siteId, createdBy: ctx.principal.userId, fileName, fileFormat: table.format, encoding: table.encoding,
      separator: table.separator, fileBytes: file.data, rowCount: table.rowCount, header: table.header, sampleRows: table.sampleRows,
    });
    await audit(this.deps.db, ctx, 'equipment_import.upload', 'equipment_import', id, null, { fileName, rowCount: table.rowCount, siteId });
    const { siteId: _site, status: _s, mapping: _m, options: _o, jobId: _j, result: _r, error: _e, report: _rep, createdAt: _c, ...upload } = await this.get(ctx, id);
    return upload;
  }

  async get(ctx: ActorContext, id: string): Promise<ImportState> {
    const imp = await repo.findImport(this.deps.db, ctx.principal.territoryId, id);
    if (!imp) throw notFound('Import');
    const header = imp.header as string[];
    const saved = await repo.savedMappings(this.deps.db, imp.siteId);
    return {
      id: imp.id, siteId: imp.siteId, fileName: imp.fileName, format: imp.fileFormat as 'csv' | 'xlsx', encoding: imp.encoding,
      separator: imp.separator, header, rowCount: imp.rowCount,
      // Cut again on the way out: imports stored before the limits kept whole cells.
      sampleRows: (imp.sampleRows as string[][]).map((r) => r.map((c) => truncateCell(c))),
      suggestedMapping: suggestMapping(header),
      savedMappings: saved.map((m) => ({ id: m.id, name: m.name, mapping: m.mapping as ImportMapping })),
      fields: IMPORT_FIELDS.map((f) => ({ key: f.key, label: f.label })),
      status: imp.status as ImportState['status'], mapping: (imp.mapping as ImportMapping | null) ?? null,
      options: imp.options ? storedOptions(imp.options as Record<string, unknown>) : null,
      jobId: imp.jobId,
      result: (imp.result as ImportState['result']) ?? null, error: imp.error,
      report: (imp.report as ImportState['report']) ?? null, createdAt: imp.createdAt.toISOString(),
    };
  }

  async dryRun(ctx: ActorContext, id: string, input: PlanInput): Promise<ImportReport> {
    const { imp, plan } = await this.plan(ctx, id, input);
    if (input.saveMappingAs) {
      await repo.saveMapping(this.deps.db, { territoryId: imp.territoryId, siteId: imp.siteId, name: input.saveMappingAs, mapping: input.mapping, createdBy: ctx.principal.userId });
    }
    const labels = await this.categoryLabels(imp.territoryId);
    return toReport(plan, labels);
  }

  /**
   * Marks the import queued and enqueues its job in one transaction, the job last: Redis
   * refusing it, or not answering in time, rolls everything back (503, nothing changed).
   * An import queued or running whose job is not live any more (lost with Redis, failed
   * with its worker) can be committed again.
   */
  async commit(ctx: ActorContext, id: string, input: PlanInput): Promise<{ jobId: string }> {
    const imp = await this.load(ctx, id, input);
    const jobId = jobIdFor['equipment-import'](id);
    const already = () => conflict('Cet import est déjà lancé ou terminé.', 'import_already_committed');
    // The cheap refusals before the file is read again.
    if (imp.status === 'succeeded') throw already();
    if ((imp.status === 'queued' || imp.status === 'running') && (await this.deps.queues.isLive('equipment-import', imp.jobId ?? jobId))) throw already();
    const plan = await this.planOf(ctx, imp, input);
    if (plan.problems.length > 0) {
      throw new HttpProblem(422, 'import_has_problems', `${plan.problems.length} problème(s) à corriger : rien n'est importé tant qu'il en reste (voir le test à blanc).`);
    }
    return this.deps.db.transaction().execute(async (trx) => {
      // Another commit got there since it was read: it is the one that runs.
      const current = await repo.lockImportState(trx, id);
      if (current.status !== imp.status || current.updatedAt.getTime() !== imp.updatedAt.getTime()) throw already();
      await repo.updateImport(trx, id, { mapping: input.mapping, options: { ...input.options, defaultSiteId: imp.siteId }, status: 'queued', jobId, error: null });
      await audit(trx, ctx, 'equipment_import.commit', 'equipment_import', id, null, { rows: plan.rows.length, jobId });
      // The worker reads the import FOR UPDATE: it waits for this transaction to end.
      await this.deps.queues.enqueue('equipment-import', { importId: id, territoryId: imp.territoryId }, { jobId, attempts: 1 });
      return { jobId };
    });
  }

  private async plan(ctx: ActorContext, id: string, input: PlanInput) {
    const imp = await this.load(ctx, id, input);
    return { imp, plan: await this.planOf(ctx, imp, input) };
  }

  /** The import, once the rights to plan it with these options are checked. */
  private async load(ctx: ActorContext, id: string, input: PlanInput) {
    const territoryId = ctx.principal.territoryId;
    const imp = await repo.findImport(this.deps.db, territoryId, id);
    if (!imp) throw notFound('Import');
    if (!can(ctx.principal, 'inventory.write', { territoryId, siteId: imp.siteId })) throw forbidden();
    if (input.options.createMissingModels && !can(ctx.principal, 'catalog.write', { territoryId })) throw forbidden();
    return imp;
  }

  /** The stored file read again and planned with this mapping; rows on sites without a role become problems. */
  private async planOf(ctx: ActorContext, imp: NonNullable<Awaited<ReturnType<typeof repo.findImport>>>, input: PlanInput) {
    const territoryId = ctx.principal.territoryId;
    const plan = await readingFile(planStoredImport(this.deps.db, imp, input.mapping, { ...input.options, defaultSiteId: imp.siteId }, this.deps.importLimits));
    // Rows may name other sites: writing there needs a role there too.
    const denied = new Set([...new Set(plan.rows.map((r) => r.siteId))].filter((s) => !can(ctx.principal, 'inventory.write', { territoryId, siteId: s })));
    if (denied.size > 0) {
      const kept = plan.rows.filter((r) => !denied.has(r.siteId));
      for (const r of plan.rows.filter((x) => denied.has(x.siteId))) {
        plan.problems.push({ row: r.row, column: input.mapping.site ?? null, field: 'site', value: '', message: "vous n'avez pas de rôle sur ce site" });
      }
      plan.rows = kept;
      plan.problems.sort((a, b) => a.row - b.row);
    }
    return plan;
  }

  private categoryLabels(territoryId: string) {
    return categoryLabels(this.deps.db, territoryId);
  }
}
