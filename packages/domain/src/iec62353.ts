/**
 * Recurrent electrical-safety tests of IEC 62353 (tests after repair and periodic tests):
 * which measurements a device needs and their limits, from its electrical protection
 * class, the type of its applied parts and the leakage measurement method used.
 *
 * Sources (see docs/regulatory.md, "Electrical safety by device class"): IEC 62353:2014
 * 5.3.2 (protective earth) and Table 2 (allowable leakage values), as summarised by the
 * tester makers' manuals (Rigel 62353+ user manual, EBME's IEC 62353 guide). The insulation
 * minimums are the makers' usual values, not limits of the standard.
 */
import { IEC_62353_TEMPLATE } from './work-orders.js';

/** Protection against electric shock (IEC 60601-1): class I, class II, internally powered. */
export const ELECTRICAL_CLASSES = ['I', 'II', 'internal'] as const;
export type ElectricalClass = (typeof ELECTRICAL_CLASSES)[number];

/** Type of applied parts: none, B (body), BF (body floating), CF (cardiac floating). */
export const APPLIED_PART_TYPES = ['none', 'B', 'BF', 'CF'] as const;
export type AppliedPartType = (typeof APPLIED_PART_TYPES)[number];

/** Leakage current measurement methods of IEC 62353 (5.3.3). */
export const LEAKAGE_METHODS = ['direct', 'differential', 'alternative'] as const;
export type LeakageMethod = (typeof LEAKAGE_METHODS)[number];

/** Where a limit comes from: the standard, or the testers' makers' usual practice. */
export const LIMIT_BASES = ['standard', 'practice'] as const;
export type LimitBasis = (typeof LIMIT_BASES)[number];

export interface ElectricalProfile {
  electricalClass: ElectricalClass;
  appliedPartType: AppliedPartType;
}

/** One measurement of the test, with its limit in the unit the checklist records. */
export interface Iec62353Measurement {
  key: Iec62353MeasurementKey;
  label: string;
  unit: 'Ω' | 'MΩ' | 'µA';
  min: number | null;
  max: number | null;
  mandatory: boolean;
  basis: LimitBasis;
  /** The leakage method the limit is for (null: not a leakage measurement). */
  method: LeakageMethod | null;
  /** Readings below this cannot be judged by this method (the differential method below 75 µA). */
  measurableFrom: number | null;
}

/** The measurement items this module owns in a checklist (by key). */
export const IEC_62353_MEASUREMENT_KEYS = [
  'protective_earth_resistance',
  'insulation_resistance',
  'insulation_resistance_applied_parts',
  'equipment_leakage_current',
  'applied_part_leakage_current',
] as const;
export type Iec62353MeasurementKey = (typeof IEC_62353_MEASUREMENT_KEYS)[number];

export function isIec62353MeasurementKey(key: string): key is Iec62353MeasurementKey {
  return (IEC_62353_MEASUREMENT_KEYS as readonly string[]).includes(key);
}

/** Protective earth resistance with the power cord (Ω); 0.2 Ω for the equipment and 0.1 Ω for a detachable cord measured apart. */
export const PROTECTIVE_EARTH_MAX_OHM = 0.3;
export const PROTECTIVE_EARTH_APART_OHM = { equipment: 0.2, cord: 0.1 } as const;

/** The differential method cannot measure leakage currents below this (µA). */
export const DIFFERENTIAL_METHOD_FLOOR_UA = 75;

/** Equipment leakage current (µA), IEC 62353 Table 2, for mains-powered equipment. */
export const EQUIPMENT_LEAKAGE_UA: Record<LeakageMethod, Record<'I' | 'II', number>> = {
  direct: { I: 500, II: 100 },
  differential: { I: 500, II: 100 },
  alternative: { I: 1000, II: 500 },
};

/** Applied-part leakage current (µA) of F-type applied parts, IEC 62353 Table 2 (direct and alternative methods). */
export const APPLIED_PART_LEAKAGE_UA: Record<'direct' | 'alternative', Record<'BF' | 'CF', number>> = {
  direct: { BF: 5000, CF: 50 },
  alternative: { BF: 5000, CF: 50 },
};

/** Insulation resistance at 500 V DC (MΩ): the makers' usual minimums, not the standard's. */
export const INSULATION_PRACTICE_MOHM = { classI: 2, classII: 7, appliedParts: 70 } as const;

/** A decimal number as French writes it (0,2). */
const fr = (n: number) => String(n).replace('.', ',');

const METHOD_FR: Record<LeakageMethod, string> = { direct: 'méthode directe', differential: 'méthode différentielle', alternative: 'méthode alternative' };

/**
 * The measurements of the recurrent test of a device of this class and applied-part type,
 * with their limits for this leakage method. Class I: protective earth, insulation,
 * equipment leakage. Class II: no protective earth. Internally powered: no mains
 * measurement at all. F-type applied parts (BF, CF): applied-part leakage (type B parts
 * are part of the equipment leakage) — measured by the direct or the alternative method
 * (the differential method does not apply to it: the direct method's limits are used).
 */
export function iec62353Measurements(profile: ElectricalProfile, method: LeakageMethod): Iec62353Measurement[] {
  const { electricalClass: cls, appliedPartType: ap } = profile;
  const out: Iec62353Measurement[] = [];
  const fType = ap === 'BF' || ap === 'CF';
  if (cls === 'I') {
    out.push({
      key: 'protective_earth_resistance',
      label: `Résistance du conducteur de protection (avec le cordon ; appareil ${fr(PROTECTIVE_EARTH_APART_OHM.equipment)} Ω + cordon ${fr(PROTECTIVE_EARTH_APART_OHM.cord)} Ω mesurés séparément)`,
      unit: 'Ω', min: null, max: PROTECTIVE_EARTH_MAX_OHM, mandatory: true, basis: 'standard', method: null, measurableFrom: null,
    });
  }
  if (cls !== 'internal') {
    const min = cls === 'I' ? INSULATION_PRACTICE_MOHM.classI : INSULATION_PRACTICE_MOHM.classII;
    out.push({
      key: 'insulation_resistance',
      label: `Résistance d'isolement secteur / boîtier à 500 V continu (valeur usuelle des fabricants, classe ${cls})`,
      unit: 'MΩ', min, max: null, mandatory: false, basis: 'practice', method: null, measurableFrom: null,
    });
    if (fType) {
      out.push({
        key: 'insulation_resistance_applied_parts',
        label: "Résistance d'isolement secteur / parties appliquées à 500 V continu (valeur usuelle des fabricants)",
        unit: 'MΩ', min: INSULATION_PRACTICE_MOHM.appliedParts, max: null, mandatory: false, basis: 'practice', method: null, measurableFrom: null,
      });
    }
    const floor = method === 'differential' ? DIFFERENTIAL_METHOD_FLOOR_UA : null;
    out.push({
      key: 'equipment_leakage_current',
      label: `Courant de fuite de l'appareil (classe ${cls}, ${METHOD_FR[method]}${floor ? ` ; non valable sous ${floor} µA` : ''})`,
      unit: 'µA', min: null, max: EQUIPMENT_LEAKAGE_UA[method][cls], mandatory: true, basis: 'standard', method, measurableFrom: floor,
    });
  }
  if (fType) {
    const apMethod = method === 'alternative' ? 'alternative' : 'direct';
    out.push({
      key: 'applied_part_leakage_current',
      label: `Courant de fuite des parties appliquées (type ${ap}, ${METHOD_FR[apMethod]})`,
      unit: 'µA', min: null, max: APPLIED_PART_LEAKAGE_UA[apMethod][ap], mandatory: true, basis: 'standard', method: apMethod, measurableFrom: null,
    });
  }
  return out;
}

/** Whether a reading can be judged against the item's limits (false: below what the method can measure). */
export function measurementJudgeable(value: number, measurableFrom: number | null | undefined): boolean {
  return measurableFrom === null || measurableFrom === undefined || value >= measurableFrom;
}

/**
 * The limits of a measurement in a territory's template. The template's limits were
 * written for one class and method: where the territory left a limit at the built-in
 * template's value (`builtIn`), the device gets the standard's limit for its class and
 * method (or the makers' practice value); where the territory changed it, the device gets
 * the territory's value if it is stricter than the standard's (a territory may tighten a
 * limit, never loosen it), and the territory's value as it is for a practice value.
 */
export function effectiveLimits(
  m: Pick<Iec62353Measurement, 'min' | 'max' | 'basis'>,
  territory: { min: number | null; max: number | null } | undefined,
  builtIn: { min: number | null; max: number | null } | undefined,
): { min: number | null; max: number | null } {
  if (!territory) return { min: m.min, max: m.max };
  const changed = (b: 'min' | 'max') => territory[b] !== null && territory[b] !== (builtIn?.[b] ?? null);
  if (m.basis === 'practice') {
    return { min: changed('min') ? territory.min : m.min, max: changed('max') ? territory.max : m.max };
  }
  const max = changed('max') && (m.max === null || territory.max! < m.max) ? territory.max : m.max;
  const min = changed('min') && (m.min === null || territory.min! > m.min) ? territory.min : m.min;
  return { min, max };
}

/** A template item as the territories store it (limits flattened). */
export interface FlatChecklistItem {
  key: string;
  label: string;
  kind: 'pass_fail' | 'text' | 'measurement';
  mandatory: boolean;
  unit: string | null;
  min: number | null;
  max: number | null;
}

export interface ElectricalChecklistItem extends FlatChecklistItem {
  method: LeakageMethod | null;
  measurableFrom: number | null;
  limitBasis: LimitBasis | null;
}

/** Whether a template is an electrical-safety test whose measurements this module sets (it holds one of its measurement keys). */
export function isElectricalSafetyTemplate(items: readonly { key: string }[]): boolean {
  return items.some((i) => isIec62353MeasurementKey(i.key));
}

/**
 * A template's items for one device: the measurements of IEC 62353 its class and
 * applied-part type need, with the standard's limits for the method (a territory's stricter
 * ones where it changed them: see effectiveLimits),
 * in the template's order; the measurements that do not apply are left
 * out, those the standard requires and the territory removed are added after them. The
 * template's other items (visual inspection, functional test, its own) are kept as written.
 */
export function electricalSafetyChecklist(
  template: readonly FlatChecklistItem[],
  profile: ElectricalProfile,
  method: LeakageMethod,
): ElectricalChecklistItem[] {
  const wanted = iec62353Measurements(profile, method);
  const builtIn = (key: string) => {
    const b = IEC_62353_TEMPLATE.find((t) => t.key === key);
    return b ? { min: b.limits?.min ?? null, max: b.limits?.max ?? null } : undefined;
  };
  const toItem = (m: Iec62353Measurement, own?: FlatChecklistItem): ElectricalChecklistItem => ({
    key: m.key, label: m.label, kind: 'measurement', mandatory: m.mandatory || (own?.mandatory ?? false), unit: m.unit,
    ...effectiveLimits(m, own && own.kind === 'measurement' && own.unit === m.unit ? own : undefined, builtIn(m.key)),
    method: m.method, measurableFrom: m.measurableFrom, limitBasis: m.basis,
  });
  const out: ElectricalChecklistItem[] = [];
  let lastMeasurement = -1;
  for (const item of template) {
    if (!isIec62353MeasurementKey(item.key)) {
      out.push({ ...item, method: null, measurableFrom: null, limitBasis: null });
      continue;
    }
    const m = wanted.find((w) => w.key === item.key);
    if (m) {
      out.push(toItem(m, item));
      lastMeasurement = out.length - 1;
    }
  }
  const missing = wanted.filter((w) => w.basis === 'standard' && !template.some((t) => t.key === w.key)).map((w) => toItem(w));
  out.splice(lastMeasurement + 1 || Math.min(1, out.length), 0, ...missing);
  return out;
}
