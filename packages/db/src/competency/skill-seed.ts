import { sql, type Kysely } from 'kysely';
import type { DB } from '../generated/db.js';

/**
 * The skills every territory starts with besides the maintenance of each equipment category
 * (issue 14, ADR 0019): technical project management, quality and regulatory conformity,
 * electrical-safety testing.
 */
export const FIXED_SKILLS: readonly { code: string; name: string; skillCategory: 'project_management' | 'quality_regulatory' | 'electrical_safety' }[] = [
  { code: 'PROJ-ACQ', name: "Conduite de projets d'acquisition", skillCategory: 'project_management' },
  { code: 'PROJ-RENEW', name: 'Plan de renouvellement des équipements', skillCategory: 'project_management' },
  { code: 'QUAL-AUDIT', name: 'Audits qualité', skillCategory: 'quality_regulatory' },
  { code: 'QUAL-REG', name: 'Conformité réglementaire (maintenance et contrôles qualité obligatoires)', skillCategory: 'quality_regulatory' },
  { code: 'QUAL-MATV', name: 'Matériovigilance', skillCategory: 'quality_regulatory' },
  { code: 'ELEC-62353', name: 'Contrôles de sécurité électrique (IEC 62353)', skillCategory: 'electrical_safety' },
];

/** The code of the maintenance skill of an equipment category: `MAINT-<category code>`, in the skills' alphabet. */
export function maintenanceSkillCode(categoryCode: string): string {
  const code = categoryCode.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9._/-]+/g, '-');
  return `MAINT-${code}`.slice(0, 60);
}

/**
 * Adds to the territory's catalogue the fixed skills and one maintenance skill per leaf
 * equipment category (a category with no sub-category: the device types, e.g. « Scanner »,
 * « Générateur d'hémodialyse »; families such as « Imagerie médicale » get none). Idempotent:
 * a skill already there — even retired, and whatever its code — is kept as it is; a code
 * already taken by another skill is left alone. Returns the number of skills created.
 */
export async function seedSkillsFromCategories(db: Kysely<DB>, territoryId: string, actorId: string | null): Promise<number> {
  const leaves = await db
    .selectFrom('equipmentCategories as c')
    .select(['c.id', 'c.code', 'c.label'])
    .where('c.territoryId', '=', territoryId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('equipmentCategories as ch').select('ch.id').whereRef('ch.parentId', '=', 'c.id'))))
    .orderBy('c.code')
    .execute();
  const rows = [
    ...FIXED_SKILLS.map((s) => ({ territoryId, code: s.code, name: s.name, skillCategory: s.skillCategory, equipmentCategoryId: null, createdBy: actorId })),
    ...leaves.map((c) => ({
      territoryId, code: maintenanceSkillCode(c.code), name: c.label.length >= 2 ? c.label.slice(0, 200) : `Maintenance ${c.code}`,
      skillCategory: 'equipment_maintenance', equipmentCategoryId: c.id, createdBy: actorId,
    })),
  ];
  if (rows.length === 0) return 0;
  // Any unique conflict (the code, or the category's skill) keeps what is there.
  const created = await db.insertInto('skills').values(rows).onConflict((oc) => oc.doNothing()).returning(sql<number>`1`.as('one')).execute();
  return created.length;
}
