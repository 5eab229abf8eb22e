import { describe, expect, it } from 'vitest';
import { idValue, oneOf, queryValue } from './url-query.ts';

describe('queryValue', () => {
  it('reads one trimmed text', () => {
    expect(queryValue(' CHU ')).toBe('CHU');
    expect(queryValue(['a', 'b'])).toBe('a');
    expect(queryValue(undefined)).toBe('');
    expect(queryValue(null)).toBe('');
    expect(queryValue([null])).toBe('');
  });
});

describe('oneOf', () => {
  it('keeps known values only', () => {
    expect(oneOf(['high', 'low'] as const, 'high')).toBe('high');
    expect(oneOf(['high', 'low'] as const, 'urgent')).toBe('');
  });
});

describe('idValue', () => {
  it('keeps what reads as a UUID, drops anything else', () => {
    expect(idValue('3dda1248-dff7-4726-9acf-cdf146236789')).toBe('3dda1248-dff7-4726-9acf-cdf146236789');
    expect(idValue('nope')).toBe('');
    expect(idValue('3dda1248-dff7-4726-9acf-cdf14623678')).toBe('');
    expect(idValue('')).toBe('');
  });
});
