import type { z } from 'zod';
import type { ChecklistTemplate, ChecklistTemplateCreate, ChecklistTemplateWrite, WorkOrderSettings, WorkOrderSettingsWrite } from '@gmao/contracts';
import { checklistTemplates, findChecklistTemplate, isBuiltInTemplate, readWorkOrderSettings, type ChecklistTemplateItem } from '@gmao/db';
import { can, checklistTemplateProblems, type ChecklistItemTemplate } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import * as repo from './work-order-settings.repository.js';

function toDomain(item: ChecklistTemplateItem): ChecklistItemTemplate {
  return {
    key: item.key, label: item.label, kind: item.kind, mandatory: item.mandatory,
    ...(item.unit !== null ? { unit: item.unit } : {}),
    ...(item.min !== null || item.max !== null ? { limits: { min: item.min, max: item.max } } : {}),
  };
}

/** The territory's work-order settings and checklist templates (read by work orders and the worker through packages/db). */
export class WorkOrderSettingsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async settings(ctx: ActorContext): Promise<WorkOrderSettings> {
    return readWorkOrderSettings(this.deps.db, ctx.principal.territoryId);
  }

  async saveSettings(ctx: ActorContext, version: number, input: z.output<typeof WorkOrderSettingsWrite>): Promise<WorkOrderSettings> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'settings.write', { territoryId })) throw forbidden("Seul l'administrateur du territoire modifie ces paramètres.");
    return this.deps.db.transaction().execute(async (trx) => {
      await repo.lockSettings(trx, territoryId);
      const before = await readWorkOrderSettings(trx, territoryId);
      if (before.version !== version) throw versionMismatch(before.version);
      await repo.saveSettings(trx, territoryId, { autoCloseDays: input.autoCloseDays, priorityTargets: input.priorityTargets, updatedBy: ctx.principal.userId });
      const after = await readWorkOrderSettings(trx, territoryId);
      await audit(trx, ctx, 'settings.work_orders', 'territory', territoryId, before, after);
      return after;
    });
  }

  templates(ctx: ActorContext) {
    return checklistTemplates(this.deps.db, ctx.principal.territoryId).then((items) => ({ items }));
  }

  template(ctx: ActorContext, code: string): Promise<ChecklistTemplate> {
    return this.find(this.deps.db, ctx.principal.territoryId, code);
  }

  async createTemplate(ctx: ActorContext, input: z.output<typeof ChecklistTemplateCreate>): Promise<ChecklistTemplate> {
    const territoryId = ctx.principal.territoryId;
    this.mayWrite(ctx);
    if (isBuiltInTemplate(input.code)) throw conflict('Ce code est celui d’un modèle fourni : modifiez-le plutôt.', 'duplicate', [{ path: 'body.code', message: 'code réservé' }]);
    this.checkItems(input.items);
    return this.deps.db.transaction().execute(async (trx) => {
      try {
        await repo.insertTemplate(trx, { territoryId, code: input.code, name: input.name, items: input.items, updatedBy: ctx.principal.userId });
      } catch (err) {
        rethrowUnique(err, { checklist_templates_code_key: { path: 'body.code', message: 'un modèle porte déjà ce code' } });
      }
      const created = await this.find(trx, territoryId, input.code);
      await audit(trx, ctx, 'checklist_template.create', 'checklist_template', input.code, null, created);
      return created;
    });
  }

  async saveTemplate(ctx: ActorContext, code: string, version: number, input: z.output<typeof ChecklistTemplateWrite>): Promise<ChecklistTemplate> {
    const territoryId = ctx.principal.territoryId;
    this.mayWrite(ctx);
    this.checkItems(input.items);
    return this.deps.db.transaction().execute(async (trx) => {
      await repo.lockTemplate(trx, territoryId, code);
      const before = await this.find(trx, territoryId, code);
      if (before.version !== version) throw versionMismatch(before.version);
      const values = { territoryId, code, name: input.name, items: input.items, updatedBy: ctx.principal.userId };
      // A built-in template at its defaults (version 0) gets the territory's own copy.
      await (before.version === 0 ? repo.insertTemplate(trx, values) : repo.updateTemplate(trx, values));
      const after = await this.find(trx, territoryId, code);
      await audit(trx, ctx, 'checklist_template.update', 'checklist_template', code, before, after);
      return after;
    });
  }

  /** A built-in template goes back to its defaults; a territory's own template is deleted. */
  async removeTemplate(ctx: ActorContext, code: string, version: number): Promise<void> {
    const territoryId = ctx.principal.territoryId;
    this.mayWrite(ctx);
    await this.deps.db.transaction().execute(async (trx) => {
      await repo.lockTemplate(trx, territoryId, code);
      const before = await this.find(trx, territoryId, code);
      if (before.version === 0) throw conflict('Ce modèle a déjà ses valeurs par défaut.', 'not_customized');
      if (before.version !== version) throw versionMismatch(before.version);
      await repo.deleteTemplate(trx, territoryId, code);
      await audit(trx, ctx, before.builtIn ? 'checklist_template.reset' : 'checklist_template.delete', 'checklist_template', code, before, null);
    });
  }

  private async find(db: AppDeps['db'], territoryId: string, code: string): Promise<ChecklistTemplate> {
    const template = await findChecklistTemplate(db, territoryId, code);
    if (!template) throw notFound('Modèle de points de contrôle');
    return template;
  }

  private mayWrite(ctx: ActorContext): void {
    if (!can(ctx.principal, 'checklist.write', { territoryId: ctx.principal.territoryId })) {
      throw forbidden('Seuls les ingénieurs biomédicaux et l’administrateur modifient les modèles de points de contrôle.');
    }
  }

  private checkItems(items: ChecklistTemplateItem[]): void {
    const problems = checklistTemplateProblems(items.map(toDomain));
    if (problems.length > 0) throw badRequest('Modèle invalide.', problems.map((p) => ({ path: `body.${p.path}`, message: p.message })), 'validation_failed');
  }
}
