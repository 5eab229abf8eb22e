import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  codedReasonText, computeObligations, foldLabel, locationDisplayPath, modelKey, planImport, type ImportMapping, type ImportOptions, type ImportPlan,
  type ImportReferences, type RiskClass,
} from '@gmao/domain';
import type { DB } from '../generated/db.js';
import { insertAudit } from '../repositories/audit.repository.js';
import { DEFAULT_IMPORT_LIMITS, readTable, type ImportLimits } from './table-reader.js';
import { seedSkillsFromCategories } from '../competency/skill-seed.js';

/** Loads what row validation needs, in a handful of set-based queries. */
export async function loadImportReferences(db: Kysely<DB>, territoryId: string, inventoryNumbers: string[]): Promise<ImportReferences> {
  const [sites, locations, categories, models] = await Promise.all([
    db.selectFrom('sites').select(['id', 'name', 'shortCode', 'finess']).where('territoryId', '=', territoryId).execute(),
    db.selectFrom('locations').select(['id', 'siteId', 'parentId', 'code', 'label', 'kind']).where('territoryId', '=', territoryId).execute(),
    db.selectFrom('equipmentCategories').select(['id', 'code', 'label']).where('territoryId', '=', territoryId).execute(),
    db.selectFrom('equipmentModels').select(['id', 'manufacturer', 'modelName']).where('territoryId', '=', territoryId).execute(),
  ]);
  const siteMap = new Map<string, string>();
  for (const s of sites) for (const k of [s.shortCode, s.name, s.finess]) siteMap.set(foldLabel(k), s.id);

  // Location keys: full code path or the register's path (any of › > / as separators), code and
  // label when unique on the site.
  const byId = new Map(locations.map((l) => [l.id, l]));
  const locMap = new Map<string, Map<string, string | null>>();
  const add = (siteId: string, key: string, id: string) => {
    const m = locMap.get(siteId) ?? new Map<string, string | null>();
    locMap.set(siteId, m);
    const k = foldLabel(key);
    if (k === '') return;
    m.set(k, m.has(k) && m.get(k) !== id ? null : id);
  };
  for (const l of locations) {
    const levels: (typeof l)[] = [];
    for (let cur: typeof l | undefined = l; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) levels.unshift(cur);
    add(l.siteId, levels.map((x) => x.code).join(' '), l.id);
    // The register's own path, as the inventory export writes it (care units by their name).
    add(l.siteId, locationDisplayPath(levels), l.id);
    add(l.siteId, l.code, l.id);
    add(l.siteId, l.label, l.id);
  }

  const categoryMap = new Map<string, string>();
  for (const c of categories) {
    categoryMap.set(foldLabel(c.code), c.id);
    categoryMap.set(foldLabel(c.label), c.id);
  }
  const modelMap = new Map(models.map((m) => [modelKey(m.manufacturer, m.modelName), m.id]));

  const existing = new Set<string>();
  const lower = [...new Set(inventoryNumbers.map((n) => n.trim().toLowerCase()).filter(Boolean))];
  for (let i = 0; i < lower.length; i += 10_000) {
    const chunk = lower.slice(i, i + 10_000);
    const rows = await sql<{ n: string }>`
      select lower(inventory_number) as n from equipment
      where territory_id = ${territoryId} and lower(inventory_number) = any(${chunk}::text[])`.execute(db);
    for (const r of rows.rows) existing.add(r.n);
  }
  return { sites: siteMap, locations: locMap, categories: categoryMap, models: modelMap, existingInventoryNumbers: existing };
}

/** Reads the stored file and validates every row against the current references. */
export async function planStoredImport(
  db: Kysely<DB>,
  imp: { territoryId: string; fileBytes: Buffer | Uint8Array },
  mapping: ImportMapping,
  options: ImportOptions,
  limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
): Promise<ImportPlan & { rowCount: number }> {
  // In the parser thread, under the same limits as the upload.
  const table = await readTable(imp.fileBytes, limits);
  const column = mapping.inventoryNumber ? table.header.indexOf(mapping.inventoryNumber) : -1;
  const numbers = column === -1 ? [] : table.rows.map((r) => r[column] ?? '');
  const refs = await loadImportReferences(db, imp.territoryId, numbers);
  return { ...planImport(table.header, table.rows, mapping, refs, options), rowCount: table.rows.length };
}

/** Rows per statement: a few thousand keep each statement's arrays small and progress frequent. */
const BATCH = 5000;

/**
 * Writes a validated plan in one transaction (all or nothing): missing categories and
 * models first, then the devices in batches, each with an 'imported' history entry.
 */
export async function commitImportPlan(
  db: Kysely<DB>,
  args: { territoryId: string; actorId: string; importId: string; fileName: string; plan: ImportPlan; onProgress?: (done: number) => Promise<void> | void },
): Promise<{ devices: number; models: number; categories: number }> {
  const { territoryId, actorId, plan } = args;
  return db.transaction().execute(async (trx) => {
    // Missing categories and models: one multi-row INSERT per thousand (ids chosen here).
    const categoryIds = new Map<string, string>();
    const categories = plan.toCreate.categories.map((c) => {
      const id = randomUUID();
      categoryIds.set(c.key, id);
      const code = `IMP-${c.label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24)}`;
      // A created category gets a middle risk profile, to be reviewed by an engineer.
      return {
        id, territoryId, code, label: c.label, parentId: null, defaultFunctionScore: 5, defaultPhysicalRisk: 3,
        defaultMaintenanceRequirement: 3, defaultCriticality: 'medium',
      };
    });
    for (let i = 0; i < categories.length; i += 1000) await trx.insertInto('equipmentCategories').values(categories.slice(i, i + 1000)).execute();
    // A created category is a device type: its maintenance skill joins the catalogue (issue 14, ADR 0019).
    if (categories.length > 0) await seedSkillsFromCategories(trx, territoryId, actorId);
    const modelIds = new Map<string, string>();
    const models = plan.toCreate.models.map((m) => {
      const id = randomUUID();
      modelIds.set(m.key, id);
      return { id, territoryId, manufacturer: m.manufacturer, modelName: m.modelName, categoryId: m.categoryId ?? categoryIds.get(m.categoryKey)! };
    });
    for (let i = 0; i < models.length; i += 1000) await trx.insertInto('equipmentModels').values(models.slice(i, i + 1000)).execute();
    const modelFacts = await trx
      .selectFrom('equipmentModels as m')
      .innerJoin('equipmentCategories as c', 'c.id', 'm.categoryId')
      .select(['m.id', 'c.defaultCriticality', 'm.riskClass', 'c.ionisingRadiation'])
      .where('m.territoryId', '=', territoryId)
      .execute();
    const criticality = new Map(modelFacts.map((r) => [r.id, r.defaultCriticality]));
    // Obligation flags absent from the file: the obligations computed from the model (docs/regulatory.md).
    const obligations = new Map(
      modelFacts.map((r) => [r.id, computeObligations({ hasModel: true, riskClass: r.riskClass as RiskClass | null, ionisingRadiation: r.ionisingRadiation })]),
    );
    let done = 0;
    for (let i = 0; i < plan.rows.length; i += BATCH) {
      const batch = plan.rows.slice(i, i + BATCH);
      const col = <T>(f: (r: (typeof batch)[number], modelId: string | null) => T): T[] =>
        batch.map((r) => f(r, r.modelId ?? (r.newModelKey ? modelIds.get(r.newModelKey)! : null)));
      // One array per column through unnest(): a handful of parameters per batch instead of
      // twenty per row, which keeps planning and parameter parsing cheap for large files.
      const imported = { code: 'imported_file', fileName: args.fileName } as const;
      // The devices and their 'imported' history entries in one statement: the new rows go
      // from the INSERT to the history's INSERT inside the server, never back to this process.
      await sql`
        with inserted as (
          insert into equipment (territory_id, site_id, location_id, inventory_number, model_id, serial_number, udi_di,
            udi_issuing_entity, udi_pi, supplier, acquisition_date, acquisition_cost_cents, commissioning_date, warranty_end, ownership, status,
            maintenance_mode, criticality, maintenance_obligation, quality_control_obligation, notes)
          select ${territoryId}::uuid, * from unnest(
            ${col((r) => r.siteId)}::uuid[], ${col((r) => r.locationId)}::uuid[], ${col((r) => r.inventoryNumber)}::text[],
            ${col((_r, m) => m)}::uuid[], ${col((r) => r.serialNumber)}::text[], ${col((r) => r.udiDi)}::text[],
            ${col((r) => r.udiIssuingEntity)}::text[], ${col((r) => r.udiPi)}::text[], ${col((r) => r.supplier)}::text[], ${col((r) => r.acquisitionDate)}::date[],
            ${col((r) => r.acquisitionCostCents)}::bigint[], ${col((r) => r.commissioningDate)}::date[], ${col((r) => r.warrantyEnd)}::date[],
            ${col((r) => r.ownership)}::text[], ${col((r) => r.status)}::text[], ${col((r) => r.maintenanceMode)}::text[],
            ${col((r, m) => r.criticality ?? (m ? criticality.get(m) ?? 'medium' : 'medium'))}::text[],
            ${col((r, m) => r.maintenanceObligation ?? (m ? obligations.get(m)?.maintenance : null) ?? false)}::boolean[],
            ${col((r, m) => r.qualityControlObligation ?? (m ? obligations.get(m)?.qualityControl : null) ?? false)}::boolean[],
            ${col((r) => r.notes)}::text[])
          returning id, site_id, location_id, status)
        insert into equipment_events (territory_id, equipment_id, kind, actor_id, to_status, to_site_id, to_location_id, reason, coded_reason, details)
        select ${territoryId}::uuid, e.id, 'imported', ${actorId}::uuid, e.status, e.site_id, e.location_id,
               ${codedReasonText(imported, 'fr')}, ${JSON.stringify(imported)}::jsonb, ${JSON.stringify({ importId: args.importId })}::jsonb
        from inserted e`.execute(trx);
      done += batch.length;
      await args.onProgress?.(done);
    }
    const result = { devices: done, models: modelIds.size, categories: categoryIds.size };
    await insertAudit(trx, {
      territoryId, actorId, action: 'equipment.import', entityType: 'equipment_import', entityId: args.importId, after: result,
    });
    return result;
  });
}

/**
 * Refreshes the planner's statistics of the tables an import filled (after its
 * transaction: a large import would otherwise be planned on the old estimates until
 * autovacuum comes by).
 */
export async function analyzeImportedTables(db: Kysely<DB>, result: { devices: number; models: number; categories: number }): Promise<void> {
  if (result.devices === 0) return;
  const tables = ['equipment', 'equipment_events', ...(result.models > 0 ? ['equipment_models'] : []), ...(result.categories > 0 ? ['equipment_categories'] : [])];
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}
