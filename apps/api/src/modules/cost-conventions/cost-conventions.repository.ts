import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

export interface ConventionRow {
  id: string;
  appliesFrom: string;
  technicianHourlyRateCents: number;
  engineerHourlyRateCents: number;
  travelMode: string;
  travelCentsPerMinute: number;
  travelCentsPerKm: number;
  overheadPercent: string;
  contractSplit: string;
  fixedShares: unknown;
  note: string;
  createdById: string;
  createdByName: string;
  createdAt: Date;
}

/** Every version of the territory's convention, with its author. */
export function listConventionVersions(db: Kysely<DB>, territoryId: string): Promise<ConventionRow[]> {
  return db
    .selectFrom('costConventionVersions as v')
    .innerJoin('users as u', 'u.id', 'v.createdBy')
    .select([
      'v.id', 'v.appliesFrom', 'v.technicianHourlyRateCents', 'v.engineerHourlyRateCents', 'v.travelMode', 'v.travelCentsPerMinute', 'v.travelCentsPerKm',
      'v.overheadPercent', 'v.contractSplit', 'v.fixedShares', 'v.note', 'u.id as createdById', 'u.fullName as createdByName', 'v.createdAt',
    ])
    .where('v.territoryId', '=', territoryId)
    .orderBy('v.appliesFrom', 'desc')
    .execute();
}

export async function territorySiteIds(db: Kysely<DB>, territoryId: string): Promise<string[]> {
  return (await db.selectFrom('sites').select('id').where('territoryId', '=', territoryId).execute()).map((s) => s.id);
}

/**
 * Whether a version applying from `day` would price a closed month: a month from the month of
 * `day` on that is closed, up to the day the next version applies from (months close in any
 * order, so an open month may come before a closed one). The period rows read are locked
 * shared until the transaction ends: a closing waits.
 */
export async function monthClosed(db: Kysely<DB>, territoryId: string, day: string): Promise<boolean> {
  const rows = (await sql<{ closed: boolean }>`
    select closed_at is not null as closed from cost_periods
    where territory_id = ${territoryId} and month >= date_trunc('month', ${day}::date)::date
      and month < coalesce((select min(applies_from) from cost_convention_versions v where v.territory_id = ${territoryId} and v.applies_from > ${day}::date), 'infinity'::date)
    for share`.execute(db)).rows;
  return rows.some((r) => r.closed);
}

export async function insertConventionVersion(
  db: Kysely<DB>,
  v: {
    territoryId: string; appliesFrom: string; technicianHourlyRateCents: number; engineerHourlyRateCents: number; travelMode: string; travelCentsPerMinute: number;
    travelCentsPerKm: number; overheadPercent: number; contractSplit: string; fixedShares: { siteId: string; percent: number }[] | null; note: string; createdBy: string;
  },
): Promise<string> {
  const row = await db
    .insertInto('costConventionVersions')
    .values({ ...v, fixedShares: v.fixedShares === null ? null : JSON.stringify(v.fixedShares) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
