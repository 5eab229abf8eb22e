import { describe, expect, it } from 'vitest';
import { oneOf, queryValue } from './url-query.ts';

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
