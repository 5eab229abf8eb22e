import { describe, expect, it } from 'vitest';
import {
  EQUIPMENT_STATUSES, allowedStatusTransitions, canTransition, emScore, missingLegalFields, requiresLegalFields,
} from './equipment.js';

describe('equipment status transitions', () => {
  const legal: [string, string][] = [
    ['in_stock', 'in_service'], ['in_stock', 'on_loan'],
    ['in_service', 'out_of_service'], ['in_service', 'under_maintenance'], ['in_service', 'on_loan'], ['in_service', 'in_stock'],
    ['out_of_service', 'under_maintenance'], ['out_of_service', 'in_service'], ['out_of_service', 'in_stock'],
    ['under_maintenance', 'in_service'], ['under_maintenance', 'out_of_service'], ['under_maintenance', 'in_stock'],
    ['on_loan', 'in_service'], ['on_loan', 'in_stock'],
  ];
  for (const from of EQUIPMENT_STATUSES) {
    for (const to of EQUIPMENT_STATUSES) {
      const expected = legal.some(([f, t]) => f === from && t === to);
      it(`${from} → ${to} is ${expected ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(expected);
      });
    }
  }
  it('decommissioned is terminal and never reached by a plain transition', () => {
    expect(allowedStatusTransitions('decommissioned')).toEqual([]);
    for (const from of EQUIPMENT_STATUSES) expect(canTransition(from, 'decommissioned')).toBe(false);
  });
});

describe('legal inventory fields (R.5212-28)', () => {
  const complete = { modelId: 'm', supplier: 'Biomed SA', serialNumber: 'SN1', locationId: 'l', commissioningDate: '2024-01-02' };
  it('nothing missing on a complete device', () => {
    expect(missingLegalFields(complete)).toEqual([]);
  });
  it('lists each missing or blank field', () => {
    expect(missingLegalFields({ ...complete, supplier: '  ', serialNumber: null, commissioningDate: null })).toEqual([
      'supplier', 'serialNumber', 'commissioningDate',
    ]);
  });
  it('applies to devices in use, not in stock or decommissioned', () => {
    expect(requiresLegalFields('in_service')).toBe(true);
    expect(requiresLegalFields('under_maintenance')).toBe(true);
    expect(requiresLegalFields('in_stock')).toBe(false);
    expect(requiresLegalFields('decommissioned')).toBe(false);
  });
});

describe('Fennigkoh–Smith EM score', () => {
  const ventilator = { function: 10, physicalRisk: 5, maintenance: 5 };
  const none = { function: null, physicalRisk: null, maintenance: null, incidentHistory: null };

  it('sums the category defaults with a neutral incident history', () => {
    const s = emScore(ventilator, none)!;
    expect(s.total).toBe(20);
    expect(s.inPlannedMaintenance).toBe(true);
    expect(s.parts).toEqual([
      { name: 'function', value: 10, source: 'category' },
      { name: 'physicalRisk', value: 5, source: 'category' },
      { name: 'maintenance', value: 5, source: 'category' },
      { name: 'incidentHistory', value: 0, source: 'default' },
    ]);
  });

  it('device overrides win, and the threshold is 12 inclusive', () => {
    const bed = { function: 5, physicalRisk: 3, maintenance: 2 };
    expect(emScore(bed, none)!).toMatchObject({ total: 10, inPlannedMaintenance: false });
    const s = emScore(bed, { ...none, maintenance: 3, incidentHistory: 1 })!;
    expect(s).toMatchObject({ total: 12, inPlannedMaintenance: true });
    expect(s.parts.find((p) => p.name === 'maintenance')).toEqual({ name: 'maintenance', value: 3, source: 'device' });
    expect(emScore(bed, { ...none, incidentHistory: -2 })!.total).toBe(8);
  });

  it('is unknown without a category unless the device gives every part', () => {
    expect(emScore(null, none)).toBeNull();
    expect(emScore(null, { function: 2, physicalRisk: 1, maintenance: 1, incidentHistory: null })!.total).toBe(4);
  });

  it('refuses out-of-range parts', () => {
    expect(() => emScore(ventilator, { ...none, incidentHistory: 3 })).toThrow(RangeError);
    expect(() => emScore({ function: 11, physicalRisk: 1, maintenance: 1 }, none)).toThrow(RangeError);
  });
});
