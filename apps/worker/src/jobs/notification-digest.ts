import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createDailyDigests, lockNextDigestEmail, markDigestEmailFailed, markDigestEmailSent, type DB } from '@gmao/db';
import { renderNotificationEmail } from '@gmao/domain';
import type { Mailer } from '../mailer.js';

export interface NotificationDigestOptions {
  /** NOTIFICATION_DUE_SOON_DAYS. */
  dueSoonDays: number;
  /** null: no SMTP configured, the notifications stay in the app (email state `disabled`). */
  mailer: Mailer | null;
  /** PUBLIC_URL, for the emails' links. */
  publicUrl?: string;
  logger?: Logger;
}

export interface NotificationDigestResult {
  digestDay: string;
  created: number;
  sent: number;
  failed: number;
}

/**
 * The daily `notification-digest` job (ADR 0017). First the day's digests, made set-based
 * and exactly once per (user, kind, day) by createDailyDigests (one statement, its own
 * transaction). Then the emails still to send, one at a time, each in its own small
 * transaction: the notification is locked (FOR UPDATE SKIP LOCKED: a concurrent run skips
 * it), sent, and marked `sent` once the SMTP server accepted it, or `failed` with the error
 * (the next run tries again, up to DIGEST_EMAIL_MAX_ATTEMPTS).
 *
 * Idempotent: run again (a retry, the next day's schedule, a second worker), it creates no
 * second digest and sends no email twice. The one window SMTP leaves open: a process killed
 * after the server accepted a message and before its transaction committed sends that one
 * message again at the next run (at least once, never lost).
 */
export async function runNotificationDigest(db: Kysely<DB>, opts: NotificationDigestOptions): Promise<NotificationDigestResult> {
  const { digestDay, created } = await createDailyDigests(db, { dueSoonDays: opts.dueSoonDays, emailEnabled: opts.mailer !== null });
  const { sent, failed } = await sendPendingNotificationEmails(db, opts);
  return { digestDay, created, sent, failed };
}

/**
 * Sends the notifications' emails still to send (digests and expiring certificates alike),
 * one at a time, each in its own small transaction (see runNotificationDigest).
 */
export async function sendPendingNotificationEmails(
  db: Kysely<DB>,
  opts: { mailer: Mailer | null; publicUrl?: string; logger?: Logger },
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const mailer = opts.mailer;
  if (mailer) {
    const tried: string[] = [];
    for (;;) {
      const outcome = await db.transaction().execute(async (trx) => {
        const pending = await lockNextDigestEmail(trx, { skip: tried });
        if (!pending) return 'done' as const;
        tried.push(pending.id);
        const email = renderNotificationEmail({
          kind: pending.kind, payload: pending.payload, digestDay: pending.digestDay, fullName: pending.fullName, link: pending.link,
          locale: 'fr', baseUrl: opts.publicUrl,
        });
        try {
          await mailer.send({ to: pending.email, ...email });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          opts.logger?.warn({ notificationId: pending.id, attempts: pending.emailAttempts + 1, err: message }, 'notification email failed');
          await markDigestEmailFailed(trx, pending.id, message);
          return 'failed' as const;
        }
        await markDigestEmailSent(trx, pending.id);
        return 'sent' as const;
      });
      if (outcome === 'done') break;
      if (outcome === 'sent') sent += 1;
      else failed += 1;
    }
  }
  return { sent, failed };
}
