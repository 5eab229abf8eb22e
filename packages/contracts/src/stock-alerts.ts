import { z } from 'zod';
import { listQuery, Timestamp, Uuid } from './common.js';

/** Below-minimum stock alerts (issue 12, ADR 0015). */

export const STOCK_ALERT_STATES = ['open', 'cleared', 'all'] as const;
export type StockAlertState = (typeof STOCK_ALERT_STATES)[number];

/**
 * One alert: a (store, part) whose on hand went below its minimum. `onHand` and `minimum`
 * are the quantities when it was raised; `clearedAt` is null while it is open.
 */
export const StockAlert = z
  .object({
    id: Uuid,
    siteId: Uuid,
    storeId: Uuid,
    storeName: z.string(),
    partId: Uuid,
    partReference: z.string(),
    partDescription: z.string(),
    onHand: z.number().int(),
    minimum: z.number().int(),
    raisedAt: Timestamp,
    clearedAt: Timestamp.nullable(),
  })
  .meta({ id: 'StockAlert' });
export type StockAlert = z.infer<typeof StockAlert>;

/** GET /api/v1/stock/alerts: newest first; open alerts unless `state` says otherwise. */
export const StockAlertListQuery = listQuery(z.tuple([z.number().int().min(1)])).extend({
  siteId: Uuid.optional(),
  storeId: Uuid.optional(),
  state: z.enum(STOCK_ALERT_STATES).default('open'),
});
