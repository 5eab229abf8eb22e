import { nextTick, onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { useErrorMessage } from './use-form-errors.ts';

/** One page of a keyset-paged API list. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A keyset-paged list shown page after page (infinite scroll): `reload()` from the first page,
 * `loadMore()` for the next one, also asked for when the `sentinel` element (bound with
 * ref="sentinel" below the list) comes near the screen (without it, a "show more" button calls
 * loadMore()); `retry()` after an error. The answer to a request that a newer one superseded is
 * dropped.
 */
export function useKeysetList<T extends { id: string }>(fetchPage: (cursor: string | null) => Promise<KeysetPage<T>>) {
  const errorMessage = useErrorMessage();
  const items = ref([]) as Ref<T[]>;
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  /** A first page has arrived (an empty list is then really empty). */
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const sentinel = ref<HTMLElement | null>(null);
  let requestSeq = 0;
  let observer: IntersectionObserver | null = null;

  async function load(append: boolean): Promise<void> {
    const seq = ++requestSeq;
    loading.value = true;
    error.value = null;
    try {
      const page = await fetchPage(append ? nextCursor.value : null);
      if (seq !== requestSeq) return;
      if (append) {
        // A row that moved between two pages meanwhile is shown once.
        const shown = new Set(items.value.map((i) => i.id));
        items.value = [...items.value, ...page.items.filter((i) => !shown.has(i.id))];
      } else {
        items.value = page.items;
      }
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch (e) {
      if (seq === requestSeq) error.value = errorMessage(e);
    } finally {
      if (seq === requestSeq) loading.value = false;
    }
    if (seq === requestSeq) rearmObserver();
  }

  /** Re-observing makes the observer report the sentinel again if it is still on screen. */
  function rearmObserver(): void {
    if (!observer || !sentinel.value) return;
    const target = sentinel.value;
    void nextTick(() => {
      observer?.unobserve(target);
      observer?.observe(target);
    });
  }

  /** The list from its first page (what was shown is dropped at once). */
  function reload(): void {
    items.value = [];
    nextCursor.value = null;
    loaded.value = false;
    void load(false);
  }

  /** The list from its first page, what is shown staying until the answer replaces it. */
  function refresh(): void {
    void load(false);
  }

  function loadMore(): void {
    if (nextCursor.value && !loading.value && !error.value) void load(true);
  }

  /** Asks again for what failed: the next page, or the first one. */
  function retry(): void {
    void load(items.value.length > 0 && nextCursor.value !== null);
  }

  onMounted(() => {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    }, { rootMargin: '400px 0px' });
    if (sentinel.value) observer.observe(sentinel.value);
  });
  onBeforeUnmount(() => observer?.disconnect());

  return { items, nextCursor, loading, loaded, error, sentinel, reload, refresh, loadMore, retry };
}
