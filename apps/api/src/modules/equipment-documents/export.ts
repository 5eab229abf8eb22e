import type { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Equipment } from '@gmao/contracts';
import { LABELS_FR } from '@gmao/domain';
import { CSV_BOM, csvRow, csvText, frenchDate, frenchEuros } from '../../lib/csv.js';
import { parisDay } from '../../lib/french.js';

/**
 * The inventory export, in one place for both formats: the columns (French headers, the
 * coded values by their labels of packages/domain) and the two writers (CSV for French
 * Excel through lib/csv.ts, XLSX).
 * Both read pages of devices from an async iterable, so the whole inventory never sits
 * in memory.
 */

/** text: as is; date: yyyy-mm-dd; money: integer cents; integer: a whole number. */
export type CellKind = 'text' | 'date' | 'money' | 'integer';
export type CellValue = string | number | null;

export interface ExportColumn {
  header: string;
  kind: CellKind;
  /** Column width in the spreadsheet, in characters. */
  width: number;
  value(e: Equipment): CellValue;
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: "N° d'inventaire", kind: 'text', width: 18, value: (e) => e.inventoryNumber },
  { header: 'Site', kind: 'text', width: 28, value: (e) => e.site.name },
  { header: 'Localisation', kind: 'text', width: 36, value: (e) => e.locationPath },
  { header: 'Catégorie', kind: 'text', width: 32, value: (e) => e.category?.label ?? null },
  { header: 'Fabricant', kind: 'text', width: 20, value: (e) => e.model?.manufacturer ?? null },
  { header: 'Modèle', kind: 'text', width: 24, value: (e) => e.model?.modelName ?? null },
  { header: 'Classe de risque', kind: 'text', width: 10, value: (e) => e.model?.riskClass ?? null },
  { header: 'N° de série', kind: 'text', width: 18, value: (e) => e.serialNumber },
  { header: 'UDI-DI', kind: 'text', width: 16, value: (e) => e.udiDi },
  { header: 'Fournisseur', kind: 'text', width: 22, value: (e) => e.supplier },
  { header: "Date d'acquisition", kind: 'date', width: 12, value: (e) => e.acquisitionDate },
  { header: "Coût d'acquisition (€)", kind: 'money', width: 14, value: (e) => e.acquisitionCostCents },
  { header: 'Date de mise en service', kind: 'date', width: 12, value: (e) => e.commissioningDate },
  { header: 'Fin de garantie', kind: 'date', width: 12, value: (e) => e.warrantyEnd },
  { header: 'Propriété', kind: 'text', width: 24, value: (e) => LABELS_FR.ownerships[e.ownership] },
  { header: 'Statut', kind: 'text', width: 15, value: (e) => LABELS_FR.equipmentStatuses[e.status] },
  { header: 'Mode de maintenance', kind: 'text', width: 16, value: (e) => LABELS_FR.maintenanceModes[e.maintenanceMode] },
  { header: 'Criticité', kind: 'text', width: 10, value: (e) => LABELS_FR.criticalities[e.criticality] },
  { header: 'Score EM', kind: 'integer', width: 9, value: (e) => e.emScore?.total ?? null },
  // Last, so that the columns before keep their places: the UDI-DI's issuing entity (the import reads it back).
  { header: 'Entité UDI', kind: 'text', width: 10, value: (e) => e.udiIssuingEntity },
];

export function exportValues(e: Equipment): CellValue[] {
  return EXPORT_COLUMNS.map((c) => c.value(e));
}

/** `inventaire-2026-03-01.csv`, dated in Europe/Paris. */
export function exportFileName(extension: 'csv' | 'xlsx', now = new Date()): string {
  const day = parisDay(now);
  return `inventaire-${day}.${extension}`;
}

// --- CSV ------------------------------------------------------------------------------------

export function csvCell(kind: CellKind, value: CellValue): string {
  if (value === null || value === '') return '';
  switch (kind) {
    case 'date':
      return frenchDate(String(value));
    case 'money':
      return frenchEuros(Number(value));
    case 'integer':
      return String(value);
    case 'text':
      return csvText(String(value));
  }
}

export function csvLine(values: readonly CellValue[]): string {
  return csvRow(values.map((v, i) => csvCell(EXPORT_COLUMNS[i]!.kind, v)));
}

export function csvHeader(): string {
  return CSV_BOM + csvRow(EXPORT_COLUMNS.map((c) => csvText(c.header)));
}

/** The CSV file, one chunk per page of devices (UTF-8 with BOM, `;`, CRLF). */
export async function* csvChunks(pages: AsyncIterable<readonly Equipment[]>): AsyncGenerator<Buffer> {
  yield Buffer.from(csvHeader(), 'utf8');
  for await (const page of pages) {
    if (page.length > 0) yield Buffer.from(page.map((e) => csvLine(exportValues(e))).join(''), 'utf8');
  }
}

// --- XLSX -----------------------------------------------------------------------------------

const NUM_FMT: Record<CellKind, string | undefined> = { text: undefined, date: 'dd/mm/yyyy', money: '#,##0.00', integer: '0' };

/** A spreadsheet value: real dates (UTC midnight, no time zone shift) and numbers in euros. */
export function xlsxValue(kind: CellKind, value: CellValue): string | number | Date | null {
  if (value === null) return null;
  switch (kind) {
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number) as [number, number, number];
      return new Date(Date.UTC(y, m - 1, d));
    }
    case 'money':
      return Number(value) / 100;
    case 'integer':
      return Number(value);
    case 'text':
      return String(value);
  }
}

function drainedOrClosed(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * Writes the XLSX workbook to `out` with exceljs's streaming writer, page by page: each
 * row is committed (serialised into the zip) at once, and the writer waits while the
 * response is not draining. A bold, frozen header row with an auto-filter.
 */
export async function writeXlsx(pages: AsyncIterable<readonly Equipment[]>, out: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'GMAO de territoire';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet('Inventaire', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((c, i) => ({
    key: `c${i}`,
    width: c.width,
    ...(NUM_FMT[c.kind] ? { style: { numFmt: NUM_FMT[c.kind] } } : {}),
  }));
  const header = sheet.addRow(EXPORT_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let rows = 1;
  for await (const page of pages) {
    for (const e of page) {
      const values = exportValues(e).map((v, i) => xlsxValue(EXPORT_COLUMNS[i]!.kind, v));
      sheet.addRow(values).commit();
      rows++;
    }
    // Let the zip compress what was committed, then wait while the client is not reading.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (out.writableNeedDrain && !out.destroyed) await drainedOrClosed(out);
    if (out.destroyed) return; // the client went away: stop reading the inventory
  }
  sheet.autoFilter = { from: 'A1', to: `${columnLetter(EXPORT_COLUMNS.length)}${rows}` };
  sheet.commit();
  await workbook.commit();
}
