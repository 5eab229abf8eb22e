import type { z } from 'zod';
import type { StockTransferBalance, StockTransferBalanceQuery, StockValue, StockValueQuery } from '@gmao/contracts';
import type { ActorContext, AppDeps } from '../../lib/context.js';
import * as repo from './stock-report.repository.js';

/** What the shelves are worth, and what the sites gave each other through transfers (issue 12). */
export class StockReportService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  /** Everyone signed in reads every site's stock, its value included. */
  async value(ctx: ActorContext, query: z.output<typeof StockValueQuery>): Promise<StockValue> {
    const territoryId = ctx.principal.territoryId;
    const [stores, inTransitValueCents] = await Promise.all([
      repo.storeValues(this.deps.db, territoryId, query.siteId),
      repo.inTransitValue(this.deps.db, territoryId, query.siteId),
    ]);
    const sites: StockValue['sites'] = [];
    for (const s of stores) {
      let site = sites.at(-1);
      if (site?.siteId !== s.siteId) {
        site = { siteId: s.siteId, siteName: s.siteName, valueCents: 0, units: 0, lines: 0, stores: [] };
        sites.push(site);
      }
      site.stores.push({ storeId: s.storeId, storeName: s.storeName, storeCode: s.storeCode, valueCents: s.valueCents, units: s.units, lines: s.lines });
      site.valueCents += s.valueCents;
      site.units += s.units;
      site.lines += s.lines;
    }
    const sum = (key: 'valueCents' | 'units' | 'lines') => sites.reduce((n, s) => n + s[key], 0);
    return { territory: { valueCents: sum('valueCents'), units: sum('units'), lines: sum('lines'), inTransitValueCents }, sites };
  }

  /**
   * Transfers shipped in the period, per pair of sites and per site: what each gave and
   * received at the cost the parts left with. Feeds the cost allocation between sites.
   */
  async transferBalance(ctx: ActorContext, query: z.output<typeof StockTransferBalanceQuery>): Promise<StockTransferBalance> {
    const pairs = await repo.transferPairs(this.deps.db, ctx.principal.territoryId, query.from, query.to, query.siteId);
    const sites = new Map<string, StockTransferBalance['sites'][number]>();
    const site = (id: string, name: string) => {
      let s = sites.get(id);
      if (!s) sites.set(id, (s = { siteId: id, siteName: name, givenCents: 0, receivedCents: 0, netCents: 0 }));
      return s;
    };
    for (const p of pairs) {
      site(p.fromSiteId, p.fromSiteName).givenCents += p.valueShippedCents;
      site(p.toSiteId, p.toSiteName).receivedCents += p.valueShippedCents;
    }
    const list = [...sites.values()]
      .filter((s) => !query.siteId || s.siteId === query.siteId)
      .map((s) => ({ ...s, netCents: s.givenCents - s.receivedCents }))
      .sort((a, b) => a.siteName.localeCompare(b.siteName, 'fr') || a.siteId.localeCompare(b.siteId));
    return { from: query.from, to: query.to, pairs, sites: list };
  }
}
