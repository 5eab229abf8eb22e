-- In-app notifications and their emails (issue 13, "Notifications"; ADR 0017). The daily
-- digest job (packages/db notifications/digests.ts) writes at most one notification per
-- (user, kind, Europe/Paris day): the unique key below makes a run retried after a crash,
-- or run twice or by two workers at once, create each digest exactly once (INSERT … ON
-- CONFLICT DO NOTHING, never check-then-insert). The email of a notification is sent after
-- it committed, each marked `sent` in its own small transaction once the SMTP server
-- accepted it.
create table notifications (
  id uuid primary key default gen_random_uuid(),
  -- Keyset order of a user's list (newest first).
  number bigint generated always as identity unique,
  territory_id uuid not null references territories (id),
  user_id uuid not null references users (id),
  -- digest_technician: the user's assigned open work orders overdue or due soon;
  -- digest_engineer: the overdue regulatory work orders of the user's sites.
  kind text not null check (kind in ('digest_technician', 'digest_engineer')),
  -- The Europe/Paris day the digest is for.
  digest_day date not null,
  -- Codes and parameters, written out in the reader's language by the SPA and the mailer:
  -- counts and the work orders as they were when the digest was made (a bounded list).
  payload jsonb not null,
  -- Where the notification leads in the SPA (a path).
  link text not null,
  created_at timestamptz not null default clock_timestamp(),
  read_at timestamptz,
  -- not_sent: to send; sent: accepted by the SMTP server; failed: the last attempt failed
  -- (retried by the next runs, up to a few attempts); disabled: no SMTP configured when made.
  email_state text not null check (email_state in ('not_sent', 'sent', 'failed', 'disabled')),
  email_attempts integer not null default 0 check (email_attempts >= 0),
  email_attempted_at timestamptz,
  email_sent_at timestamptz,
  email_error text,
  constraint notifications_digest_key unique (user_id, kind, digest_day),
  constraint notifications_sent_has_time check ((email_state = 'sent') = (email_sent_at is not null)),
  constraint notifications_read_after_created check (read_at is null or read_at >= created_at)
);
-- A user's list, newest first, and its unread part (the bell's count).
create index notifications_user_idx on notifications (user_id, number desc);
create index notifications_user_unread_idx on notifications (user_id, number desc) where read_at is null;
-- The emails still to send (few): what each run's sending pass reads.
create index notifications_email_pending_idx on notifications (number) where email_state in ('not_sent', 'failed');
-- The digest's selection (packages/db notifications/digest-selection.ts): the open work
-- orders whose repair due date is past or within the coming days, across territories.
create index work_orders_open_due_idx on work_orders (due_repair_at)
  where state in ('requested', 'assigned', 'in_progress', 'on_hold') and due_repair_at is not null;
