import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import type { ContractCoveredDevice } from '@gmao/contracts';

export interface ContractRow {
  id: string;
  reference: string;
  vendor: string;
  payerSiteId: string;
  startsOn: string;
  endsOn: string;
  totalCostCents: number;
  note: string;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = [
  'c.id', 'c.reference', 'c.vendor', 'c.payerSiteId', 'c.startsOn', 'c.endsOn', 'c.totalCostCents', 'c.note', 'c.active', 'c.version', 'c.createdAt', 'c.updatedAt',
] as const;

/** The territory's contracts by reference (keyset), of a site (payer, or covering one of its devices), active or not. */
export function listContracts(
  db: Kysely<DB>,
  o: { territoryId: string; siteId?: string; active?: boolean; after?: readonly [string, string]; limit: number },
): Promise<ContractRow[]> {
  let q = db.selectFrom('maintenanceContracts as c').select(COLUMNS).where('c.territoryId', '=', o.territoryId);
  if (o.active !== undefined) q = q.where('c.active', '=', o.active);
  if (o.siteId) {
    const siteId = o.siteId;
    q = q.where((eb) =>
      eb.or([
        eb('c.payerSiteId', '=', siteId),
        eb.exists(
          eb.selectFrom('maintenanceContractDevices as d').innerJoin('equipment as e', 'e.id', 'd.equipmentId')
            .select(sql`1`.as('one')).whereRef('d.contractId', '=', 'c.id').where('e.siteId', '=', siteId),
        ),
      ]),
    );
  }
  if (o.after) {
    const [reference, id] = o.after;
    q = q.where((eb) => eb.or([eb('c.reference', '>', reference), eb.and([eb('c.reference', '=', reference), eb('c.id', '>', id)])]));
  }
  return q.orderBy('c.reference').orderBy('c.id').limit(o.limit + 1).execute();
}

export function findContract(db: Kysely<DB>, territoryId: string, id: string, forUpdate = false): Promise<ContractRow | undefined> {
  const q = db.selectFrom('maintenanceContracts as c').select(COLUMNS).where('c.territoryId', '=', territoryId).where('c.id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** Covered devices per (contract, site): count and acquisition value (devices without one weigh 0). */
export async function coveredBySite(db: Kysely<DB>, contractIds: readonly string[]) {
  if (contractIds.length === 0) return [];
  return (await sql<{ contractId: string; siteId: string; devices: number; value: string }>`
    select d.contract_id, e.site_id, count(*)::int as devices, coalesce(sum(e.acquisition_cost_cents), 0)::text as value
    from maintenance_contract_devices d join equipment e on e.id = d.equipment_id
    where d.contract_id = any(${[...contractIds]}::uuid[])
    group by d.contract_id, e.site_id order by d.contract_id, e.site_id`.execute(db)).rows;
}

/** The covered devices, named (inventory number, site, model, category), by inventory number. */
export async function contractDevices(db: Kysely<DB>, contractId: string): Promise<ContractCoveredDevice[]> {
  const rows = await db
    .selectFrom('maintenanceContractDevices as cd')
    .innerJoin('equipment as e', 'e.id', 'cd.equipmentId')
    .leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .leftJoin('equipmentCategories as c', 'c.id', 'm.categoryId')
    .select(['e.id', 'e.inventoryNumber', 'e.siteId', 'm.id as modelId', 'm.manufacturer', 'm.modelName', 'c.id as categoryId', 'c.code as categoryCode', 'c.label as categoryLabel'])
    .where('cd.contractId', '=', contractId)
    .orderBy('e.inventoryNumber')
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    id: r.id, inventoryNumber: r.inventoryNumber, siteId: r.siteId,
    model: r.modelId ? { id: r.modelId, manufacturer: r.manufacturer!, modelName: r.modelName! } : null,
    category: r.categoryId ? { id: r.categoryId, code: r.categoryCode!, label: r.categoryLabel! } : null,
  }));
}

/** The given devices that belong to the territory. */
export async function territoryDeviceIds(db: Kysely<DB>, territoryId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('equipment').select('id').where('territoryId', '=', territoryId).where('id', 'in', [...ids]).execute();
  return new Set(rows.map((r) => r.id));
}

export async function siteOfTerritory(db: Kysely<DB>, territoryId: string, siteId: string): Promise<boolean> {
  return (await db.selectFrom('sites').select('id').where('territoryId', '=', territoryId).where('id', '=', siteId).executeTakeFirst()) !== undefined;
}

export interface ContractFields {
  reference: string;
  vendor: string;
  payerSiteId: string;
  startsOn: string;
  endsOn: string;
  totalCostCents: number;
  note: string;
}

export async function insertContract(db: Kysely<DB>, v: ContractFields & { territoryId: string; createdBy: string }): Promise<string> {
  return (await db.insertInto('maintenanceContracts').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateContract(db: Kysely<DB>, id: string, v: Partial<ContractFields> & { active?: boolean }): Promise<void> {
  await db
    .updateTable('maintenanceContracts')
    .set({ ...v, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Replaces the covered devices (only what changes is deleted or inserted). */
export async function replaceContractDevices(db: Kysely<DB>, contractId: string, equipmentIds: readonly string[]): Promise<void> {
  const ids = [...new Set(equipmentIds)];
  await db.deleteFrom('maintenanceContractDevices').where('contractId', '=', contractId)
    .$if(ids.length > 0, (q) => q.where('equipmentId', 'not in', ids)).execute();
  if (ids.length > 0) {
    await db.insertInto('maintenanceContractDevices').values(ids.map((equipmentId) => ({ contractId, equipmentId })))
      .onConflict((oc) => oc.doNothing()).execute();
  }
}
