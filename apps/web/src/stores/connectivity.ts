import { defineStore } from 'pinia';
import { ref } from 'vue';
import { healthApi } from '../api/session.ts';

/** Tracks whether the API answers, for the "server unreachable" banner. */
export const useConnectivityStore = defineStore('connectivity', () => {
  const unreachable = ref(false);
  /** A page failed to load its data: after a successful retry it is mounted again. */
  const loadFailed = ref(false);
  const retrying = ref(false);
  const stillDown = ref(false);
  /** Bumped to remount the current page so it fetches its data again. */
  const reloadKey = ref(0);

  function markUnreachable(method: string): void {
    unreachable.value = true;
    if (method === 'GET') loadFailed.value = true;
  }

  function markReachable(): void {
    unreachable.value = false;
    stillDown.value = false;
  }

  /** Checks the API's health; resolves true when it answers again. */
  async function check(): Promise<boolean> {
    retrying.value = true;
    try {
      await healthApi.check();
      markReachable();
      return true;
    } catch {
      unreachable.value = true;
      stillDown.value = true;
      return false;
    } finally {
      retrying.value = false;
    }
  }

  function reloadPage(): void {
    loadFailed.value = false;
    reloadKey.value += 1;
  }

  return { unreachable, loadFailed, retrying, stillDown, reloadKey, markUnreachable, markReachable, check, reloadPage };
});
