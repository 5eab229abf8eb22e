import { sql, type Kysely } from 'kysely';
import { NO_CATEGORY_KEY, type DB } from '@gmao/db';
import type { KpiSums } from '@gmao/domain';

/** The kpi_daily columns summed, as the domain's KpiSums. */
const SUMS = sql.raw(`
  coalesce(sum(device_days), 0)::float8 as "deviceDays", coalesce(sum(device_day_pairs), 0)::float8 as "deviceDayPairs",
  coalesce(sum(acquisition_cents_days), 0)::float8 as "acquisitionCentsDays",
  coalesce(sum(active_minutes), 0)::float8 as "activeMinutes", coalesce(sum(down_minutes), 0)::float8 as "downMinutes",
  coalesce(sum(active_minutes_critical), 0)::float8 as "activeMinutesCritical", coalesce(sum(down_minutes_critical), 0)::float8 as "downMinutesCritical",
  coalesce(sum(pairs_critical), 0)::float8 as "pairsCritical",
  coalesce(sum(active_minutes_high), 0)::float8 as "activeMinutesHigh", coalesce(sum(down_minutes_high), 0)::float8 as "downMinutesHigh",
  coalesce(sum(pairs_high), 0)::float8 as "pairsHigh",
  coalesce(sum(failures), 0)::float8 as failures, coalesce(sum(repairs), 0)::float8 as repairs,
  coalesce(sum(repair_minutes), 0)::float8 as "repairMinutes", coalesce(sum(repair_labour_minutes), 0)::float8 as "repairLabourMinutes",
  coalesce(sum(pm_due), 0)::float8 as "pmDue", coalesce(sum(pm_done), 0)::float8 as "pmDone",
  coalesce(sum(pm_regulatory_due), 0)::float8 as "pmRegulatoryDue", coalesce(sum(pm_regulatory_done), 0)::float8 as "pmRegulatoryDone",
  coalesce(sum(labour_minutes), 0)::float8 as "labourMinutes", coalesce(sum(labour_records), 0)::float8 as "labourRecords",
  coalesce(sum(parts_cents), 0)::float8 as "partsCents", coalesce(sum(parts_records), 0)::float8 as "partsRecords",
  coalesce(sum(vendor_cents), 0)::float8 as "vendorCents", coalesce(sum(vendor_records), 0)::float8 as "vendorRecords",
  coalesce(sum(closed), 0)::float8 as closed, coalesce(sum(closed_vendor_only), 0)::float8 as "closedVendorOnly"`);

export interface KpiScope {
  territoryId: string;
  from: string;
  to: string;
  siteId?: string;
}

export type KpiGroupRow = KpiSums & { siteId: string; categoryId: string | null };

/** The rollups summed per (site, category) over the period (every category: the caller filters). */
export async function kpiGroups(db: Kysely<DB>, o: KpiScope): Promise<KpiGroupRow[]> {
  const site = o.siteId ? sql`and site_id = ${o.siteId}::uuid` : sql``;
  const r = await sql<KpiGroupRow>`
    select site_id as "siteId", nullif(category_key, ${NO_CATEGORY_KEY}::uuid) as "categoryId", ${SUMS}
    from kpi_daily where territory_id = ${o.territoryId}::uuid and day between ${o.from}::date and ${o.to}::date ${site}
    group by site_id, category_key`.execute(db);
  return r.rows;
}

export type KpiMonthRow = KpiSums & { month: string; categoryId: string | null };

/** The rollups summed per (month, category) over the period. */
export async function kpiMonths(db: Kysely<DB>, o: KpiScope): Promise<KpiMonthRow[]> {
  const site = o.siteId ? sql`and site_id = ${o.siteId}::uuid` : sql``;
  const r = await sql<KpiMonthRow>`
    select to_char(day, 'YYYY-MM') as month, nullif(category_key, ${NO_CATEGORY_KEY}::uuid) as "categoryId", ${SUMS}
    from kpi_daily where territory_id = ${o.territoryId}::uuid and day between ${o.from}::date and ${o.to}::date ${site}
    group by 1, category_key`.execute(db);
  return r.rows;
}

/** The repair-time histogram over the period (optionally one category). */
export async function kpiRepairHistogram(db: Kysely<DB>, o: KpiScope & { categoryId?: string }): Promise<{ bucket: number; repairs: number }[]> {
  const site = o.siteId ? sql`and site_id = ${o.siteId}::uuid` : sql``;
  const category = o.categoryId ? sql`and category_key = ${o.categoryId}::uuid` : sql``;
  const r = await sql<{ bucket: number; repairs: number }>`
    select bucket, sum(repairs)::int as repairs from kpi_daily_repairs
    where territory_id = ${o.territoryId}::uuid and day between ${o.from}::date and ${o.to}::date ${site} ${category}
    group by bucket`.execute(db);
  return r.rows;
}

/**
 * The technicians' FTE per site: active people with a technician role; someone with that role
 * at several sites counts a share of their FTE at each (as the workload view splits weekly hours).
 */
export async function technicianFte(db: Kysely<DB>, territoryId: string): Promise<{ siteId: string; userId: string; fte: number }[]> {
  const r = await sql<{ siteId: string; userId: string; fte: number }>`
    select g.site_id as "siteId", g.user_id as "userId", (u.fte / count(*) over (partition by g.user_id))::float8 as fte
    from role_grants g join users u on u.id = g.user_id and u.active
    where g.territory_id = ${territoryId}::uuid and g.role = 'technician' and g.site_id is not null`.execute(db);
  return r.rows;
}

export async function territorySites(db: Kysely<DB>, territoryId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('sites').select(['id', 'name']).where('territoryId', '=', territoryId).orderBy('name').orderBy('id').execute();
}

export async function territoryCategories(db: Kysely<DB>, territoryId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('equipmentCategories').select(['id', 'label as name']).where('territoryId', '=', territoryId).orderBy('label').orderBy('id').execute();
}
