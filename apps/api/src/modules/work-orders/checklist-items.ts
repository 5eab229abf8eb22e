import type { Kysely } from 'kysely';
import { findChecklistTemplate, type ChecklistItemValues, type DB } from '@gmao/db';
import { badRequest } from '../../lib/problem.js';

/** A template's items, ready to be copied into a work order's checklist; 400 naming `path` when the territory has no such template. */
export async function templateChecklistItems(db: Kysely<DB>, territoryId: string, code: string, path: string): Promise<ChecklistItemValues[]> {
  const template = await findChecklistTemplate(db, territoryId, code);
  if (!template) throw badRequest('Modèle de points de contrôle inconnu.', [{ path, message: `modèle inconnu : ${code}` }]);
  return template.items.map((t) => ({
    key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit, minValue: t.min, maxValue: t.max, templateCode: template.code,
  }));
}
