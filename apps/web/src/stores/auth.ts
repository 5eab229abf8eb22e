import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Me, TokenPair } from '@gmao/contracts';
import { can as policyCan, isTerritoryAdmin, type Action, type Principal, type Resource } from '@gmao/domain';
import { authApi } from '../api/session.ts';
import { ApiError } from '../api/client.ts';

const REFRESH_KEY = 'gmao.refreshToken';
const REFRESH_LOCK = 'gmao.refresh';

function readRefreshToken(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function writeRefreshToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(REFRESH_KEY, token);
    else localStorage.removeItem(REFRESH_KEY);
  } catch {
    // Storage unavailable: the session lasts until the page is closed.
  }
}

/**
 * Tabs share the refresh token through localStorage and the API rotates it on every use
 * (reusing an old one revokes the whole session). Where the browser has Web Locks, one
 * tab refreshes at a time and reads the token only once it holds the lock.
 */
async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(REFRESH_LOCK, fn);
  }
  return fn();
}

export const useAuthStore = defineStore('auth', () => {
  /** Kept in memory only: a reload gets a new one from the refresh token. */
  const accessToken = ref<string | null>(null);
  const me = ref<Me | null>(null);
  /** True once we know whether a session exists (after the first refresh attempt). */
  const initialized = ref(false);
  let initPromise: Promise<void> | null = null;

  const signedIn = computed(() => me.value !== null && accessToken.value !== null);

  const principal = computed<Principal | null>(() =>
    me.value
      ? {
          userId: me.value.id,
          territoryId: me.value.territory.id,
          grants: me.value.roles.map((g) => ({ role: g.role, siteId: g.siteId })),
        }
      : null,
  );

  const isAdmin = computed(() => (principal.value ? isTerritoryAdmin(principal.value) : false));

  /** The one policy of @gmao/domain, applied to the signed-in user inside their territory. */
  function can(action: Action, resource: Omit<Resource, 'territoryId'> = {}): boolean {
    const p = principal.value;
    if (!p) return false;
    return policyCan(p, action, { ...resource, territoryId: p.territoryId });
  }

  /** Whether can() allows the action on at least one site of the user (or territory-wide). */
  function canSomewhere(action: Action): boolean {
    if (can(action)) return true;
    return (me.value?.roles ?? []).some((g) => g.siteId !== null && can(action, { siteId: g.siteId }));
  }

  function applyTokens(pair: TokenPair): void {
    accessToken.value = pair.accessToken;
    me.value = pair.user;
    writeRefreshToken(pair.refreshToken);
  }

  function clearSession(): void {
    accessToken.value = null;
    me.value = null;
    writeRefreshToken(null);
  }

  /**
   * Trades the stored refresh token for a new pair. Resolves false when the session is
   * over (no token, or the API refused it); throws ServerUnreachableError if the API is down.
   */
  async function refresh(): Promise<boolean> {
    return withRefreshLock(async () => {
      const token = readRefreshToken();
      if (!token) {
        clearSession();
        return false;
      }
      try {
        applyTokens(await authApi.refresh(token));
        return true;
      } catch (error) {
        if (error instanceof ApiError) {
          // Another tab may have rotated the token between our read and the API's answer.
          if (readRefreshToken() !== token) return refreshWithoutLock();
          clearSession();
          return false;
        }
        throw error;
      }
    });
  }

  async function refreshWithoutLock(): Promise<boolean> {
    const token = readRefreshToken();
    if (!token) return false;
    try {
      applyTokens(await authApi.refresh(token));
      return true;
    } catch (error) {
      if (error instanceof ApiError) {
        clearSession();
        return false;
      }
      throw error;
    }
  }

  /** Restores the session after a reload. Safe to call many times; retried after a failure. */
  function init(): Promise<void> {
    if (initialized.value) return Promise.resolve();
    initPromise ??= (async () => {
      try {
        if (readRefreshToken()) await refresh();
        initialized.value = true;
      } finally {
        initPromise = null;
      }
    })();
    return initPromise;
  }

  async function login(email: string, password: string): Promise<void> {
    applyTokens(await authApi.login({ email, password }));
    initialized.value = true;
  }

  async function logout(): Promise<void> {
    const token = readRefreshToken();
    clearSession();
    if (token) {
      try {
        await authApi.logout(token);
      } catch (error) {
        // The local session is gone either way; the token expires on its own.
        console.warn('Logout call failed', error);
      }
    }
  }

  /** Another tab signed out (or in as someone else): follow it. */
  function onStorageChange(event: StorageEvent): 'signed-out' | null {
    if (event.key !== REFRESH_KEY && event.key !== null) return null;
    if (readRefreshToken() === null && me.value !== null) {
      accessToken.value = null;
      me.value = null;
      return 'signed-out';
    }
    return null;
  }

  return {
    accessToken,
    me,
    initialized,
    signedIn,
    principal,
    isAdmin,
    can,
    canSomewhere,
    init,
    login,
    logout,
    refresh,
    clearSession,
    onStorageChange,
  };
});
