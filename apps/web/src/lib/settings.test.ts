import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY_TARGETS } from '@gmao/domain';
import {
  durationToMinutes, isItemKey, isTemplateCode, itemKeyFromLabel, minutesToDuration, moved, templateCodeFromName,
} from './settings.ts';
import { decimalInput, parseDecimal } from './format.ts';

describe('delays in hours or days', () => {
  it('shows whole days in days and the rest in hours', () => {
    expect(minutesToDuration(60)).toEqual({ value: 1, unit: 'hours' });
    expect(minutesToDuration(4 * 60)).toEqual({ value: 4, unit: 'hours' });
    expect(minutesToDuration(24 * 60)).toEqual({ value: 1, unit: 'days' });
    expect(minutesToDuration(2 * 24 * 60)).toEqual({ value: 2, unit: 'days' });
    expect(minutesToDuration(36 * 60)).toEqual({ value: 36, unit: 'hours' });
    expect(minutesToDuration(30)).toEqual({ value: 0.5, unit: 'hours' });
    expect(minutesToDuration(20)).toEqual({ value: 0.33, unit: 'hours' });
  });

  it('converts back to minutes, rounded to the minute', () => {
    expect(durationToMinutes(4, 'hours')).toBe(240);
    expect(durationToMinutes(3, 'days')).toBe(4320);
    expect(durationToMinutes(0.5, 'hours')).toBe(30);
    expect(durationToMinutes(1.5, 'days')).toBe(2160);
    expect(durationToMinutes(0.33, 'hours')).toBe(20);
  });

  it('round-trips the default targets', () => {
    for (const target of Object.values(DEFAULT_PRIORITY_TARGETS)) {
      for (const minutes of [target.responseMinutes, target.repairMinutes]) {
        const d = minutesToDuration(minutes);
        expect(durationToMinutes(d.value, d.unit)).toBe(minutes);
      }
    }
  });
});

describe('decimals typed by the user', () => {
  it('reads the decimal comma and point, spaces as thousands separators', () => {
    expect(parseDecimal('0,3')).toBe(0.3);
    expect(parseDecimal('0.2')).toBe(0.2);
    expect(parseDecimal(' 5 000 ')).toBe(5000);
    expect(parseDecimal('-2,5')).toBe(-2.5);
    expect(parseDecimal(',5')).toBe(0.5);
    expect(parseDecimal('12,')).toBe(12);
  });

  it('gives null for nothing and NaN for what is not a number', () => {
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('   ')).toBeNull();
    expect(parseDecimal('abc')).toBeNaN();
    expect(parseDecimal('1,2,3')).toBeNaN();
    expect(parseDecimal('1e3')).toBeNaN();
    expect(parseDecimal('0,3 Ω')).toBeNaN();
  });

  it('writes numbers back in the user language', () => {
    expect(decimalInput(0.3, 'fr')).toBe('0,3');
    expect(decimalInput(0.3, 'en')).toBe('0.3');
    expect(decimalInput(5000, 'fr')).toBe('5000');
    expect(decimalInput(null, 'fr')).toBe('');
  });
});

describe('checklist item keys', () => {
  it('derives a lowercase ASCII key from the label', () => {
    expect(itemKeyFromLabel('Résistance du conducteur de protection')).toBe('resistance_du_conducteur_de_protection');
    expect(itemKeyFromLabel("Courant de fuite (parties appliquées CF)")).toBe('courant_de_fuite_parties_appliquees_cf');
    expect(itemKeyFromLabel('  Contrôle — œil & cœur ')).toBe('controle_oeil_coeur');
    expect(itemKeyFromLabel('Température (°C)')).toBe('temperature_c');
    expect(itemKeyFromLabel('—')).toBe('point');
  });

  it('makes the key unique among the taken ones', () => {
    expect(itemKeyFromLabel('Essai fonctionnel', ['essai_fonctionnel'])).toBe('essai_fonctionnel_2');
    expect(itemKeyFromLabel('Essai fonctionnel', ['essai_fonctionnel', 'essai_fonctionnel_2'])).toBe('essai_fonctionnel_3');
  });

  it('keeps keys within 60 characters, suffix included, and valid', () => {
    const label = 'Mesure '.repeat(20);
    const first = itemKeyFromLabel(label);
    expect(first.length).toBeLessThanOrEqual(60);
    expect(isItemKey(first)).toBe(true);
    const second = itemKeyFromLabel(label, [first]);
    expect(second.length).toBeLessThanOrEqual(60);
    expect(second.endsWith('_2')).toBe(true);
    expect(isItemKey(second)).toBe(true);
    expect(isItemKey('Bad key')).toBe(false);
  });
});

describe('template codes', () => {
  it('checks the pattern of the contract', () => {
    expect(isTemplateCode('iec-62353-classe-ii')).toBe(true);
    expect(isTemplateCode('a')).toBe(false);
    expect(isTemplateCode('-abc')).toBe(false);
    expect(isTemplateCode('Classe_II')).toBe(false);
    expect(isTemplateCode('a'.repeat(41))).toBe(false);
  });

  it('suggests a code from a name', () => {
    expect(templateCodeFromName('Sécurité électrique — classe II, CF')).toBe('securite-electrique-classe-ii-cf');
    expect(isTemplateCode(templateCodeFromName('x'.repeat(50)))).toBe(true);
  });
});

describe('reordering', () => {
  it('moves an element up or down and ignores moves past the ends', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
