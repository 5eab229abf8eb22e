import { sql, type Kysely } from 'kysely';
import { parisDay } from '@gmao/domain';
import type { DB } from '../generated/db.js';
import { applyStockMovement } from '../stock/stock-movements.js';

export interface DemoCostsResult {
  conventions: number;
  contracts: number;
  transfers: number;
  /** Labour lines of technicians lent to another site than their home site's. */
  lentLabour: number;
}

/**
 * The demo's cost allocation (issue 15, ADR 0023): the territory's convention (technician
 * 45 €/h, engineer 60 €/h, 0.40 €/km there and back, 8 % overhead, contracts split by
 * devices), three maintenance contracts (two covering devices of several sites, one of a
 * single site) and two parts transfers between sites, received. With the demo work orders'
 * cross-site labour, the first run of the cost-ledger job posts a ledger with every kind of line.
 */
export async function seedDemoCosts(db: Kysely<DB>, territoryId: string, now = new Date()): Promise<DemoCostsResult> {
  const sites = new Map(
    (await db.selectFrom('sites').select(['id', 'shortCode']).where('territoryId', '=', territoryId).execute()).map((s) => [s.shortCode, s.id]),
  );
  const site = (code: string) => sites.get(code)!;
  const admin = (await db
    .selectFrom('roleGrants').select('userId').where('territoryId', '=', territoryId).where('role', '=', 'territory_admin')
    .orderBy('createdAt').executeTakeFirstOrThrow()).userId;
  const today = parisDay(now);
  const year = Number(today.slice(0, 4));

  await db.insertInto('costConventionVersions').values({
    territoryId, appliesFrom: `${year - 1}-01-01`, technicianHourlyRateCents: 4500, engineerHourlyRateCents: 6000, travelMode: 'per_km',
    travelCentsPerMinute: 0, travelCentsPerKm: 40, overheadPercent: 8, contractSplit: 'devices',
    note: 'Convention de répartition du GHT, approuvée par le comité stratégique.', createdBy: admin,
  }).execute();

  const devicesOf = async (code: string, n: number) =>
    (await db.selectFrom('equipment').select('id').where('siteId', '=', site(code)).orderBy('inventoryNumber').limit(n).execute()).map((d) => d.id);
  const contracts = [
    {
      reference: `MC-${year}-PSE`, vendor: 'Fresenius Kabi France', payer: 'CHU', startsOn: `${year}-01-01`, endsOn: `${year}-12-31`, totalCostCents: 4_800_000,
      devices: [...(await devicesOf('CHU', 6)), ...(await devicesOf('CH1', 4)), ...(await devicesOf('CH2', 2))],
      note: 'Maintenance préventive et corrective des pousse-seringues du GHT (marché groupé).',
    },
    {
      reference: `MC-${year - 1}-IMG`, vendor: 'GE HealthCare', payer: 'CH1', startsOn: `${year - 1}-07-01`, endsOn: `${year + 1}-06-30`, totalCostCents: 2_400_000,
      devices: [...(await devicesOf('CH1', 2)), ...(await devicesOf('CH3', 1))],
      note: 'Échographes : contrat tous risques partagé avec le CH des Trois-Rivières.',
    },
    {
      reference: `MC-${year}-LITS`, vendor: 'Arjo France', payer: 'EHPAD', startsOn: `${year}-01-01`, endsOn: `${year}-12-31`, totalCostCents: 360_000,
      devices: await devicesOf('EHPAD', 3), note: 'Lits médicalisés de l’EHPAD (un seul site : rien à répartir).',
    },
  ];
  for (const c of contracts) {
    const row = await db.insertInto('maintenanceContracts').values({
      territoryId, reference: c.reference, vendor: c.vendor, payerSiteId: site(c.payer), startsOn: c.startsOn, endsOn: c.endsOn,
      totalCostCents: c.totalCostCents, note: c.note, createdBy: admin,
    }).returning('id').executeTakeFirstOrThrow();
    if (c.devices.length > 0) await db.insertInto('maintenanceContractDevices').values(c.devices.map((equipmentId) => ({ contractId: row.id, equipmentId }))).execute();
  }

  // Pooled technicians (a grant on a second site) lend a hand there: labour on a few of that
  // site's work orders already under way or done, with travel — the ledger's labour and travel.
  const lent = (await sql<{ workOrderId: string; userId: string; at: Date }>`
    select distinct on (w.id) w.id as "workOrderId", u.id as "userId", w.requested_at + interval '3 hours' as at
    from work_orders w
    join role_grants g on g.site_id = w.site_id and g.role = 'technician'
    join users u on u.id = g.user_id and u.home_site_id <> w.site_id
    where w.territory_id = ${territoryId} and w.state in ('in_progress', 'completed', 'closed')
    order by w.id, u.email`.execute(db)).rows.slice(0, 6);
  for (const [i, l] of lent.entries()) {
    await db.insertInto('workOrderLabour').values({
      workOrderId: l.workOrderId, technicianId: l.userId, startedAt: l.at, endedAt: new Date(l.at.getTime() + (45 + 15 * i) * 60_000),
      minutes: 45 + 15 * i, travelMinutes: 25, recordedBy: l.userId, recordedAt: l.at,
    }).execute();
  }

  // Two transfers, received: parts the source's workshop store has, a few days ago.
  let transfers = 0;
  for (const [from, to, daysAgo] of [['CH1', 'CHU', 12], ['CHU', 'CH2', 5]] as const) {
    const pair = (await sql<{ sourceStore: string; destinationStore: string; partId: string; onHand: number }>`
      select s.store_id as "sourceStore", d.id as "destinationStore", s.part_id as "partId", s.on_hand as "onHand"
      from stock s join stores src on src.id = s.store_id and src.code = 'ATELIER'
      join stores d on d.site_id = ${site(to)} and d.code = 'ATELIER'
      where s.site_id = ${site(from)} and s.on_hand - s.reserved >= 2 and s.average_unit_cost_cents > 0
      order by s.part_id limit 1`.execute(db)).rows[0];
    if (!pair) continue;
    const at = new Date(now.getTime() - daysAgo * 86_400_000);
    const quantity = 2;
    const out = await applyStockMovement(db, {
      territoryId, storeId: pair.sourceStore, siteId: site(from), partId: pair.partId, type: 'transfer_out', quantity, reason: 'Transfert de démonstration : expédition', createdBy: admin,
    });
    const unitCostCents = out.movement.unitCostCents ?? 0;
    const inn = await applyStockMovement(db, {
      territoryId, storeId: pair.destinationStore, siteId: site(to), partId: pair.partId, type: 'transfer_in', quantity, unitCostCents,
      reason: 'Transfert de démonstration : réception', createdBy: admin,
    });
    await db.insertInto('stockTransfers').values({
      territoryId, sourceSiteId: site(from), sourceStoreId: pair.sourceStore, destinationSiteId: site(to), destinationStoreId: pair.destinationStore,
      partId: pair.partId, quantityRequested: quantity, reason: 'Dépannage entre sites', requestedBy: admin, requestedAt: new Date(at.getTime() - 2 * 86_400_000),
      state: 'received', quantityApproved: quantity, approvedBy: admin, approvedAt: new Date(at.getTime() - 86_400_000),
      quantityShipped: quantity, shippedBy: admin, shippedAt: new Date(at.getTime() - 43_200_000), outMovementId: out.movement.id, unitCostCents,
      quantityReceived: quantity, quantityLost: 0, receivedBy: admin, receivedAt: at, inMovementId: inn.movement.id,
    }).execute();
    transfers++;
  }
  return { conventions: 1, contracts: contracts.length, transfers, lentLabour: lent.length };
}
