import { sql, type Kysely, type Updateable } from 'kysely';
import type { DB, Equipment as EquipmentTable } from '@gmao/db';
import { likePattern } from '../../lib/sql.js';

/** One device with what its API shape needs: site, model, category and location path. */
const EQUIPMENT_COLUMNS = [
  'id', 'territoryId', 'siteId', 'locationId', 'inventoryNumber', 'modelId', 'serialNumber', 'udiDi', 'udiIssuingEntity', 'udiPi', 'supplier',
  'acquisitionDate', 'acquisitionCostCents', 'commissioningDate', 'warrantyEnd', 'ownership', 'lenderSiteId', 'lenderName',
  'status', 'maintenanceMode', 'criticality', 'maintenanceObligation', 'qualityControlObligation', 'emFunction',
  'emPhysicalRisk', 'emMaintenance', 'emIncidentHistory', 'notes', 'decommissionedAt', 'decommissionReason', 'version',
  'createdAt', 'updatedAt',
] as const satisfies readonly Exclude<keyof DB['equipment'], 'searchText'>[];

export function selectEquipment(db: Kysely<DB>) {
  return db
    .selectFrom('equipment as e')
    .innerJoin('sites as s', 's.id', 'e.siteId')
    .leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .leftJoin('equipmentCategories as c', 'c.id', 'm.categoryId')
    // Locations are at most four levels deep: building › floor › care unit › room.
    .leftJoin('locations as l3', 'l3.id', 'e.locationId')
    .leftJoin('locations as l2', 'l2.id', 'l3.parentId')
    .leftJoin('locations as l1', 'l1.id', 'l2.parentId')
    .leftJoin('locations as l0', 'l0.id', 'l1.parentId')
    // Every column of the device but its search text (some 170 characters a row, never shown).
    .select(EQUIPMENT_COLUMNS.map((c) => `e.${c}` as const))
    .select([
      's.name as siteName', 's.shortCode as siteShortCode',
      'm.manufacturer', 'm.modelName', 'm.riskClass',
      'c.id as categoryId', 'c.code as categoryCode', 'c.label as categoryLabel',
      'c.defaultFunctionScore', 'c.defaultPhysicalRisk', 'c.defaultMaintenanceRequirement', 'c.defaultCriticality',
      'c.ionisingRadiation',
      'l0.kind as l0Kind', 'l0.code as l0Code', 'l0.label as l0Label',
      'l1.kind as l1Kind', 'l1.code as l1Code', 'l1.label as l1Label',
      'l2.kind as l2Kind', 'l2.code as l2Code', 'l2.label as l2Label',
      'l3.kind as l3Kind', 'l3.code as l3Code', 'l3.label as l3Label',
    ]);
}

export type EquipmentRow = Awaited<ReturnType<ReturnType<typeof selectEquipment>['executeTakeFirstOrThrow']>>;

export interface EquipmentFilter {
  words?: string[];
  siteId?: string;
  locationIds?: string[];
  categoryIds?: string[];
  statuses?: string[];
  riskClasses?: string[];
  criticalities?: string[];
  maintenanceModes?: string[];
  warrantyEndsBefore?: string;
  decommissionPending?: boolean;
  after?: string;
  limit: number;
}

export function listEquipment(db: Kysely<DB>, territoryId: string, f: EquipmentFilter): Promise<EquipmentRow[]> {
  let q = selectEquipment(db).where('e.territoryId', '=', territoryId);
  for (const w of f.words ?? []) q = q.where('e.searchText', 'like', likePattern(w));
  if (f.siteId) q = q.where('e.siteId', '=', f.siteId);
  if (f.locationIds) q = q.where('e.locationId', 'in', f.locationIds);
  if (f.categoryIds) q = q.where('m.categoryId', 'in', f.categoryIds);
  q = f.statuses ? q.where('e.status', 'in', f.statuses) : q.where('e.status', '<>', 'decommissioned');
  if (f.riskClasses) q = q.where('m.riskClass', 'in', f.riskClasses);
  if (f.criticalities) q = q.where('e.criticality', 'in', f.criticalities);
  if (f.maintenanceModes) q = q.where('e.maintenanceMode', 'in', f.maintenanceModes);
  if (f.warrantyEndsBefore) q = q.where('e.warrantyEnd', '<', f.warrantyEndsBefore);
  if (f.decommissionPending !== undefined) {
    const pending = sql<boolean>`exists (select 1 from equipment_decommissions d where d.equipment_id = e.id and d.status = 'pending')`;
    q = q.where(f.decommissionPending ? pending : sql<boolean>`not ${pending}`);
  }
  if (f.after !== undefined) q = q.where('e.inventoryNumber', '>', f.after);
  return q.orderBy('e.inventoryNumber').limit(f.limit).execute();
}

/**
 * Active devices whose manual obligation flags disagree with the computed ones. The
 * conditions are those of `computeObligations` and `obligationMismatches` (packages/domain/
 * src/obligations.ts), written in SQL from the same class list so that the list pages by
 * keyset; tests/api/regulatory-classes.int.test.ts checks the listed devices against the domain's rule.
 */
export function listObligationReview(
  db: Kysely<DB>,
  territoryId: string,
  f: { siteId?: string; obligation?: 'maintenance' | 'qualityControl'; maintenanceClasses: readonly string[]; after?: string; limit: number },
): Promise<EquipmentRow[]> {
  const classes = sql.join(f.maintenanceClasses.map((c) => sql.lit(c)));
  const maintenanceMismatch = sql<boolean>`(m.id is not null and (c.ionising_radiation or m.risk_class is not null)
    and e.maintenance_obligation <> (c.ionising_radiation or coalesce(m.risk_class in (${classes}), false)))`;
  const qualityControlMismatch = sql<boolean>`(c.id is not null and e.quality_control_obligation <> c.ionising_radiation)`;
  let q = selectEquipment(db).where('e.territoryId', '=', territoryId).where('e.status', '<>', 'decommissioned');
  if (f.siteId) q = q.where('e.siteId', '=', f.siteId);
  q = q.where(
    f.obligation === 'maintenance' ? maintenanceMismatch
      : f.obligation === 'qualityControl' ? qualityControlMismatch
        : sql<boolean>`(${maintenanceMismatch} or ${qualityControlMismatch})`,
  );
  if (f.after !== undefined) q = q.where('e.inventoryNumber', '>', f.after);
  return q.orderBy('e.inventoryNumber').limit(f.limit).execute();
}

export function findEquipment(db: Kysely<DB>, territoryId: string, id: string): Promise<EquipmentRow | undefined> {
  return selectEquipment(db).where('e.territoryId', '=', territoryId).where('e.id', '=', id).executeTakeFirst();
}

export function equipmentByInventoryNumber(db: Kysely<DB>, territoryId: string, inventoryNumber: string) {
  return selectEquipment(db)
    .where('e.territoryId', '=', territoryId)
    .where(sql`lower(e.inventory_number)`, '=', inventoryNumber.toLowerCase())
    .limit(10)
    .execute();
}

/** Devices matching a GS1 code: by device UDI-DI or model UDI-DI, narrowed by serial when given. */
export function equipmentByUdi(db: Kysely<DB>, territoryId: string, gtin: string | null, serial: string | null) {
  let q = selectEquipment(db).where('e.territoryId', '=', territoryId);
  if (gtin) q = q.where((eb) => eb.or([eb('e.udiDi', '=', gtin), eb('m.udiDi', '=', gtin)]));
  if (serial) q = q.where('e.serialNumber', '=', serial);
  return q.orderBy('e.inventoryNumber').limit(50).execute();
}

/** The location and every location under it. */
export async function locationSubtree(db: Kysely<DB>, locationId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    with recursive down as (
      select id from locations where id = ${locationId}
      union all
      select l.id from locations l join down on l.parent_id = down.id
    ) select id from down`.execute(db);
  return r.rows.map((x) => x.id);
}

export type EquipmentValues = Omit<Updateable<EquipmentTable>, 'id' | 'territoryId' | 'searchText' | 'version' | 'createdAt' | 'updatedAt'>;

export async function insertEquipment(db: Kysely<DB>, territoryId: string, values: EquipmentValues): Promise<string> {
  const r = await db
    .insertInto('equipment')
    .values({ ...values, territoryId } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateEquipment(db: Kysely<DB>, id: string, version: number, patch: EquipmentValues): Promise<boolean> {
  const r = await db
    .updateTable('equipment')
    .set({ ...patch, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function history(db: Kysely<DB>, equipmentId: string) {
  return db
    .selectFrom('equipmentEvents as ev')
    .leftJoin('users as u', 'u.id', 'ev.actorId')
    .leftJoin('sites as fs', 'fs.id', 'ev.fromSiteId')
    .leftJoin('sites as ts', 'ts.id', 'ev.toSiteId')
    .select([
      'ev.id', 'ev.kind', 'ev.at', 'ev.actorId', 'u.fullName as actorName', 'ev.fromStatus', 'ev.toStatus',
      'ev.fromSiteId', 'fs.name as fromSiteName', 'ev.toSiteId', 'ts.name as toSiteName',
      'ev.fromLocationId', 'ev.toLocationId', 'ev.reason', 'ev.codedReason', 'ev.details',
    ])
    .where('ev.equipmentId', '=', equipmentId)
    .orderBy('ev.at', 'desc')
    .orderBy('ev.id', 'desc')
    .limit(1000)
    .execute();
}
