import type { z } from 'zod';
import { encodeCursor, type StockAlert, type StockAlertListQuery } from '@gmao/contracts';
import type { ActorContext, AppDeps } from '../../lib/context.js';
import { listStockAlerts, type StockAlertListRow } from './stock-alerts.repository.js';

export function toStockAlert(r: StockAlertListRow): StockAlert {
  return {
    id: r.id, siteId: r.siteId, storeId: r.storeId, storeName: r.storeName, partId: r.partId, partReference: r.partReference,
    partDescription: r.partDescription, onHand: r.onHand, minimum: r.minimum, raisedAt: r.raisedAt.toISOString(),
    clearedAt: r.clearedAt?.toISOString() ?? null,
  };
}

/** Below-minimum stock alerts (ADR 0015): everyone signed in reads them, like the stock. */
export class StockAlertsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async list(ctx: ActorContext, query: z.output<typeof StockAlertListQuery>) {
    const rows = await listStockAlerts(this.deps.db, ctx.principal.territoryId, {
      siteId: query.siteId, storeId: query.storeId, state: query.state, before: query.cursor?.[0], limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toStockAlert), nextCursor: rows.length > query.limit && last ? encodeCursor([Number(last.number)]) : null };
  }
}
