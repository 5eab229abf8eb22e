import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { WORK_ORDER_PRIORITIES, type WorkOrderPriority } from '@gmao/domain';

/** Writes of the territory's work-order settings and checklist templates (reads: packages/db). */

/** Serializes the writers of the territory's settings (the first has no row to lock yet). */
export async function lockSettings(db: Kysely<DB>, territoryId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`work_order_settings:${territoryId}`}))`.execute(db);
}

/** Serializes the writers of one template (a built-in one may have no row to lock yet). */
export async function lockTemplate(db: Kysely<DB>, territoryId: string, code: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`checklist_template:${territoryId}:${code}`}))`.execute(db);
}

/** Stores the settings (a new version) and replaces the priority targets. */
export async function saveSettings(
  db: Kysely<DB>,
  territoryId: string,
  s: { autoCloseDays: number | null; priorityTargets: Record<WorkOrderPriority, { responseMinutes: number; repairMinutes: number }>; updatedBy: string },
): Promise<void> {
  await db
    .insertInto('workOrderSettings')
    .values({ territoryId, autoCloseDays: s.autoCloseDays, updatedBy: s.updatedBy })
    .onConflict((oc) => oc.column('territoryId').doUpdateSet({
      autoCloseDays: s.autoCloseDays, updatedBy: s.updatedBy, updatedAt: sql`now()`, version: sql`work_order_settings.version + 1`,
    }))
    .execute();
  await db.deleteFrom('workOrderPriorityTargets').where('territoryId', '=', territoryId).execute();
  await db
    .insertInto('workOrderPriorityTargets')
    .values(WORK_ORDER_PRIORITIES.map((priority) => ({ territoryId, priority, ...s.priorityTargets[priority] })))
    .execute();
}

export async function insertTemplate(db: Kysely<DB>, t: { territoryId: string; code: string; name: string; items: unknown; updatedBy: string }): Promise<void> {
  await db.insertInto('checklistTemplates').values({ ...t, items: JSON.stringify(t.items) }).execute();
}

export async function updateTemplate(db: Kysely<DB>, t: { territoryId: string; code: string; name: string; items: unknown; updatedBy: string }): Promise<void> {
  await db
    .updateTable('checklistTemplates')
    .set({ name: t.name, items: JSON.stringify(t.items), updatedBy: t.updatedBy, updatedAt: sql`now()`, version: sql`version + 1` })
    .where('territoryId', '=', t.territoryId)
    .where('code', '=', t.code)
    .execute();
}

export async function deleteTemplate(db: Kysely<DB>, territoryId: string, code: string): Promise<void> {
  await db.deleteFrom('checklistTemplates').where('territoryId', '=', territoryId).where('code', '=', code).execute();
}
