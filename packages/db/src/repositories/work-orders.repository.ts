import { sql, type Kysely } from 'kysely';
import type { DB } from '../generated/db.js';

/**
 * Closes, in one statement, the work orders completed more than `afterDays` days ago that
 * nobody verified, recording each closure as a system transition. Idempotent.
 */
export async function closeStaleCompletedWorkOrders(db: Kysely<DB>, afterDays: number): Promise<number> {
  const r = await sql<{ n: number }>`
    with closed as (
      update work_orders set state = 'closed', closed_at = now(), version = version + 1, updated_at = now()
      where state = 'completed' and completed_at < now() - make_interval(days => ${afterDays})
      returning id
    ), recorded as (
      insert into work_order_transitions (work_order_id, from_state, to_state, actor_id, reason)
      select id, 'completed', 'closed', null, ${`Clôture automatique : terminé depuis plus de ${afterDays} jours sans vérification`} from closed
      returning 1
    )
    select count(*)::int as n from recorded`.execute(db);
  return r.rows[0]?.n ?? 0;
}
