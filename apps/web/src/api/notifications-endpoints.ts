import { Notification, NotificationPage, NotificationsReadAll } from '@gmao/contracts';
import { request } from './client.ts';

/**
 * The signed-in user's notifications (GET/POST /notifications…), kept apart from endpoints.ts:
 * the layout's bell (in the main bundle) loads only this.
 */
export const notificationsApi = {
  /** Newest first, with the unread count; `unread`: the unread ones only. */
  list: (params: { unread?: boolean; limit?: number; cursor?: string | null } = {}) =>
    request('/notifications', NotificationPage, { query: { ...params } }),
  read: (id: string) => request(`/notifications/${id}/read`, Notification, { method: 'POST' }),
  readAll: () => request('/notifications/read-all', NotificationsReadAll, { method: 'POST' }),
};
