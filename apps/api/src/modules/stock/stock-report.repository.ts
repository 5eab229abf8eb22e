import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/** Stock value and the transfers' balance between sites (issue 12). Kysely only. */

/**
 * Every store of the territory (or of one site), with the value of its shelves: on hand ×
 * weighted average unit cost. Stores without stock come with zeros.
 */
export async function storeValues(db: Kysely<DB>, territoryId: string, siteId?: string) {
  let q = db
    .selectFrom('stores as st')
    .innerJoin('sites as s', 's.id', 'st.siteId')
    .leftJoin('stock as k', (join) => join.onRef('k.storeId', '=', 'st.id').on('k.onHand', '>', 0))
    .select([
      'st.siteId', 's.name as siteName', 'st.id as storeId', 'st.name as storeName', 'st.code as storeCode',
      sql<string>`coalesce(sum(k.on_hand::bigint * k.average_unit_cost_cents), 0)`.as('valueCents'),
      sql<string>`coalesce(sum(k.on_hand), 0)`.as('units'),
      sql<string>`count(k.part_id)`.as('lines'),
    ])
    .where('st.territoryId', '=', territoryId);
  if (siteId) q = q.where('st.siteId', '=', siteId);
  const rows = await q.groupBy(['st.siteId', 's.name', 'st.id', 'st.name', 'st.code']).orderBy('s.name').orderBy('st.code').orderBy('st.id').execute();
  return rows.map((r) => ({ ...r, valueCents: Number(r.valueCents), units: Number(r.units), lines: Number(r.lines) }));
}

/** Parts shipped and not yet received, at the cost they left with (from or to the site when given). */
export async function inTransitValue(db: Kysely<DB>, territoryId: string, siteId?: string): Promise<number> {
  let q = db
    .selectFrom('stockTransfers')
    .select(sql<string>`coalesce(sum(quantity_shipped::bigint * unit_cost_cents), 0)`.as('value'))
    .where('territoryId', '=', territoryId)
    .where('state', '=', 'shipped');
  if (siteId) q = q.where((eb) => eb.or([eb('sourceSiteId', '=', siteId), eb('destinationSiteId', '=', siteId)]));
  return Number((await q.executeTakeFirstOrThrow()).value);
}

/**
 * Transfers shipped between two Europe/Paris days (both included), per (source site,
 * destination site): how many, the quantity shipped, its value and the value lost on the way.
 */
export async function transferPairs(db: Kysely<DB>, territoryId: string, from: string, to: string, siteId?: string) {
  let q = db
    .selectFrom('stockTransfers as t')
    .innerJoin('sites as a', 'a.id', 't.sourceSiteId')
    .innerJoin('sites as b', 'b.id', 't.destinationSiteId')
    .select([
      't.sourceSiteId as fromSiteId', 'a.name as fromSiteName', 't.destinationSiteId as toSiteId', 'b.name as toSiteName',
      sql<string>`count(*)`.as('transfers'),
      sql<string>`sum(t.quantity_shipped)`.as('quantityShipped'),
      sql<string>`sum(t.quantity_shipped::bigint * t.unit_cost_cents)`.as('valueShippedCents'),
      sql<string>`coalesce(sum(t.quantity_lost::bigint * t.unit_cost_cents), 0)`.as('valueLostCents'),
    ])
    .where('t.territoryId', '=', territoryId)
    .where('t.state', 'in', ['shipped', 'received'])
    .where('t.shippedAt', '>=', sql<Date>`(${from}::date)::timestamp at time zone 'Europe/Paris'`)
    .where('t.shippedAt', '<', sql<Date>`(${to}::date + 1)::timestamp at time zone 'Europe/Paris'`);
  if (siteId) q = q.where((eb) => eb.or([eb('t.sourceSiteId', '=', siteId), eb('t.destinationSiteId', '=', siteId)]));
  const rows = await q
    .groupBy(['t.sourceSiteId', 'a.name', 't.destinationSiteId', 'b.name'])
    .orderBy('a.name').orderBy('b.name').orderBy('t.sourceSiteId').orderBy('t.destinationSiteId')
    .execute();
  return rows.map((r) => ({
    ...r, transfers: Number(r.transfers), quantityShipped: Number(r.quantityShipped),
    valueShippedCents: Number(r.valueShippedCents), valueLostCents: Number(r.valueLostCents),
  }));
}
