import type { Kysely } from 'kysely';
import { createCertificateNotifications, type DB } from '@gmao/db';
import { sendPendingNotificationEmails, type NotificationDigestOptions } from './notification-digest.js';

export interface CertificateExpiryResult {
  day: string;
  /** (person, skill, expiry date, milestone) told by this run. */
  milestones: number;
  notified: number;
  sent: number;
  failed: number;
}

/**
 * The daily `certificate-expiry` job (ADR 0021): first the notifications of the certificates
 * that cross a milestone today (90, 30, 7 days before expiry, on expiry), made set-based and
 * exactly once per (person, skill, expiry date, milestone) by createCertificateNotifications
 * (one statement); then the emails still to send, as the digest job sends them (each locked,
 * sent, marked in its own small transaction). Idempotent: run again, it tells nobody twice.
 */
export async function runCertificateExpiry(db: Kysely<DB>, opts: NotificationDigestOptions): Promise<CertificateExpiryResult> {
  const { day, milestones, notified } = await createCertificateNotifications(db, { emailEnabled: opts.mailer !== null });
  const { sent, failed } = await sendPendingNotificationEmails(db, opts);
  return { day, milestones, notified, sent, failed };
}
