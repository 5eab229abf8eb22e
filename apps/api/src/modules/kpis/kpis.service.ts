import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { KpiIndicator, KpiKey, KpiQuery, Kpis, KpiSeries, KpiSeriesQuery } from '@gmao/contracts';
import type { DB } from '@gmao/db';
import {
  addKpiSums, availability, can, costOfServiceRatio, costPerDevice, dayCount, DEFAULT_LABOUR_HOURLY_RATE_CENTS, EMPTY_KPI_SUMS, histogramPercentileHours, maintenanceCostCents,
  meanActiveRepairHours, monthsOf, mtbf, mttr, parisDay, pmCompliance, subcontractedShare, techniciansPer1000, vendorCostShare,
  type Indicator, type KpiSums, type Principal,
} from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import { forbidden, notFound } from '../../lib/problem.js';
import { conventionRatesOn, kpiGroups, kpiMonths, kpiRepairHistogram, technicianFte, territoryCategories, territorySites } from './kpis.repository.js';

const DENIED = 'Les indicateurs sont réservés à l’équipe biomédicale et aux responsables de site.';

const sum = (rows: readonly Partial<KpiSums>[]): KpiSums => rows.reduce<KpiSums>((s, r) => addKpiSums(s, r), EMPTY_KPI_SUMS);
const out = (i: Indicator): KpiIndicator => ({ ...i, records: Math.round(i.records) });

/** The technicians of a scope: their FTE and how many people. */
interface Staff {
  fte: number;
  people: number;
}

/** The six indicators of one scope (technicians per 1,000 over every category's devices). */
function six(s: KpiSums, allCategories: KpiSums, staff: Staff, days: number) {
  return {
    availability: out(availability(s.activeMinutesCritical, s.downMinutesCritical, s.pairsCritical)),
    mttr: out(mttr(s)),
    pmCompliance: out(pmCompliance(s.pmDue, s.pmDone)),
    costPerDevice: out(costPerDevice(s)),
    techniciansPer1000: out(techniciansPer1000(staff.fte, staff.people, allCategories.deviceDays, days)),
    subcontractedShare: out(subcontractedShare(s)),
  };
}

function one(key: KpiKey, s: KpiSums, allCategories: KpiSums, staff: Staff, days: number): Indicator {
  return six(s, allCategories, staff, days)[key];
}

/**
 * The indicators of the pooling study (issue 15, ADR 0022), from the daily rollups. The
 * biomedical team (technicians, engineers) and site managers read every site's indicators;
 * care staff do not.
 */
export class KpisService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  private async scope(p: Principal, q: { siteId?: string; categoryId?: string }) {
    const territoryId = p.territoryId;
    if (!can(p, 'kpi.read', { territoryId })) throw forbidden(DENIED);
    const [sites, categories] = await Promise.all([territorySites(this.deps.db, territoryId), territoryCategories(this.deps.db, territoryId)]);
    if (q.siteId && !sites.some((s) => s.id === q.siteId)) throw notFound('Site');
    if (q.categoryId && !categories.some((c) => c.id === q.categoryId)) throw notFound('Catégorie d’équipement');
    const fte = await technicianFte(this.deps.db, territoryId);
    const staffOf = (siteId?: string): Staff => {
      const rows = siteId ? fte.filter((r) => r.siteId === siteId) : fte;
      return { fte: rows.reduce((a, r) => a + r.fte, 0), people: new Set(rows.map((r) => r.userId)).size };
    };
    return { territoryId, sites, categories, staffOf, today: parisDay(new Date()) };
  }

  async kpis(ctx: ActorContext, q: z.output<typeof KpiQuery>): Promise<Kpis> {
    const { territoryId, sites, categories, staffOf, today } = await this.scope(ctx.principal, q);
    const computedTo = q.to < today ? q.to : today;
    const days = dayCount(q.from, computedTo);
    const [rows, histogram, rates] = await Promise.all([
      kpiGroups(this.deps.db, { territoryId, from: q.from, to: q.to, siteId: q.siteId }),
      kpiRepairHistogram(this.deps.db, { territoryId, from: q.from, to: q.to, siteId: q.siteId, categoryId: q.categoryId }),
      conventionRatesOn(this.deps.db, territoryId, computedTo),
    ]);
    const inCategory = q.categoryId ? rows.filter((r) => r.categoryId === q.categoryId) : rows;
    const s = sum(inCategory);
    const all = sum(rows);
    const siteList = q.siteId ? sites.filter((x) => x.id === q.siteId) : sites;
    const categoryIds = [...new Set(inCategory.map((r) => r.categoryId))];
    const named = categoryIds
      .map((id) => ({ id, category: id === null ? null : (categories.find((c) => c.id === id) ?? null) }))
      .sort((a, b) => (a.category?.name ?? '\uffff').localeCompare(b.category?.name ?? '\uffff', 'fr') || String(a.id).localeCompare(String(b.id)));
    return {
      from: q.from, to: q.to, computedTo, siteId: q.siteId ?? null, categoryId: q.categoryId ?? null,
      labourHourlyRateCents: rates.technicianHourlyRateCents ?? DEFAULT_LABOUR_HOURLY_RATE_CENTS,
      engineerHourlyRateCents: rates.engineerHourlyRateCents ?? DEFAULT_LABOUR_HOURLY_RATE_CENTS,
      conventionVersionId: rates.versionId,
      ...six(s, all, staffOf(q.siteId), days),
      availabilityHigh: out(availability(s.activeMinutesHigh, s.downMinutesHigh, s.pairsHigh)),
      mttrMedianHours: histogramPercentileHours(histogram, 0.5),
      mttrP90Hours: histogramPercentileHours(histogram, 0.9),
      meanActiveRepairHours: out(meanActiveRepairHours(s)),
      pmRegulatory: out(pmCompliance(s.pmRegulatoryDue, s.pmRegulatoryDone)),
      costOfServiceRatio: out(costOfServiceRatio(s)),
      vendorCostShare: out(vendorCostShare(s)),
      cost: {
        labourCents: s.labourCents, partsCents: s.partsCents, vendorCents: s.vendorCents, contractsCents: Math.round(s.contractCents),
        totalCents: maintenanceCostCents(s),
      },
      byCategory: named.map(({ id, category }) => {
        const c = sum(inCategory.filter((r) => r.categoryId === id));
        return {
          category,
          availability: out(availability(c.activeMinutesCritical, c.downMinutesCritical, c.pairsCritical)),
          availabilityHigh: out(availability(c.activeMinutesHigh, c.downMinutesHigh, c.pairsHigh)),
          mtbf: out(mtbf(c)),
          mttr: out(mttr(c)),
          costPerDevice: out(costPerDevice(c)),
        };
      }),
      bySite: siteList.map((site) => ({
        site,
        ...six(sum(inCategory.filter((r) => r.siteId === site.id)), sum(rows.filter((r) => r.siteId === site.id)), staffOf(site.id), days),
      })),
    };
  }

  async series(ctx: ActorContext, q: z.output<typeof KpiSeriesQuery>): Promise<KpiSeries> {
    const { territoryId, staffOf, today } = await this.scope(ctx.principal, q);
    const rows = await kpiMonths(this.deps.db, { territoryId, from: q.from, to: q.to, siteId: q.siteId });
    const staff = staffOf(q.siteId);
    return {
      kpi: q.kpi, from: q.from, to: q.to, interval: 'month', siteId: q.siteId ?? null, categoryId: q.categoryId ?? null,
      points: monthsOf(q.from, q.to).map((m) => {
        const month = rows.filter((r) => r.month === m.month);
        const s = sum(q.categoryId ? month.filter((r) => r.categoryId === q.categoryId) : month);
        const days = dayCount(m.from, m.to < today ? m.to : today);
        return { month: m.month, from: m.from, to: m.to, ...out(one(q.kpi, s, sum(month), staff, days)) };
      }),
    };
  }
}
