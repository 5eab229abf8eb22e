import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, EquipmentCategories } from '@gmao/db';
import { likePattern } from '../../lib/sql.js';

export type CategoryRow = Selectable<EquipmentCategories>;

export function listCategories(db: Kysely<DB>, territoryId: string): Promise<CategoryRow[]> {
  return db.selectFrom('equipmentCategories').selectAll().where('territoryId', '=', territoryId).orderBy('code').execute();
}

export function findCategory(db: Kysely<DB>, territoryId: string, id: string) {
  return db.selectFrom('equipmentCategories').selectAll().where('territoryId', '=', territoryId).where('id', '=', id).executeTakeFirst();
}

/** The category and all its descendants. */
export async function categorySubtree(db: Kysely<DB>, categoryId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    with recursive down as (
      select id from equipment_categories where id = ${categoryId}
      union all
      select c.id from equipment_categories c join down on c.parent_id = down.id
    ) select id from down`.execute(db);
  return r.rows.map((x) => x.id);
}

const modelColumns = [
  'm.id', 'm.manufacturer', 'm.modelName', 'm.categoryId', 'c.label as categoryLabel', 'm.riskClass', 'm.udiDi',
  'm.electricalClass', 'm.appliedPartType', 'm.basicUdiDi', 'm.emdnCode', 'm.version',
] as const;



export function listModels(
  db: Kysely<DB>,
  territoryId: string,
  opts: { q?: string; categoryIds?: string[]; after?: [string, string, string]; limit: number },
) {
  let query = db
    .selectFrom('equipmentModels as m')
    .innerJoin('equipmentCategories as c', 'c.id', 'm.categoryId')
    .select(modelColumns)
    .where('m.territoryId', '=', territoryId);
  if (opts.q) {
    for (const word of opts.q.split(/\s+/).filter(Boolean)) {
      const like = likePattern(word);
      query = query.where((eb) => eb.or([eb('m.manufacturer', 'ilike', like), eb('m.modelName', 'ilike', like), eb('m.udiDi', 'like', like)]));
    }
  }
  if (opts.categoryIds) query = query.where('m.categoryId', 'in', opts.categoryIds);
  if (opts.after) {
    const [a, b, id] = opts.after;
    query = query.where((eb) => eb(eb.refTuple('m.manufacturer', 'm.modelName', 'm.id'), '>', eb.tuple(a, b, id)));
  }
  return query.orderBy('m.manufacturer').orderBy('m.modelName').orderBy('m.id').limit(opts.limit).execute();
}

export function findModel(db: Kysely<DB>, territoryId: string, id: string) {
  return db
    .selectFrom('equipmentModels as m')
    .innerJoin('equipmentCategories as c', 'c.id', 'm.categoryId')
    .select(modelColumns)
    .where('m.territoryId', '=', territoryId)
    .where('m.id', '=', id)
    .executeTakeFirst();
}

export async function insertModel(
  db: Kysely<DB>,
  values: {
    territoryId: string; manufacturer: string; modelName: string; categoryId: string; riskClass: string | null; udiDi: string | null;
  } & ModelElectricalValues,
): Promise<string> {
  const r = await db.insertInto('equipmentModels').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export interface ModelElectricalValues {
  electricalClass?: string | null;
  appliedPartType?: string | null;
  basicUdiDi?: string | null;
  emdnCode?: string | null;
}

/** Changes a model guarded by its version; undefined when the version moved meanwhile. */
export function updateModel(db: Kysely<DB>, id: string, version: number, patch: ModelElectricalValues) {
  return db
    .updateTable('equipmentModels')
    .set({ ...patch, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

/**
 * A model of the territory with what a new device takes from it (its category's default
 * criticality, the facts of its legal obligations), or undefined.
 */
export function modelCriticality(db: Kysely<DB>, territoryId: string, modelId: string) {
  return db
    .selectFrom('equipmentModels as m')
    .innerJoin('equipmentCategories as c', 'c.id', 'm.categoryId')
    .select(['c.defaultCriticality', 'm.riskClass', 'c.ionisingRadiation'])
    .where('m.territoryId', '=', territoryId)
    .where('m.id', '=', modelId)
    .executeTakeFirst();
}

/** The territory's category labels by id. */
export async function categoryLabels(db: Kysely<DB>, territoryId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('equipmentCategories').select(['id', 'label']).where('territoryId', '=', territoryId).execute();
  return new Map(rows.map((r) => [r.id, r.label]));
}
