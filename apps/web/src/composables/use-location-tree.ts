import { ref, watch, type Ref } from 'vue';
import type { Location } from '@gmao/contracts';
import { locationsApi } from '../api/endpoints.ts';
import { useErrorMessage } from './use-form-errors.ts';

/** The location tree of a site (flat, depth-first), reloaded whenever the site changes. */
export function useLocationTree(siteId: Ref<string>) {
  const errorMessage = useErrorMessage();
  const items = ref<Location[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    const id = siteId.value;
    items.value = [];
    error.value = null;
    if (!id) return;
    loading.value = true;
    try {
      const tree = await locationsApi.tree(id);
      if (id === siteId.value) items.value = tree.items;
    } catch (e) {
      if (id === siteId.value) error.value = errorMessage(e);
    } finally {
      if (id === siteId.value) loading.value = false;
    }
  }

  watch(siteId, () => void load(), { immediate: true });
  return { items, loading, error, reload: load };
}
