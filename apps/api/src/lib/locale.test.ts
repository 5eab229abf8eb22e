import { describe, expect, it } from 'vitest';
import { negotiate } from './locale.js';

describe('the reader’s language from Accept-Language', () => {
  it('takes the best of French and English by quality, French without a header or a match', () => {
    expect(negotiate(undefined)).toBe('fr');
    expect(negotiate('en-GB,en;q=0.9,fr;q=0.8')).toBe('en');
    expect(negotiate('de-DE,fr;q=0.5,en;q=0.7')).toBe('en');
    expect(negotiate('en;q=0.2, fr-CA')).toBe('fr');
    expect(negotiate('de, es')).toBe('fr');
    expect(negotiate('en;q=0')).toBe('fr');
    expect(negotiate('*')).toBe('fr');
  });
});
