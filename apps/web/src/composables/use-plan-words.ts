import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { MaintenancePlan } from '@gmao/contracts';
import type { PmUnit } from '@gmao/domain';
import { catalogApi, equipmentApi } from '../api/endpoints.ts';
import { planTargetKind } from '../lib/pm-plans.ts';
import { useCatalogStore } from '../stores/catalog.ts';

type Target = Pick<MaintenancePlan, 'equipmentId' | 'modelId' | 'categoryId'>;

/**
 * Plans in words: the interval (« Tous les 6 mois », « Toutes les 500 heures ») and what a plan
 * applies to, its model, category or device named through the catalogue's and inventory's
 * endpoints (`describe()` fetches the names not known yet; `target()` reads them).
 */
export function usePlanWords() {
  const { t } = useI18n();
  const catalog = useCatalogStore();
  const names = ref(new Map<string, string>());

  function period(p: { every: number; unit: PmUnit }): string {
    return t(`pmPlans.every.${p.unit}`, { n: p.every }, p.every);
  }

  function targetName(p: Target): string | null {
    const id = p.equipmentId ?? p.modelId ?? p.categoryId;
    if (!id) return null;
    if (p.categoryId) {
      const c = catalog.categories?.find((x) => x.id === p.categoryId);
      if (c) return `${c.code} — ${c.label}`;
    }
    return names.value.get(id) ?? null;
  }

  /** « Modèle : Dräger Evita V500 », or « … » while its name is fetched. */
  function target(p: Target): string {
    return t(`pmPlans.appliesTo.${planTargetKind(p)}`, { name: targetName(p) ?? '…' });
  }

  /** Fetches the names of the plans' models, devices and categories not known yet (a failed one reads « introuvable »). */
  async function describe(plans: readonly Target[]): Promise<void> {
    if (plans.some((p) => p.categoryId)) await catalog.loadCategories().catch(() => undefined);
    const map = new Map(names.value);
    const models = [...new Set(plans.flatMap((p) => (p.modelId && !map.has(p.modelId) ? [p.modelId] : [])))];
    const devices = [...new Set(plans.flatMap((p) => (p.equipmentId && !map.has(p.equipmentId) ? [p.equipmentId] : [])))];
    await Promise.all([
      ...models.map((id) =>
        catalogApi.model(id).then((m) => map.set(id, `${m.manufacturer} ${m.modelName}`), () => map.set(id, t('pmPlans.unknownTarget'))),
      ),
      ...devices.map((id) =>
        equipmentApi.get(id).then((e) => map.set(id, e.inventoryNumber), () => map.set(id, t('pmPlans.unknownTarget'))),
      ),
    ]);
    names.value = map;
  }

  return { period, target, targetName, describe };
}
