import { describe, expect, it } from 'vitest';
import { finessCheckKey, isValidFiness } from './finess.js';

describe('FINESS numbers', () => {
  it('accepts real establishment numbers', () => {
    // AP-HP (Assistance publique – Hôpitaux de Paris) and Hospices civils de Lyon.
    expect(isValidFiness('750712184')).toBe(true);
    expect(isValidFiness('690781810')).toBe(true);
  });

  it('refuses a wrong check key', () => {
    expect(isValidFiness('750712185')).toBe(false);
    expect(isValidFiness('690781811')).toBe(false);
  });

  it('refuses a wrong length or letters outside Corsica', () => {
    expect(isValidFiness('75071218')).toBe(false);
    expect(isValidFiness('7507121840')).toBe(false);
    expect(isValidFiness('7A0712184')).toBe(false);
    expect(isValidFiness('')).toBe(false);
    expect(isValidFiness('75 071218')).toBe(false);
  });

  it('handles Corsican départements 2A and 2B', () => {
    const first8 = '2A000123';
    const valid = first8 + finessCheckKey(first8);
    expect(isValidFiness(valid)).toBe(true);
    expect(isValidFiness(first8 + ((Number(finessCheckKey(first8)) + 1) % 10))).toBe(false);
  });

  it('computes the key that makes a number valid', () => {
    expect(finessCheckKey('75071218')).toBe('4');
    for (const first8 of ['45000001', '01234567', '97100000']) {
      expect(isValidFiness(first8 + finessCheckKey(first8))).toBe(true);
    }
  });
});
