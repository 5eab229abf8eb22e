import type { Kysely } from 'kysely';
import { postCostLedger, type CostLedgerRunResult, type DB } from '@gmao/db';

/**
 * The `cost-ledger` job (ADR 0023), every COST_LEDGER_PATTERN and on demand: posts, territory
 * by territory (each in one transaction under its advisory lock), the difference between what
 * every source in scope is worth now and what its ledger lines sum to. Killed mid-run, the
 * territory it was on posted nothing and keeps its change marks; the next run posts it all.
 */
export async function runCostLedger(db: Kysely<DB>, data: { territoryId?: string }, now?: Date): Promise<CostLedgerRunResult> {
  return postCostLedger(db, { territoryId: data.territoryId, now });
}
