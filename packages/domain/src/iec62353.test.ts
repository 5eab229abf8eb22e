import { describe, expect, it } from 'vitest';
import {
  APPLIED_PART_TYPES, ELECTRICAL_CLASSES, LEAKAGE_METHODS, electricalSafetyChecklist, iec62353Measurements, measurementJudgeable,
  type AppliedPartType, type ElectricalClass, type LeakageMethod,
} from './iec62353.js';
import { IEC_62353_TEMPLATE, evaluateMeasurement } from './work-orders.js';

/**
 * The source's values (IEC 62353:2014 Table 2 and 5.3.2 as summarised by the tester
 * makers' manuals; insulation: the makers' usual minimums), written out per combination
 * rather than computed, so that a wrong table in the module fails here.
 * Leakage in µA, earth in Ω, insulation in MΩ; null: no such measurement.
 */
const EXPECTED: Record<ElectricalClass, Record<AppliedPartType, Record<LeakageMethod, {
  earth: number | null; insulation: number | null; insulationAp: number | null; equipment: number | null; appliedPart: number | null;
}>>> = {
  I: {
    none: {
      direct: { earth: 0.3, insulation: 2, insulationAp: null, equipment: 500, appliedPart: null },
      differential: { earth: 0.3, insulation: 2, insulationAp: null, equipment: 500, appliedPart: null },
      alternative: { earth: 0.3, insulation: 2, insulationAp: null, equipment: 1000, appliedPart: null },
    },
    B: {
      direct: { earth: 0.3, insulation: 2, insulationAp: null, equipment: 500, appliedPart: null },
      differential: { earth: 0.3, insulation: 2, insulationAp: null, equipment: 500, appliedPart: null },
      alternative: { earth: 0.3, insulation: 2, insulationAp: null, equipment: 1000, appliedPart: null },
    },
    BF: {
      direct: { earth: 0.3, insulation: 2, insulationAp: 70, equipment: 500, appliedPart: 5000 },
      differential: { earth: 0.3, insulation: 2, insulationAp: 70, equipment: 500, appliedPart: 5000 },
      alternative: { earth: 0.3, insulation: 2, insulationAp: 70, equipment: 1000, appliedPart: 5000 },
    },
    CF: {
      direct: { earth: 0.3, insulation: 2, insulationAp: 70, equipment: 500, appliedPart: 50 },
      differential: { earth: 0.3, insulation: 2, insulationAp: 70, equipment: 500, appliedPart: 50 },
      alternative: { earth: 0.3, insulation: 2, insulationAp: 70, equipment: 1000, appliedPart: 50 },
    },
  },
  II: {
    none: {
      direct: { earth: null, insulation: 7, insulationAp: null, equipment: 100, appliedPart: null },
      differential: { earth: null, insulation: 7, insulationAp: null, equipment: 100, appliedPart: null },
      alternative: { earth: null, insulation: 7, insulationAp: null, equipment: 500, appliedPart: null },
    },
    B: {
      direct: { earth: null, insulation: 7, insulationAp: null, equipment: 100, appliedPart: null },
      differential: { earth: null, insulation: 7, insulationAp: null, equipment: 100, appliedPart: null },
      alternative: { earth: null, insulation: 7, insulationAp: null, equipment: 500, appliedPart: null },
    },
    BF: {
      direct: { earth: null, insulation: 7, insulationAp: 70, equipment: 100, appliedPart: 5000 },
      differential: { earth: null, insulation: 7, insulationAp: 70, equipment: 100, appliedPart: 5000 },
      alternative: { earth: null, insulation: 7, insulationAp: 70, equipment: 500, appliedPart: 5000 },
    },
    CF: {
      direct: { earth: null, insulation: 7, insulationAp: 70, equipment: 100, appliedPart: 50 },
      differential: { earth: null, insulation: 7, insulationAp: 70, equipment: 100, appliedPart: 50 },
      alternative: { earth: null, insulation: 7, insulationAp: 70, equipment: 500, appliedPart: 50 },
    },
  },
  internal: {
    none: {
      direct: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: null },
      differential: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: null },
      alternative: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: null },
    },
    B: {
      direct: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: null },
      differential: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: null },
      alternative: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: null },
    },
    BF: {
      direct: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: 5000 },
      differential: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: 5000 },
      alternative: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: 5000 },
    },
    CF: {
      direct: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: 50 },
      differential: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: 50 },
      alternative: { earth: null, insulation: null, insulationAp: null, equipment: null, appliedPart: 50 },
    },
  },
};

describe('IEC 62353 measurements per class, applied-part type and method', () => {
  for (const cls of ELECTRICAL_CLASSES) {
    for (const ap of APPLIED_PART_TYPES) {
      for (const method of LEAKAGE_METHODS) {
        it(`class ${cls}, type ${ap}, ${method} method: the source's limits`, () => {
          const ms = iec62353Measurements({ electricalClass: cls, appliedPartType: ap }, method);
          const limit = (key: string, bound: 'min' | 'max') => {
            const m = ms.find((x) => x.key === key);
            return m ? m[bound] : null;
          };
          const e = EXPECTED[cls][ap][method];
          expect({
            earth: limit('protective_earth_resistance', 'max'),
            insulation: limit('insulation_resistance', 'min'),
            insulationAp: limit('insulation_resistance_applied_parts', 'min'),
            equipment: limit('equipment_leakage_current', 'max'),
            appliedPart: limit('applied_part_leakage_current', 'max'),
          }).toEqual(e);
        });
      }
    }
  }

  it('the standard sets the earth and leakage limits; the insulation minimums are the makers\' practice', () => {
    const ms = iec62353Measurements({ electricalClass: 'I', appliedPartType: 'CF' }, 'direct');
    expect(Object.fromEntries(ms.map((m) => [m.key, m.basis]))).toEqual({
      protective_earth_resistance: 'standard', insulation_resistance: 'practice', insulation_resistance_applied_parts: 'practice',
      equipment_leakage_current: 'standard', applied_part_leakage_current: 'standard',
    });
    expect(ms.find((m) => m.key === 'insulation_resistance')?.label).toMatch(/500 V continu.*usuelle des fabricants/);
    expect(ms.find((m) => m.key === 'protective_earth_resistance')?.label).toContain('appareil 0,2 Ω + cordon 0,1 Ω');
  });

  it('the differential method cannot judge an equipment leakage below 75 µA', () => {
    const diff = iec62353Measurements({ electricalClass: 'II', appliedPartType: 'BF' }, 'differential');
    const leak = diff.find((m) => m.key === 'equipment_leakage_current')!;
    expect(leak.measurableFrom).toBe(75);
    expect(leak.label).toContain('non valable sous 75 µA');
    expect(measurementJudgeable(74.9, leak.measurableFrom)).toBe(false);
    expect(measurementJudgeable(75, leak.measurableFrom)).toBe(true);
    // The applied-part leakage is not measured by the differential method: the direct one's limits, no floor.
    const ap = diff.find((m) => m.key === 'applied_part_leakage_current')!;
    expect([ap.method, ap.measurableFrom]).toEqual(['direct', null]);
    for (const method of ['direct', 'alternative'] as const) {
      const m = iec62353Measurements({ electricalClass: 'I', appliedPartType: 'BF' }, method).find((x) => x.key === 'equipment_leakage_current')!;
      expect(m.measurableFrom).toBeNull();
      expect(measurementJudgeable(10, m.measurableFrom)).toBe(true);
    }
  });
});

describe('the electrical-safety checklist of a device', () => {
  const template = IEC_62353_TEMPLATE.map((i) => ({
    key: i.key, label: i.label, kind: i.kind, mandatory: i.mandatory, unit: i.unit ?? null, min: i.limits?.min ?? null, max: i.limits?.max ?? null,
  }));

  it('a CF device is never tested with BF limits: 100 µA applied-part leakage fails, whatever the method or the template says', () => {
    for (const method of LEAKAGE_METHODS) {
      for (const cls of ELECTRICAL_CLASSES) {
        const items = electricalSafetyChecklist(template, { electricalClass: cls, appliedPartType: 'CF' }, method);
        const ap = items.find((i) => i.key === 'applied_part_leakage_current')!;
        expect(ap.max).toBe(50);
        expect(ap.label).toContain('type CF');
        expect(evaluateMeasurement(100, ap)).toBe('fail');
        expect(evaluateMeasurement(50, ap)).toBe('pass');
      }
    }
    // A territory's template written with 5 mA (BF) for its applied-part item changes nothing.
    const loosened = template.map((i) => (i.key === 'applied_part_leakage_current' ? { ...i, max: 5000 } : i));
    const ap = electricalSafetyChecklist(loosened, { electricalClass: 'I', appliedPartType: 'CF' }, 'direct').find((i) => i.key === 'applied_part_leakage_current')!;
    expect(ap.max).toBe(50);
  });

  it('a class II device has no protective-earth item; an internally powered one no mains measurement', () => {
    const ii = electricalSafetyChecklist(template, { electricalClass: 'II', appliedPartType: 'BF' }, 'direct').map((i) => i.key);
    expect(ii).toEqual(['visual_inspection', 'insulation_resistance', 'insulation_resistance_applied_parts', 'equipment_leakage_current', 'applied_part_leakage_current', 'functional_test']);
    const internal = electricalSafetyChecklist(template, { electricalClass: 'internal', appliedPartType: 'CF' }, 'direct').map((i) => i.key);
    expect(internal).toEqual(['visual_inspection', 'applied_part_leakage_current', 'functional_test']);
    const typeB = electricalSafetyChecklist(template, { electricalClass: 'I', appliedPartType: 'B' }, 'direct').map((i) => i.key);
    expect(typeB).not.toContain('applied_part_leakage_current');
  });

  it('a territory\'s tightened limit is kept, a loosened one is not, an unchanged one follows the class and method', () => {
    const tightened = template.map((i) => (i.key === 'protective_earth_resistance' ? { ...i, max: 0.2 } : i.key === 'applied_part_leakage_current' ? { ...i, max: 30 } : i));
    const cf = electricalSafetyChecklist(tightened, { electricalClass: 'I', appliedPartType: 'CF' }, 'alternative');
    expect(cf.find((i) => i.key === 'protective_earth_resistance')!.max).toBe(0.2);
    expect(cf.find((i) => i.key === 'applied_part_leakage_current')!.max).toBe(30);
    // Left at the built-in 500 µA (direct method): the alternative method's 1 mA.
    expect(cf.find((i) => i.key === 'equipment_leakage_current')!.max).toBe(1000);
    const bf = electricalSafetyChecklist(tightened, { electricalClass: 'I', appliedPartType: 'BF' }, 'direct');
    expect(bf.find((i) => i.key === 'applied_part_leakage_current')!.max).toBe(30);
    const loosened = template.map((i) => (i.key === 'protective_earth_resistance' ? { ...i, max: 1 } : i));
    expect(electricalSafetyChecklist(loosened, { electricalClass: 'I', appliedPartType: 'B' }, 'direct').find((i) => i.key === 'protective_earth_resistance')!.max).toBe(0.3);
  });

  it('keeps the territory\'s own items and labels and practice values, adds back a required measurement', () => {
    const custom = [
      { key: 'visual_inspection', label: 'Contrôle visuel maison', kind: 'pass_fail' as const, mandatory: true, unit: null, min: null, max: null },
      { key: 'insulation_resistance', label: 'Isolement', kind: 'measurement' as const, mandatory: false, unit: 'MΩ', min: 20, max: null },
      { key: 'battery', label: 'Batterie', kind: 'text' as const, mandatory: false, unit: null, min: null, max: null },
    ];
    const items = electricalSafetyChecklist(custom, { electricalClass: 'I', appliedPartType: 'BF' }, 'alternative');
    expect(items.map((i) => i.key)).toEqual([
      'visual_inspection', 'insulation_resistance', 'protective_earth_resistance', 'equipment_leakage_current', 'applied_part_leakage_current', 'battery',
    ]);
    expect(items[0]!.label).toBe('Contrôle visuel maison');
    expect(items[1]!.min).toBe(20);
    expect(items.find((i) => i.key === 'equipment_leakage_current')).toMatchObject({ max: 1000, method: 'alternative', limitBasis: 'standard' });
    // The built-in 2 MΩ (class I) left as it is: a class II device gets the makers' 7 MΩ.
    const unchanged = custom.map((i) => (i.key === 'insulation_resistance' ? { ...i, min: 2 } : i));
    expect(electricalSafetyChecklist(unchanged, { electricalClass: 'II', appliedPartType: 'none' }, 'direct').find((i) => i.key === 'insulation_resistance')!.min).toBe(7);
  });
});
