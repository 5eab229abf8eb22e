import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { EquipmentCategory } from '@gmao/contracts';
import { catalogApi } from '../api/endpoints.ts';
import { categoryTree } from '../lib/inventory.ts';
import { useAuthStore } from './auth.ts';

/** The territory's equipment nomenclature, loaded once per session for pickers and labels. */
export const useCatalogStore = defineStore('catalog', () => {
  const auth = useAuthStore();
  const categories = ref<EquipmentCategory[] | null>(null);
  let categoriesPromise: Promise<EquipmentCategory[]> | null = null;

  /** Depth-first, for indented pickers. */
  const categoryOptions = computed(() => categoryTree(categories.value ?? []));

  async function loadCategories(force = false): Promise<EquipmentCategory[]> {
    if (categories.value && !force) return categories.value;
    categoriesPromise ??= catalogApi.categories().then(
      (result) => {
        categories.value = result.items;
        categoriesPromise = null;
        return result.items;
      },
      (error: unknown) => {
        categoriesPromise = null;
        throw error;
      },
    );
    return categoriesPromise;
  }

  // Another user (maybe of another territory) signs in: forget the previous nomenclature.
  watch(
    () => auth.me?.id,
    () => {
      categories.value = null;
    },
  );

  return { categories, categoryOptions, loadCategories };
});
