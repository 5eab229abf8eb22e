import type { Kysely } from 'kysely';
import { findChecklistTemplate, type ChecklistItemValues, type DB } from '@gmao/db';
import {
  APPLIED_PART_TYPES, ELECTRICAL_CLASSES, electricalSafetyChecklist, isElectricalSafetyTemplate,
  type AppliedPartType, type ElectricalClass, type LeakageMethod,
} from '@gmao/domain';
import { badRequest, unprocessable } from '../../lib/problem.js';
import { deviceElectricalProfile } from './checklist.repository.js';

/** The device the checklist is for and the leakage measurement method used (for an electrical-safety template). */
export interface ChecklistDevice {
  territoryId: string;
  equipmentId: string;
  method: LeakageMethod;
}

/**
 * A template's items, ready to be copied into a work order's checklist; 400 naming `path`
 * when the territory has no such template. An electrical-safety template (one holding the
 * measurements of IEC 62353) gets the items and limits of the device model's electrical
 * class and applied-part type for the method: 422 `electrical_class_unknown` while the
 * model does not say them (never the limits of another class).
 */
export async function templateChecklistItems(db: Kysely<DB>, device: ChecklistDevice, code: string, path: string): Promise<ChecklistItemValues[]> {
  const template = await findChecklistTemplate(db, device.territoryId, code);
  if (!template) throw badRequest('Modèle de points de contrôle inconnu.', [{ path, message: `modèle inconnu : ${code}` }]);
  if (!isElectricalSafetyTemplate(template.items)) {
    return template.items.map((t) => ({
      key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit, minValue: t.min, maxValue: t.max, templateCode: template.code,
    }));
  }
  const profile = await deviceElectricalProfile(db, device.territoryId, device.equipmentId);
  const cls = profile?.electricalClass ?? null;
  const ap = profile?.appliedPartType ?? null;
  if (!profile?.modelId || !isElectricalClass(cls) || !isAppliedPartType(ap)) {
    const model = profile?.modelId ? `du modèle ${profile.manufacturer} ${profile.modelName} ` : "de l'équipement (sans modèle) ";
    throw unprocessable(
      `La classe électrique ou le type de parties appliquées ${model}n'est pas renseigné : renseignez-les sur le modèle avant l'essai de sécurité électrique, dont les limites en dépendent (IEC 62353).`,
      'electrical_class_unknown',
      [{ path, message: 'classe électrique et type de parties appliquées du modèle à renseigner' }],
    );
  }
  return electricalSafetyChecklist(template.items, { electricalClass: cls, appliedPartType: ap }, device.method).map((t) => ({
    key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit, minValue: t.min, maxValue: t.max, templateCode: template.code,
    measurementMethod: t.method, measurableFrom: t.measurableFrom, limitBasis: t.limitBasis,
  }));
}

function isElectricalClass(v: string | null): v is ElectricalClass {
  return (ELECTRICAL_CLASSES as readonly (string | null)[]).includes(v);
}
function isAppliedPartType(v: string | null): v is AppliedPartType {
  return (APPLIED_PART_TYPES as readonly (string | null)[]).includes(v);
}
