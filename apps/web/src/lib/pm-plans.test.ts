import { describe, expect, it } from 'vitest';
import { hoursAndMinutes, localInputToIso, planTargetKind, unitAfterTrigger, unitsFor, wholeOrNull } from './pm-plans.ts';

describe('maintenance plans helpers', () => {
  it('restricts the units to the trigger and keeps a fitting one', () => {
    expect(unitsFor('calendar')).toEqual(['days', 'weeks', 'months', 'years']);
    expect(unitsFor('meter')).toEqual(['hours', 'cycles']);
    expect(unitAfterTrigger('meter', 'months')).toBe('hours');
    expect(unitAfterTrigger('meter', 'cycles')).toBe('cycles');
    expect(unitAfterTrigger('calendar', 'hours')).toBe('months');
    expect(unitAfterTrigger('calendar', 'weeks')).toBe('weeks');
  });

  it('names what a plan applies to', () => {
    expect(planTargetKind({ equipmentId: 'e', modelId: null, categoryId: null })).toBe('device');
    expect(planTargetKind({ equipmentId: null, modelId: 'm', categoryId: null })).toBe('model');
    expect(planTargetKind({ equipmentId: null, modelId: null, categoryId: 'c' })).toBe('category');
  });

  it('writes minutes in hours and reads number fields', () => {
    expect(hoursAndMinutes(90)).toEqual({ h: 1, m: 30 });
    expect(hoursAndMinutes(45)).toEqual({ h: 0, m: 45 });
    expect(wholeOrNull('')).toBeNull();
    expect(wholeOrNull(' 12 ')).toBe(12);
    expect(wholeOrNull(7)).toBe(7);
    expect(wholeOrNull('douze')).toBe('douze');
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('2026-11-30T10:00')).toMatch(/^2026-11-30T\d{2}:00:00\.000Z$/);
  });
});
