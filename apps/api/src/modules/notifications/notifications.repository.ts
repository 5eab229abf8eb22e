import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/**
 * A user's notifications (the digest job that writes them is packages/db notifications/).
 * Every query is by user: a notification of another user is never read nor written.
 */
const COLUMNS = ['n.id', 'n.number', 'n.kind', 'n.digestDay', 'n.payload', 'n.link', 'n.createdAt', 'n.readAt', 'n.emailState'] as const;

export function listNotifications(db: Kysely<DB>, userId: string, opts: { unread?: boolean; before?: number; limit: number }) {
  let q = db.selectFrom('notifications as n').select(COLUMNS).where('n.userId', '=', userId);
  if (opts.unread) q = q.where('n.readAt', 'is', null);
  if (opts.before !== undefined) q = q.where('n.number', '<', opts.before);
  return q.orderBy('n.number', 'desc').limit(opts.limit).execute();
}
export type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];

export async function countUnread(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('userId', '=', userId).where('readAt', 'is', null).executeTakeFirstOrThrow();
  return row.n;
}

/** Marks one of the user's notifications read (kept as first read when already read); undefined when it is not the user's. */
export function markRead(db: Kysely<DB>, userId: string, id: string) {
  return db
    .updateTable('notifications as n')
    .set({ readAt: sql`coalesce(n.read_at, greatest(clock_timestamp(), n.created_at))` })
    .where('n.id', '=', id)
    .where('n.userId', '=', userId)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** Marks every unread notification of the user read; how many. */
export async function markAllRead(db: Kysely<DB>, userId: string): Promise<number> {
  const result = await db
    .updateTable('notifications as n')
    .set({ readAt: sql`greatest(clock_timestamp(), n.created_at)` })
    .where('n.userId', '=', userId)
    .where('n.readAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
