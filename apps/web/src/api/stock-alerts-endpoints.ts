import { StockAlert, page, type StockAlertState } from '@gmao/contracts';
import type { z } from 'zod';
import { request } from './client.ts';

/** Below-minimum stock alerts (GET /stock/alerts), kept apart from endpoints.ts so that the home page's panel loads only this. */
const StockAlertPage = page(StockAlert);
export type StockAlertPage = z.infer<typeof StockAlertPage>;

export interface StockAlertListParams {
  siteId?: string;
  storeId?: string;
  /** open (default), cleared or all. */
  state?: StockAlertState;
  limit?: number;
  cursor?: string | null;
}

export const stockAlertsApi = {
  /** Newest first; open alerts unless `state` says otherwise. */
  list: (params: StockAlertListParams = {}) => request('/stock/alerts', StockAlertPage, { query: { ...params } }),
};
