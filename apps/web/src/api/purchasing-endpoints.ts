import {
  GroupedOrder,
  GroupedOrderProposal,
  GroupedOrderReceiptResult,
  GroupedOrderSummary,
  page,
  type GroupedOrderCreate,
  type GroupedOrderReceipt,
} from '@gmao/contracts';
import type { GroupedOrderState } from '@gmao/domain';
import type { z } from 'zod';
import { request, requestFile } from './client.ts';

/** Grouped purchasing across the territory (ADR 0014): the proposal, the orders, their exports and receipts. */

const GroupedOrderPage = page(GroupedOrderSummary);
export type GroupedOrderPage = z.infer<typeof GroupedOrderPage>;

export interface ProposalParams {
  /** One supplier; '' for the parts without one. */
  supplier?: string;
  siteId?: string;
}

const enc = encodeURIComponent;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const accept = (format: 'csv' | 'xlsx') => (format === 'csv' ? 'text/csv' : XLSX);

export const purchasingApi = {
  /** The proposed grouped order from every store below its minimum. */
  proposal: (params: ProposalParams = {}) => request('/purchasing/grouped-order', GroupedOrderProposal, { query: { ...params } }),
  /** The proposal as CSV for French Excel or as an Excel workbook (headers in the UI language). */
  exportProposal: (format: 'csv' | 'xlsx', params: ProposalParams = {}) =>
    requestFile(`/purchasing/grouped-order/export.${format}`, { query: { ...params }, accept: accept(format) }),
  /** Orders, newest first, without their lines. */
  list: (params: { state?: GroupedOrderState; cursor?: string | null; limit?: number } = {}) =>
    request('/purchasing/grouped-orders', GroupedOrderPage, { query: { state: params.state, cursor: params.cursor ?? undefined, limit: params.limit } }),
  get: (id: string) => request(`/purchasing/grouped-orders/${enc(id)}`, GroupedOrder),
  create: (body: GroupedOrderCreate) => request('/purchasing/grouped-orders', GroupedOrder, { method: 'POST', body }),
  /** What arrived, split into the stores by the API (furthest below minimum first). */
  receive: (id: string, version: number, body: GroupedOrderReceipt) =>
    request(`/purchasing/grouped-orders/${enc(id)}/receipt`, GroupedOrderReceiptResult, { method: 'POST', body, ifMatch: version }),
  cancel: (id: string, version: number, reason: string) =>
    request(`/purchasing/grouped-orders/${enc(id)}/cancel`, GroupedOrder, { method: 'POST', body: { reason }, ifMatch: version }),
  /** Closes a partially received order whose rest will not come. */
  close: (id: string, version: number, reason: string) =>
    request(`/purchasing/grouped-orders/${enc(id)}/close`, GroupedOrder, { method: 'POST', body: { reason }, ifMatch: version }),
  exportOrder: (id: string, format: 'csv' | 'xlsx') =>
    requestFile(`/purchasing/grouped-orders/${enc(id)}/export.${format}`, { accept: accept(format) }),
};
