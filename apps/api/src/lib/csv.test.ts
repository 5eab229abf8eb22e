import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvDocument, csvText, frenchDate, frenchEuros } from './csv.js';

describe('CSV cells', () => {
  it('quotes the separator, quotes, line breaks and edge spaces; leaves the rest bare', () => {
    expect(csvText('Pousse-seringue')).toBe('Pousse-seringue');
    expect(csvText('a;b')).toBe('"a;b"');
    expect(csvText('dit "oui"')).toBe('"dit ""oui"""');
    expect(csvText('ligne 1\r\nligne 2')).toBe('"ligne 1\r\nligne 2"');
    expect(csvText('ligne\n2')).toBe('"ligne\n2"');
    expect(csvText(' marge')).toBe('" marge"');
    expect(csvText('A › B, C')).toBe('A › B, C');
  });

  it('defuses formulas: = + - @ tab and CR at the start get an apostrophe', () => {
    expect(csvText('=HYPERLINK("http://x";"clic")')).toBe(`"'=HYPERLINK(""http://x"";""clic"")"`);
    expect(csvText('+33 1 23')).toBe("'+33 1 23");
    expect(csvText('-2+3')).toBe("'-2+3");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\t=1')).toBe("'\t=1");
    expect(csvText('\r=1')).toBe(`"'\r=1"`);
    expect(csvText('A=1')).toBe('A=1');
  });

  it('writes dates dd/mm/yyyy and euros with a decimal comma', () => {
    expect(frenchDate('2019-03-07')).toBe('07/03/2019');
    expect(() => frenchDate('07/03/2019')).toThrow();
    expect(frenchEuros(123456)).toBe('1234,56');
    expect(frenchEuros(5)).toBe('0,05');
    expect(frenchEuros(0)).toBe('0,00');
    expect(frenchEuros(100)).toBe('1,00');
    expect(frenchEuros(1_000_000_000_00)).toBe('1000000000,00');
    expect(() => frenchEuros(1.5)).toThrow();
  });
});

describe('CSV document', () => {
  it('writes a BOM, the header and the rows, every text cell guarded against formulas', () => {
    const file = csvDocument(['N°', 'Description'], [['BT-1', '=1+1'], ['BT-2', 'a;b']]);
    expect(file.startsWith(CSV_BOM)).toBe(true);
    expect(file.slice(1)).toBe("N°;Description\r\nBT-1;'=1+1\r\nBT-2;\"a;b\"\r\n");
  });
});
