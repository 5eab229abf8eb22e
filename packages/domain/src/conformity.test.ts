import { describe, expect, it } from 'vitest';
import { decideVerdict, externalQualityControlProblems, operationDay, verdictRequired, VERDICT_REQUIRED_TYPES, type VerdictInput } from './conformity.js';
import { WORK_ORDER_TYPES } from './work-orders.js';

const base: VerdictInput = {
  type: 'preventive', conformity: 'conforming', note: null, failedMeasurements: [], overrideReason: null, byEngineer: false, backInService: null,
};
const decide = (v: Partial<VerdictInput>) => decideVerdict({ ...base, ...v });
const code = (v: Partial<VerdictInput>) => {
  const d = decide(v);
  return d.ok ? null : d.code;
};

describe('the verdict rule (R.5212-28: the result regarding conformity)', () => {
  it('requires a verdict for maintenance, quality control, electrical safety and commissioning', () => {
    expect([...VERDICT_REQUIRED_TYPES].sort()).toEqual(['commissioning', 'electrical_safety', 'preventive', 'quality_control']);
    for (const type of VERDICT_REQUIRED_TYPES) {
      expect(code({ type, conformity: null }), type).toBe('verdict_required');
      expect(decide({ type, conformity: 'conforming' }), type).toEqual({ ok: true, conformity: 'conforming', overridden: false });
    }
  });

  it('lets the other types be completed without a verdict, shown not evaluated', () => {
    for (const type of WORK_ORDER_TYPES.filter((t) => !verdictRequired(t))) {
      expect(decide({ type, conformity: null }), type).toEqual({ ok: true, conformity: 'not_evaluated', overridden: false });
    }
  });

  it('requires a verdict on any type when a measurement failed', () => {
    const d = decide({ type: 'corrective', conformity: null, failedMeasurements: ['Courant de fuite'] });
    expect(d).toMatchObject({ ok: false, code: 'verdict_required', problems: [{ path: 'body.conformity' }] });
    expect(!d.ok && d.message).toContain('Courant de fuite');
  });

  it('requires the reservation or the non-conformity described', () => {
    expect(code({ conformity: 'conforming_with_reservations', note: '  ' })).toBe('verdict_note_required');
    expect(code({ conformity: 'non_conforming', note: null })).toBe('verdict_note_required');
    expect(decide({ conformity: 'conforming_with_reservations', note: 'Étiquette illisible' })).toEqual({ ok: true, conformity: 'conforming_with_reservations', overridden: false });
    expect(decide({ conformity: 'non_conforming', note: 'Fuite hors limites' })).toEqual({ ok: true, conformity: 'non_conforming', overridden: false });
  });

  it('makes a failed measurement give at best non conforming', () => {
    const failed = ['Résistance du conducteur de protection'];
    expect(code({ conformity: 'conforming', failedMeasurements: failed })).toBe('verdict_contradicts_measurement');
    expect(code({ conformity: 'conforming_with_reservations', note: 'x', failedMeasurements: failed })).toBe('verdict_contradicts_measurement');
    expect(decide({ conformity: 'non_conforming', note: 'Terre coupée', failedMeasurements: failed })).toMatchObject({ ok: true, conformity: 'non_conforming' });
  });

  it('lets only an engineer override a failed measurement, and only with a reason', () => {
    const failed = ['Courant de fuite'];
    expect(code({ conformity: 'conforming', failedMeasurements: failed, overrideReason: 'Appareil de mesure défaillant', byEngineer: false })).toBe('verdict_contradicts_measurement');
    const noReason = decide({ conformity: 'conforming', failedMeasurements: failed, overrideReason: ' ', byEngineer: true });
    expect(noReason).toMatchObject({ ok: false, code: 'verdict_contradicts_measurement', problems: [{ path: 'body.conformityOverrideReason' }] });
    expect(decide({ conformity: 'conforming', failedMeasurements: failed, overrideReason: 'Mesure refaite avec un autre analyseur : 80 µA', byEngineer: true }))
      .toEqual({ ok: true, conformity: 'conforming', overridden: true });
  });

  it('refuses an override reason where nothing is overridden', () => {
    expect(code({ conformity: 'conforming', overrideReason: 'pour voir', byEngineer: true })).toBe('verdict_override_unneeded');
    expect(code({ type: 'corrective', conformity: null, overrideReason: 'pour voir' })).toBe('verdict_override_unneeded');
  });

  it('never puts a non-conforming device back in service', () => {
    expect(code({ conformity: 'non_conforming', note: 'HS', backInService: true })).toBe('non_conforming_back_in_service');
    expect(decide({ conformity: 'non_conforming', note: 'HS', backInService: false })).toMatchObject({ ok: true });
    expect(decide({ conformity: 'conforming', backInService: true })).toMatchObject({ ok: true });
  });
});

describe('external quality control (CQE) before completion', () => {
  it('asks nothing of an internal quality control or another type', () => {
    expect(externalQualityControlProblems('internal', [])).toEqual([]);
    expect(externalQualityControlProblems(null, [])).toEqual([]);
  });
  it('requires the accredited body, then its report', () => {
    expect(externalQualityControlProblems('external', [])).toMatchObject([{ path: 'external' }]);
    expect(externalQualityControlProblems('external', [{ accreditationReference: ' ', reportAttachmentId: 'a' }])).toMatchObject([{ path: 'external' }]);
    expect(externalQualityControlProblems('external', [{ accreditationReference: 'COFRAC 1-2345', reportAttachmentId: null }])).toMatchObject([{ path: 'external.report' }]);
    expect(externalQualityControlProblems('external', [{ accreditationReference: 'COFRAC 1-2345', reportAttachmentId: 'a' }])).toEqual([]);
  });
});

describe('the day an operation was carried out', () => {
  it('is the first day of its work, not the completion', () => {
    expect(operationDay(['2026-11-20', '2026-11-18', null], '2026-11-25')).toBe('2026-11-18');
    expect(operationDay(['2026-11-22'], '2026-11-25')).toBe('2026-11-22');
    // A vendor's intervention three days before, the report written on the day of completion.
    expect(operationDay(['2026-11-25', '2026-11-22'], '2026-11-25')).toBe('2026-11-22');
  });
  it('falls back to the completion day when no work is dated', () => {
    expect(operationDay([], '2026-11-25')).toBe('2026-11-25');
    expect(operationDay([null], '2026-11-25')).toBe('2026-11-25');
  });
});
