import { describe, expect, it } from 'vitest';
import { finessCheckKey, isValidFiness } from './finess.js';

describe('FINESS numbers', () => {
  it('accepts real establishment numbers', () => {
    // AP-HP (Assistance publique – Hôpitaux de Paris) and Hospices civils de Lyon.
    expect(isValidFiness('750712184')).toBe(true);
    expect(isValidFiness('690781810')).toBe(true);
  });

  it('checks the format only, not the key (no official source for the key of every département code)', () => {
    // The same numbers with another last digit: well formed, accepted.
    expect(isValidFiness('750712185')).toBe(true);
    expect(isValidFiness('690781811')).toBe(true);
  });

  it('refuses a wrong length, spaces, or letters outside the département codes', () => {
    expect(isValidFiness('75071218')).toBe(false);
    expect(isValidFiness('7507121840')).toBe(false);
    expect(isValidFiness('7A0712184')).toBe(false);
    expect(isValidFiness('2C0001234')).toBe(false);
    expect(isValidFiness('9G0001234')).toBe(false);
    expect(isValidFiness('75071218A')).toBe(false);
    expect(isValidFiness('')).toBe(false);
    expect(isValidFiness('75 071218')).toBe(false);
  });

  it('accepts the alphanumeric département codes: 2A and 2B (Corsica), 9A to 9F (overseas)', () => {
    for (const code of ['2A', '2B', '9A', '9B', '9C', '9D', '9E', '9F']) expect(isValidFiness(`${code}0001234`), code).toBe(true);
  });

  it('computes a Luhn key for plausible demo numbers', () => {
    expect(finessCheckKey('75071218')).toBe('4');
    for (const first8 of ['45000001', '01234567', '2A000123']) {
      expect(isValidFiness(first8 + finessCheckKey(first8))).toBe(true);
    }
  });
});
