import { computed, onBeforeUnmount, onMounted, reactive, watch } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';
import { useSiteStore } from '../stores/site.ts';

/** A copy whose arrays (e.g. several statuses) are not shared with the original. */
function copyOf<F extends object>(filters: F): F {
  return Object.fromEntries(Object.entries(filters).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value])) as F;
}

/**
 * The filters of a list of one site (or of every site) kept in the URL, so that a view can be
 * shared and the back button works. The URL is the source of truth (`applied`); `draft` is
 * what the filter controls edit: every control applies at once, the search text (`q`) after
 * a pause or with `searchNow()`. A bare URL names the current site; switching the current
 * site in the header shows that site. `onChange` is called on mounting and whenever the
 * URL's filters change: show that list, from its first page.
 */
export function useQueryFilters<F extends { siteId: string; q: string }>(options: {
  /** The list's route: a query of another route (while leaving) is not its filters. */
  routeName: string;
  /** Reads the filters from the URL (no site: the current one). */
  fromQuery: (query: LocationQuery, currentSiteId: string | null) => F;
  /** The URL query of the filters; it always names the site. */
  toQuery: (filters: F) => LocationQueryRaw;
  onChange: () => void;
}) {
  const route = useRoute();
  const router = useRouter();
  const siteStore = useSiteStore();

  const applied = computed(() => options.fromQuery(route.query, siteStore.currentSiteId));
  const draft = reactive(copyOf(applied.value)) as F;
  let searchTimer: ReturnType<typeof setTimeout> | null = null;

  /** Whether two sets of filters show the same list. */
  const same = (a: F, b: F) => JSON.stringify(options.toQuery(a)) === JSON.stringify(options.toQuery(b));

  /** Puts the draft in the URL (replacing the entry: filters are not navigation steps). */
  function apply(): void {
    if (same(draft, applied.value) && route.query.siteId) return;
    void router.replace({ query: options.toQuery(draft) });
  }

  /** Applies the search text now, without waiting for the pause. */
  function searchNow(): void {
    if (searchTimer) clearTimeout(searchTimer);
    apply();
  }

  // The URL changed (a filter, the back button, a shared link): show that list.
  watch(
    () => route.query,
    () => {
      if (route.name !== options.routeName) return;
      const next = applied.value;
      if (!same(next, draft)) Object.assign(draft, copyOf(next));
      options.onChange();
    },
  );

  // Every control but the search box applies at once; the search text waits for a pause.
  watch(
    () => JSON.stringify({ ...draft, q: '' }),
    () => apply(),
  );
  watch(
    () => draft.q,
    () => {
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(apply, 300);
    },
  );

  watch(
    () => siteStore.currentSiteId,
    (siteId) => {
      if (siteId) (draft as { siteId: string }).siteId = siteId;
    },
  );

  onMounted(() => {
    // A bare URL shows the current site: say so in the URL, so that it can be shared.
    if (!route.query.siteId) void router.replace({ query: options.toQuery(draft) });
    else options.onChange();
  });
  onBeforeUnmount(() => {
    if (searchTimer) clearTimeout(searchTimer);
  });

  return { applied, draft, apply, searchNow };
}
