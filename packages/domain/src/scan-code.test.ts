import { describe, expect, it } from 'vitest';
import { GS1_AI_ENTRIES, GS1_SYNTAX_DICTIONARY_RELEASE } from './gs1/syntax-dictionary.generated.js';
import { INVENTORY_NUMBER_PATTERN, isValidGtin, labelUrl, parseScanCode, scanErrorMessage, type ScanCode } from './scan-code.js';

const GS = '\u001d';
/** A fixed "today" so that the century window and the expected years never drift. */
const NOW = new Date('2025-06-15T12:00:00Z');

function ok(raw: string, now: Date = NOW): ScanCode {
  const r = parseScanCode(raw, now);
  if (!r.ok) throw new Error(`expected a code, got the error: ${r.error}`);
  return r.code;
}

function err(raw: string, now: Date = NOW): string {
  const r = parseScanCode(raw, now);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.code)}`);
  return r.error;
}

/** The GS1 part of a result, failing when it is not a GS1 code. */
function gs1(raw: string, now: Date = NOW): Extract<ScanCode, { kind: 'gs1' }> {
  const code = ok(raw, now);
  if (code.kind !== 'gs1') throw new Error(`expected a GS1 code, got ${JSON.stringify(code)}`);
  return code;
}

describe('isValidGtin', () => {
  it('accepts real GTIN-14, GTIN-13, GTIN-12 and GTIN-8', () => {
    expect(isValidGtin('09506000134352')).toBe(true); // GS1 example GTIN
    expect(isValidGtin('03761234500007')).toBe(true); // French prefix 376
    expect(isValidGtin('4006381333931')).toBe(true); // EAN-13
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A
    expect(isValidGtin('96385074')).toBe(true); // EAN-8
    expect(isValidGtin('07612345678900')).toBe(true); // check digit 0
  });

  it('refuses a wrong check digit in every length', () => {
    expect(isValidGtin('09506000134353')).toBe(false);
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('036000291453')).toBe(false);
    expect(isValidGtin('96385075')).toBe(false);
    expect(isValidGtin('07612345678901')).toBe(false);
  });

  it('refuses other lengths and non-digits', () => {
    expect(isValidGtin('')).toBe(false);
    expect(isValidGtin('963850749')).toBe(false); // 9 digits
    expect(isValidGtin('0000000000')).toBe(false); // 10 digits, check digit would be fine
    expect(isValidGtin('00000000000')).toBe(false); // 11 digits
    expect(isValidGtin('009506000134352')).toBe(false); // 15 digits
    expect(isValidGtin('0950600013435A')).toBe(false);
    expect(isValidGtin(' 4006381333931')).toBe(false);
  });
});

describe('general input handling', () => {
  it('refuses empty or blank input', () => {
    expect(err('')).toMatch(/^Code vide/);
    expect(err('  \t\n ')).toMatch(/^Code vide/);
    expect(err(']d2')).toMatch(/^Code vide.*\]d2/);
  });

  it('refuses input over 512 characters (after trimming) but looks at 512', () => {
    expect(err('A'.repeat(513))).toBe('Code trop long : 513 caractères, 512 au plus.');
    // 512 characters pass the size gate and fail later, as an inventory number.
    expect(err('A'.repeat(512))).toMatch(/^Code illisible : 512 caractères/);
    expect(err(`   ${'A'.repeat(512)}   `)).not.toMatch(/trop long/);
  });

  it('trims surrounding whitespace', () => {
    expect(ok('  INV-0001 \r\n')).toEqual({ kind: 'inventory', inventoryNumber: 'INV-0001' });
  });
});

describe('our own QR labels', () => {
  it('builds the label URL, encoding the inventory number', () => {
    expect(labelUrl('https://gmao.ght-exemple.fr', 'CHU/2019 001')).toBe('https://gmao.ght-exemple.fr/e/CHU%2F2019%20001');
    expect(labelUrl('https://gmao.ght-exemple.fr/', 'A1')).toBe('https://gmao.ght-exemple.fr/e/A1');
  });

  it('round-trips inventory numbers with special characters', () => {
    for (const inv of ['CHU/2019 001', 'Bloc-É_12.3', '2019001234', 'a']) {
      expect(ok(labelUrl('https://gmao.ght-exemple.fr', inv))).toEqual({ kind: 'label', inventoryNumber: inv });
    }
  });

  it('accepts any host, http, a trailing slash, a query and a fragment', () => {
    expect(ok('http://10.0.0.5:8080/e/INV-42')).toEqual({ kind: 'label', inventoryNumber: 'INV-42' });
    expect(ok('https://autre.exemple/e/INV-42/?utm=qr#x')).toEqual({ kind: 'label', inventoryNumber: 'INV-42' });
    // QR codes in alphanumeric mode are all upper case.
    expect(ok('HTTPS://GMAO.EXEMPLE.FR/E/INV-42')).toEqual({ kind: 'label', inventoryNumber: 'INV-42' });
  });

  it('strips a non-GS1 symbology identifier (plain QR code)', () => {
    expect(ok(']Q1https://gmao.exemple/e/INV-42')).toEqual({ kind: 'label', inventoryNumber: 'INV-42' });
  });

  it('refuses a label whose inventory number is broken', () => {
    expect(err('https://gmao.exemple/e/%E0%A4%A')).toMatch(/^Étiquette GMAO : encodage d'URL invalide/);
    expect(err('https://gmao.exemple/e/%20INV')).toBe("Étiquette GMAO : numéro d'inventaire invalide «  INV ».");
    expect(err(`https://gmao.exemple/e/${'A'.repeat(65)}`)).toMatch(/^Étiquette GMAO : numéro d'inventaire invalide/);
  });

  it('refuses other URLs', () => {
    const message = 'URL non reconnue : ni étiquette GMAO ni GS1 Digital Link.';
    expect(err('https://www.exemple.fr/produits/123')).toBe(message);
    expect(err('https://gmao.exemple/e/A/B')).toBe(message); // a label has exactly one segment
    expect(err('https://gmao.exemple/')).toBe(message);
    expect(err('https://id.gs1.org/01')).toBe(message); // a key without a value
    expect(err('http://')).toMatch(/^URL mal formée/);
  });
});

describe('GS1 Digital Link', () => {
  it('reads GTIN, lot and serial from the path', () => {
    expect(ok('https://id.gs1.org/01/09506000134352/10/ABC123/21/SN42')).toEqual({
      kind: 'gs1',
      format: 'digital-link',
      gtin: '09506000134352',
      serial: 'SN42',
      lot: 'ABC123',
      expiry: null,
      productionDate: null,
      ais: { '01': '09506000134352', '10': 'ABC123', '21': 'SN42' },
    });
  });

  it('accepts a prefix path and URL-decodes values', () => {
    const code = gs1('https://marque.exemple/some/prefix/01/09506000134352/22/V1/10/L%2B1/21/SN%2F42');
    expect(code).toMatchObject({ gtin: '09506000134352', serial: 'SN/42', lot: 'L+1' });
    expect(code.ais).toEqual({ '01': '09506000134352', '21': 'SN/42', '10': 'L+1', '22': 'V1' });
  });

  it('reads dates and other AIs from the query, ignoring non-numeric keys', () => {
    const code = gs1('https://id.gs1.org/01/09506000134352/21/S1?17=261231&11=240115&linkType=gs1:pip&240=REF-9');
    expect(code.expiry).toBe('2026-12-31');
    expect(code.productionDate).toBe('2024-01-15');
    expect(code.ais).toEqual({ '01': '09506000134352', '21': 'S1', '17': '261231', '11': '240115', '240': 'REF-9' });
  });

  it('normalises GTIN-13, GTIN-12 and GTIN-8 to 14 digits', () => {
    expect(gs1('https://id.gs1.org/01/4006381333931').gtin).toBe('04006381333931');
    expect(gs1('https://id.gs1.org/01/036000291452').gtin).toBe('00036000291452');
    expect(gs1('https://id.gs1.org/01/96385074').ais['01']).toBe('00000096385074');
  });

  it('accepts the gtin, lot, ser and cpv aliases', () => {
    expect(gs1('https://exemple.fr/gtin/09506000134352/lot/L9/ser/S9').ais).toEqual({ '01': '09506000134352', '10': 'L9', '21': 'S9' });
  });

  it('refuses a bad check digit', () => {
    expect(err('https://id.gs1.org/01/09506000134353/21/S1')).toContain('clé de contrôle GTIN invalide : attendu 2, lu 3');
    expect(err('https://id.gs1.org/01/4006381333932')).toContain('clé de contrôle GTIN invalide : attendu 1, lu 2');
  });

  it('refuses a GTIN of the wrong length or not numeric', () => {
    expect(err('https://id.gs1.org/01/95060001343')).toMatch(/GTIN « 95060001343 » invalide, 8, 12, 13 ou 14 chiffres/);
    expect(err('https://id.gs1.org/01/0950600013435X')).toMatch(/GTIN « 0950600013435X » invalide/);
  });

  it('refuses a path key that is not a GTIN qualifier, or one without a value', () => {
    expect(err('https://id.gs1.org/01/09506000134352/17/261231')).toBe(
      "GS1 Digital Link : /17 n'est pas un qualificatif de AI 01 (GTIN) (qualificatifs possibles, dans cet ordre : 22 puis 10 puis 21, ou 235).",
    );
    expect(err('https://id.gs1.org/01/09506000134352/10')).toBe('GS1 Digital Link : valeur manquante après /10.');
  });

  it('validates the values it reads (dates, unknown AIs, empty values, encoding)', () => {
    expect(err('https://id.gs1.org/01/09506000134352?17=261331')).toMatch(/^AI 17 \(date de péremption\) : date invalide « 261331 ».*mois 13/);
    expect(err('https://id.gs1.org/01/09506000134352?89=X')).toBe('AI 89 inconnu ou non pris en charge.');
    expect(err('https://id.gs1.org/01/09506000134352?17=')).toBe('AI 17 (date de péremption) : valeur vide.');
    expect(err('https://id.gs1.org/01/09506000134352/10/%E0%A4%A')).toMatch(/^GS1 Digital Link : encodage d'URL invalide/);
  });

  it('refuses the same AI twice, even with the same value (GS1 Barcode Syntax Engine)', () => {
    expect(err('https://id.gs1.org/01/09506000134352/10/A?10=B')).toBe('GS1 Digital Link : AI 10 (lot) présent deux fois.');
    expect(err('https://id.gs1.org/01/09506000134352/10/A?10=A')).toBe('GS1 Digital Link : AI 10 (lot) présent deux fois.');
    expect(err('https://id.gs1.org/01/09506000134352?99=A&99=A')).toMatch(/^GS1 Digital Link : AI 99 .* présent deux fois/);
  });
});

describe('bracketed element strings', () => {
  it('reads the usual UDI', () => {
    expect(ok('(01)09506000134352(17)261231(10)ABC123(21)SN42')).toEqual({
      kind: 'gs1',
      format: 'bracketed',
      gtin: '09506000134352',
      serial: 'SN42',
      lot: 'ABC123',
      expiry: '2026-12-31',
      productionDate: null,
      ais: { '01': '09506000134352', '17': '261231', '10': 'ABC123', '21': 'SN42' },
    });
  });

  it('reads the AIs of a device label with their lengths', () => {
    const raw =
      '(01)03761234500007(11)240115(13)240116(15)270101(22)CPV-1(240)ADD(241)CUST(21)SN-1' +
      '(250)SEC-SN(251)SRC(30)12345678(7003)2612312359(8012)V2.1(710)PZN-9';
    const code = gs1(raw);
    expect(code.gtin).toBe('03761234500007');
    expect(code.productionDate).toBe('2024-01-15');
    expect(code.ais).toEqual({
      '01': '03761234500007',
      '11': '240115',
      '13': '240116',
      '15': '270101',
      '22': 'CPV-1',
      '240': 'ADD',
      '241': 'CUST',
      '21': 'SN-1',
      '250': 'SEC-SN',
      '251': 'SRC',
      '30': '12345678',
      '7003': '2612312359',
      '8012': 'V2.1',
      '710': 'PZN-9',
    });
  });

  it('reads a logistic unit and a component without AI 01', () => {
    expect(gs1('(00)037612345000000014(02)03761234500007(37)5(8020)PAY-REF(415)9520123456788').ais).toMatchObject({ '00': '037612345000000014', '37': '5' });
    expect(gs1('(8006)095060001343520102(21)S1(8004)376123450001ASSET').ais).toMatchObject({ '8006': '095060001343520102', '21': 'S1' });
  });

  it('accepts spaces around values typed by hand, and an escaped bracket in a value', () => {
    expect(ok('(01) 09506000134352 (21) SN42 (10) L1')).toMatchObject({ kind: 'gs1', gtin: '09506000134352', serial: 'SN42', lot: 'L1' });
    expect(gs1('(01)09506000134352(10)A\\(22)B').lot).toBe('A(22)B');
  });

  it('refuses an unknown AI, naming it', () => {
    expect(err('(01)09506000134352(23)X')).toBe('AI (23) inconnu ou non pris en charge.');
    expect(err('(01)09506000134352(89)X')).toBe('AI (89) inconnu ou non pris en charge.');
  });

  it('refuses a wrong length, naming the AI', () => {
    expect(err('(01)0950600013435')).toBe('AI 01 (GTIN) : 14 chiffres attendus, 13 lus dans « 0950600013435 ».');
    expect(err('(01)09506000134352(17)2612')).toMatch(/^AI 17 \(date de péremption\) : 6 chiffres attendus, 4 lus/);
    expect(err('(01)09506000134352(10)ABCDEFGHIJKLMNOPQRSTU')).toBe('AI 10 (lot) : 20 caractères au plus, 21 lus dans « ABCDEFGHIJKLMNOPQRSTU ».');
    expect(err('(01)09506000134352(30)123456789')).toMatch(/^AI 30 \(quantité variable\) : 8 caractères au plus, 9 lus/);
  });

  it('refuses letters where digits are required, empty values and forbidden characters', () => {
    expect(err('(01)09506000134352(17)26123A')).toBe('AI 17 (date de péremption) : valeur non numérique « 26123A », chiffres attendus.');
    expect(err('(01)09506000134352(10)')).toBe('AI 10 (lot) : valeur vide.');
    expect(err('(01)09506000134352(21)SN#42')).toBe('AI 21 (numéro de série) : caractère non autorisé « # » dans « SN#42 ».');
    expect(err('(01)09506000134352(21)SNÉ42')).toMatch(/caractère non autorisé « É »/);
  });

  it('refuses bad check digits in GTIN (01, 02), SSCC and ITIP', () => {
    expect(err('(01)09506000134353')).toBe('AI 01 (GTIN) : clé de contrôle GTIN invalide : attendu 2, lu 3 dans « 09506000134353 ».');
    expect(err('(02)03761234500008')).toContain('AI 02 (GTIN contenu) : clé de contrôle GTIN invalide : attendu 7, lu 8');
    expect(err('(00)037612345000000015')).toContain('AI 00 (SSCC) : clé de contrôle invalide : attendu 4, lu 5');
    expect(err('(8006)095060001343530102')).toContain('clé de contrôle GTIN invalide : attendu 2, lu 3');
  });

  it('refuses a malformed start', () => {
    expect(err('(1)2345')).toMatch(/^Code GS1 entre parenthèses mal formé/);
    expect(err('(ABC)12')).toMatch(/^Code GS1 entre parenthèses mal formé/);
  });

  it('refuses an AI repeated with another value', () => {
    expect(err('(01)09506000134352(10)A(10)B')).toMatch(/^AI 10 \(lot\) présent deux fois/);
    expect(gs1('(01)09506000134352(10)A(10)A').ais).toEqual({ '01': '09506000134352', '10': 'A' });
  });
});

describe('unbracketed element strings', () => {
  const udi = `010950600013435217261231` + `10ABC123${GS}21SN42`;
  const expected = {
    kind: 'gs1',
    format: 'element-string',
    gtin: '09506000134352',
    serial: 'SN42',
    lot: 'ABC123',
    expiry: '2026-12-31',
    productionDate: null,
    ais: { '01': '09506000134352', '17': '261231', '10': 'ABC123', '21': 'SN42' },
  };

  it('reads fixed lengths by length and variable ones up to the GS character', () => {
    expect(ok(udi)).toEqual(expected);
  });

  it('accepts <GS> and {GS} written as text for the separator', () => {
    expect(ok(udi.replace(GS, '<GS>'))).toEqual(expected);
    expect(ok(udi.replace(GS, '{GS}'))).toEqual(expected);
    expect(ok(`0109506000134352<GS>10A<gs>21B`)).toMatchObject({ lot: 'A', serial: 'B' });
  });

  it('strips the GS1 symbology identifiers', () => {
    for (const id of [']C1', ']e0', ']d2', ']Q3', ']J1']) {
      expect(ok(id + udi)).toEqual(expected);
    }
  });

  it('treats anything after a GS1 symbology identifier as GS1, even with no AI 01', () => {
    expect(ok(`]C18006095060001343520102${GS}21SN42`)).toMatchObject({ kind: 'gs1', gtin: null, serial: 'SN42' });
    expect(err(`]C1INV-42`)).toMatch(/^Code GS1 illisible : aucun AI connu au début de « INV-42 »/);
  });

  it('tolerates a leading and a trailing GS, and GS after a fixed-length value', () => {
    expect(ok(`${GS}0109506000134352${GS}17261231${GS}`)).toMatchObject({ gtin: '09506000134352', expiry: '2026-12-31' });
  });

  it('reads a GTIN-13 carried in AI 01 as 14 digits', () => {
    expect(gs1(']C10104006381333931').gtin).toBe('04006381333931');
  });

  it('reads all-digit strings starting with 01 and a valid GTIN, without a symbology identifier', () => {
    expect(ok('0109506000134352')).toMatchObject({ kind: 'gs1', format: 'element-string', gtin: '09506000134352' });
    expect(ok('010950600013435217261231')).toMatchObject({ gtin: '09506000134352', expiry: '2026-12-31' });
    // Without any GS: the last variable-length AI runs to the end.
    expect(ok('01095060001343521726123110LOT7')).toMatchObject({ lot: 'LOT7', expiry: '2026-12-31' });
  });

  it('says a GS separator is probably missing when a variable value is too long', () => {
    const e = err(']d2010950600013435210LOT-2024-00012321SERIAL-0000042');
    expect(e).toContain("séparateur GS manquant après l'AI 10 ?");
    expect(e).toMatch(/^AI 10 \(lot\) : 31 caractères lus pour 20 au plus/);
    expect(err(']C1010950600013435230123410ABC')).toContain("séparateur GS manquant après l'AI 30 ?");
  });

  it('refuses a truncated fixed-length value', () => {
    expect(err(']C1010950600013435')).toBe('AI 01 (GTIN) : 14 chiffres attendus, seulement 13 lus (« 0950600013435 »).');
    expect(err(`]C10109506000134352172612${GS}10A`)).toMatch(/^AI 17 \(date de péremption\) : 6 chiffres attendus, seulement 4 lus/);
    expect(err(']C101')).toBe('AI 01 (GTIN) : 14 chiffres attendus, seulement 0 lus.');
  });

  it('refuses an unknown AI', () => {
    expect(err(`]C1010950600013435223ABC`)).toBe('Code GS1 illisible : aucun AI connu au début de « 23ABC » (position 17).');
  });

  it('refuses bad check digits, whether marked by a symbology identifier or by a GS', () => {
    expect(err(']d20109506000134353')).toContain('clé de contrôle GTIN invalide : attendu 2, lu 3');
    expect(err(`0109506000134353${GS}21SN42`)).toContain('clé de contrôle GTIN invalide : attendu 2, lu 3');
    expect(err(`0109506000134352${GS}0203761234500008`)).toContain('AI 02 (GTIN contenu) : clé de contrôle GTIN invalide');
  });

  it('refuses a character outside the GS1 set and a GS-marked string with no known AI', () => {
    expect(err(`]C10109506000134352${GS}10AB CD`)).toBe('AI 10 (lot) : caractère non autorisé «   » dans « AB CD ».');
    expect(err(`ABC${GS}DEF`)).toMatch(/^Code GS1 illisible : aucun AI connu au début de « ABC<GS>DEF »/);
    expect(err(`]C1${GS}${GS}`)).toMatch(/^Code GS1 vide/);
  });

  it('refuses an AI repeated with another value', () => {
    expect(err(`]C1010950600013435210A${GS}10B`)).toBe('AI 10 (lot) présent deux fois avec des valeurs différentes : « A » et « B ».');
  });
});

describe('GS1 dates', () => {
  const UDI = '(01)09506000134352';
  const expiry = (yymmdd: string, now: Date = NOW) => gs1(`${UDI}(17)${yymmdd}`, now).expiry;

  it('reads day 00 on AI 17 as the last day of the month', () => {
    expect(expiry('251100')).toBe('2025-11-30');
    expect(expiry('261200')).toBe('2026-12-31');
    expect(expiry('240200')).toBe('2024-02-29');
    expect(expiry('260200')).toBe('2026-02-28');
    expect(gs1(`${UDI}(17)260200`).ais['17']).toBe('260200'); // the raw value stays raw
  });

  it('accepts day 00 wherever the dictionary says yymmd0 (AIs 11, 12, 13, 15, 16, 17), refuses it elsewhere', () => {
    const code = gs1(`${UDI}(11)240100(13)240200(15)270300(16)270400(17)270500`);
    expect(code.productionDate).toBe('2024-01-01'); // the month only: its first day
    expect(code.expiry).toBe('2027-05-31'); // the month only: its last day
    expect(gs1('(415)9520123456788(8020)REF-1(12)261100').ais['12']).toBe('261100');
    // yymmdd (7003, 7006, 4326…): a real day is required.
    expect(err(`${UDI}(7003)2612002359`)).toBe(
      "AI 7003 (date et heure de péremption) : date invalide « 261200 » (AAMMJJ) : le jour 00 (mois sans jour précis) n'est pas admis pour cet AI.",
    );
    expect(err(`${UDI}(7006)261200`)).toMatch(/^AI 7006 \(FIRST FREEZE DATE\) : date invalide « 261200 ».*jour 00/);
    expect(err('(00)037612345000000014(4326)201200')).toMatch(/^AI 4326 .*jour 00/);
  });

  it('knows 29 February in leap years only', () => {
    expect(expiry('240229')).toBe('2024-02-29');
    expect(gs1(`${UDI}(11)000229`).productionDate).toBe('2000-02-29'); // divisible by 400
    expect(err(`${UDI}(17)250229`)).toBe("AI 17 (date de péremption) : date invalide « 250229 » (AAMMJJ) : le 29 février 2025 n'existe pas.");
    expect(err(`${UDI}(11)000230`)).toMatch(/le 30 février 2000 n'existe pas/);
  });

  it('refuses month 13, month 00 and a 31st in a 30-day month', () => {
    expect(err(`${UDI}(17)261301`)).toBe("AI 17 (date de péremption) : date invalide « 261301 » (AAMMJJ) : le mois 13 n'existe pas.");
    expect(err(`${UDI}(11)260001`)).toMatch(/^AI 11 .*« 260001 ».*le mois 00 n'existe pas/);
    expect(err(`${UDI}(17)260431`)).toMatch(/le 31 avril 2026 n'existe pas/);
    expect(err(`${UDI}(17)260132`)).toMatch(/le 32 janvier 2026 n'existe pas/);
  });

  it('applies the GS1 sliding century window', () => {
    // In 2025: up to 50 years ahead stays in this century, 51 ahead goes back one.
    expect(expiry('750101')).toBe('2075-01-01');
    expect(expiry('760101')).toBe('1976-01-01');
    // In 1999: 50 years back goes to the next century, 49 back stays.
    const y1999 = new Date('1999-12-31T12:00:00Z');
    expect(expiry('490101', y1999)).toBe('2049-01-01');
    expect(expiry('500101', y1999)).toBe('1950-01-01');
    // In 2080: 30 is 50 back → 2130; 31 is 49 back → 2031.
    const y2080 = new Date('2080-03-01T12:00:00Z');
    expect(expiry('300101', y2080)).toBe('2130-01-01');
    expect(expiry('310101', y2080)).toBe('2031-01-01');
    // The same date in each of the three formats.
    expect(gs1('https://id.gs1.org/01/09506000134352?17=760101').expiry).toBe('1976-01-01');
    expect(gs1(']C101095060001343521776010110A').expiry).toBe('1976-01-01');
  });

  it('uses the current date when no date is given', () => {
    const yy = String(new Date().getUTCFullYear() % 100).padStart(2, '0');
    const r = parseScanCode(`${UDI}(17)${yy}0615`);
    expect(r.ok && r.code.kind === 'gs1' ? r.code.expiry : null).toBe(`${new Date().getUTCFullYear()}-06-15`);
  });

  it('checks the date and time of AI 7003', () => {
    expect(gs1(`${UDI}(7003)2612312359`).ais['7003']).toBe('2612312359');
    expect(err(`${UDI}(7003)2612312460`)).toBe('AI 7003 (date et heure de péremption) : heure invalide « 2460 ».');
    expect(err(`${UDI}(7003)2613312300`)).toMatch(/^AI 7003 .*le mois 13 n'existe pas/);
  });
});

describe('bare inventory numbers', () => {
  it('accepts letters, digits, spaces inside, . _ / -', () => {
    for (const inv of ['INV-2024-0001', 'CHU/2019 001', 'bloc.op_3', 'Équipement 12', 'A', 'BIO-2024/12.a_b']) {
      expect(ok(inv)).toEqual({ kind: 'inventory', inventoryNumber: inv });
    }
  });

  it('reads all-digit strings as inventory numbers unless they are 01 + a valid GTIN', () => {
    expect(ok('2019001234')).toEqual({ kind: 'inventory', inventoryNumber: '2019001234' });
    expect(ok('4006381333931')).toEqual({ kind: 'inventory', inventoryNumber: '4006381333931' }); // a bare EAN-13
    expect(ok('0123456789012345')).toEqual({ kind: 'inventory', inventoryNumber: '0123456789012345' }); // check digit would be 4
    expect(ok('010950600013435')).toEqual({ kind: 'inventory', inventoryNumber: '010950600013435' }); // 15 digits
    expect(ok('0109506000134352')).toMatchObject({ kind: 'gs1' });
  });

  it('says what is wrong with an unreadable code', () => {
    expect(err('-INV-1')).toBe("Code illisible : un numéro d'inventaire commence par une lettre ou un chiffre, pas par « - ».");
    expect(err('INV#1')).toBe("Code illisible : caractère « # » non autorisé dans un numéro d'inventaire (lettres, chiffres, espaces, . _ / -).");
    expect(err('INV\t1')).toMatch(/caractère « U\+0009 » non autorisé/);
    expect(err('ftp://exemple.fr/e/1')).toMatch(/caractère « : » non autorisé/);
    expect(err('A'.repeat(65))).toBe("Code illisible : 65 caractères, un numéro d'inventaire en compte 64 au plus.");
    expect(ok('A'.repeat(64))).toEqual({ kind: 'inventory', inventoryNumber: 'A'.repeat(64) });
  });
});

describe('INVENTORY_NUMBER_PATTERN', () => {
  it('matches 1 to 64 allowed characters, starting with a letter or digit, not ending with a space', () => {
    expect(INVENTORY_NUMBER_PATTERN.test('A')).toBe(true);
    expect(INVENTORY_NUMBER_PATTERN.test('7')).toBe(true);
    expect(INVENTORY_NUMBER_PATTERN.test('A/')).toBe(true);
    expect(INVENTORY_NUMBER_PATTERN.test('a'.repeat(64))).toBe(true);
    expect(INVENTORY_NUMBER_PATTERN.test('a'.repeat(65))).toBe(false);
    expect(INVENTORY_NUMBER_PATTERN.test('')).toBe(false);
    expect(INVENTORY_NUMBER_PATTERN.test('A ')).toBe(false);
    expect(INVENTORY_NUMBER_PATTERN.test(' A')).toBe(false);
    expect(INVENTORY_NUMBER_PATTERN.test('.A')).toBe(false);
    expect(INVENTORY_NUMBER_PATTERN.test('A\tB')).toBe(false);
    expect(INVENTORY_NUMBER_PATTERN.test('A:B')).toBe(false);
  });
});

describe('the GS1 Barcode Syntax Dictionary: every AI, its format and its rules', () => {
  const failure = (raw: string) => {
    const r = parseScanCode(raw, NOW);
    if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.code)}`);
    return r;
  };

  it('reads variable measures, prices and product URLs in the three forms', () => {
    // GS1 Digital Link standard, section 4 examples (net weight 3103, price 3922).
    const link = gs1('https://id.gs1.org/01/09520123456788?3103=000195&3922=0299&17=201225');
    expect(link.ais).toEqual({ '01': '09520123456788', '3103': '000195', '3922': '0299', '17': '201225' });
    expect(gs1('(01)09520123456788(3103)000195(3922)0299').ais).toEqual({ '01': '09520123456788', '3103': '000195', '3922': '0299' });
    // 3103 has a pre-defined length: no GS after it; 3922 runs to the end.
    expect(gs1(']C10109520123456788310300019539220299').ais).toEqual({ '01': '09520123456788', '3103': '000195', '3922': '0299' });
    expect(gs1(`]d201095201234567888200http://www.exemple.fr/dm${GS}10LOT1`).ais).toEqual({
      '01': '09520123456788',
      '8200': 'http://www.exemple.fr/dm',
      '10': 'LOT1',
    });
    expect(gs1('(01)12345678901231(3925)12599(3100)654321(3300)000100').ais['3925']).toBe('12599');
    expect(err('(01)12345678901231(3925)12599(3100)654321(3922)123')).toMatch(/^AI 3925 .* et AI 3922 .* ne peuvent pas/);
  });

  it('reads every kind of AI of the table: SSCC with its contents, GLN, country, serial shipping data', () => {
    expect(gs1('https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123').ais).toEqual({
      '00': '952012345678912345',
      '02': '09520123456788',
      '37': '25',
      '10': 'ABC123',
    });
    expect(gs1('https://id.gs1.org/414/9520123456788/254/32a%2Fb').ais).toEqual({ '414': '9520123456788', '254': '32a/b' });
    expect(gs1('(01)09506000134352(422)250(10)L1').ais['422']).toBe('250');
    expect(gs1('(01)09506000134352(8013)1987654Ad4X4bL5ttr2310c2K').ais['8013']).toBe('1987654Ad4X4bL5ttr2310c2K');
  });

  it('requires a GS (FNC1) after every AI that is not of pre-defined length, even a fixed-length one', () => {
    expect(gs1(`]C10109506000134352422250${GS}10L1`).ais).toMatchObject({ '422': '250', '10': 'L1' });
    // 422 (N3) is not flagged "*": without a GS it runs on into the next AI.
    expect(err(']C1010950600013435242225010L1')).toBe(
      "AI 422 (pays d'origine) : 7 caractères lus pour 3 au plus (« 25010L1 ») — séparateur GS manquant après l'AI 422 ?",
    );
    expect(err(`]C101095060001343527003261231235910L1`)).toContain("séparateur GS manquant après l'AI 7003 ?");
  });

  it('refuses two AIs that exclude each other (ex): 01 with 02, two net weights, 21 with 235', () => {
    const r = failure('(01)09506000134352(02)03761234500007(37)5');
    expect(r.reason).toBe('ai_excludes');
    expect(r.error).toBe('AI 01 (GTIN) et AI 37 (quantité) ne peuvent pas figurer dans le même code.');
    expect(err('(01)09506000134352(02)03761234500007')).toBe('AI 02 (GTIN contenu) et AI 01 (GTIN) ne peuvent pas figurer dans le même code.');
    expect(err('(01)09520123456788(3103)000195(3102)001950')).toMatch(/^AI 3103 \(poids net \(kg\)\) et AI 3102 \(poids net \(kg\)\) ne peuvent pas/);
    expect(err('(01)09506000134352(21)ABC123(235)XYZ')).toMatch(/^AI 21 .* et AI 235 .* ne peuvent pas/);
    // An AI does not exclude itself, repeated with the same value.
    expect(gs1('(01)09520123456788(3103)000195(3103)000195').ais['3103']).toBe('000195');
  });

  it('refuses an AI without the AIs it requires (req): 21 needs 01, 03 or 8006', () => {
    const r = failure('(21)SN42');
    expect(r).toMatchObject({ reason: 'ai_requires', params: { ai: '21', groups: '01|03|8006' } });
    expect(r.error).toBe("AI 21 (numéro de série) : l'AI 01, 03 ou 8006 doit figurer dans le même code.");
    expect(err(']C121SN42')).toBe(r.error);
    expect(err('https://exemple.fr/8004/9520614141234567?21=S1')).toMatch(/^GS1 Digital Link : AI 21 .*ne peut pas figurer dans la requête/);
    expect(err('(01)09506000134352(250)ABC123')).toBe("AI 250 (numéro de série secondaire) : l'AI 21 doit figurer dans le même code.");
    expect(err('(01)09506000134352(3922)0299')).toBe("AI 3922 (prix à payer (monnaie locale)) : l'AI 30, 31nn, 32nn, 35nn ou 36nn doit figurer dans le même code.");
    expect(err('(02)12345678901231(37)123')).toMatch(/^AI 37 \(quantité\) : l'AI 00 doit figurer/);
    expect(err('(8030)DIGSIG(253)1234567890128')).toMatch(/^AI 8030 .* AI 253 .* doit porter sa partie série/);
    expect(gs1('(8030)DIGSIG(253)1234567890128X').ais['253']).toBe('1234567890128X');
  });

  it('checks GS1 Digital Link qualifiers: those of the key, in the order 22, 10, 21 (or 235 alone)', () => {
    expect(gs1('https://id.gs1.org/01/09506000134352/22/V1/10/L1/21/S1').ais).toEqual({ '01': '09506000134352', '22': 'V1', '10': 'L1', '21': 'S1' });
    expect(gs1('https://id.gs1.org/01/09506000134352/22/V1/21/S1').serial).toBe('S1');
    const r = failure('https://id.gs1.org/01/09506000134352/21/S1/10/L1');
    expect(r.reason).toBe('dl_qualifier_order');
    expect(r.error).toBe("GS1 Digital Link : qualificatifs de AI 01 (GTIN) dans le mauvais ordre (/21 /10) : l'ordre est 22 puis 10 puis 21, ou 235.");
    expect(err('https://id.gs1.org/01/09506000134352/10/L1/22/V1')).toMatch(/mauvais ordre \(\/10 \/22\)/);
    expect(err('https://id.gs1.org/01/09506000134352/22/V1/235/T1')).toMatch(/mauvais ordre/);
    expect(gs1('https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123').ais).toMatchObject({ '235': 'XYZ', '10': 'ABC123' });
    expect(err('https://id.gs1.org/00/952012345678912345/10/L1')).toBe("GS1 Digital Link : /10 n'est pas un qualificatif de AI 00 (SSCC), qui n'en admet aucun.");
  });

  it('keeps Digital Link qualifiers out of the query, and only data attributes in it', () => {
    expect(err('https://example.com/01/09520123456788?10=ABC123')).toBe(
      'GS1 Digital Link : AI 10 (lot) doit figurer dans le chemin (/10/…), pas dans la requête.',
    );
    expect(gs1('https://example.com/8004/9520614141234567?01=09520123456788').ais).toEqual({ '8004': '9520614141234567', '01': '09520123456788' });
    expect(err('https://a.exemple/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987')).toMatch(/^AI 98 .*caractère non autorisé « {3}»/);
    expect(err('https://a.exemple/01/12312312312333<bad')).toBe('GS1 Digital Link : caractère « < » interdit dans une URI.');
    expect(err('https://a.exemple/stem/00/006141411234567890/')).toBe('GS1 Digital Link : le chemin ne doit pas finir par « / ».');
    expect(gs1('https://a.exemple/00/faux/00/006141411234567890').ais).toEqual({ '00': '006141411234567890' });
  });

  it('accepts good check digits and check character pairs, refuses bad ones', () => {
    expect(gs1('(00)106141411234567897').ais['00']).toBe('106141411234567897');
    expect(err('(00)106141411234567898')).toBe('AI 00 (SSCC) : clé de contrôle invalide : attendu 7, lu 8 dans « 106141411234567898 ».');
    expect(gs1('https://id.gs1.org/414/9520123456788').ais['414']).toBe('9520123456788');
    expect(err('https://id.gs1.org/414/9520123456789')).toMatch(/^AI 414 \(GLN de lieu\) : clé de contrôle invalide : attendu 8, lu 9/);
    expect(err('(8018)123456789012345676')).toMatch(/^AI 8018 .*clé de contrôle invalide : attendu 5, lu 6/);
    expect(err('(01)09506000134352(8013)1987654Ad4X4bL5ttr2310c2L')).toBe(
      'AI 8013 (numéro de modèle (GMN)) : caractères de contrôle invalides : attendu 2K, lu 2L dans « 1987654Ad4X4bL5ttr2310c2L ».',
    );
    expect(gs1('(8013)12345678901234567890123NT').ais['8013']).toBe('12345678901234567890123NT');
  });

  it('applies the other syntax tests of the dictionary (country, currency, piece of total…)', () => {
    expect(err('(01)09506000134352(422)999')).toBe("AI 422 (pays d'origine) : code pays ISO 3166 inconnu : « 999 ».");
    expect(gs1('(8020)X(415)9520123456788(3912)97812345').ais['3912']).toBe('97812345');
    expect(err('(8020)X(415)9520123456788(3912)00012345')).toMatch(/code de devise ISO 4217 inconnu : « 000 »/);
    expect(err('(8006)095060001343520302')).toMatch(/^AI 8006 .*numéro de pièce nul ou supérieur au nombre total : « 0302 »/);
    expect(err('(00)106141411234567897(4321)2')).toMatch(/^AI 4321 \(DANGEROUS GOODS\) : 0 ou 1 attendu/);
    expect(err('(01)09506000134352(421)25ABC')).toBe("AI 421 (SHIP TO POST) : caractère non autorisé « A » dans « 25ABC » (chiffre attendu).");
    expect(err('(01)09506000134352(7007)2601012601')).toBe('AI 7007 (HARVEST DATE) : 6 ou 12 chiffres attendus, 10 lus dans « 2601012601 ».');
  });

  it('says each error in English too, with the same reason code', () => {
    const cases: [string, string][] = [
      ['(21)SN42', 'AI 21 (serial number): AI 01, 03 or 8006 must appear in the same code.'],
      ['(01)09506000134352(02)03761234500007', 'AI 02 (GTIN of contained items) and AI 01 (GTIN) may not appear in the same code.'],
      ['https://id.gs1.org/01/09506000134352/21/S1/10/L1', 'GS1 Digital Link: qualifiers of AI 01 (GTIN) in the wrong order (/21 /10): the order is 22 then 10 then 21, or 235.'],
      ['(01)09506000134353', 'AI 01 (GTIN): wrong GTIN check digit: 2 expected, 3 read in “09506000134353”.'],
      ['(01)09506000134352(7003)2612002359', 'AI 7003 (expiry date and time): invalid date “261200” (YYMMDD): day 00 (no particular day) is not allowed for this AI.'],
      ['(01)09506000134352(17)250229', 'AI 17 (expiry date): invalid date “250229” (YYMMDD): February 29, 2025 does not exist.'],
      ['INV#1', 'Unreadable code: character “#” not allowed in an inventory number (letters, digits, spaces, . _ / -).'],
    ];
    for (const [raw, english] of cases) {
      const r = failure(raw);
      expect(scanErrorMessage(r, 'en')).toBe(english);
      expect(scanErrorMessage(r, 'fr')).toBe(r.error);
    }
  });

  it('holds the whole table of the dictionary release it was generated from', () => {
    expect(GS1_SYNTAX_DICTIONARY_RELEASE).toBe('2026-01-27');
    const ais = GS1_AI_ENTRIES.flatMap((e) => {
      const out: string[] = [];
      for (let n = Number(e.ai); n <= Number(e.last ?? e.ai); n++) out.push(String(n).padStart(e.ai.length, '0'));
      return out;
    });
    expect(ais.length).toBe(541);
    for (const ai of ['3103', '3922', '8200', '7240', '8030', '8043', '717', '99']) expect(ais).toContain(ai);
  });
});
