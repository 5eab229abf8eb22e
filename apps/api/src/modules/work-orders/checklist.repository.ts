import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/** A device's model's electrical class and applied-part type (nulls: not known, or no model). */
export async function deviceElectricalProfile(db: Kysely<DB>, territoryId: string, equipmentId: string) {
  const row = await db
    .selectFrom('equipment as e')
    .leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .select(['e.modelId', 'm.manufacturer', 'm.modelName', 'm.electricalClass', 'm.appliedPartType'])
    .where('e.territoryId', '=', territoryId)
    .where('e.id', '=', equipmentId)
    .executeTakeFirst();
  return row ?? null;
}
