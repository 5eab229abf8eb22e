import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Equipment } from '@gmao/contracts';
import { CSV_BOM } from '../../lib/csv.js';
import { EXPORT_COLUMNS, csvChunks, csvHeader, csvLine, exportFileName, exportValues, writeXlsx, xlsxValue } from './export.js';
import { ExcelJS, parseCsv } from '../../../../../tests/support/documents.js';

function device(over: Partial<Equipment> = {}): Equipment {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    inventoryNumber: 'CHU-2019-00123',
    site: { id: '00000000-0000-4000-8000-000000000002', name: 'CHU de Démo', shortCode: 'CHU' },
    locationId: '00000000-0000-4000-8000-000000000003',
    locationPath: 'A › A1 › Réanimation › A101',
    model: { id: '00000000-0000-4000-8000-000000000004', manufacturer: 'B. Braun', modelName: 'Perfusor Space', riskClass: 'IIb' },
    category: { id: '00000000-0000-4000-8000-000000000005', code: 'PERF-PSE', label: 'Pousse-seringue' },
    serialNumber: 'SN-001',
    udiDi: '04046964123456',
    udiIssuingEntity: 'GS1',
    udiPi: null,
    supplier: 'Fournisseur; "Médical"',
    acquisitionDate: '2019-03-07',
    acquisitionCostCents: 123456,
    commissioningDate: '2019-04-01',
    warrantyEnd: null,
    ownership: 'owned',
    lenderSiteId: null,
    lenderName: null,
    status: 'under_maintenance',
    maintenanceMode: 'external_contract',
    criticality: 'high',
    maintenanceObligation: true,
    qualityControlObligation: false,
    computedObligations: { maintenance: true, qualityControl: false, grounds: ['risk_class'], mismatches: [] },
    emOverrides: { function: null, physicalRisk: null, maintenance: null, incidentHistory: null },
    emScore: { total: 15, inPlannedMaintenance: true, parts: [] },
    missingLegalFields: [],
    notes: '',
    decommissionedAt: null,
    decommissionReason: null,
    version: 1,
    createdAt: '2019-03-07T10:00:00.000Z',
    updatedAt: '2019-03-07T10:00:00.000Z',
    ...over,
  };
}


async function* pagesOf(...pages: Equipment[][]) {
  for (const p of pages) yield p;
}

async function collect(gen: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const b of gen) parts.push(b);
  return Buffer.concat(parts).toString('utf8');
}

describe('CSV file', () => {
  it('starts with a BOM and the French headers, separated by ; and ended by CRLF', () => {
    const header = csvHeader();
    expect(header.startsWith(CSV_BOM)).toBe(true);
    expect(header.endsWith('\r\n')).toBe(true);
    expect(header.slice(1, -2).split(';')).toEqual([
      "N° d'inventaire", 'Site', 'Localisation', 'Catégorie', 'Fabricant', 'Modèle', 'Classe de risque', 'N° de série', 'UDI-DI',
      'Fournisseur', "Date d'acquisition", "Coût d'acquisition (€)", 'Date de mise en service', 'Fin de garantie', 'Propriété',
      'Statut', 'Mode de maintenance', 'Criticité', 'Score EM', 'Entité UDI',
    ]);
  });

  it('writes one line per device with French values and empty cells for unknowns', () => {
    const line = csvLine(exportValues(device()));
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsv(line)[0]).toEqual([
      'CHU-2019-00123', 'CHU de Démo', 'A › A1 › Réanimation › A101', 'Pousse-seringue', 'B. Braun', 'Perfusor Space', 'IIb', 'SN-001',
      '04046964123456', 'Fournisseur; "Médical"', '07/03/2019', '1234,56', '01/04/2019', '', 'Propriété de l’établissement',
      'En maintenance', 'Contrat externe', 'Élevée', '15', 'GS1',
    ]);
    const bare = device({ model: null, category: null, locationPath: null, acquisitionCostCents: null, acquisitionDate: null, emScore: null, status: 'in_stock' });
    const cells = parseCsv(csvLine(exportValues(bare)))[0]!;
    expect(cells[3]).toBe('');
    expect(cells[11]).toBe('');
    expect(cells[15]).toBe('En stock');
    expect(cells[18]).toBe('');
  });

  it('streams the header then each page, and round-trips through a CSV parser', async () => {
    const a = device();
    const b = device({ inventoryNumber: 'CHU-2019-00124', serialNumber: '=cmd|"/C calc"!A0', supplier: 'Ligne 1\nLigne 2' });
    const text = await collect(csvChunks(pagesOf([a], [], [b])));
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.length === EXPORT_COLUMNS.length)).toBe(true);
    expect(rows[2]![0]).toBe('CHU-2019-00124');
    expect(rows[2]![7]).toBe(`'=cmd|"/C calc"!A0`);
    expect(rows[2]![9]).toBe('Ligne 1\nLigne 2');
    // no bare LF line ends: every record ends with CRLF
    expect(text.replace(/"[^"]*"/g, '').match(/[^\r]\n/)).toBeNull();
  });

  it('names the file after the day in Paris', () => {
    expect(exportFileName('csv', new Date('2026-03-01T23:30:00Z'))).toBe('inventaire-2026-03-02.csv');
    expect(exportFileName('xlsx', new Date('2026-07-14T12:00:00Z'))).toBe('inventaire-2026-07-14.xlsx');
  });
});

describe('XLSX', () => {
  it('converts cells to real dates (no time-zone shift) and euros', () => {
    expect(xlsxValue('date', '2019-03-07')).toEqual(new Date(Date.UTC(2019, 2, 7)));
    expect(xlsxValue('money', 123456)).toBe(1234.56);
    expect(xlsxValue('integer', 15)).toBe(15);
    expect(xlsxValue('text', '=1+1')).toBe('=1+1');
    expect(xlsxValue('date', null)).toBeNull();
  });

  it('writes a workbook with a bold frozen header, an auto-filter, dates and numbers', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const finished = new Promise((resolve) => out.on('end', resolve));
    const devices = Array.from({ length: 30 }, (_, i) => device({ inventoryNumber: `CHU-2019-${String(i).padStart(5, '0')}` }));
    await writeXlsx(pagesOf(devices.slice(0, 20), devices.slice(20)), out);
    await finished;

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Inventaire')!;
    expect(ws.actualRowCount).toBe(31);
    expect(ws.getRow(1).values).toEqual([undefined, ...EXPORT_COLUMNS.map((c) => c.header)]);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:T31');
    const row = ws.getRow(2);
    expect(row.getCell(1).value).toBe('CHU-2019-00000');
    expect(row.getCell(11).value).toEqual(new Date(Date.UTC(2019, 2, 7)));
    expect(row.getCell(11).numFmt).toBe('dd/mm/yyyy');
    expect(row.getCell(12).value).toBe(1234.56);
    expect(row.getCell(14).value).toBeNull();
    expect(row.getCell(16).value).toBe('En maintenance');
    expect(row.getCell(19).value).toBe(15);
    expect(ws.getRow(31).getCell(1).value).toBe('CHU-2019-00029');
  });
});
