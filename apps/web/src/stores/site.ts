import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Site } from '@gmao/contracts';
import { sitesApi } from '../api/endpoints.ts';
import { useAuthStore } from './auth.ts';

export interface SiteOption {
  id: string;
  name: string;
  shortCode: string;
}

const storageKey = (userId: string) => `gmao.currentSite.${userId}`;

function byName(a: SiteOption, b: SiteOption): number {
  return a.name.localeCompare(b.name, 'fr');
}

/** The site the user works on now, and the territory's sites for pickers. */
export const useSiteStore = defineStore('site', () => {
  const auth = useAuthStore();
  const currentSiteId = ref<string | null>(null);
  /** Every site of the territory, loaded on demand (anyone signed in may read them). */
  const allSites = ref<Site[] | null>(null);
  let allSitesPromise: Promise<Site[]> | null = null;

  /** Sites the user holds a role on (plus their home site); every site for a territory admin. */
  const availableSites = computed<SiteOption[]>(() => {
    const me = auth.me;
    if (!me) return [];
    if (auth.isAdmin) {
      if (allSites.value) return allSites.value.map(({ id, name, shortCode }) => ({ id, name, shortCode })).sort(byName);
      return me.homeSite ? [me.homeSite] : [];
    }
    const sites = new Map<string, SiteOption>();
    if (me.homeSite) sites.set(me.homeSite.id, me.homeSite);
    for (const grant of me.roles) {
      if (grant.siteId && !sites.has(grant.siteId)) {
        sites.set(grant.siteId, {
          id: grant.siteId,
          name: grant.siteName ?? grant.siteId,
          shortCode: grant.siteShortCode ?? '',
        });
      }
    }
    return [...sites.values()].sort(byName);
  });

  const currentSite = computed<SiteOption | null>(
    () => availableSites.value.find((s) => s.id === currentSiteId.value) ?? null,
  );

  async function loadAllSites(force = false): Promise<Site[]> {
    if (allSites.value && !force) return allSites.value;
    allSitesPromise ??= sitesApi.listAll().then(
      (sites) => {
        allSites.value = sites;
        allSitesPromise = null;
        return sites;
      },
      (error: unknown) => {
        allSitesPromise = null;
        throw error;
      },
    );
    return allSitesPromise;
  }

  /** Keeps a site just created or edited in the cached list. */
  function upsertSite(site: Site): void {
    if (!allSites.value) return;
    const index = allSites.value.findIndex((s) => s.id === site.id);
    if (index >= 0) allSites.value.splice(index, 1, site);
    else allSites.value.push(site);
  }

  function select(siteId: string): void {
    currentSiteId.value = siteId;
    const me = auth.me;
    if (!me) return;
    try {
      localStorage.setItem(storageKey(me.id), siteId);
    } catch {
      // The choice lasts for this page only.
    }
  }

  /** Picks the remembered site, else the home site, else the first available one. */
  function restore(): void {
    const me = auth.me;
    if (!me) {
      currentSiteId.value = null;
      return;
    }
    const ids = new Set(availableSites.value.map((s) => s.id));
    let stored: string | null;
    try {
      stored = localStorage.getItem(storageKey(me.id));
    } catch {
      stored = null;
    }
    if (stored && ids.has(stored)) currentSiteId.value = stored;
    else if (currentSiteId.value && ids.has(currentSiteId.value)) return;
    else currentSiteId.value = me.homeSite?.id ?? availableSites.value[0]?.id ?? null;
  }

  // Follow sign-in, sign-out and the arrival of the full list for territory admins.
  watch(
    () => [auth.me?.id, availableSites.value.length] as const,
    ([userId], previous) => {
      if (previous && previous[0] !== userId) {
        allSites.value = null;
        currentSiteId.value = null;
      }
      restore();
      if (userId && auth.isAdmin && !allSites.value) loadAllSites().catch(() => undefined);
    },
    { immediate: true },
  );

  return { currentSiteId, currentSite, availableSites, allSites, loadAllSites, upsertSite, select };
});
