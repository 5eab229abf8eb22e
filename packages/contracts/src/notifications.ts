import { z } from 'zod';
import { NOTIFICATION_EMAIL_STATES, NOTIFICATION_KINDS, WORK_ORDER_TYPES } from '@gmao/domain';
import { IsoDate, listQuery, QueryBoolean, Timestamp, Uuid } from './common.js';

/** In-app notifications: the daily digests (issue 13, ADR 0017). */

/** One work order of a digest, as it was when the digest was made. */
export const DigestItem = z
  .object({
    workOrderId: Uuid,
    number: z.string(),
    type: z.enum(WORK_ORDER_TYPES),
    symptom: z.string(),
    siteShortCode: z.string(),
    inventoryNumber: z.string(),
    /** The repair due date. */
    dueAt: Timestamp,
    overdue: z.boolean(),
    regulatory: z.boolean(),
  })
  .meta({ id: 'DigestItem' });
export type DigestItem = z.infer<typeof DigestItem>;

/** One certificate of an expiring-certificate notification (ADR 0021), as it was when told. */
export const CertificateNotificationItem = z
  .object({
    userId: Uuid,
    name: z.string(),
    skillId: Uuid,
    skillCode: z.string(),
    skillName: z.string(),
    certificateExpiresAt: IsoDate,
    /** Negative once expired (on the notification's day). */
    daysLeft: z.number().int(),
    /** The milestone crossed: 90, 30, 7 days before the expiry, 0 on or after it. */
    milestone: z.union([z.literal(90), z.literal(30), z.literal(7), z.literal(0)]),
  })
  .meta({ id: 'CertificateNotificationItem' });
export type CertificateNotificationItem = z.infer<typeof CertificateNotificationItem>;

/**
 * A notification of the signed-in user. Its text is written by the SPA from `kind` and the
 * counts, in the reader's language; `link` is a path of the SPA.
 */
export const Notification = z
  .object({
    id: Uuid,
    kind: z.enum(NOTIFICATION_KINDS),
    /** The Europe/Paris day of the digest. */
    digestDay: IsoDate,
    overdueCount: z.number().int().min(0),
    dueSoonCount: z.number().int().min(0),
    dueSoonDays: z.number().int().min(1),
    /** At most 50 work orders, overdue first; the counts say how many there are. */
    items: z.array(DigestItem),
    /**
     * certificate_expiring (the reader's own) and certificates_expiring_team (their team's):
     * the certificates that crossed a milestone; absent for the digests, whose counts are 0 here.
     */
    certificates: z.array(CertificateNotificationItem).optional(),
    link: z.string(),
    createdAt: Timestamp,
    /** null while unread. */
    readAt: Timestamp.nullable(),
    emailState: z.enum(NOTIFICATION_EMAIL_STATES),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

/** GET /api/v1/notifications: the signed-in user's, newest first; `unread=true` the unread ones only. */
export const NotificationListQuery = listQuery(z.tuple([z.number().int().min(1)])).extend({
  unread: QueryBoolean.optional(),
});

/** The page, with the user's unread count (the bell's). */
export const NotificationPage = z
  .object({ items: z.array(Notification), nextCursor: z.string().nullable(), unreadCount: z.number().int().min(0) })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPage>;

/** POST /api/v1/notifications/read-all: how many were marked read. */
export const NotificationsReadAll = z.object({ marked: z.number().int().min(0), unreadCount: z.number().int().min(0) }).meta({ id: 'NotificationsReadAll' });
export type NotificationsReadAll = z.infer<typeof NotificationsReadAll>;
