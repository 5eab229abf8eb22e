import { sql, type Kysely } from 'kysely';
import type { DB } from '../generated/db.js';

/** The next work-order number, BT-<year>-<6 digits> (the year of `at`, by default now). */
export async function nextWorkOrderNumber(db: Kysely<DB>, at: Date = new Date()): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('work_order_number_seq')::int as n`.execute(db);
  return `BT-${at.getUTCFullYear()}-${String(r.rows[0]!.n).padStart(6, '0')}`;
}

/**
 * Closes, in one statement, the work orders completed and never verified for longer than
 * their territory's delay (work_order_settings.auto_close_days; `defaultDays` when the
 * territory set none; never when it set null), recording each closure as a system
 * transition. Idempotent.
 */
export async function closeStaleCompletedWorkOrders(db: Kysely<DB>, defaultDays: number): Promise<number> {
  const r = await sql<{ n: number }>`
    with due as (
      select w.id, case when s.territory_id is null then ${defaultDays}::int else s.auto_close_days end as days
      from work_orders w left join work_order_settings s on s.territory_id = w.territory_id
      where w.state = 'completed'
    ), closed as (
      update work_orders w set state = 'closed', closed_at = now(), version = w.version + 1, updated_at = now()
      from due
      where due.id = w.id and w.state = 'completed' and due.days is not null and w.completed_at < now() - make_interval(days => due.days)
      returning w.id, due.days
    ), recorded as (
      insert into work_order_transitions (work_order_id, from_state, to_state, actor_id, reason)
      select id, 'completed', 'closed', null, 'Clôture automatique : terminé depuis plus de ' || days || ' jours sans vérification' from closed
      returning 1
    )
    select count(*)::int as n from recorded`.execute(db);
  return r.rows[0]?.n ?? 0;
}
