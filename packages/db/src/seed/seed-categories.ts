import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../generated/db.js';
import { CATEGORY_FAMILIES, criticalityOf } from './equipment-categories.js';

/** Adds the starting category nomenclature to a territory (codes already there are kept). */
export async function seedCategories(db: Kysely<DB>, territoryId: string): Promise<number> {
  const rows: {
    id: string; territoryId: string; code: string; label: string; parentId: string | null;
    defaultFunctionScore: number; defaultPhysicalRisk: number; defaultMaintenanceRequirement: number; defaultCriticality: string;
    ionisingRadiation: boolean;
  }[] = [];
  for (const family of CATEGORY_FAMILIES) {
    const familyId = randomUUID();
    // A family's default profile is the most demanding of its children.
    const max = (i: 0 | 1 | 2) => Math.max(...family.children.map((ch) => ch.risk[i]));
    rows.push({
      id: familyId, territoryId, code: family.code, label: family.label, parentId: null,
      defaultFunctionScore: max(0), defaultPhysicalRisk: max(1), defaultMaintenanceRequirement: max(2),
      defaultCriticality: criticalityOf(max(0)),
      // A family mixes devices that do and do not emit ionising radiation (imaging: X-ray and
      // ultrasound): the flag belongs to the categories of devices, never to a family.
      ionisingRadiation: false,
    });
    for (const ch of family.children) {
      rows.push({
        id: randomUUID(), territoryId, code: ch.code, label: ch.label, parentId: familyId,
        defaultFunctionScore: ch.risk[0], defaultPhysicalRisk: ch.risk[1], defaultMaintenanceRequirement: ch.risk[2],
        defaultCriticality: criticalityOf(ch.risk[0]), ionisingRadiation: ch.ionisingRadiation,
      });
    }
  }
  const existing = new Set(
    (await db.selectFrom('equipmentCategories').select('code').where('territoryId', '=', territoryId).execute()).map((r) => r.code),
  );
  const fresh = rows.filter((r) => !existing.has(r.code));
  // Families first (parents must exist), then children.
  const families = fresh.filter((r) => r.parentId === null);
  const children = fresh.filter((r) => r.parentId !== null && families.some((f) => f.id === r.parentId));
  if (families.length > 0) await db.insertInto('equipmentCategories').values(families).execute();
  if (children.length > 0) await db.insertInto('equipmentCategories').values(children).execute();
  return families.length + children.length;
}
