import { describe, expect, it } from 'vitest';
import { IVD_RISK_CLASSES, MDR_RISK_CLASSES, RISK_CLASSES, computeObligations, obligationMismatches } from './obligations.js';

const device = (riskClass: (typeof RISK_CLASSES)[number] | null, ionisingRadiation = false) =>
  computeObligations({ hasModel: true, riskClass, ionisingRadiation });

describe('risk classes', () => {
  it('holds the MDR classes I, IIa, IIb, III and the IVDR classes A to D', () => {
    expect(MDR_RISK_CLASSES).toEqual(['I', 'IIa', 'IIb', 'III']);
    expect(IVD_RISK_CLASSES).toEqual(['A', 'B', 'C', 'D']);
    expect(RISK_CLASSES).toEqual(['I', 'IIa', 'IIb', 'III', 'A', 'B', 'C', 'D']);
  });
});

describe('computeObligations (arrêté of 3 March 2003, CSP R.5212-26)', () => {
  it('puts classes IIb and III under the maintenance obligation, not I, IIa or the IVD classes', () => {
    expect(device('IIb')).toEqual({ maintenance: true, qualityControl: false, grounds: ['risk_class'] });
    expect(device('III').maintenance).toBe(true);
    for (const c of ['I', 'IIa', 'A', 'B', 'C', 'D'] as const) expect(device(c)).toEqual({ maintenance: false, qualityControl: false, grounds: [] });
  });

  it('puts devices emitting ionising radiation under both obligations, whatever their class', () => {
    expect(device('IIa', true)).toEqual({ maintenance: true, qualityControl: true, grounds: ['ionising_radiation'] });
    expect(device('IIb', true)).toEqual({ maintenance: true, qualityControl: true, grounds: ['ionising_radiation', 'risk_class'] });
    expect(device(null, true)).toEqual({ maintenance: true, qualityControl: true, grounds: ['ionising_radiation'] });
  });

  it('no longer puts ultrasound, MRI or dialysis under quality control (no ionising radiation)', () => {
    expect(device('IIa').qualityControl).toBe(false); // ultrasound scanner, MRI
    expect(device('IIb').qualityControl).toBe(false); // haemodialysis machine
  });

  it('cannot tell without a model, nor the maintenance obligation of a model of unknown class', () => {
    expect(computeObligations({ hasModel: false, riskClass: null, ionisingRadiation: false })).toEqual({ maintenance: null, qualityControl: null, grounds: [] });
    expect(device(null)).toEqual({ maintenance: null, qualityControl: false, grounds: [] });
  });
});

describe('obligationMismatches', () => {
  it('names the manual flags that disagree, in both directions', () => {
    const computed = device('IIa'); // no obligation
    expect(obligationMismatches({ maintenanceObligation: true, qualityControlObligation: true }, computed)).toEqual(['maintenance', 'qualityControl']);
    expect(obligationMismatches({ maintenanceObligation: false, qualityControlObligation: false }, device('IIb', true))).toEqual(['maintenance', 'qualityControl']);
    expect(obligationMismatches({ maintenanceObligation: true, qualityControlObligation: false }, device('III'))).toEqual([]);
  });

  it('never reports an obligation that cannot be told', () => {
    const unknown = computeObligations({ hasModel: false, riskClass: null, ionisingRadiation: false });
    expect(obligationMismatches({ maintenanceObligation: true, qualityControlObligation: true }, unknown)).toEqual([]);
    expect(obligationMismatches({ maintenanceObligation: true, qualityControlObligation: false }, device(null))).toEqual([]);
  });
});
