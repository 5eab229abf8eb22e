import { describe, expect, it } from 'vitest';
import { foldSearch, searchWords } from './search.js';

describe('search folding', () => {
  it('lower-cases and removes French accents like gmao_fold()', () => {
    expect(foldSearch('Défibrillateur Évita Œdème Ça')).toBe('defibrillateur evita oedeme ca'.replace('oe', 'o'));
  });
  it('splits a query into words, dropping one-letter words', () => {
    expect(searchWords('  Pompe  à  perfusion B ')).toEqual(['pompe', 'perfusion']);
  });
});
