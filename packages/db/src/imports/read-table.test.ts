import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { TableLimitError, type TableLimits } from '@gmao/domain';
import { readTableNow } from './read-table.js';
import { closeTableReader, readTable, summarizeTable } from './table-reader.js';

const LIMITS: TableLimits = { maxUncompressedBytes: 16 * 1024 * 1024, maxRows: 1000, maxColumns: 10, maxCellChars: 50 };

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('Inventaire'));
  wb.addWorksheet('Autre').addRow(['ignorée']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function refusal(read: Promise<unknown>): Promise<string> {
  try {
    await read;
  } catch (err) {
    if (err instanceof TableLimitError) return `${err.kind}: ${err.message}`;
    throw err;
  }
  return 'accepted';
}

describe('reading an XLSX workbook as a stream', () => {
  it('reads the first sheet as ExcelJS did: dates, numbers, booleans, rich text, formulas, empty rows and columns', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow([]);
      sheet.addRow(['N° inventaire', 'Mise en service', 'Prix', 'Actif', 'Remarques', 'Calcul']);
      sheet.addRow(['INV-1', new Date(Date.UTC(2020, 0, 2)), 2800.5, true, { richText: [{ text: 'en ' }, { text: 'gras', font: { bold: true } }] }, { formula: '1+1', result: 2 }]);
      sheet.addRow([]);
      sheet.addRow(['  INV-2  ', null, 12, false, { text: 'lien', hyperlink: 'https://exemple.fr' }, { formula: 'A1', result: 'texte' }]);
      sheet.getCell('H5').value = 'à droite';
    });
    const table = await readTableNow(file, LIMITS);
    expect(table).toEqual({
      format: 'xlsx', encoding: null, separator: null,
      header: ['N° inventaire', 'Mise en service', 'Prix', 'Actif', 'Remarques', 'Calcul', '', ''],
      rows: [
        ['INV-1', '2020-01-02', '2800.5', 'true', 'en gras', '2', '', ''],
        ['INV-2', '', '12', 'false', 'lien', 'texte', '', 'à droite'],
      ],
    });
  });

  it('refuses rows, columns, cells and headers beyond the limits, naming the row and column', async () => {
    const rows = await workbook((sheet) => {
      sheet.addRow(['N° inventaire']);
      for (let i = 1; i <= 1001; i++) sheet.addRow([`INV-${i}`]);
    });
    expect(await refusal(readTableNow(rows, LIMITS))).toBe('rows: Le fichier dépasse 1\u202f000 lignes de données (ligne 1002) : découpez-le en plusieurs imports.');
    const columns = await workbook((sheet) => {
      sheet.addRow(['N° inventaire']);
      sheet.getCell('K2').value = 'trop loin';
    });
    expect(await refusal(readTableNow(columns, LIMITS))).toBe('columns: Le fichier dépasse 10 colonnes (ligne 2, colonne K) : ne gardez que les colonnes à importer.');
    const cell = await workbook((sheet) => {
      sheet.addRow(['N° inventaire', 'Remarques']);
      sheet.addRow(['INV-1', 'x'.repeat(51)]);
    });
    expect(await refusal(readTableNow(cell, LIMITS))).toBe('cell: Une cellule dépasse 50 caractères (ligne 2, colonne B).');
    const header = await workbook((sheet) => {
      sheet.addRow(['N° inventaire', 'h'.repeat(201)]);
      sheet.addRow(['INV-1', 'x']);
    });
    expect(await refusal(readTableNow(header, { ...LIMITS, maxCellChars: 500 }))).toBe(
      'header: Un en-tête de colonne dépasse 200 caractères (ligne 1, colonne B) : il ne pourrait pas être associé à un champ.',
    );
    const big = await workbook((sheet) => {
      sheet.addRow(['N° inventaire']);
      for (let i = 1; i <= 900; i++) sheet.addRow([`INV-${i}`]);
    });
    expect(await refusal(readTableNow(big, { ...LIMITS, maxUncompressedBytes: 20_000 }))).toMatch(/^uncompressed: Le classeur se décompresse en plus de/);
  });

  it('reads in the parser thread: whole tables, or a summary with cut sample cells', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(['N° inventaire', 'Remarques']);
      for (let i = 1; i <= 8; i++) sheet.addRow([`INV-${i}`, 'é'.repeat(300)]);
    });
    const limits = { ...LIMITS, maxCellChars: 1000, readerMemoryMb: 128 };
    try {
      const [table, summary] = await Promise.all([readTable(file, limits), summarizeTable(file, limits)]);
      expect(table.rows).toHaveLength(8);
      expect(table.rows[0]![1]).toHaveLength(300);
      expect(summary).toMatchObject({ format: 'xlsx', header: ['N° inventaire', 'Remarques'], rowCount: 8 });
      expect(summary.sampleRows).toHaveLength(5);
      expect(summary.sampleRows[0]![1]).toHaveLength(200);
      await expect(readTable(file, { ...limits, maxCellChars: 100 })).rejects.toBeInstanceOf(TableLimitError);
      await expect(readTable(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), limits)).rejects.toThrow('Classeur XLSX illisible.');
    } finally {
      await closeTableReader();
    }
  }, 30_000);

  it('refuses a file that exhausts the thread\'s heap (the second guard), then reads the next one in a new thread', async () => {
    const lines = ['N° inventaire;Remarques'];
    for (let i = 0; i < 100_000; i++) lines.push(`H-${i};${'x'.repeat(200)}`);
    const file = Buffer.from(lines.join('\n'));
    const limits = { maxUncompressedBytes: 128 * 1024 * 1024, maxRows: 100_000, maxColumns: 200, maxCellChars: 10_000 };
    try {
      expect(await refusal(readTable(file, { ...limits, readerMemoryMb: 16 }))).toBe(
        'memory: La lecture du fichier demande plus de 16 Mo de mémoire : découpez-le en plusieurs imports.',
      );
      expect((await readTable(file, { ...limits, readerMemoryMb: 256 })).rows).toHaveLength(100_000);
    } finally {
      await closeTableReader();
    }
  }, 60_000);

  it('a thread that dies of its heap fails only its own file, not the next one already waiting', async () => {
    const lines = ['N° inventaire;Remarques'];
    for (let i = 0; i < 100_000; i++) lines.push(`H-${i};${'x'.repeat(200)}`);
    const big = Buffer.from(lines.join('\n'));
    const small = Buffer.from('N° inventaire;Remarques\nS-1;petit\n');
    const limits = { maxUncompressedBytes: 128 * 1024 * 1024, maxRows: 100_000, maxColumns: 200, maxCellChars: 10_000, readerMemoryMb: 16 };
    try {
      // Both at once: the second waits in the queue while the first exhausts the thread.
      const [first, second] = await Promise.all([refusal(readTable(big, limits)), readTable(small, limits)]);
      expect(first).toMatch(/^memory: /);
      expect(second.rows).toEqual([['S-1', 'petit']]);
    } finally {
      await closeTableReader();
    }
  }, 60_000);
});
