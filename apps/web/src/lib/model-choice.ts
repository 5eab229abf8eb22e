import type { Equipment, EquipmentModel } from '@gmao/contracts';

/** A model as the device form shows it: from the model list, or from the device itself. */
export interface ModelChoice {
  id: string;
  manufacturer: string;
  modelName: string;
  categoryLabel: string | null;
  riskClass: EquipmentModel['riskClass'];
  /** Known when chosen from the model list (the device's own summary does not carry them). */
  electricalClass?: EquipmentModel['electricalClass'];
  appliedPartType?: EquipmentModel['appliedPartType'];
}

export function choiceFromModel(m: EquipmentModel): ModelChoice {
  return {
    id: m.id, manufacturer: m.manufacturer, modelName: m.modelName, categoryLabel: m.categoryLabel, riskClass: m.riskClass,
    electricalClass: m.electricalClass, appliedPartType: m.appliedPartType,
  };
}

export function choiceFromEquipment(e: Equipment): ModelChoice | null {
  return e.model ? { ...e.model, categoryLabel: e.category?.label ?? null } : null;
}
