import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { selectEquipment, type EquipmentRow } from '../equipment/equipment.repository.js';

/** The territory's devices among `ids`, in one query (a sheet of labels holds up to 500). */
export function equipmentByIds(db: Kysely<DB>, territoryId: string, ids: readonly string[]): Promise<EquipmentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return selectEquipment(db).where('e.territoryId', '=', territoryId).where('e.id', 'in', [...ids]).execute();
}
