import type { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { GroupedOrder, GroupedOrderProposal } from '@gmao/contracts';
import { CSV_BOM, csvRow, csvText, frenchEuros } from '../../lib/csv.js';
import { parisDay, type Locale } from '../../lib/french.js';

/**
 * The grouped order's exports (ADR 0014), one row per store allocation: supplier, part
 * (reference, manufacturer part number, description, unit), site and store, quantity, unit
 * cost and total. A buyer filters by supplier to send each supplier its order (or pivots
 * by part for the quantities to order) and keeps the split per store for the receipt;
 * the columns stay the same whatever the number of sites. An order adds the quantity
 * received so far. Headers in the reader's language; CSV for French Excel (lib/csv.ts),
 * XLSX through exceljs's streaming writer with real numbers.
 */

export interface ExportRow {
  supplier: string;
  partReference: string;
  manufacturerPartNumber: string;
  description: string;
  unit: string;
  siteName: string;
  storeName: string;
  quantity: number;
  unitCostCents: number;
  totalCents: number;
  /** Orders only. */
  quantityReceived?: number;
}

type Kind = 'text' | 'integer' | 'money';
interface Column {
  key: keyof ExportRow;
  kind: Kind;
  width: number;
}

const COLUMNS: readonly Column[] = [
  { key: 'supplier', kind: 'text', width: 24 },
  { key: 'partReference', kind: 'text', width: 18 },
  { key: 'manufacturerPartNumber', kind: 'text', width: 18 },
  { key: 'description', kind: 'text', width: 40 },
  { key: 'unit', kind: 'text', width: 10 },
  { key: 'siteName', kind: 'text', width: 28 },
  { key: 'storeName', kind: 'text', width: 24 },
  { key: 'quantity', kind: 'integer', width: 10 },
  { key: 'unitCostCents', kind: 'money', width: 14 },
  { key: 'totalCents', kind: 'money', width: 14 },
  { key: 'quantityReceived', kind: 'integer', width: 10 },
];

interface Texts {
  headers: Record<keyof ExportRow, string>;
  units: Record<string, string>;
  noSupplier: string;
  sheet: string;
  proposalFile: string;
  orderFile: string;
}

export const EXPORT_TEXTS: Record<Locale, Texts> = {
  fr: {
    headers: {
      supplier: 'Fournisseur', partReference: 'Référence', manufacturerPartNumber: 'Réf. fabricant', description: 'Désignation', unit: 'Unité',
      siteName: 'Site', storeName: 'Magasin', quantity: 'Quantité', unitCostCents: 'Prix unitaire HT (€)', totalCents: 'Montant HT (€)',
      quantityReceived: 'Quantité reçue',
    },
    units: { piece: 'pièce', box: 'boîte', metre: 'mètre', litre: 'litre', kit: 'kit', pack: 'lot' },
    noSupplier: 'Sans fournisseur',
    sheet: 'Commande groupée',
    proposalFile: 'proposition-commande-groupee',
    orderFile: 'commande-groupee',
  },
  en: {
    headers: {
      supplier: 'Supplier', partReference: 'Reference', manufacturerPartNumber: 'Manufacturer part number', description: 'Description', unit: 'Unit',
      siteName: 'Site', storeName: 'Store', quantity: 'Quantity', unitCostCents: 'Unit cost excl. VAT (€)', totalCents: 'Total excl. VAT (€)',
      quantityReceived: 'Quantity received',
    },
    units: { piece: 'piece', box: 'box', metre: 'metre', litre: 'litre', kit: 'kit', pack: 'pack' },
    noSupplier: 'No supplier',
    sheet: 'Grouped order',
    proposalFile: 'grouped-order-proposal',
    orderFile: 'grouped-order',
  },
};

/** The proposal's rows: one per store allocation with a quantity, in the proposal's order. */
export function proposalRows(p: GroupedOrderProposal, locale: Locale): ExportRow[] {
  const t = EXPORT_TEXTS[locale];
  return p.groups.flatMap((g) => g.lines.flatMap((l) => l.allocations.filter((a) => a.quantity > 0).map((a) => ({
    supplier: l.supplier ?? t.noSupplier, partReference: l.partReference, manufacturerPartNumber: l.manufacturerPartNumber, description: l.description,
    unit: t.units[l.unit] ?? l.unit, siteName: a.siteName, storeName: a.storeName, quantity: a.quantity, unitCostCents: l.unitCostCents,
    totalCents: a.quantity * l.unitCostCents,
  }))));
}

/** An order's rows: one per store allocation, by supplier then the order's lines. */
export function orderRows(o: GroupedOrder, locale: Locale): ExportRow[] {
  const t = EXPORT_TEXTS[locale];
  const lines = [...o.lines].sort((a, b) => a.supplier.localeCompare(b.supplier, 'fr'));
  return lines.flatMap((l) => l.allocations.map((a) => ({
    supplier: l.supplier, partReference: l.partReference, manufacturerPartNumber: l.manufacturerPartNumber, description: l.description,
    unit: t.units[l.unit] ?? l.unit, siteName: a.siteName, storeName: a.storeName, quantity: a.quantityOrdered, unitCostCents: l.unitCostCents,
    totalCents: a.quantityOrdered * l.unitCostCents, quantityReceived: a.quantityReceived,
  })));
}

const columnsFor = (withReceived: boolean) => COLUMNS.filter((c) => withReceived || c.key !== 'quantityReceived');

/** `commande-groupee-CG-000012.csv`, or the proposal's dated in Europe/Paris. */
export function exportFileName(locale: Locale, extension: 'csv' | 'xlsx', orderNumber?: string, now = new Date()): string {
  const t = EXPORT_TEXTS[locale];
  return orderNumber ? `${t.orderFile}-${orderNumber}.${extension}` : `${t.proposalFile}-${parisDay(now)}.${extension}`;
}

function csvCell(kind: Kind, value: string | number | undefined): string {
  if (value === undefined) return '';
  if (kind === 'money') return frenchEuros(Number(value));
  if (kind === 'integer') return String(value);
  return csvText(String(value));
}

/** The CSV for French Excel: BOM, `;`, CRLF, formula guard, euros with a decimal comma. */
export function exportCsv(rows: readonly ExportRow[], locale: Locale, withReceived: boolean): string {
  const columns = columnsFor(withReceived);
  const header = csvRow(columns.map((c) => csvText(EXPORT_TEXTS[locale].headers[c.key])));
  return CSV_BOM + header + rows.map((r) => csvRow(columns.map((c) => csvCell(c.kind, r[c.key])))).join('');
}

const NUM_FMT: Record<Kind, string | undefined> = { text: undefined, integer: '0', money: '#,##0.00' };

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * Writes the workbook to `out` with exceljs's streaming writer (rows committed as they go):
 * a bold, frozen header row with an auto-filter, quantities as numbers, money in euros.
 */
export async function writeXlsx(rows: readonly ExportRow[], locale: Locale, withReceived: boolean, out: PassThrough): Promise<void> {
  const columns = columnsFor(withReceived);
  const texts = EXPORT_TEXTS[locale];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'GMAO de territoire';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(texts.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width, ...(NUM_FMT[c.kind] ? { style: { numFmt: NUM_FMT[c.kind] } } : {}) }));
  const header = sheet.addRow(columns.map((c) => texts.headers[c.key]));
  header.font = { bold: true };
  header.commit();
  for (const r of rows) {
    sheet.addRow(columns.map((c) => {
      const v = r[c.key];
      if (v === undefined) return null;
      return c.kind === 'money' ? Number(v) / 100 : v;
    })).commit();
  }
  sheet.autoFilter = { from: 'A1', to: `${columnLetter(columns.length)}${rows.length + 1}` };
  sheet.commit();
  await workbook.commit();
}
