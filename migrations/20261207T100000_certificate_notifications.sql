-- Expiring-certificate notifications (issue 14, ADR 0021). The daily `certificate-expiry`
-- job tells each holder of a certificate that crosses a milestone (90, 30, 7 days before its
-- expiry, and on expiry) and the engineers of the territory and the site managers of the
-- holder's sites. Exactly once per (person, skill, expiry date, milestone): the primary key of
-- certificate_milestones, written by the same statement as the notifications (INSERT … ON
-- CONFLICT DO NOTHING … RETURNING feeds the notifications' insert), so that a run retried
-- after a crash, run twice or by two workers at once never notifies twice; a renewed
-- certificate (a new expiry date) re-arms its milestones.
alter table notifications drop constraint notifications_kind_check;
-- One digest per (user, kind, day) still; the certificates' notifications are made once by
-- their milestones (below), one per run and recipient: a certificate renewed and crossing a
-- milestone later the same day makes a second one, emailed too.
alter table notifications drop constraint notifications_digest_key;
create unique index notifications_digest_key on notifications (user_id, kind, digest_day)
  where kind in ('digest_technician', 'digest_engineer');
alter table notifications add constraint notifications_kind_check
  check (kind in ('digest_technician', 'digest_engineer', 'certificate_expiring', 'certificates_expiring_team'));

create table certificate_milestones (
  territory_id uuid not null references territories (id),
  user_id uuid not null references users (id),
  skill_id uuid not null references skills (id),
  certificate_expires_at date not null,
  -- Days before the expiry: 90, 30, 7, and 0 (expired).
  milestone integer not null check (milestone in (90, 30, 7, 0)),
  notified_at timestamptz not null default clock_timestamp(),
  constraint certificate_milestones_pkey primary key (user_id, skill_id, certificate_expires_at, milestone)
);
-- The job's selection reads user_skills_certificate_idx (20261206T090000_competency.sql).
