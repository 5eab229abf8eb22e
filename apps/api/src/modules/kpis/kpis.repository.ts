import { sql, type Kysely } from 'kysely';
import { NO_CATEGORY_KEY, type DB } from '@gmao/db';
import { monthsOf, type KpiSums } from '@gmao/domain';

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
  coalesce(sum(closed), 0)::float8 as closed, coalesce(sum(closed_vendor_only), 0)::float8 as "closedVendorOnly",
  coalesce(sum(labour_cents), 0)::float8 as "labourCents", coalesce(sum(contract_cents), 0)::float8 as "contractCents"`);

export interface KpiScope {
  territoryId: string;
  from: string;
  to: string;
  siteId?: string;
}

export type KpiGroupRow = KpiSums & { siteId: string; categoryId: string | null };

/**
 * The rollup rows of a period: its whole months from the monthly table, the days of its
 * partial months from the daily one; each row with its month ('YYYY-MM'). `table` is the
 * sums' pair (kpi_daily / kpi_monthly) or the histogram's (kpi_daily_repairs / kpi_monthly_repairs).
 */
function periodRows(o: KpiScope & { categoryId?: string }, table: 'sums' | 'repairs', columns: string) {
  const [daily, monthly] = table === 'sums' ? ['kpi_daily', 'kpi_monthly'] : ['kpi_daily_repairs', 'kpi_monthly_repairs'];
  const site = o.siteId ? sql`and site_id = ${o.siteId}::uuid` : sql``;
  const parts = monthsOf(o.from, o.to);
  // The histogram has no category per month: one category's is read from the days only.
  const whole = table === 'repairs' && o.categoryId ? []
    : parts.filter((m) => m.from.endsWith('-01') && addOneDay(m.to).endsWith('-01')).map((m) => `${m.month}-01`);
  const partial = parts.filter((m) => !whole.includes(`${m.month}-01`));
  const days = partial.length === 0 ? sql`false` : sql.join(partial.map((m) => sql`day between ${m.from}::date and ${m.to}::date`), sql` or `);
  const category = table === 'repairs' && o.categoryId ? sql`and category_key = ${o.categoryId}::uuid` : sql``;
  return sql`
    select to_char(month, 'YYYY-MM') as month, ${sql.raw(columns)} from ${sql.raw(monthly)}
    where territory_id = ${o.territoryId}::uuid and month = any(${whole}::date[]) ${site}
    union all
    select to_char(day, 'YYYY-MM') as month, ${sql.raw(columns)} from ${sql.raw(daily)}
    where territory_id = ${o.territoryId}::uuid and (${days}) ${site} ${category}`;
}

/** The day after a 'YYYY-MM-DD' day. */
function addOneDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const METRIC_COLUMNS = `site_id, category_key, device_days, device_day_pairs, acquisition_cents_days, active_minutes, down_minutes, active_minutes_critical,
  down_minutes_critical, pairs_critical, active_minutes_high, down_minutes_high, pairs_high, failures, repairs, repair_minutes, repair_labour_minutes,
  pm_due, pm_done, pm_regulatory_due, pm_regulatory_done, labour_minutes, labour_records, parts_cents, parts_records, vendor_cents, vendor_records,
  closed, closed_vendor_only, labour_cents, contract_cents`;

/** The rollups summed per (site, category) over the period (every category: the caller filters). */
export async function kpiGroups(db: Kysely<DB>, o: KpiScope): Promise<KpiGroupRow[]> {
  const r = await sql<KpiGroupRow>`
    select site_id as "siteId", nullif(category_key, ${NO_CATEGORY_KEY}::uuid) as "categoryId", ${SUMS}
    from (${periodRows(o, 'sums', METRIC_COLUMNS)}) r
    group by site_id, category_key`.execute(db);
  return r.rows;
}

export type KpiMonthRow = KpiSums & { month: string; categoryId: string | null };

/** The rollups summed per (month, category) over the period. */
export async function kpiMonths(db: Kysely<DB>, o: KpiScope): Promise<KpiMonthRow[]> {
  const r = await sql<KpiMonthRow>`
    select month, nullif(category_key, ${NO_CATEGORY_KEY}::uuid) as "categoryId", ${SUMS}
    from (${periodRows(o, 'sums', METRIC_COLUMNS)}) r
    group by month, category_key`.execute(db);
  return r.rows;
}

/** The repair-time histogram over the period (optionally one category). */
export async function kpiRepairHistogram(db: Kysely<DB>, o: KpiScope & { categoryId?: string }): Promise<{ bucket: number; repairs: number }[]> {
  const r = await sql<{ bucket: number; repairs: number }>`
    select bucket, sum(repairs)::int as repairs from (${periodRows(o, 'repairs', 'bucket, repairs')}) r
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

/**
 * The labour rates of the cost convention version in force on a day (ADR 0023), or the
 * default before the territory's first version (null id). The rollups are priced with the
 * version of each line's day; this is what the answer shows beside the cost.
 */
export async function conventionRatesOn(db: Kysely<DB>, territoryId: string, day: string): Promise<{
  versionId: string | null; technicianHourlyRateCents: number | null; engineerHourlyRateCents: number | null;
}> {
  const row = await db.selectFrom('costConventionVersions').select(['id', 'technicianHourlyRateCents', 'engineerHourlyRateCents'])
    .where('territoryId', '=', territoryId).where('appliesFrom', '<=', day).orderBy('appliesFrom', 'desc').limit(1).executeTakeFirst();
  return { versionId: row?.id ?? null, technicianHourlyRateCents: row?.technicianHourlyRateCents ?? null, engineerHourlyRateCents: row?.engineerHourlyRateCents ?? null };
}

export async function territorySites(db: Kysely<DB>, territoryId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('sites').select(['id', 'name']).where('territoryId', '=', territoryId).orderBy('name').orderBy('id').execute();
}

export async function territoryCategories(db: Kysely<DB>, territoryId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('equipmentCategories').select(['id', 'label as name']).where('territoryId', '=', territoryId).orderBy('label').orderBy('id').execute();
}
