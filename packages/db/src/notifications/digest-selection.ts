import { sql, type RawBuilder } from 'kysely';
import { OPEN_WORK_ORDER_STATES, REGULATORY_WORK_ORDER_TYPES } from '@gmao/domain';

/**
 * THE selection of the daily digests (issue 13, ADR 0017), in one place: which work orders
 * are overdue, which are due soon, which are regulatory. Both digests (technicians' and
 * engineers') read it, nothing else decides.
 *
 * - Due date: the repair due date (`due_repair_at`), as in the lists' order.
 * - Overdue: open (OPEN_WORK_ORDER_STATES) and past its repair due date — the definition of
 *   `GET /work-orders?overdue=true` (apps/api backlog.repository.ts).
 * - Due soon: open, not overdue, due within `dueSoonDays` days of `now`.
 * - Regulatory: a quality-control or electrical-safety work order (REGULATORY_WORK_ORDER_TYPES),
 *   or a preventive one on a device with the maintenance obligation (`isRegulatoryWorkOrder`
 *   of the domain says the same).
 *
 * The maintenance plans (issue 13, another branch) will extend this query only: the plan's
 * `regulatory` flag ORed into `regulatory`, and `coalesce(w.due_date, w.due_repair_at)` as
 * the due date.
 *
 * A query (for a CTE) with the columns: work_order_id, territory_id, site_id, number, type,
 * symptom, site_short_code, inventory_number, due_at, overdue, regulatory. Set-based: it
 * reads the open work orders due before `now + dueSoonDays` through work_orders_open_due_idx.
 */
export function digestWorkOrders(opts: { now: Date; dueSoonDays: number }): RawBuilder<unknown> {
  const open = sql.join(OPEN_WORK_ORDER_STATES.map((s) => sql.lit(s)));
  const regulatoryTypes = sql.join(REGULATORY_WORK_ORDER_TYPES.map((t) => sql.lit(t)));
  const now = sql`${opts.now.toISOString()}::timestamptz`;
  return sql`
    select w.id as work_order_id, w.territory_id, w.site_id, w.number, w.type, w.symptom,
           s.short_code as site_short_code, e.inventory_number, w.due_repair_at as due_at,
           w.due_repair_at < ${now} as overdue,
           (w.type in (${regulatoryTypes}) or (w.type = 'preventive' and e.maintenance_obligation)) as regulatory
      from work_orders w
      join sites s on s.id = w.site_id
      join equipment e on e.id = w.equipment_id
     where w.state in (${open})
       and w.due_repair_at is not null
       and w.due_repair_at < ${now} + make_interval(days => ${opts.dueSoonDays}::int)`;
}
