import type { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { LedgerKind, LedgerLine } from '@gmao/contracts';
import { CSV_BOM, csvRow, csvText, frenchDate, frenchEuros } from '../../lib/csv.js';
import { formatsFor, type Locale } from '../../lib/french.js';
import { PdfDocumentWriter } from '../../lib/pdf-document.js';
import type { StatementExport } from './cost-statements.service.js';

/**
 * The monthly statement's exports (ADR 0023): every site's totals and every pair (what every
 * reader sees), then the lines the caller may read in detail. Amounts in euros. CSV for
 * French Excel (lib/csv.ts), one table with a type column (site, pair, line); XLSX with a
 * sheet for each; a PDF for the steering committee (lib/pdf-document.ts). Words in the
 * reader's language.
 */

type Texts = {
  title: (month: string) => string;
  file: string;
  month: string;
  state: string;
  states: { open: string; closed: string };
  closedAt: string;
  awaiting: string;
  none: string;
  total: string;
  generated: string;
  sitesHeading: string;
  pairsHeading: string;
  linesHeading: string;
  linesNote: (n: number) => string;
  linesOwnOnly: string;
  approvalsHeading: string;
  approvedBy: (name: string, at: string) => string;
  notApproved: string;
  kinds: Record<LedgerKind, string>;
  types: { site: string; pair: string; line: string };
  headers: Record<Key, string>;
  footer: (page: number, pages: number) => string;
  yes: string;
  sheets: { sites: string; pairs: string; lines: string };
};

type Key = 'type' | 'site' | 'counterpart' | 'kind' | 'date' | 'gave' | 'received' | 'net' | 'lines' | 'amount' | 'quantity' | 'unitCost'
  | 'workOrder' | 'equipment' | 'person' | 'part' | 'correction' | 'description' | 'lineId' | 'approval';

export const STATEMENT_TEXTS: Record<Locale, Texts> = {
  fr: {
    title: (m) => `Relevé de répartition des coûts entre sites — ${m}`,
    file: 'releve-couts',
    month: 'Mois', state: 'État', states: { open: 'ouvert', closed: 'clos' }, closedAt: 'Clos le', awaiting: 'Sites à approuver', none: 'aucun',
    total: 'Total échangé', generated: 'Édité le',
    sitesHeading: 'Totaux par site', pairsHeading: 'Soldes par paire de sites', linesHeading: 'Lignes du grand livre',
    linesNote: (n) => `${n} ligne(s).`, linesOwnOnly: 'Seules les lignes de vos sites figurent ici ; les totaux couvrent tous les sites.',
    approvalsHeading: 'Approbations',
    approvedBy: (name, at) => `approuvé par ${name} le ${at}`, notApproved: 'non approuvé',
    kinds: { labour: 'Main-d’œuvre', travel: 'Déplacement', part_transfer: 'Pièces transférées', shared_contract: 'Contrat partagé' },
    types: { site: 'site', pair: 'paire', line: 'ligne' },
    headers: {
      type: 'Type', site: 'Site', counterpart: 'Contrepartie', kind: 'Nature', date: 'Date', gave: 'Donné (€)', received: 'Reçu (€)', net: 'Solde (€)',
      lines: 'Lignes', amount: 'Montant (€)', quantity: 'Quantité', unitCost: 'Coût unitaire (€)', workOrder: 'OT', equipment: 'Équipement',
      person: 'Intervenant', part: 'Pièce', correction: 'Correction', description: 'Description', lineId: 'N° de ligne', approval: 'Approbation',
    },
    footer: (p, n) => `Page ${p} / ${n}`,
    yes: 'oui',
    sheets: { sites: 'Sites', pairs: 'Paires', lines: 'Lignes' },
  },
  en: {
    title: (m) => `Statement of cost allocation between sites — ${m}`,
    file: 'cost-statement',
    month: 'Month', state: 'State', states: { open: 'open', closed: 'closed' }, closedAt: 'Closed on', awaiting: 'Sites to approve', none: 'none',
    total: 'Total exchanged', generated: 'Issued on',
    sitesHeading: 'Totals per site', pairsHeading: 'Balances per pair of sites', linesHeading: 'Ledger lines',
    linesNote: (n) => `${n} line(s).`, linesOwnOnly: 'Only your sites’ lines are listed here; the totals cover every site.',
    approvalsHeading: 'Approvals',
    approvedBy: (name, at) => `approved by ${name} on ${at}`, notApproved: 'not approved',
    kinds: { labour: 'Labour', travel: 'Travel', part_transfer: 'Parts transferred', shared_contract: 'Shared contract' },
    types: { site: 'site', pair: 'pair', line: 'line' },
    headers: {
      type: 'Type', site: 'Site', counterpart: 'Counterpart', kind: 'Kind', date: 'Date', gave: 'Gave (€)', received: 'Received (€)', net: 'Net (€)',
      lines: 'Lines', amount: 'Amount (€)', quantity: 'Quantity', unitCost: 'Unit cost (€)', workOrder: 'Work order', equipment: 'Device',
      person: 'Person', part: 'Part', correction: 'Correction', description: 'Description', lineId: 'Line no.', approval: 'Approval',
    },
    footer: (p, n) => `Page ${p} of ${n}`,
    yes: 'yes',
    sheets: { sites: 'Sites', pairs: 'Pairs', lines: 'Lines' },
  },
};

export function statementFileName(locale: Locale, month: string, extension: 'csv' | 'xlsx' | 'pdf'): string {
  return `${STATEMENT_TEXTS[locale].file}-${month}.${extension}`;
}

/** A month written out: « novembre 2026 », "November 2026". */
export function monthName(locale: Locale, month: string): string {
  return new Intl.DateTimeFormat(formatsFor(locale).tag, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

type Cell = string | number | null;
/** A value in euros (cents ÷ 100) for the spreadsheets. */
type Euros = { euros: number };
type Row = Partial<Record<Key, Cell | Euros>>;

const euros = (cents: number | null): Euros | null => (cents === null ? null : { euros: cents });

function siteRows(x: StatementExport, t: Texts, formats: ReturnType<typeof formatsFor>): Row[] {
  return x.statement.sites.map((s) => ({
    type: t.types.site, site: s.siteName, gave: euros(s.gaveCents), received: euros(s.receivedCents), net: euros(s.netCents), lines: s.lines,
    approval: s.approval ? t.approvedBy(s.approval.approvedBy.name, formats.dateTime(s.approval.approvedAt)) : t.notApproved,
  }));
}

function pairRows(x: StatementExport, t: Texts, name: (id: string) => string): Row[] {
  return x.statement.pairs.map((p) => ({
    type: t.types.pair, site: name(p.siteAId), counterpart: name(p.siteBId), gave: euros(p.aGaveCents), received: euros(p.bGaveCents),
    net: euros(p.netCents), lines: p.lines,
  }));
}

function lineRows(lines: readonly LedgerLine[], t: Texts, name: (id: string) => string, dateOf: (d: string) => string): Row[] {
  return lines.map((l) => ({
    type: t.types.line, lineId: l.id, site: name(l.creditorSiteId), counterpart: name(l.debtorSiteId), kind: t.kinds[l.kind], date: dateOf(l.occurredOn),
    amount: euros(l.amountCents), quantity: l.quantity, unitCost: euros(l.unitCostCents), workOrder: l.workOrder?.number ?? null,
    equipment: l.equipment?.label ?? null, person: l.user?.name ?? null, part: l.part?.label ?? null, correction: l.correction ? t.yes : null,
    description: l.description || null,
  }));
}

const namer = (x: StatementExport) => {
  const names = new Map(x.sites.map((s) => [s.id, s.name]));
  return (id: string) => names.get(id) ?? id;
};

const CSV_KEYS: readonly Key[] = ['type', 'site', 'counterpart', 'gave', 'received', 'net', 'lines', 'approval', 'lineId', 'kind', 'date', 'amount',
  'quantity', 'unitCost', 'workOrder', 'equipment', 'person', 'part', 'correction', 'description'];

function csvCell(v: Cell | Euros | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return frenchEuros(v.euros);
  if (typeof v === 'number') return String(v).replace('.', ',');
  return csvText(v);
}

/** One table: the sites, the pairs, then the lines (for a site: gave, received, net; for a pair: A gave, B gave, B owes A; the creditor first on a line). */
export function statementCsv(x: StatementExport, locale: Locale): string {
  const t = STATEMENT_TEXTS[locale];
  const name = namer(x);
  const rows = [...siteRows(x, t, formatsFor(locale)), ...pairRows(x, t, name), ...lineRows(x.lines, t, name, frenchDate)];
  return CSV_BOM + csvRow(CSV_KEYS.map((k) => csvText(t.headers[k]))) + rows.map((r) => csvRow(CSV_KEYS.map((k) => csvCell(r[k])))).join('');
}

const SITE_KEYS: readonly Key[] = ['site', 'gave', 'received', 'net', 'lines', 'approval'];
const PAIR_KEYS: readonly Key[] = ['site', 'counterpart', 'gave', 'received', 'net', 'lines'];
const LINE_KEYS: readonly Key[] = ['lineId', 'date', 'site', 'counterpart', 'kind', 'amount', 'quantity', 'unitCost', 'workOrder', 'equipment', 'person', 'part', 'correction', 'description'];
const MONEY_KEYS: ReadonlySet<Key> = new Set(['gave', 'received', 'net', 'amount', 'unitCost']);

/** Three sheets (sites, pairs, lines), bold frozen headers, euros as numbers with two decimals, text as string cells. */
export async function writeStatementXlsx(x: StatementExport, locale: Locale, out: PassThrough): Promise<void> {
  const t = STATEMENT_TEXTS[locale];
  const name = namer(x);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'GMAO de territoire';
  workbook.created = new Date();
  const pairHeaders: Partial<Record<Key, string>> = locale === 'fr'
    ? { site: 'Site A', counterpart: 'Site B', gave: 'A a donné (€)', received: 'B a donné (€)', net: 'B doit à A (€)' }
    : { site: 'Site A', counterpart: 'Site B', gave: 'A gave (€)', received: 'B gave (€)', net: 'B owes A (€)' };
  const lineHeaders: Partial<Record<Key, string>> = locale === 'fr'
    ? { site: 'Créancier (a donné)', counterpart: 'Débiteur (a reçu)' } : { site: 'Creditor (gave)', counterpart: 'Debtor (received)' };
  const sheets: [string, readonly Key[], Row[], Partial<Record<Key, string>>][] = [
    [t.sheets.sites, SITE_KEYS, siteRows(x, t, formatsFor(locale)), {}],
    [t.sheets.pairs, PAIR_KEYS, pairRows(x, t, name), pairHeaders],
    [t.sheets.lines, LINE_KEYS, lineRows(x.lines, t, name, (d) => d), lineHeaders],
  ];
  for (const [sheetName, keys, rows, headers] of sheets) {
    const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    sheet.columns = keys.map((k) => ({
      key: k, width: k === 'description' || k === 'equipment' || k === 'approval' ? 40 : k === 'site' || k === 'counterpart' ? 28 : 16,
      ...(MONEY_KEYS.has(k) ? { style: { numFmt: '#,##0.00' } } : {}),
    }));
    const header = sheet.addRow(keys.map((k) => headers[k] ?? t.headers[k]));
    header.font = { bold: true };
    header.commit();
    for (const r of rows) {
      sheet.addRow(keys.map((k) => {
        const v = r[k];
        if (v === undefined || v === null) return null;
        return typeof v === 'object' ? v.euros / 100 : v;
      })).commit();
    }
    sheet.commit();
  }
  await workbook.commit();
}

/** The statement as a PDF: its state and approvals, the totals per site, the pairs, the lines the caller may read. */
export async function statementPdf(x: StatementExport, locale: Locale): Promise<Uint8Array> {
  const t = STATEMENT_TEXTS[locale];
  const f = formatsFor(locale);
  const name = namer(x);
  const s = x.statement;
  const doc = await PdfDocumentWriter.create({ title: t.title(monthName(locale, s.month)), language: f.tag, footer: t.footer });
  doc.title(t.title(monthName(locale, s.month)));
  doc.field(t.state, s.state === 'closed' ? `${t.states.closed} (${t.closedAt} ${f.dateTime(s.closedAt)})` : t.states.open);
  doc.field(t.total, f.money(s.totalCents));
  if (s.state === 'open') doc.field(t.awaiting, s.awaitingSiteIds.map(name).join(', ') || t.none);
  doc.field(t.generated, f.dateTime(new Date()));
  writeStatementTables(doc, x, locale);
  doc.heading(t.linesHeading);
  if (s.detailSiteIds !== null) doc.paragraph(t.linesOwnOnly);
  doc.paragraph(t.linesNote(x.lines.length));
  if (x.lines.length > 0) {
    doc.table(
      [{ title: t.headers.date, share: 1.1 }, { title: locale === 'fr' ? 'Créancier' : 'Creditor', share: 1.6 }, { title: locale === 'fr' ? 'Débiteur' : 'Debtor', share: 1.6 },
        { title: t.headers.kind, share: 1.3 }, { title: t.headers.amount, share: 1.2 }, { title: t.headers.description, share: 2.6 }],
      x.lines.map((l) => [
        f.date(l.occurredOn), name(l.creditorSiteId), name(l.debtorSiteId), t.kinds[l.kind] + (l.correction ? ` (${t.headers.correction.toLowerCase()})` : ''),
        f.money(l.amountCents),
        [l.workOrder?.number, l.equipment?.label, l.user?.name, l.part?.label, l.description].filter(Boolean).join(' · '),
      ]),
    );
  }
  return doc.save();
}

/** The totals per site (with their approval) and the pairs: in the statement's PDF and in the steering report. */
export function writeStatementTables(doc: PdfDocumentWriter, x: Pick<StatementExport, 'statement' | 'sites'>, locale: Locale): void {
  const t = STATEMENT_TEXTS[locale];
  const f = formatsFor(locale);
  const names = new Map(x.sites.map((s) => [s.id, s.name]));
  const name = (id: string) => names.get(id) ?? id;
  doc.heading(t.sitesHeading);
  doc.table(
    [{ title: t.headers.site, share: 2.2 }, { title: t.headers.gave, share: 1.2 }, { title: t.headers.received, share: 1.2 }, { title: t.headers.net, share: 1.2 },
      { title: t.headers.lines, share: 0.9 }, { title: t.headers.approval, share: 1.8 }],
    x.statement.sites.map((s) => [
      s.siteName, f.money(s.gaveCents), f.money(s.receivedCents), f.money(s.netCents), String(s.lines),
      s.approval ? t.approvedBy(s.approval.approvedBy.name, f.dateTime(s.approval.approvedAt)) : t.notApproved,
    ]),
  );
  doc.heading(t.pairsHeading);
  if (x.statement.pairs.length === 0) doc.paragraph(t.none);
  else {
    doc.table(
      [{ title: 'A', share: 2 }, { title: 'B', share: 2 }, { title: locale === 'fr' ? 'A a donné' : 'A gave', share: 1.2 },
        { title: locale === 'fr' ? 'B a donné' : 'B gave', share: 1.2 }, { title: locale === 'fr' ? 'B doit à A' : 'B owes A', share: 1.2 }],
      x.statement.pairs.map((p) => [name(p.siteAId), name(p.siteBId), f.money(p.aGaveCents), f.money(p.bGaveCents), f.money(p.netCents)]),
    );
  }
}
