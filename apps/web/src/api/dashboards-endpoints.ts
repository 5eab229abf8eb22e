import { Kpis, KpiSeries, SiteBalance, type KpiKey } from '@gmao/contracts';
import { request, requestFile } from './client.ts';
import { statementCsvPath } from '../lib/kpis.ts';

/**
 * The dashboards' calls (issue 15): the six indicators (GET /kpis), one indicator month by
 * month (GET /kpis/series), a site's balance with the other sites (GET /cost-statements/balance)
 * and a month's statement as CSV. Answers are checked with the contracts.
 */
export interface KpiPeriod {
  from: string;
  to: string;
  siteId?: string;
  categoryId?: string;
}

export const kpisApi = {
  get: (p: KpiPeriod) => request('/kpis', Kpis, { query: { from: p.from, to: p.to, siteId: p.siteId || undefined, categoryId: p.categoryId || undefined } }),
  series: (kpi: KpiKey, p: KpiPeriod) =>
    request('/kpis/series', KpiSeries, {
      query: { kpi, from: p.from, to: p.to, siteId: p.siteId || undefined, categoryId: p.categoryId || undefined, interval: 'month' },
    }),
};

export const costStatementsApi = {
  /** from, to: 'YYYY-MM'. */
  balance: (siteId: string, from: string, to: string) => request('/cost-statements/balance', SiteBalance, { query: { siteId, from, to } }),
  /** A month's statement as CSV (the token, refresh and errors of every call). */
  csv: (month: string) => requestFile(statementCsvPath(month)),
};
