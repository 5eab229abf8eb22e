import { describe, expect, it } from 'vitest';
import { INVENTORY_NUMBER_PATTERN, isValidGtin, labelUrl, parseScanCode, type ScanCode } from './gs1.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const ok = (raw: string): ScanCode => {
  const r = parseScanCode(raw, NOW);
  if (!r.ok) throw new Error(`expected ok for ${raw}: ${r.error}`);
  return r.code;
};
const err = (raw: string): string => {
  const r = parseScanCode(raw, NOW);
  if (r.ok) throw new Error(`expected an error for ${raw}`);
  return r.error;
};
const gs1 = (raw: string) => {
  const c = ok(raw);
  if (c.kind !== 'gs1') throw new Error(`expected gs1, got ${c.kind}`);
  return c;
};

describe('GTIN check digits', () => {
  it('accepts valid GTIN-8, 12, 13 and 14', () => {
    for (const g of ['96385074', '036000291452', '4006381333931', '09506000134352']) expect(isValidGtin(g), g).toBe(true);
  });
  it('refuses a wrong check digit or length', () => {
    for (const g of ['96385075', '036000291453', '4006381333932', '09506000134353', '123', '0950600013435a']) expect(isValidGtin(g), g).toBe(false);
  });
});

describe('bracketed element strings', () => {
  it('reads GTIN, expiry, lot and serial', () => {
    const c = gs1('(01)09506000134352(17)261231(10)ABC123(21)SN42');
    expect(c).toMatchObject({ format: 'bracketed', gtin: '09506000134352', expiry: '2026-12-31', lot: 'ABC123', serial: 'SN42' });
    expect(c.ais).toEqual({ '01': '09506000134352', '17': '261231', '10': 'ABC123', '21': 'SN42' });
  });
  it('names the AI of a bad check digit', () => {
    expect(err('(01)09506000134353(21)X')).toMatch(/Clé de contrôle GTIN invalide.*attendu 2, lu 3/);
  });
  it('refuses unknown AIs, wrong lengths, letters in numeric AIs and garbage', () => {
    expect(err('(99)ABC')).toMatch(/\(99\)/);
    expect(err('(01)0950600013435')).toMatch(/14 chiffres, 13 lus/);
    expect(err('(17)2612AB')).toMatch(/chiffres/);
    expect(err('(21)')).toMatch(/vide/);
    expect(err('(01)09506000134352 trailing')).toMatch(/AI \(01\)|14 chiffres/);
    expect(err('(21)ABC(')).toMatch(/mal formée/);
  });
  it('refuses a duplicated AI with different values', () => {
    expect(err('(21)A(21)B')).toMatch(/deux fois/);
  });
});

describe('unbracketed element strings', () => {
  it('splits fixed-length AIs and ends variable ones at GS', () => {
    const c = gs1('0109506000134352' + '10LOT7\u001d' + '17270115' + '21SN9');
    expect(c).toMatchObject({ format: 'element-string', gtin: '09506000134352', lot: 'LOT7', expiry: '2027-01-15', serial: 'SN9' });
  });
  it('accepts the GS written as <GS> or {GS}, and symbology identifiers', () => {
    expect(gs1('0109506000134352' + '10LOT7<GS>' + '21SN9')).toMatchObject({ lot: 'LOT7', serial: 'SN9' });
    expect(gs1('0109506000134352' + '10LOT7{GS}' + '21SN9')).toMatchObject({ lot: 'LOT7', serial: 'SN9' });
    expect(gs1(']d20109506000134352' + '21ABC')).toMatchObject({ gtin: '09506000134352', serial: 'ABC' });
    expect(gs1(']C10109506000134352')).toMatchObject({ gtin: '09506000134352', serial: null });
    expect(gs1(']Q3' + '21ONLYSERIAL')).toMatchObject({ gtin: null, serial: 'ONLYSERIAL' });
  });
  it('says a GS separator is probably missing when a variable field overflows', () => {
    expect(err(']d20109506000134352' + '10LOTNUMBER17270115' + '21SERIAL')).toMatch(/séparateur GS manquant après l'AI 10/);
  });
  it('reads an all-digit string starting with a valid GTIN as GS1', () => {
    expect(gs1('010950600013435217270115')).toMatchObject({ gtin: '09506000134352', expiry: '2027-01-15' });
  });
});

describe('dates', () => {
  it('day 00 on the expiry date means the end of the month', () => {
    expect(gs1('(17)270200').expiry).toBe('2027-02-28');
    expect(gs1('(17)280200').expiry).toBe('2028-02-29');
  });
  it('day 00 is refused on other dates', () => {
    expect(err('(11)270200')).toMatch(/jour 00/);
  });
  it('checks month and day', () => {
    expect(err('(17)271301')).toMatch(/mois 13/);
    expect(err('(17)270229')).toMatch(/28 jours/);
    expect(gs1('(17)280229').expiry).toBe('2028-02-29');
    expect(err('(11)250431')).toMatch(/30 jours/);
  });
  it('uses the GS1 sliding century window', () => {
    expect(gs1('(17)760101').expiry).toBe('2076-01-01');
    expect(gs1('(17)780101').expiry).toBe('1978-01-01');
    expect(gs1('(11)990101').productionDate).toBe('1999-01-01');
    const later = parseScanCode('(17)100101', new Date('2090-06-01T00:00:00Z'));
    expect(later.ok && later.code.kind === 'gs1' && later.code.expiry).toBe('2110-01-01');
  });
});

describe('GS1 Digital Link', () => {
  it('reads the path and numeric query parameters', () => {
    const c = gs1('https://id.gs1.org/01/09506000134352/10/LOT1/21/SN%2F7?17=261231&linkType=gs1:pip');
    expect(c).toMatchObject({ format: 'digital-link', gtin: '09506000134352', lot: 'LOT1', serial: 'SN/7', expiry: '2026-12-31' });
  });
  it('accepts a prefix path and a GTIN-13, normalised to 14 digits', () => {
    expect(gs1('https://brand.example.com/products/01/4006381333931/21/X1')).toMatchObject({ gtin: '04006381333931', serial: 'X1' });
  });
  it('verifies the GTIN check digit and the dates', () => {
    expect(err('https://id.gs1.org/01/09506000134353')).toMatch(/Clé de contrôle/);
    expect(err('https://id.gs1.org/01/09506000134352?17=261331')).toMatch(/mois 13/);
  });
  it('refuses other URLs', () => {
    expect(err('https://www.example.com/produit/42')).toMatch(/URL non reconnue/);
  });
});

describe("the project's own labels and inventory numbers", () => {
  it('round-trips an inventory number through its label URL', () => {
    const url = labelUrl('https://gmao.ght-demo.fr/', 'CHU/2019 001');
    expect(url).toBe('https://gmao.ght-demo.fr/e/CHU%2F2019%20001');
    expect(ok(url)).toEqual({ kind: 'label', inventoryNumber: 'CHU/2019 001' });
  });
  it('takes other text as a bare inventory number, digits included', () => {
    expect(ok('CHU-2019-00123')).toEqual({ kind: 'inventory', inventoryNumber: 'CHU-2019-00123' });
    expect(ok('  2019001234 ')).toEqual({ kind: 'inventory', inventoryNumber: '2019001234' });
    expect(ok('0112345678901234')).toEqual({ kind: 'inventory', inventoryNumber: '0112345678901234' });
  });
  it('refuses empty, oversized and unreadable input', () => {
    expect(err('   ')).toMatch(/vide/);
    expect(err('A'.repeat(600))).toMatch(/trop long/);
    expect(err('#$%')).toMatch(/illisible/);
    expect(INVENTORY_NUMBER_PATTERN.test('-lead')).toBe(false);
  });
});
