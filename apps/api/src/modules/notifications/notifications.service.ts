import type { z } from 'zod';
import { encodeCursor, type Notification, type NotificationListQuery, type NotificationPage, type NotificationsReadAll } from '@gmao/contracts';
import { DEFAULT_DUE_SOON_DAYS, isCertificateKind, type CertificatePayload, type DigestPayload, type NotificationEmailState, type NotificationKind } from '@gmao/domain';
import type { ActorContext, AppDeps } from '../../lib/context.js';
import { notFound } from '../../lib/problem.js';
import { countUnread, listNotifications, markAllRead, markRead, type NotificationRow } from './notifications.repository.js';

export function toNotification(r: NotificationRow): Notification {
  const kind = r.kind as NotificationKind;
  if (isCertificateKind(kind)) {
    // The expiring certificates (ADR 0021): no work orders; the digest's counts stay valid.
    const c = r.payload as unknown as CertificatePayload;
    return {
      id: r.id, kind, digestDay: r.digestDay, overdueCount: 0, dueSoonCount: 0, dueSoonDays: DEFAULT_DUE_SOON_DAYS, items: [],
      certificates: c.certificates, link: r.link, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null,
      emailState: r.emailState as NotificationEmailState,
    };
  }
  const p = r.payload as unknown as DigestPayload;
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    digestDay: r.digestDay,
    overdueCount: p.overdueCount,
    dueSoonCount: p.dueSoonCount,
    dueSoonDays: p.dueSoonDays,
    items: p.items.map((i) => ({ ...i, dueAt: new Date(i.dueAt).toISOString() })),
    link: r.link,
    createdAt: r.createdAt.toISOString(),
    readAt: r.readAt?.toISOString() ?? null,
    emailState: r.emailState as NotificationEmailState,
  };
}

/**
 * The signed-in user's notifications (ADR 0017). Everyone reads and marks only their own: no
 * rights to check, every query is by the principal's user id, and another user's
 * notification is a 404 (its existence is not disclosed). Marking read changes only the
 * reader's own view of it, so it writes no audit record.
 */
export class NotificationsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async list(ctx: ActorContext, query: z.output<typeof NotificationListQuery>): Promise<NotificationPage> {
    const userId = ctx.principal.userId;
    const [rows, unreadCount] = await Promise.all([
      listNotifications(this.deps.db, userId, { unread: query.unread, before: query.cursor?.[0], limit: query.limit + 1 }),
      countUnread(this.deps.db, userId),
    ]);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toNotification),
      nextCursor: rows.length > query.limit && last ? encodeCursor([Number(last.number)]) : null,
      unreadCount,
    };
  }

  async read(ctx: ActorContext, id: string): Promise<Notification> {
    const row = await markRead(this.deps.db, ctx.principal.userId, id);
    if (!row) throw notFound('Notification');
    return toNotification(row);
  }

  async readAll(ctx: ActorContext): Promise<NotificationsReadAll> {
    const marked = await markAllRead(this.deps.db, ctx.principal.userId);
    return { marked, unreadCount: await countUnread(this.deps.db, ctx.principal.userId) };
  }
}
