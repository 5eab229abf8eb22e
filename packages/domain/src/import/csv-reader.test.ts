import { describe, expect, it } from 'vitest';
import { CsvRowReader, parseCsv } from './csv.js';
import { TableLimitError, truncateCell } from './table-limits.js';

describe('reading CSV as a stream, under limits', () => {
  it('parses the same whatever the chunks: quotes, doubled quotes and CRLF across two chunks', () => {
    const text = 'a;b;c\r\n"1;2";"dit ""oui""";"ligne\nsuivante"\r\n\r\nx;;z\r\n;;\r\n';
    const whole = parseCsv(text, ';');
    expect(whole).toEqual([['a', 'b', 'c'], ['1;2', 'dit "oui"', 'ligne\nsuivante'], ['x', '', 'z'], ['', '', '']]);
    for (let size = 1; size <= 7; size++) {
      const rows: string[][] = [];
      const reader = new CsvRowReader(';', (cells) => rows.push(cells));
      for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
      reader.end();
      expect(rows, `chunks of ${size}`).toEqual(whole);
    }
  });

  it('refuses, while reading, a cell, a record or a column beyond the limits, naming where', () => {
    const limits = { maxRows: 2, maxColumns: 3, maxCellChars: 5 };
    const read = (text: string, chunk = 2) => {
      const rows: string[][] = [];
      const reader = new CsvRowReader(';', (cells) => rows.push(cells), limits);
      for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
      reader.end();
      return rows;
    };
    const error = (text: string) => {
      try {
        read(text);
      } catch (err) {
        expect(err).toBeInstanceOf(TableLimitError);
        return `${(err as TableLimitError).kind} ${(err as TableLimitError).message}`;
      }
      return 'none';
    };
    // Empty trailing fields beyond the last column are dropped, not counted.
    expect(read('a;b;c\n12345;"x""y";\n1;2;3;;;\n')).toEqual([['a', 'b', 'c'], ['12345', 'x"y'], ['1', '2', '3']]);
    expect(error('a;b\n1;123456\n')).toBe('cell Une cellule dépasse 5 caractères (ligne 2, colonne B).');
    expect(error('a;b\n1;"12""3456"\n')).toBe('cell Une cellule dépasse 5 caractères (ligne 2, colonne B).');
    expect(error('a\n1\n2\n3\n')).toBe('rows Le fichier dépasse 2 lignes de données (ligne 4) : découpez-le en plusieurs imports.');
    expect(error('a;b\n1;;;x\n')).toBe('columns Le fichier dépasse 3 colonnes (ligne 2, colonne D) : ne gardez que les colonnes à importer.');
    // A long cell is refused within the first chunk past the limit, never read to its end.
    let pushed = 0;
    const reader = new CsvRowReader(';', () => undefined, limits);
    expect(() => {
      for (; pushed < 1000; pushed++) reader.push('x'.repeat(1000));
    }).toThrow(TableLimitError);
    expect(pushed).toBe(0);
  });

  it('cuts sample cells with an ellipsis', () => {
    expect(truncateCell('court')).toBe('court');
    const cut = truncateCell('é'.repeat(500));
    expect(cut).toHaveLength(200);
    expect(cut.endsWith('…')).toBe(true);
  });
});
