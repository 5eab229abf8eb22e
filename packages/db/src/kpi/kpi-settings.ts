import { DEFAULT_LABOUR_HOURLY_RATE_CENTS } from '@gmao/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../generated/db.js';

/**
 * THE hourly labour rate of the indicators' cost (cents), until the cost convention of a
 * later slice of issue 15 versions rates per role and date: the territory's kpi_settings row,
 * else DEFAULT_LABOUR_HOURLY_RATE_CENTS. The rollups store labour minutes; the rate is applied
 * when the indicators are read, so changing it needs no rebuild.
 */
export async function labourHourlyRateCents(db: Kysely<DB>, territoryId: string): Promise<number> {
  const row = await db.selectFrom('kpiSettings').select('labourHourlyRateCents').where('territoryId', '=', territoryId).executeTakeFirst();
  return row?.labourHourlyRateCents ?? DEFAULT_LABOUR_HOURLY_RATE_CENTS;
}
