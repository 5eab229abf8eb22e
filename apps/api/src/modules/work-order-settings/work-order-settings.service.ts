import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '@gmao/db';
import type { ChecklistTemplate, ChecklistTemplateCreate, ChecklistTemplateWrite, WorkOrderSettings, WorkOrderSettingsWrite } from '@gmao/contracts';
import {
  BUILT_IN_CHECKLIST_TEMPLATES, DEFAULT_AUTO_CLOSE_DAYS, DEFAULT_PRIORITY_TARGETS, WORK_ORDER_PRIORITIES, can, checklistTemplateProblems,
  type ChecklistItemTemplate, type WorkOrderPriority,
} from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';

type TemplateItem = ChecklistTemplate['items'][number];

function fromDomain(item: ChecklistItemTemplate): TemplateItem {
  return {
    key: item.key, label: item.label, kind: item.kind, mandatory: item.mandatory, unit: item.unit ?? null,
    min: item.limits?.min ?? null, max: item.limits?.max ?? null,
  };
}

function toDomain(item: TemplateItem): ChecklistItemTemplate {
  return {
    key: item.key, label: item.label, kind: item.kind, mandatory: item.mandatory,
    ...(item.unit !== null ? { unit: item.unit } : {}),
    ...(item.min !== null || item.max !== null ? { limits: { min: item.min, max: item.max } } : {}),
  };
}

function builtIn(code: string) {
  return BUILT_IN_CHECKLIST_TEMPLATES.find((t) => t.code === code);
}

/**
 * A territory's checklist templates: the built-in ones (its own copy once it changed them)
 * and its own. Shared by the settings endpoints and the work orders, which copy a
 * template's items into their checklist.
 */
export async function checklistTemplates(db: Kysely<DB>, territoryId: string): Promise<ChecklistTemplate[]> {
  const rows = await db.selectFrom('checklistTemplates').selectAll().where('territoryId', '=', territoryId).orderBy('name').execute();
  const stored = new Map(rows.map((r) => [r.code, r]));
  const out: ChecklistTemplate[] = BUILT_IN_CHECKLIST_TEMPLATES.map((t) => {
    const row = stored.get(t.code);
    return row
      ? { code: t.code, name: row.name, builtIn: true, customized: true, items: row.items as TemplateItem[], version: row.version, updatedAt: row.updatedAt.toISOString() }
      : { code: t.code, name: t.name, builtIn: true, customized: false, items: t.items.map(fromDomain), version: 0, updatedAt: null };
  });
  for (const row of rows) {
    if (builtIn(row.code)) continue;
    out.push({ code: row.code, name: row.name, builtIn: false, customized: false, items: row.items as TemplateItem[], version: row.version, updatedAt: row.updatedAt.toISOString() });
  }
  return out;
}

export async function checklistTemplate(db: Kysely<DB>, territoryId: string, code: string): Promise<ChecklistTemplate> {
  const t = (await checklistTemplates(db, territoryId)).find((x) => x.code === code);
  if (!t) throw notFound('Modèle de points de contrôle');
  return t;
}

/** The territory's work-order settings and checklist templates. */
export class WorkOrderSettingsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async settings(ctx: ActorContext): Promise<WorkOrderSettings> {
    return readSettings(this.deps.db, ctx.principal.territoryId);
  }

  async saveSettings(ctx: ActorContext, version: number, input: z.output<typeof WorkOrderSettingsWrite>): Promise<WorkOrderSettings> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'settings.write', { territoryId })) throw forbidden("Seul l'administrateur du territoire modifie ces paramètres.");
    return this.deps.db.transaction().execute(async (trx) => {
      // Lock the settings row (or serialize first writers on the territory) before comparing versions.
      await sql`select pg_advisory_xact_lock(hashtext(${`work_order_settings:${territoryId}`}))`.execute(trx);
      const before = await readSettings(trx, territoryId);
      if (before.version !== version) throw versionMismatch(before.version);
      await trx
        .insertInto('workOrderSettings')
        .values({ territoryId, autoCloseDays: input.autoCloseDays, updatedBy: ctx.principal.userId })
        .onConflict((oc) => oc.column('territoryId').doUpdateSet({
          autoCloseDays: input.autoCloseDays, updatedBy: ctx.principal.userId, updatedAt: sql`now()`, version: sql`work_order_settings.version + 1`,
        }))
        .execute();
      await trx.deleteFrom('workOrderPriorityTargets').where('territoryId', '=', territoryId).execute();
      await trx
        .insertInto('workOrderPriorityTargets')
        .values(WORK_ORDER_PRIORITIES.map((priority) => ({ territoryId, priority, ...input.priorityTargets[priority] })))
        .execute();
      const after = await readSettings(trx, territoryId);
      await audit(trx, ctx, 'settings.work_orders', 'territory', territoryId, before, after);
      return after;
    });
  }

  templates(ctx: ActorContext) {
    return checklistTemplates(this.deps.db, ctx.principal.territoryId).then((items) => ({ items }));
  }

  template(ctx: ActorContext, code: string) {
    return checklistTemplate(this.deps.db, ctx.principal.territoryId, code);
  }

  async createTemplate(ctx: ActorContext, input: z.output<typeof ChecklistTemplateCreate>): Promise<ChecklistTemplate> {
    const territoryId = ctx.principal.territoryId;
    this.mayWrite(ctx);
    if (builtIn(input.code)) throw conflict('Ce code est celui d’un modèle fourni : modifiez-le plutôt.', 'duplicate', [{ path: 'body.code', message: 'code réservé' }]);
    this.checkItems(input.items);
    return this.deps.db.transaction().execute(async (trx) => {
      try {
        await trx.insertInto('checklistTemplates').values({ territoryId, code: input.code, name: input.name, items: JSON.stringify(input.items), updatedBy: ctx.principal.userId }).execute();
      } catch (err) {
        rethrowUnique(err, { checklist_templates_code_key: { path: 'body.code', message: 'un modèle porte déjà ce code' } });
      }
      const created = await checklistTemplate(trx, territoryId, input.code);
      await audit(trx, ctx, 'checklist_template.create', 'checklist_template', input.code, null, created);
      return created;
    });
  }

  async saveTemplate(ctx: ActorContext, code: string, version: number, input: z.output<typeof ChecklistTemplateWrite>): Promise<ChecklistTemplate> {
    const territoryId = ctx.principal.territoryId;
    this.mayWrite(ctx);
    this.checkItems(input.items);
    return this.deps.db.transaction().execute(async (trx) => {
      await lockTemplate(trx, territoryId, code);
      const before = await checklistTemplate(trx, territoryId, code);
      if (before.version !== version) throw versionMismatch(before.version);
      const items = JSON.stringify(input.items);
      if (before.version === 0) {
        await trx.insertInto('checklistTemplates').values({ territoryId, code, name: input.name, items, updatedBy: ctx.principal.userId }).execute();
      } else {
        await trx
          .updateTable('checklistTemplates')
          .set({ name: input.name, items, updatedBy: ctx.principal.userId, updatedAt: sql`now()`, version: sql`version + 1` })
          .where('territoryId', '=', territoryId)
          .where('code', '=', code)
          .execute();
      }
      const after = await checklistTemplate(trx, territoryId, code);
      await audit(trx, ctx, 'checklist_template.update', 'checklist_template', code, before, after);
      return after;
    });
  }

  /** A built-in template goes back to its defaults; a territory's own template is deleted. */
  async removeTemplate(ctx: ActorContext, code: string, version: number): Promise<void> {
    const territoryId = ctx.principal.territoryId;
    this.mayWrite(ctx);
    await this.deps.db.transaction().execute(async (trx) => {
      await lockTemplate(trx, territoryId, code);
      const before = await checklistTemplate(trx, territoryId, code);
      if (before.version === 0) throw conflict('Ce modèle a déjà ses valeurs par défaut.', 'not_customized');
      if (before.version !== version) throw versionMismatch(before.version);
      await trx.deleteFrom('checklistTemplates').where('territoryId', '=', territoryId).where('code', '=', code).execute();
      await audit(trx, ctx, before.builtIn ? 'checklist_template.reset' : 'checklist_template.delete', 'checklist_template', code, before, null);
    });
  }

  private mayWrite(ctx: ActorContext): void {
    if (!can(ctx.principal, 'checklist.write', { territoryId: ctx.principal.territoryId })) {
      throw forbidden('Seuls les ingénieurs biomédicaux et l’administrateur modifient les modèles de points de contrôle.');
    }
  }

  private checkItems(items: TemplateItem[]): void {
    const problems = checklistTemplateProblems(items.map(toDomain));
    if (problems.length > 0) throw badRequest('Modèle invalide.', problems.map((p) => ({ path: `body.${p.path}`, message: p.message })), 'validation_failed');
  }
}

/** Serializes the writers of one template (a built-in one may have no row to lock yet). */
async function lockTemplate(db: Kysely<DB>, territoryId: string, code: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`checklist_template:${territoryId}:${code}`}))`.execute(db);
}

/** The territory's settings; the defaults of packages/domain (version 0) until it sets its own. */
export async function readSettings(db: Kysely<DB>, territoryId: string): Promise<WorkOrderSettings> {
  const [row, targets] = await Promise.all([
    db.selectFrom('workOrderSettings').selectAll().where('territoryId', '=', territoryId).executeTakeFirst(),
    db.selectFrom('workOrderPriorityTargets').select(['priority', 'responseMinutes', 'repairMinutes']).where('territoryId', '=', territoryId).execute(),
  ]);
  const priorityTargets = Object.fromEntries(
    WORK_ORDER_PRIORITIES.map((p) => {
      const own = targets.find((t) => t.priority === p);
      return [p, own ? { responseMinutes: own.responseMinutes, repairMinutes: own.repairMinutes } : { ...DEFAULT_PRIORITY_TARGETS[p] }];
    }),
  ) as Record<WorkOrderPriority, { responseMinutes: number; repairMinutes: number }>;
  return {
    priorityTargets,
    autoCloseDays: row ? row.autoCloseDays : DEFAULT_AUTO_CLOSE_DAYS,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}
