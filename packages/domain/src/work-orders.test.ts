import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_CHECKLIST_TEMPLATES, DONE_WORK_ORDER_STATES, FINAL_WORK_ORDER_STATES, IEC_62353_TEMPLATE, OPEN_WORK_ORDER_STATES, WORKABLE_WORK_ORDER_STATES,
  checklistTemplateProblems, WORK_ORDER_STATES, allowedWorkOrderTransitions, checkWorkOrderTransition, completionProblems, nextDueDate, nextDue, responseTimePassed, looksLikeWorkOrderNumber,
  evaluateMeasurement, type CompletionInput,
} from './work-orders.js';

describe('work-order state machine', () => {
  const legal: [string, string][] = [
    ['requested', 'assigned'], ['requested', 'cancelled'], ['assigned', 'in_progress'], ['assigned', 'cancelled'],
    ['in_progress', 'on_hold'], ['in_progress', 'completed'], ['on_hold', 'in_progress'], ['completed', 'closed'],
    ['completed', 'in_progress'],
  ];
  for (const from of WORK_ORDER_STATES) {
    for (const to of WORK_ORDER_STATES) {
      const expected = legal.some(([f, t]) => f === from && t === to);
      it(`${from} → ${to} is ${expected ? 'legal' : 'illegal'}`, () => {
        const r = checkWorkOrderTransition(from, to, { holdReason: 'waiting_parts', text: 'motif' });
        expect(r.ok).toBe(expected);
        if (!r.ok && !expected) expect(r).toEqual({ ok: false, kind: 'illegal', allowed: allowedWorkOrderTransitions(from) });
      });
    }
  }
  it('closed and cancelled are final', () => {
    expect(allowedWorkOrderTransitions('closed')).toEqual([]);
    expect(allowedWorkOrderTransitions('cancelled')).toEqual([]);
  });
  it('asks for the reasons it needs', () => {
    expect(checkWorkOrderTransition('in_progress', 'on_hold')).toMatchObject({ ok: false, kind: 'reason_required' });
    expect(checkWorkOrderTransition('in_progress', 'on_hold', { holdReason: 'other' })).toMatchObject({ ok: false, kind: 'reason_required' });
    expect(checkWorkOrderTransition('in_progress', 'on_hold', { holdReason: 'other', text: 'Clé du local' })).toEqual({ ok: true });
    expect(checkWorkOrderTransition('in_progress', 'on_hold', { holdReason: 'waiting_parts' })).toEqual({ ok: true });
    expect(checkWorkOrderTransition('assigned', 'cancelled', { text: '  ' })).toMatchObject({ ok: false, kind: 'reason_required' });
    expect(checkWorkOrderTransition('completed', 'in_progress')).toMatchObject({ ok: false, kind: 'reason_required' });
    expect(checkWorkOrderTransition('completed', 'in_progress', { text: 'Panne revenue' })).toEqual({ ok: true });
  });
});

describe('measurements', () => {
  it('passes inside inclusive limits and fails outside', () => {
    expect(evaluateMeasurement(0.3, { max: 0.3 })).toBe('pass');
    expect(evaluateMeasurement(0.31, { max: 0.3 })).toBe('fail');
    expect(evaluateMeasurement(2, { min: 2 })).toBe('pass');
    expect(evaluateMeasurement(1.9, { min: 2 })).toBe('fail');
    expect(evaluateMeasurement(5, { min: 1, max: 10 })).toBe('pass');
    expect(evaluateMeasurement(Number.NaN, {})).toBe('fail');
    expect(evaluateMeasurement(1e9, {})).toBe('pass');
  });
  it('the IEC 62353 template measures earth resistance, leakage currents and insulation', () => {
    const measured = IEC_62353_TEMPLATE.filter((i) => i.kind === 'measurement').map((i) => [i.key, i.unit]);
    expect(measured).toEqual([
      ['protective_earth_resistance', 'Ω'], ['insulation_resistance', 'MΩ'], ['insulation_resistance_applied_parts', 'MΩ'],
      ['equipment_leakage_current', 'µA'], ['applied_part_leakage_current', 'µA'],
    ]);
  });
});

describe('completion rules', () => {
  const complete: CompletionInput = {
    diagnosis: 'Capteur de pression défectueux', actions: 'Remplacement du capteur, étalonnage', labourEntries: 1, externalInterventions: 0,
    checklist: IEC_62353_TEMPLATE.map((item) => ({ ...item, answer: item.kind === 'measurement' ? { key: item.key, value: 0.1 } : { key: item.key, outcome: 'pass' as const } })),
    signature: { name: 'Thomas Technicien', signedAt: '2026-11-24T10:00:00Z', image: 'data:image/png;base64,AAAA' },
  };
  it('nothing missing on a complete work order', () => {
    expect(completionProblems(complete)).toEqual([]);
  });
  it('lists each missing item', () => {
    const problems = completionProblems({
      ...complete, diagnosis: ' ', actions: null, labourEntries: 0, signature: null,
      checklist: complete.checklist.map((i) => (i.key === 'equipment_leakage_current' || i.key === 'insulation_resistance' ? { ...i, answer: null } : i)),
    });
    expect(problems.map((p) => p.path)).toEqual(['diagnosis', 'actions', 'labour', 'checklist.equipment_leakage_current', 'signature']);
  });
  it('accepts an external intervention instead of labour, and not-applicable answers', () => {
    expect(completionProblems({
      ...complete, labourEntries: 0, externalInterventions: 1,
      checklist: complete.checklist.map((i) => ({ ...i, answer: { key: i.key, outcome: 'not_applicable' as const } })),
    })).toEqual([]);
  });
});

describe('checklist templates', () => {
  it('the built-in IEC 62353 template is valid', () => {
    for (const t of BUILT_IN_CHECKLIST_TEMPLATES) expect(checklistTemplateProblems(t.items)).toEqual([]);
  });

  it('names every problem of a template by its item', () => {
    expect(checklistTemplateProblems([
      { key: 'a', label: 'A', kind: 'measurement', mandatory: true, limits: { min: 5, max: 1 } },
      { key: 'a', label: 'B', kind: 'pass_fail', mandatory: false, unit: 'V' },
      { key: 'c', label: 'C', kind: 'text', mandatory: false, limits: { max: 3 } },
      { key: 'd', label: 'D', kind: 'measurement', mandatory: false, unit: 'mA', limits: { min: 1, max: 1 } },
    ])).toEqual([
      { path: 'items.0.unit', message: 'unité obligatoire pour une mesure' },
      { path: 'items.0.min', message: 'min doit être ≤ max' },
      { path: 'items.1.key', message: 'clé en double : a' },
      { path: 'items.1', message: 'unité et limites pour les mesures seulement' },
      { path: 'items.2', message: 'unité et limites pour les mesures seulement' },
    ]);
  });
});

describe('state lists', () => {
  it('final states are those nothing leaves; open ones are neither done nor cancelled', () => {
    expect([...FINAL_WORK_ORDER_STATES].sort()).toEqual(WORK_ORDER_STATES.filter((s) => allowedWorkOrderTransitions(s).length === 0).sort());
    expect(OPEN_WORK_ORDER_STATES).toEqual(WORK_ORDER_STATES.filter((s) => !DONE_WORK_ORDER_STATES.includes(s) && s !== 'cancelled'));
    expect(WORKABLE_WORK_ORDER_STATES).toEqual(OPEN_WORK_ORDER_STATES.filter((s) => s !== 'requested'));
  });
});

describe('nextDueDate', () => {
  const w = { dueResponseAt: 'response', dueRepairAt: 'repair' };
  it('is the response due date until the work starts, then the repair due date', () => {
    expect(nextDueDate({ ...w, state: 'requested' })).toBe('response');
    expect(nextDueDate({ ...w, state: 'assigned' })).toBe('response');
    expect(nextDueDate({ ...w, state: 'in_progress' })).toBe('repair');
    expect(nextDueDate({ ...w, state: 'on_hold' })).toBe('repair');
  });
  it('falls back to the repair due date of a planned work order (no response due date)', () => {
    expect(nextDueDate({ state: 'requested', dueResponseAt: null, dueRepairAt: 'repair' })).toBe('repair');
  });
  it('says which due date it is', () => {
    expect(nextDue({ ...w, state: 'requested' })).toEqual({ kind: 'response', at: 'response' });
    expect(nextDue({ ...w, state: 'in_progress' })).toEqual({ kind: 'repair', at: 'repair' });
    expect(nextDue({ state: 'assigned', dueResponseAt: null, dueRepairAt: 'repair' })).toEqual({ kind: 'repair', at: 'repair' });
    expect(nextDue({ state: 'in_progress', dueResponseAt: 'response', dueRepairAt: null })).toBeNull();
  });
});

describe('responseTimePassed', () => {
  const now = Date.parse('2026-11-30T10:00:00Z');
  it('flags a request nobody answered after its response due date', () => {
    expect(responseTimePassed({ state: 'requested', dueResponseAt: '2026-11-30T09:00:00Z' }, now)).toBe(true);
    expect(responseTimePassed({ state: 'assigned', dueResponseAt: new Date('2026-11-30T09:00:00Z') }, now)).toBe(true);
    expect(responseTimePassed({ state: 'requested', dueResponseAt: '2026-11-30T11:00:00Z' }, now)).toBe(false);
  });
  it('does not once the work started, or without a response due date', () => {
    expect(responseTimePassed({ state: 'in_progress', dueResponseAt: '2026-11-30T09:00:00Z' }, now)).toBe(false);
    expect(responseTimePassed({ state: 'requested', dueResponseAt: null }, now)).toBe(false);
  });
});

describe('looksLikeWorkOrderNumber', () => {
  it('recognises a number, whole or in part', () => {
    for (const q of ['BT-2026-000123', 'bt-2026-000123', 'BT-2026', '2026-000123', '000123', 'BT 2026 000123', 'BT2026000123']) {
      expect(looksLikeWorkOrderNumber(q), q).toBe(true);
    }
  });
  it('does not take words or short figures for one', () => {
    for (const q of ['écran noir', 'pompe 12', '12', 'BTS', 'INV-000123', '']) expect(looksLikeWorkOrderNumber(q), q).toBe(false);
  });
});
