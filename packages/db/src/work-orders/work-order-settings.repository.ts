import type { Kysely } from 'kysely';
import {
  BUILT_IN_CHECKLIST_TEMPLATES, DEFAULT_AUTO_CLOSE_DAYS, DEFAULT_PRIORITY_TARGETS, WORK_ORDER_PRIORITIES,
  type ChecklistItemKind, type ChecklistItemTemplate, type WorkOrderPriority,
} from '@gmao/domain';
import type { DB } from '../generated/db.js';

/**
 * A territory's work-order settings and checklist templates, as the API and the worker
 * read them: the defaults of packages/domain until the territory sets its own.
 */

export type PriorityTargets = Record<WorkOrderPriority, { responseMinutes: number; repairMinutes: number }>;

export interface WorkOrderSettingsRecord {
  priorityTargets: PriorityTargets;
  /** Days after which a completed work order nobody verified is closed; null: never. */
  autoCloseDays: number | null;
  /** 0 while the territory uses the defaults. */
  version: number;
  updatedAt: string | null;
}

/** The territory's response and repair targets of a priority, or the defaults of packages/domain. */
export async function priorityTargets(db: Kysely<DB>, territoryId: string, priority: WorkOrderPriority) {
  const own = await db
    .selectFrom('workOrderPriorityTargets')
    .select(['responseMinutes', 'repairMinutes'])
    .where('territoryId', '=', territoryId)
    .where('priority', '=', priority)
    .executeTakeFirst();
  return own ?? DEFAULT_PRIORITY_TARGETS[priority];
}

export async function readWorkOrderSettings(db: Kysely<DB>, territoryId: string): Promise<WorkOrderSettingsRecord> {
  const [row, targets] = await Promise.all([
    db.selectFrom('workOrderSettings').selectAll().where('territoryId', '=', territoryId).executeTakeFirst(),
    db.selectFrom('workOrderPriorityTargets').select(['priority', 'responseMinutes', 'repairMinutes']).where('territoryId', '=', territoryId).execute(),
  ]);
  const priorityTargets = Object.fromEntries(
    WORK_ORDER_PRIORITIES.map((p) => {
      const own = targets.find((t) => t.priority === p);
      return [p, own ? { responseMinutes: own.responseMinutes, repairMinutes: own.repairMinutes } : { ...DEFAULT_PRIORITY_TARGETS[p] }];
    }),
  ) as PriorityTargets;
  return {
    priorityTargets,
    autoCloseDays: row ? row.autoCloseDays : DEFAULT_AUTO_CLOSE_DAYS,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** A checklist template's item as stored and sent: limits flattened to min and max. */
export interface ChecklistTemplateItem {
  key: string;
  label: string;
  kind: ChecklistItemKind;
  mandatory: boolean;
  unit: string | null;
  min: number | null;
  max: number | null;
}

export interface ChecklistTemplateRecord {
  code: string;
  name: string;
  builtIn: boolean;
  /** A built-in template the territory changed (its own copy is used). */
  customized: boolean;
  items: ChecklistTemplateItem[];
  /** 0 for a built-in template at its defaults. */
  version: number;
  updatedAt: string | null;
}

export function templateItemFromDomain(item: ChecklistItemTemplate): ChecklistTemplateItem {
  return {
    key: item.key, label: item.label, kind: item.kind, mandatory: item.mandatory, unit: item.unit ?? null,
    min: item.limits?.min ?? null, max: item.limits?.max ?? null,
  };
}

export function isBuiltInTemplate(code: string): boolean {
  return BUILT_IN_CHECKLIST_TEMPLATES.some((t) => t.code === code);
}

/** A territory's templates: the built-in ones (its own copy once changed), then its own. */
export async function checklistTemplates(db: Kysely<DB>, territoryId: string): Promise<ChecklistTemplateRecord[]> {
  const rows = await db.selectFrom('checklistTemplates').selectAll().where('territoryId', '=', territoryId).orderBy('name').execute();
  const stored = new Map(rows.map((r) => [r.code, r]));
  const out: ChecklistTemplateRecord[] = BUILT_IN_CHECKLIST_TEMPLATES.map((t) => {
    const row = stored.get(t.code);
    return row
      ? { code: t.code, name: row.name, builtIn: true, customized: true, items: row.items as unknown as ChecklistTemplateItem[], version: row.version, updatedAt: row.updatedAt.toISOString() }
      : { code: t.code, name: t.name, builtIn: true, customized: false, items: t.items.map(templateItemFromDomain), version: 0, updatedAt: null };
  });
  for (const row of rows) {
    if (isBuiltInTemplate(row.code)) continue;
    out.push({ code: row.code, name: row.name, builtIn: false, customized: false, items: row.items as unknown as ChecklistTemplateItem[], version: row.version, updatedAt: row.updatedAt.toISOString() });
  }
  return out;
}

/** One template of the territory, or undefined. */
export async function findChecklistTemplate(db: Kysely<DB>, territoryId: string, code: string): Promise<ChecklistTemplateRecord | undefined> {
  return (await checklistTemplates(db, territoryId)).find((t) => t.code === code);
}
