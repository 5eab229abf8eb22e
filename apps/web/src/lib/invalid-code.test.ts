import { describe, expect, it } from 'vitest';
import { invalidCodeDetail } from './invalid-code.ts';

describe('invalidCodeDetail', () => {
  it('says what is wrong with a refused code in the reader’s language', () => {
    const code = 'https://id.gs1.org/01/09506000134352/21/S1/10/L1';
    const french = "GS1 Digital Link : qualificatifs de AI 01 (GTIN) dans le mauvais ordre (/21 /10) : l'ordre est 22 puis 10 puis 21, ou 235.";
    expect(invalidCodeDetail(code, french, 'fr')).toBe(french);
    expect(invalidCodeDetail(code, french, 'en')).toBe(
      'GS1 Digital Link: qualifiers of AI 01 (GTIN) in the wrong order (/21 /10): the order is 22 then 10 then 21, or 235.',
    );
    expect(invalidCodeDetail('(21)SN42', null, 'en')).toBe('AI 21 (serial number): AI 01, 03 or 8006 must appear in the same code.');
  });

  it('keeps the API’s sentence when this version of the parser accepts the code', () => {
    expect(invalidCodeDetail('(01)09506000134352', 'Refusé par le serveur.', 'en')).toBe('Refusé par le serveur.');
  });
});
