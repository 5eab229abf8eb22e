import {
  HarvestResult,
  Part,
  PartUsed,
  StockAvailability,
  StockLevel,
  StockMovement,
  StockMovementResult,
  StockReservation,
  StockTransfer,
  StockTransferBalance,
  StockValue,
  Store,
  page,
  type CataloguePartCreate,
  type CataloguePartUpdate,
  type HarvestCreate,
  type StockMovementCreate,
  type StockTransferCreate,
  type StoreCreate,
  type StoreUpdate,
  type STOCK_TRANSFER_STATES,
} from '@gmao/contracts';
import { z } from 'zod';
import { request } from './client.ts';

/** Spare parts and stock (issue 12): one typed function per endpoint, answers checked with the contracts. */

const enc = encodeURIComponent;

const PartPage = page(Part);
const StockPage = page(StockLevel);
const MovementPage = page(StockMovement);
const TransferPage = page(StockTransfer);
const StoreList = z.object({ items: z.array(Store) });
const AvailabilityList = z.object({ items: z.array(StockAvailability) });
const PartList = z.object({ items: z.array(PartUsed) });
const ReservationList = z.object({ items: z.array(StockReservation) });

export type PartPage = z.infer<typeof PartPage>;
export type StockPage = z.infer<typeof StockPage>;
export type MovementPage = z.infer<typeof MovementPage>;
export type TransferPage = z.infer<typeof TransferPage>;
export type TransferState = (typeof STOCK_TRANSFER_STATES)[number];

interface Paging {
  limit?: number;
  cursor?: string | null;
}

export const partsApi = {
  /** The catalogue, by internal reference; q: accent-insensitive search; equipmentModelId: the parts that fit a model. */
  list: (params: Paging & { q?: string; equipmentModelId?: string; active?: boolean } = {}) =>
    request('/parts', PartPage, {
      query: { q: params.q || undefined, equipmentModelId: params.equipmentModelId, active: params.active, limit: params.limit, cursor: params.cursor ?? undefined },
    }),
  get: (id: string) => request(`/parts/${enc(id)}`, Part),
  create: (body: CataloguePartCreate) => request('/parts', Part, { method: 'POST', body }),
  update: (id: string, version: number, body: CataloguePartUpdate) => request(`/parts/${enc(id)}`, Part, { method: 'PATCH', body, ifMatch: version }),
};

export const storesApi = {
  /** The territory's stores, or one site's. */
  list: (siteId?: string) => request('/stores', StoreList, { query: { siteId } }),
  create: (body: StoreCreate) => request('/stores', Store, { method: 'POST', body }),
  update: (id: string, version: number, body: StoreUpdate) => request(`/stores/${enc(id)}`, Store, { method: 'PATCH', body, ifMatch: version }),
};

export interface StockListParams extends Paging {
  siteId?: string;
  storeId?: string;
  partId?: string;
  q?: string;
  belowMinimum?: boolean;
}

export interface MovementListParams extends Paging {
  storeId?: string;
  partId?: string;
  workOrderId?: string;
  equipmentId?: string;
}

export const stockApi = {
  list: (params: StockListParams = {}) =>
    request('/stock', StockPage, {
      query: {
        siteId: params.siteId, storeId: params.storeId, partId: params.partId, q: params.q || undefined,
        belowMinimum: params.belowMinimum ? 'true' : undefined, limit: params.limit, cursor: params.cursor ?? undefined,
      },
    }),
  /** Minimum (reorder point), maximum and bin of a part in a store. */
  settings: (storeId: string, partId: string, body: { minimum?: number; maximum?: number | null; bin?: string }) =>
    request(`/stock/${enc(storeId)}/${enc(partId)}`, StockLevel, { method: 'PATCH', body }),
  /** Receipt, issue, return or adjustment (an adjustment's quantity is signed). */
  move: (body: StockMovementCreate) => request('/stock/movements', StockMovementResult, { method: 'POST', body }),
  movements: (params: MovementListParams = {}) =>
    request('/stock/movements', MovementPage, {
      query: { storeId: params.storeId, partId: params.partId, workOrderId: params.workOrderId, equipmentId: params.equipmentId, limit: params.limit, cursor: params.cursor ?? undefined },
    }),
  /** Stores holding a part (or the parts matching q, or fitting a model), nearest first from the asker's home site. */
  availability: (criterion: { partId: string } | { q: string } | { equipmentModelId: string }) =>
    request('/stock/availability', AvailabilityList, { query: { ...criterion } }),
  /** Value on the shelves per store, per site and for the territory (and in transit). */
  value: (siteId?: string) => request('/stock/value', StockValue, { query: { siteId } }),
  /** Parts taken from a device decommissioned for parts harvesting, into a store. */
  harvest: (equipmentId: string, body: HarvestCreate) =>
    request(`/equipment/${enc(equipmentId)}/harvest`, HarvestResult, { method: 'POST', body }),
};

export const transfersApi = {
  create: (body: StockTransferCreate) => request('/stock/transfers', StockTransfer, { method: 'POST', body }),
  list: (params: Paging & { siteId?: string; state?: TransferState; partId?: string; workOrderId?: string } = {}) =>
    request('/stock/transfers', TransferPage, {
      query: { siteId: params.siteId, state: params.state, partId: params.partId, workOrderId: params.workOrderId, limit: params.limit, cursor: params.cursor ?? undefined },
    }),
  get: (id: string) => request(`/stock/transfers/${enc(id)}`, StockTransfer),
  approve: (id: string, version: number, body: { quantity?: number; note?: string } = {}) =>
    request(`/stock/transfers/${enc(id)}/approve`, StockTransfer, { method: 'POST', body, ifMatch: version }),
  reject: (id: string, version: number, reason: string) =>
    request(`/stock/transfers/${enc(id)}/reject`, StockTransfer, { method: 'POST', body: { reason }, ifMatch: version }),
  ship: (id: string, version: number, body: { quantity?: number; note?: string } = {}) =>
    request(`/stock/transfers/${enc(id)}/ship`, StockTransfer, { method: 'POST', body, ifMatch: version }),
  /** quantity: what arrived (default: everything shipped); fewer needs lossReason. */
  receive: (id: string, version: number, body: { quantity?: number; lossReason?: string } = {}) =>
    request(`/stock/transfers/${enc(id)}/receive`, StockTransfer, { method: 'POST', body, ifMatch: version }),
  cancel: (id: string, version: number, reason: string) =>
    request(`/stock/transfers/${enc(id)}/cancel`, StockTransfer, { method: 'POST', body: { reason }, ifMatch: version }),
  /** What the sites gave each other through transfers shipped between two days (Europe/Paris). */
  balance: (params: { from: string; to: string; siteId?: string }) => request('/stock/transfers/balance', StockTransferBalance, { query: { ...params } }),
};

/** A work order's parts from the stock and its reservations. */
export const workOrderStockApi = {
  parts: (workOrderId: string) => request(`/work-orders/${enc(workOrderId)}/parts`, PartList),
  /** Issues the part from the store and records it on the work order in one transaction (409 insufficient_stock). */
  issue: (workOrderId: string, body: { partId: string; storeId: string; quantity: number }) =>
    request(`/work-orders/${enc(workOrderId)}/parts`, PartList, { method: 'POST', body }),
  /** Gives parts issued to the work order back to the store they came from (409 return_exceeds_issued). */
  giveBack: (workOrderId: string, body: { partId: string; storeId: string; quantity: number; reason?: string }) =>
    request('/stock/movements', StockMovementResult, { method: 'POST', body: { type: 'return', workOrderId, ...body } }),
  reservations: (workOrderId: string) => request(`/work-orders/${enc(workOrderId)}/reservations`, ReservationList),
  reserve: (workOrderId: string, body: { partId: string; storeId: string; quantity: number }) =>
    request(`/work-orders/${enc(workOrderId)}/reservations`, ReservationList, { method: 'POST', body }),
  release: (workOrderId: string, reservationId: string, reason?: string) =>
    request(`/work-orders/${enc(workOrderId)}/reservations/${enc(reservationId)}/release`, ReservationList, { method: 'POST', body: reason ? { reason } : {} }),
};
