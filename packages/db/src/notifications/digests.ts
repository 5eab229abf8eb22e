import { sql, type Kysely } from 'kysely';
import {
  DIGEST_EMAIL_MAX_ATTEMPTS, DIGEST_MAX_ITEMS, DIGEST_TIME_ZONE, type CertificatePayload, type DigestKind, type DigestPayload, type NotificationKind,
} from '@gmao/domain';
import type { DB } from '../generated/db.js';
import { digestWorkOrders } from './digest-selection.js';

/**
 * The daily digests (issue 13, ADR 0017): made set-based by one INSERT per run, their emails
 * sent one by one afterwards by the worker (apps/worker/src/jobs/notification-digest.ts).
 */

/** Where each kind of digest leads in the SPA. */
export const DIGEST_LINKS: Readonly<Record<DigestKind, string>> = {
  digest_technician: '/work-orders/mine',
  digest_engineer: '/work-orders?siteId=all&overdue=1',
};

export interface DigestCreation {
  /** The Europe/Paris day of the digests (`YYYY-MM-DD`). */
  digestDay: string;
  /** Digests this run created (a second run of the day creates none). */
  created: number;
}

/**
 * Creates the day's digests of every territory in one statement: for each active user
 * assigned to open work orders overdue or due within `dueSoonDays` days, a `digest_technician`;
 * for each active engineer of a site with overdue regulatory work, a `digest_engineer`. Users
 * with nothing to say get none.
 *
 * Exactly once per (user, kind, Europe/Paris day of `now`): the unique key
 * notifications_digest_key (a unique index on the digests' kinds) and ON CONFLICT DO NOTHING, so that a run retried after a crash
 * (its transaction rolled back, or committed), run twice, or run by two workers at once,
 * never makes a second digest. `emailEnabled` false (no SMTP configured): email state
 * `disabled`, in the app only.
 */
export async function createDailyDigests(
  db: Kysely<DB>,
  opts: { now?: Date; dueSoonDays: number; emailEnabled: boolean },
): Promise<DigestCreation> {
  const now = opts.now ?? new Date();
  const day = sql<string>`(${now.toISOString()}::timestamptz at time zone ${DIGEST_TIME_ZONE})::date`;
  const item = sql`jsonb_build_object(
      'workOrderId', x.work_order_id, 'number', x.number, 'type', x.type, 'symptom', left(x.symptom, 200),
      'siteShortCode', x.site_short_code, 'inventoryNumber', x.inventory_number, 'dueAt', x.due_at,
      'overdue', x.overdue, 'regulatory', x.regulatory)`;
  const payload = sql`jsonb_build_object(
      'overdueCount', count(*) filter (where x.overdue),
      'dueSoonCount', count(*) filter (where not x.overdue),
      'dueSoonDays', ${opts.dueSoonDays}::int,
      'items', coalesce(jsonb_agg(${item} order by x.rank) filter (where x.rank <= ${DIGEST_MAX_ITEMS}), '[]'::jsonb))`;
  // Overdue first, then by due date, then number.
  const rank = sql`row_number() over (partition by r.user_id order by sel.overdue desc, sel.due_at, sel.number)`;
  const result = await sql<{ id: string; digestDay: string }>`
    with sel as (${digestWorkOrders({ now, dueSoonDays: opts.dueSoonDays })}),
    technician as (
      select r.user_id, sel.*, ${rank} as rank
        from (select distinct a.user_id, u.territory_id, a.work_order_id
                from work_order_assignees a join users u on u.id = a.user_id and u.active
               where a.work_order_id in (select work_order_id from sel)) r
        join sel on sel.work_order_id = r.work_order_id and sel.territory_id = r.territory_id),
    engineer as (
      select r.user_id, sel.*, ${rank} as rank
        from (select distinct g.user_id, u.territory_id, s2.work_order_id
                from (select work_order_id, site_id from sel where overdue and regulatory) s2
                join role_grants g on g.site_id = s2.site_id and g.role = 'engineer'
                join users u on u.id = g.user_id and u.active) r
        join sel on sel.work_order_id = r.work_order_id and sel.territory_id = r.territory_id),
    digests as (
      select x.user_id, x.territory_id, 'digest_technician' as kind, ${payload} as payload from technician x group by x.user_id, x.territory_id
      union all
      select x.user_id, x.territory_id, 'digest_engineer' as kind, ${payload} as payload from engineer x group by x.user_id, x.territory_id)
    insert into notifications (territory_id, user_id, kind, digest_day, payload, link, email_state)
    select d.territory_id, d.user_id, d.kind, ${day}, d.payload,
           case d.kind when 'digest_engineer' then ${DIGEST_LINKS.digest_engineer} else ${DIGEST_LINKS.digest_technician} end,
           ${opts.emailEnabled ? 'not_sent' : 'disabled'}
      from digests d
    on conflict (user_id, kind, digest_day) where kind in ('digest_technician', 'digest_engineer') do nothing
    returning id`.execute(db);
  const digestDay = (await sql<{ day: string }>`select ${day}::text as day`.execute(db)).rows[0]!.day;
  return { digestDay, created: result.rows.length };
}

/** A digest whose email is to be sent, with its recipient. */
export interface PendingDigestEmail {
  id: string;
  kind: NotificationKind;
  digestDay: string;
  payload: DigestPayload | CertificatePayload;
  link: string;
  email: string;
  fullName: string;
  emailAttempts: number;
}

/**
 * The next digest email to send, locked (FOR UPDATE SKIP LOCKED) in the caller's transaction:
 * a concurrent run skips it, so that no two runs send the same email; the caller marks it
 * sent or failed in the same transaction. Pending: `not_sent`, or `failed` with attempts left;
 * of today or yesterday (an older digest is stale: it stays as it is); not among `skip` (the
 * ones this run already tried).
 */
export async function lockNextDigestEmail(trx: Kysely<DB>, opts: { skip: readonly string[]; now?: Date }): Promise<PendingDigestEmail | undefined> {
  const now = opts.now ?? new Date();
  const today = sql`(${now.toISOString()}::timestamptz at time zone ${DIGEST_TIME_ZONE})::date`;
  const row = await sql<PendingDigestEmail>`
    select n.id, n.kind, n.digest_day::text as digest_day, n.payload, n.link, n.email_attempts, u.email, u.full_name
      from notifications n
      join users u on u.id = n.user_id
     where n.email_state in ('not_sent', 'failed')
       and n.email_attempts < ${DIGEST_EMAIL_MAX_ATTEMPTS}
       and n.digest_day >= ${today} - 1
       and n.id <> all(${sql.val(opts.skip)}::uuid[])
       and u.active
     order by n.number
     limit 1
       for update of n skip locked`.execute(trx);
  return row.rows[0];
}

/** Marks a digest's email accepted by the SMTP server. */
export async function markDigestEmailSent(trx: Kysely<DB>, id: string): Promise<void> {
  await sql`update notifications
               set email_state = 'sent', email_sent_at = clock_timestamp(), email_attempted_at = clock_timestamp(),
                   email_attempts = email_attempts + 1, email_error = null
             where id = ${id}`.execute(trx);
}

/** Marks a digest's email failed (the next runs try again while attempts are left). */
export async function markDigestEmailFailed(trx: Kysely<DB>, id: string, error: string): Promise<void> {
  await sql`update notifications
               set email_state = 'failed', email_attempted_at = clock_timestamp(), email_attempts = email_attempts + 1,
                   email_error = ${error.slice(0, 1000)}
             where id = ${id}`.execute(trx);
}
