import { sql, type Kysely } from 'kysely';
import { DIGEST_TIME_ZONE } from '@gmao/domain';
import type { DB } from '../generated/db.js';

/**
 * The expiring-certificate notifications (issue 14, ADR 0021): made set-based by one
 * statement per run of the daily `certificate-expiry` job (apps/worker), their emails sent
 * afterwards by the same loop as the digests'.
 */

/** Where each kind leads in the SPA: the holder's skill sheet, the team's coverage. */
export const CERTIFICATE_LINKS = {
  certificate_expiring: (userId: string) => `/competency/people/${userId}`,
  certificates_expiring_team: '/competency/coverage',
} as const;

export interface CertificateNotificationRun {
  /** The Europe/Paris day of the run (`YYYY-MM-DD`). */
  day: string;
  /** (person, skill, expiry date, milestone) crossed and told by this run. */
  milestones: number;
  /** Notifications this run created or added certificates to. */
  notified: number;
}

/**
 * Tells, in one statement, every territory's certificates that cross a milestone today
 * (Europe/Paris): each certificate of an active person's active skill, expired or expiring
 * within 90 days, reaches the smallest of 90, 30, 7, 0 at or above its days left
 * (`certificateMilestone` of the domain). The crossing is recorded in certificate_milestones
 * (primary key: person, skill, expiry date, milestone; ON CONFLICT DO NOTHING), and only the
 * rows that insert returns are told, in the same statement: one `certificate_expiring` to
 * the holder, one `certificates_expiring_team` to each active engineer of the territory and
 * each active site manager of a site where the holder has a role, listing this run's
 * certificates (a run that crosses nothing tells nobody).
 *
 * Exactly once per (person, skill, expiry date, milestone): a run retried after a crash (its
 * statement rolled back, or committed), run twice, or by two workers at once (the second
 * waits on the key, then inserts nothing) never tells twice; a renewed certificate (a new
 * expiry date) is new keys, told again at its milestones.
 */
export async function createCertificateNotifications(
  db: Kysely<DB>,
  opts: { now?: Date; emailEnabled: boolean },
): Promise<CertificateNotificationRun> {
  const now = opts.now ?? new Date();
  const day = sql<string>`(${now.toISOString()}::timestamptz at time zone ${DIGEST_TIME_ZONE})::date`;
  const item = sql`jsonb_build_object(
      'userId', i.user_id, 'name', i.name, 'skillId', i.skill_id, 'skillCode', i.skill_code, 'skillName', i.skill_name,
      'certificateExpiresAt', i.certificate_expires_at::text, 'daysLeft', i.days_left, 'milestone', i.milestone)`;
  const result = await sql<{ id: string; milestones: number }>`
    with due as (
      select us.territory_id, us.user_id, us.skill_id, us.certificate_expires_at,
             case when d.left_days <= 0 then 0 when d.left_days <= 7 then 7 when d.left_days <= 30 then 30 else 90 end as milestone
        from user_skills us
        join skills s on s.id = us.skill_id and s.active
        join users u on u.id = us.user_id and u.active
        cross join lateral (select us.certificate_expires_at - ${day} as left_days) d
       where us.certificate_expires_at is not null
         and us.certificate_expires_at <= ${day} + 90),
    crossed as (
      insert into certificate_milestones (territory_id, user_id, skill_id, certificate_expires_at, milestone)
      select territory_id, user_id, skill_id, certificate_expires_at, milestone from due
      on conflict do nothing
      returning territory_id, user_id, skill_id, certificate_expires_at, milestone),
    items as (
      select c.territory_id, c.user_id, u.full_name as name, c.skill_id, s.code as skill_code, s.name as skill_name,
             c.certificate_expires_at, c.certificate_expires_at - ${day} as days_left, c.milestone
        from crossed c join users u on u.id = c.user_id join skills s on s.id = c.skill_id),
    told as (
      select i.user_id as recipient, 'certificate_expiring' as kind, i.* from items i
      union
      select g.user_id, 'certificates_expiring_team', i.*
        from items i
        join role_grants g on g.territory_id = i.territory_id and g.role = 'engineer'
        join users r on r.id = g.user_id and r.active
      union
      select m.user_id, 'certificates_expiring_team', i.*
        from items i
        join role_grants h on h.user_id = i.user_id and h.territory_id = i.territory_id and h.site_id is not null
        join role_grants m on m.site_id = h.site_id and m.role = 'site_manager'
        join users r on r.id = m.user_id and r.active),
    grouped as (
      select recipient, kind, territory_id,
             jsonb_build_object('certificates', jsonb_agg(${item} order by i.certificate_expires_at, i.name, i.skill_name)) as payload
        from told i
       group by recipient, kind, territory_id)
    insert into notifications (territory_id, user_id, kind, digest_day, payload, link, email_state)
    select g.territory_id, g.recipient, g.kind, ${day}, g.payload,
           case g.kind when 'certificate_expiring' then '/competency/people/' || g.recipient::text else ${CERTIFICATE_LINKS.certificates_expiring_team} end,
           ${opts.emailEnabled ? 'not_sent' : 'disabled'}
      from grouped g
    returning id, (select count(*)::int from crossed) as milestones`.execute(db);
  const dayText = (await sql<{ day: string }>`select ${day}::text as day`.execute(db)).rows[0]!.day;
  return { day: dayText, milestones: result.rows[0]?.milestones ?? 0, notified: result.rows.length };
}
