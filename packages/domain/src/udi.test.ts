import { describe, expect, it } from 'vitest';
import { UDI_PI_MESSAGES, hibcCheckCharacter, normaliseUdiDi, ppnCheckDigits, udiPiProblem } from './udi.js';

describe('GS1 UDI-DI (GTIN-14)', () => {
  it('accepts a GTIN-14 with its check digit and refuses a wrong one', () => {
    // The GTIN of the GS1 Digital Link standard's examples, 0950600013435 and its check digit 2.
    expect(normaliseUdiDi('GS1', '09506000134352')).toEqual({ ok: true, value: '09506000134352' });
    expect(normaliseUdiDi('GS1', '09506000134353')).toMatchObject({ ok: false, problem: 'gs1_check_digit' });
    expect(normaliseUdiDi('GS1', '0950600013435')).toMatchObject({ ok: false, problem: 'gs1_format' });
  });
});

describe('HIBCC UDI-DI (HIBC LIC primary data structure)', () => {
  it('reads LIC + product number + unit of measure, the examples of HIBCC labelling guides', () => {
    // "+A123BJC5D6E71/$$52001510X3": LIC A123, PCN BJC5D6E7, U/M 1 (its primary data).
    expect(normaliseUdiDi('HIBCC', 'A123BJC5D6E71')).toEqual({ ok: true, value: 'A123BJC5D6E71' });
    // LIC A123, the longest product number (18 characters), U/M 1.
    expect(normaliseUdiDi('HIBCC', 'A123ABCDEFGHI1234567891')).toEqual({ ok: true, value: 'A123ABCDEFGHI1234567891' });
    expect(normaliseUdiDi('HIBCC', 'a123bjc5d6e71')).toEqual({ ok: true, value: 'A123BJC5D6E71' });
  });

  it('checks the mod-43 check character of the bar code data and drops the flag and the check', () => {
    // Values: + = 41, A = 10, digits their own value: 41 + 10 + 9 + 9 + 9 + 1 + 2 + 3 + 4 + 5 = 93; 93 mod 43 = 7.
    expect(hibcCheckCharacter('+A99912345')).toBe('7');
    expect(normaliseUdiDi('HIBCC', '+A999123457')).toEqual({ ok: true, value: 'A99912345' });
    expect(normaliseUdiDi('HIBCC', '+A999123458')).toMatchObject({ ok: false, problem: 'hibcc_check_character' });
  });

  it('refuses a LIC that does not begin with a letter, a missing unit of measure, a product number too long', () => {
    expect(normaliseUdiDi('HIBCC', '1123BJC5D6E71')).toMatchObject({ ok: false, problem: 'hibcc_format' });
    expect(normaliseUdiDi('HIBCC', 'A123BJC5D6E7X')).toMatchObject({ ok: false, problem: 'hibcc_format' });
    expect(normaliseUdiDi('HIBCC', 'A123ABCDEFGHI12345678901')).toMatchObject({ ok: false, problem: 'hibcc_format' });
    expect(normaliseUdiDi('HIBCC', 'A123')).toMatchObject({ ok: false, problem: 'hibcc_format' });
  });
});

describe('ICCBBA UDI-DI (ISBT 128 PPIC, data structure 034)', () => {
  it('reads the example of ICCBBA ST-017 §2.1: =/A9997AB3456T0123', () => {
    expect(normaliseUdiDi('ICCBBA', '=/A9997AB3456T0123')).toEqual({ ok: true, value: 'A9997AB3456T0123' });
    expect(normaliseUdiDi('ICCBBA', 'A9997AB3456T0123')).toEqual({ ok: true, value: 'A9997AB3456T0123' });
  });

  it('refuses a wrong length or a FIN with the letter O', () => {
    expect(normaliseUdiDi('ICCBBA', '=/A9997AB3456T012')).toMatchObject({ ok: false, problem: 'iccbba_format' });
    expect(normaliseUdiDi('ICCBBA', '=/O9997AB3456T0123')).toMatchObject({ ok: false, problem: 'iccbba_format' });
  });
});

describe('IFA UDI-DI (PPN)', () => {
  it('reads the IFA example 9N110375286414 (PRA code 11, PZN 03752864, check digits 14)', () => {
    expect(ppnCheckDigits('1103752864')).toBe('14');
    expect(normaliseUdiDi('IFA', '9N110375286414')).toEqual({ ok: true, value: '110375286414' });
    expect(normaliseUdiDi('IFA', '110375286414')).toEqual({ ok: true, value: '110375286414' });
  });

  it('refuses wrong check digits or a PRA code that is not two digits', () => {
    expect(normaliseUdiDi('IFA', '110375286415')).toMatchObject({ ok: false, problem: 'ifa_check_digits' });
    expect(normaliseUdiDi('IFA', 'A10375286414')).toMatchObject({ ok: false, problem: 'ifa_format' });
  });

  it('says what is wrong in French', () => {
    const r = normaliseUdiDi('IFA', '110375286415');
    expect(!r.ok && r.message).toContain('modulo 97');
  });
});

describe('UDI-PI: production identifiers only', () => {
  it('accepts lot, serial, dates and software version in the GS1 form, and other entities’ text as printed', () => {
    expect(udiPiProblem('(17)280131(10)LOT42(21)SN-9')).toBeNull();
    expect(udiPiProblem('(11)250101(8012)V2.1')).toBeNull();
    expect(udiPiProblem('$$52001510X3')).toBeNull();
  });

  it('refuses the device identifier (01) or any other AI, and an AI without a value', () => {
    expect(udiPiProblem('(01)09506000134352(21)SN-9')).toBe(UDI_PI_MESSAGES.notProduction);
    expect(udiPiProblem('(17)280131(240)REF')).toBe(UDI_PI_MESSAGES.notProduction);
    expect(udiPiProblem('(10)(21)SN')).toBe(UDI_PI_MESSAGES.empty);
    expect(udiPiProblem('(10LOT')).toBe(UDI_PI_MESSAGES.format);
  });
});
