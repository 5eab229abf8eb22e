import { describe, expect, it } from 'vitest';
import { StockMovementCreate } from '@gmao/contracts';
import {
  countAdjustment, countBody, formatDistance, isBelowMinimum, movementBody, parseQuantity, signedQuantity, stockFiltersFromQuery,
  stockListParams, stockQueryFromFilters, stockRowId,
} from './stock.ts';

const key = { storeId: '0b6f1a36-3b0c-4a8e-9a55-2a2b6bb1b0a1', partId: '7c1e1f4e-5d7a-4a83-8f5b-0a7e3b2f9c11' };

describe('stock filters in the URL', () => {
  it('a bare URL shows the current site; siteId=all the territory', () => {
    expect(stockFiltersFromQuery({}, 'site-1')).toEqual({ q: '', siteId: 'site-1', storeId: '', belowMinimum: false });
    expect(stockFiltersFromQuery({ siteId: 'all', belowMinimum: 'true', q: ' batterie ' }, 'site-1')).toEqual({
      q: 'batterie', siteId: '', storeId: '', belowMinimum: true,
    });
  });
  it('round-trips through the URL and becomes GET /stock parameters', () => {
    const f = { q: 'spo2', siteId: 's', storeId: 'st', belowMinimum: true };
    expect(stockQueryFromFilters(f)).toEqual({ siteId: 's', q: 'spo2', storeId: 'st', belowMinimum: 'true' });
    expect(stockFiltersFromQuery(stockQueryFromFilters(f) as Record<string, string>, null)).toEqual(f);
    expect(stockListParams({ q: ' ', siteId: '', storeId: '', belowMinimum: false })).toEqual({
      q: undefined, siteId: undefined, storeId: undefined, belowMinimum: undefined,
    });
  });
});

describe('quantities', () => {
  it('reads whole numbers, signed or with spaces', () => {
    expect(parseQuantity('')).toBeNull();
    expect(parseQuantity(' 12 ')).toBe(12);
    expect(parseQuantity('1 200')).toBe(1200);
    expect(parseQuantity('-3')).toBe(-3);
    expect(parseQuantity('2,5')).toBeNaN();
    expect(parseQuantity('abc')).toBeNaN();
  });
  it('an inventory count adjusts by counted − on hand', () => {
    expect(countAdjustment(7, 10)).toBe(-3);
    expect(countAdjustment(12, 10)).toBe(2);
    expect(countAdjustment(10, 10)).toBe(0);
  });
  it('shows signed deltas with a true minus sign', () => {
    expect(signedQuantity(5, 'fr')).toBe('+5');
    expect(signedQuantity(-1200, 'en')).toBe('\u22121,200');
    expect(signedQuantity(0, 'fr')).toBe('0');
  });
  it('flags a row below its minimum', () => {
    expect(isBelowMinimum({ onHand: 1, minimum: 2 })).toBe(true);
    expect(isBelowMinimum({ onHand: 2, minimum: 2 })).toBe(false);
    expect(stockRowId(key)).toBe(`${key.storeId}:${key.partId}`);
  });
  it('formats distances, none without coordinates', () => {
    expect(formatDistance(null, 'fr')).toBeNull();
    expect(formatDistance(3.44, 'fr')).toBe('3,4 km');
    expect(formatDistance(42.6, 'en')).toBe('43 km');
  });
});

describe('movement bodies', () => {
  it('a receipt sends its unit cost typed in euros as cents', () => {
    const { body, invalid } = movementBody('receipt', key, { quantity: '10', unitCost: '12,50 €', supplier: ' Medisupply ', purchaseOrderReference: 'BC-42' });
    expect(invalid).toEqual([]);
    expect(body).toEqual({ type: 'receipt', ...key, quantity: 10, unitCostCents: 1250, supplier: 'Medisupply', purchaseOrderReference: 'BC-42', reason: undefined });
    expect(StockMovementCreate.safeParse(body).success).toBe(true);
  });
  it('an unreadable cost or quantity is named and left to the contract', () => {
    const { body, invalid } = movementBody('receipt', key, { quantity: '2,5', unitCost: '12,345' });
    expect(invalid).toEqual(['quantity', 'unitCostCents']);
    expect(body.quantity).toBeUndefined();
    expect(body.unitCostCents).toBeUndefined();
    expect(StockMovementCreate.safeParse(body).success).toBe(false);
  });
  it('an issue carries its work order, never a cost', () => {
    const { body } = movementBody('issue', key, { quantity: '1', workOrderId: '', unitCost: '3' });
    expect(body).toEqual({ type: 'issue', ...key, quantity: 1, workOrderId: undefined, reason: undefined });
    expect(StockMovementCreate.safeParse(body).success).toBe(true);
  });
  it('a count sends the signed adjustment with its reason; the same count changes nothing', () => {
    const lower = countBody(key, 10, { counted: '7', reason: 'Inventaire tournant' });
    // The count itself: the API computes −3 under the row's lock.
    expect(lower.body).toEqual({ type: 'adjustment', ...key, countedQuantity: 7, reason: 'Inventaire tournant' });
    expect(lower.unchanged).toBe(false);
    expect(StockMovementCreate.safeParse(lower.body).success).toBe(true);
    expect(countBody(key, 10, { counted: '10', reason: 'x' }).unchanged).toBe(true);
    // Without a reason the contract refuses it.
    expect(StockMovementCreate.safeParse(countBody(key, 10, { counted: '12', reason: ' ' }).body).success).toBe(false);
    expect(countBody(key, 10, { counted: '-1', reason: 'x' }).invalid).toEqual(['countedQuantity']);
  });
});
