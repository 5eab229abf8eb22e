import { defineStore } from 'pinia';
import { ref } from 'vue';
import { notificationsApi } from '../api/notifications-endpoints.ts';

/** How often the bell asks for the unread count while the application is open. */
const REFRESH_MS = 5 * 60_000;

/**
 * The signed-in user's unread notifications count, for the layout's bell: asked for when the
 * layout mounts, every few minutes, and set by the notifications page after each change.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const unreadCount = ref(0);
  let timer: ReturnType<typeof setInterval> | null = null;

  async function refresh(): Promise<void> {
    try {
      unreadCount.value = (await notificationsApi.list({ unread: true, limit: 1 })).unreadCount;
    } catch {
      // The bell keeps its count; the connectivity banner tells when the server is down.
    }
  }

  function start(): void {
    void refresh();
    if (!timer) timer = setInterval(() => void refresh(), REFRESH_MS);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return { unreadCount, refresh, start, stop };
});
