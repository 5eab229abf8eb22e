import { KPI_KEYS, type KpiIndicator, type KpiKey } from '@gmao/contracts';
import { ENUM_LABELS } from '@gmao/domain';
import { formatsFor, type Locale } from '../../lib/french.js';
import { PdfDocumentWriter } from '../../lib/pdf-document.js';
import { monthName, writeStatementTables } from '../cost-statements/statement-export.js';
import type { SteeringReportData } from './steering-report.service.js';

/**
 * The steering committee's monthly PDF (issue 15): the six indicators of the month per site
 * and for the territory; each indicator's twelve months, as numbers per month and scope and
 * as a small bar chart of the territory; the month's cost allocation (per site and per pair,
 * approvals); the main events. Words in the reader's language, numbers in its conventions.
 */

interface Texts {
  title: (month: string) => string;
  territory: string;
  period: string;
  generated: string;
  indicatorsHeading: string;
  scope: string;
  kpis: Record<KpiKey, string>;
  /** For the month's table, whose columns are narrow. */
  shortKpis: Record<KpiKey, string>;
  units: Record<KpiKey, string>;
  trendHeading: (kpi: string) => string;
  month: string;
  costHeading: string;
  periodState: string;
  states: { open: string; closed: string };
  awaiting: (n: number, names: string) => string;
  total: string;
  eventsHeading: string;
  workOrders: string;
  workOrdersText: (opened: number, done: number) => string;
  decommissioned: string;
  decommissionedText: (n: number) => string;
  downtimes: string;
  overdue: string;
  overdueNote: string;
  more: string;
  none: string;
  device: string;
  site: string;
  date: string;
  reason: string;
  workOrder: string;
  started: string;
  ended: string;
  ongoing: string;
  downtimeInMonth: string;
  due: string;
  daysOverdue: string;
  plan: string;
  definitions: string;
  footer: (page: number, pages: number) => string;
}

const TEXTS: Record<Locale, Texts> = {
  fr: {
    title: (m) => `Rapport de pilotage — ${m}`,
    territory: 'Territoire', period: 'Période', generated: 'Édité le',
    indicatorsHeading: 'Les six indicateurs du mois', scope: 'Périmètre',
    kpis: {
      availability: 'Disponibilité des équipements critiques', mttr: 'MTTR', pmCompliance: 'Maintenance préventive réalisée',
      costPerDevice: 'Coût annuel de maintenance par équipement', techniciansPer1000: 'Techniciens pour 1 000 équipements', subcontractedShare: 'Part sous-traitée',
    },
    shortKpis: {
      availability: 'Disponibilité (critiques)', mttr: 'MTTR', pmCompliance: 'Préventif réalisé', costPerDevice: 'Coût par équipement et par an',
      techniciansPer1000: 'Techniciens pour 1 000', subcontractedShare: 'Part sous-traitée',
    },
    units: { availability: '%', mttr: 'heures', pmCompliance: '%', costPerDevice: '€ par équipement et par an', techniciansPer1000: 'ETP', subcontractedShare: '%' },
    trendHeading: (k) => `Tendance sur 12 mois — ${k}`,
    month: 'Mois',
    costHeading: 'Répartition des coûts entre sites du mois',
    periodState: 'État de la période', states: { open: 'ouverte', closed: 'close' },
    awaiting: (n, names) => `${n} site(s) à approuver : ${names}`,
    total: 'Total échangé',
    eventsHeading: 'Faits marquants du mois',
    workOrders: 'Ordres de travail', workOrdersText: (o, d) => `${o} demandé(s), ${d} réalisé(s) dans le mois`,
    decommissioned: 'Équipements réformés', decommissionedText: (n) => `${n} équipement(s) réformé(s) dans le mois`,
    downtimes: 'Les plus longues indisponibilités du mois', overdue: 'Travaux réglementaires en retard',
    overdueNote: 'Travaux réglementaires planifiés, échus avant la fin du mois et toujours pas réalisés à ce jour.',
    more: 'et d’autres…', none: 'Aucun.',
    device: 'Équipement', site: 'Site', date: 'Date', reason: 'Motif', workOrder: 'OT', started: 'Début', ended: 'Fin', ongoing: 'en cours',
    downtimeInMonth: 'Durée dans le mois', due: 'Échéance', daysOverdue: 'Jours de retard', plan: 'Plan',
    definitions: 'Définitions exactes des indicateurs : ADR 0022 (jours Europe/Paris ; « — » : pas de dénominateur). Répartition des coûts : ADR 0023.',
    footer: (p, n) => `Rapport de pilotage — page ${p} / ${n}`,
  },
  en: {
    title: (m) => `Steering report — ${m}`,
    territory: 'Territory', period: 'Period', generated: 'Issued on',
    indicatorsHeading: 'The six indicators of the month', scope: 'Scope',
    kpis: {
      availability: 'Availability of critical equipment', mttr: 'MTTR', pmCompliance: 'Planned maintenance done',
      costPerDevice: 'Annual maintenance cost per device', techniciansPer1000: 'Technicians per 1,000 devices', subcontractedShare: 'Share subcontracted',
    },
    shortKpis: {
      availability: 'Availability (critical)', mttr: 'MTTR', pmCompliance: 'Planned work done', costPerDevice: 'Cost per device-year',
      techniciansPer1000: 'Technicians per 1,000', subcontractedShare: 'Share subcontracted',
    },
    units: { availability: '%', mttr: 'hours', pmCompliance: '%', costPerDevice: '€ per device-year', techniciansPer1000: 'FTE', subcontractedShare: '%' },
    trendHeading: (k) => `12-month trend — ${k}`,
    month: 'Month',
    costHeading: 'Cost allocation between sites for the month',
    periodState: 'State of the period', states: { open: 'open', closed: 'closed' },
    awaiting: (n, names) => `${n} site(s) to approve: ${names}`,
    total: 'Total exchanged',
    eventsHeading: 'Main events of the month',
    workOrders: 'Work orders', workOrdersText: (o, d) => `${o} requested, ${d} done in the month`,
    decommissioned: 'Devices decommissioned', decommissionedText: (n) => `${n} device(s) decommissioned in the month`,
    downtimes: 'Longest downtimes of the month', overdue: 'Overdue regulatory work',
    overdueNote: 'Planned regulatory work due before the end of the month and still not done today.',
    more: 'and more…', none: 'None.',
    device: 'Device', site: 'Site', date: 'Date', reason: 'Reason', workOrder: 'Work order', started: 'Start', ended: 'End', ongoing: 'ongoing',
    downtimeInMonth: 'Duration in the month', due: 'Due', daysOverdue: 'Days overdue', plan: 'Plan',
    definitions: 'Exact definitions of the indicators: ADR 0022 (Europe/Paris days; “—”: no denominator). Cost allocation: ADR 0023.',
    footer: (p, n) => `Steering report — page ${p} of ${n}`,
  },
};

/** An indicator's value in its unit, as the report writes it. */
export function formatIndicator(locale: Locale, key: KpiKey, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const tag = formatsFor(locale).tag;
  switch (key) {
    case 'availability':
    case 'pmCompliance':
    case 'subcontractedShare':
      return new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'mttr':
      return `${new Intl.NumberFormat(tag, { maximumFractionDigits: 1 }).format(value)} h`;
    case 'costPerDevice':
      return new Intl.NumberFormat(tag, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(value / 100);
    case 'techniciansPer1000':
      return new Intl.NumberFormat(tag, { maximumFractionDigits: 2 }).format(value);
  }
}

/** Short month labels: « nov. 26 » under the bars, « nov. 2026 » in the tables. */
function shortMonth(locale: Locale, month: string, year: '2-digit' | 'numeric' = '2-digit'): string {
  return new Intl.DateTimeFormat(formatsFor(locale).tag, { month: 'short', year, timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** Sites per trend table: beyond, the table goes on with the next sites. */
const SITES_PER_TABLE = 4;

export async function steeringReportPdf(d: SteeringReportData, locale: Locale): Promise<Uint8Array> {
  const t = TEXTS[locale];
  const f = formatsFor(locale);
  const monthText = monthName(locale, d.month);
  const doc = await PdfDocumentWriter.create({ title: t.title(monthText), language: f.tag, footer: t.footer });
  const current = d.trend.at(-1)!.kpis;
  const sites = current.bySite.map((s) => s.site);

  doc.title(t.title(monthText));
  doc.field(t.territory, d.territoryName);
  doc.field(t.period, `${f.date(current.from)} – ${f.date(current.to)}`);
  doc.field(t.generated, f.dateTime(d.generatedAt));

  // The month: the six per scope.
  doc.heading(t.indicatorsHeading);
  doc.table(
    [{ title: t.scope, share: 2 }, ...KPI_KEYS.map((k) => ({ title: t.shortKpis[k], share: 1.2 }))],
    [
      [t.territory, ...KPI_KEYS.map((k) => formatIndicator(locale, k, current[k].value))],
      ...current.bySite.map((s) => [s.site.name, ...KPI_KEYS.map((k) => formatIndicator(locale, k, s[k].value))]),
    ],
  );

  // Twelve months of each indicator: the territory's bars, then the numbers per month and scope.
  for (const k of KPI_KEYS) {
    doc.heading(`${t.trendHeading(t.kpis[k])} (${t.units[k]})`);
    doc.bars(d.trend.map((m) => ({ label: shortMonth(locale, m.month), value: m.kpis[k].value, text: formatIndicator(locale, k, m.kpis[k].value) })));
    for (let start = 0; start === 0 || start < sites.length; start += SITES_PER_TABLE) {
      const chunk = sites.slice(start, start + SITES_PER_TABLE);
      const siteValue = (m: (typeof d.trend)[number], id: string): KpiIndicator | undefined => m.kpis.bySite.find((s) => s.site.id === id)?.[k];
      doc.table(
        [{ title: t.month, share: 1.2 }, ...(start === 0 ? [{ title: t.territory, share: 1.2 }] : []), ...chunk.map((s) => ({ title: s.name, share: 1.2 }))],
        d.trend.map((m) => [
          shortMonth(locale, m.month, 'numeric'),
          ...(start === 0 ? [formatIndicator(locale, k, m.kpis[k].value)] : []),
          ...chunk.map((s) => formatIndicator(locale, k, siteValue(m, s.id)?.value ?? null)),
        ]),
      );
      if (sites.length === 0) break;
    }
  }

  // The cost allocation of the month.
  const s = d.statement;
  doc.heading(t.costHeading);
  const names = new Map(s.sites.map((x) => [x.siteId, x.siteName]));
  doc.field(t.periodState, s.state === 'closed' ? `${t.states.closed} (${f.dateTime(s.closedAt)})`
    : `${t.states.open} — ${t.awaiting(s.awaitingSiteIds.length, s.awaitingSiteIds.map((id) => names.get(id) ?? id).join(', '))}`);
  doc.field(t.total, f.money(s.totalCents));
  writeStatementTables(doc, { statement: s, sites: s.sites.map((x) => ({ id: x.siteId, name: x.siteName })) }, locale);

  // The main events.
  const e = d.events;
  const device = (x: { inventoryNumber: string; manufacturer: string | null; modelName: string | null }) =>
    [x.inventoryNumber, [x.manufacturer, x.modelName].filter(Boolean).join(' ')].filter(Boolean).join(' — ');
  doc.heading(t.eventsHeading);
  doc.field(t.workOrders, t.workOrdersText(e.workOrders.opened, e.workOrders.done));
  doc.field(t.decommissioned, t.decommissionedText(e.decommissionedCount));
  if (e.decommissioned.length > 0) {
    doc.table(
      [{ title: t.date, share: 1 }, { title: t.device, share: 2.6 }, { title: t.site, share: 1.6 }, { title: t.reason, share: 1.6 }],
      e.decommissioned.map((x) => [
        f.date(x.decommissionedAt), device(x), x.siteName,
        x.reason ? ((ENUM_LABELS[locale].decommissionReasons as Record<string, string>)[x.reason] ?? x.reason) : '—',
      ]),
    );
    if (e.decommissionedCount > e.decommissioned.length) doc.paragraph(t.more);
  }
  doc.heading(t.downtimes);
  if (e.downtimes.length === 0) doc.paragraph(t.none);
  else {
    doc.table(
      [{ title: t.workOrder, share: 1.5 }, { title: t.device, share: 2.3 }, { title: t.site, share: 1.5 }, { title: t.started, share: 1.3 },
        { title: t.ended, share: 1.3 }, { title: t.downtimeInMonth, share: 1 }],
      e.downtimes.map((x) => [
        x.number, device(x), x.siteName, f.dateTime(x.startedAt), x.endedAt ? f.dateTime(x.endedAt) : t.ongoing,
        `${f.number(Math.round((x.minutesInMonth / 60) * 10) / 10)} h`,
      ]),
    );
  }
  doc.heading(t.overdue);
  doc.paragraph(t.overdueNote);
  if (e.overdueRegulatory.length === 0) doc.paragraph(t.none);
  else {
    doc.table(
      [{ title: t.workOrder, share: 1.5 }, { title: t.device, share: 2.1 }, { title: t.site, share: 1.5 }, { title: t.plan, share: 1.8 }, { title: t.due, share: 1 },
        { title: t.daysOverdue, share: 0.9 }],
      e.overdueRegulatory.map((x) => [x.number, device(x), x.siteName, x.planName, f.date(x.dueDate), String(x.daysOverdue)]),
    );
    if (e.overdueRegulatoryMore) doc.paragraph(t.more);
  }
  doc.paragraph(t.definitions);
  return doc.save();
}
