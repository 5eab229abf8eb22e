import { describe, expect, it } from 'vitest';
import { receiptOf, transferDirection, transferSteps } from './transfers.ts';

describe('transfers', () => {
  it('lists the steps taken, in the order they happened, with the side that takes each', () => {
    const steps = transferSteps({
      requested: { by: 'tech', at: '2026-11-30T08:00:00.000Z' },
      approved: { by: 'manager', at: '2026-11-30T09:00:00.000Z' },
      rejected: null,
      shipped: { by: 'manager', at: '2026-11-30T10:00:00.000Z' },
      received: null,
      cancelled: null,
    });
    expect(steps.map((s) => [s.step, s.by, s.side])).toEqual([['requested', 'tech', 'destination'], ['approved', 'manager', 'source'], ['shipped', 'manager', 'source']]);
    expect(transferSteps({ requested: { by: 'a', at: '2026-11-30T08:00:00Z' }, approved: null, rejected: null, shipped: null, received: null, cancelled: { by: 'b', at: '2026-11-30T09:00:00Z' } })
      .map((s) => s.side)).toEqual(['destination', 'either']);
  });

  it('says whether the transfer comes in or goes out of the site', () => {
    const x = { sourceSiteId: 'ch1', destinationSiteId: 'chu' };
    expect(transferDirection(x, 'chu')).toBe('in');
    expect(transferDirection(x, 'ch1')).toBe('out');
    expect(transferDirection(x, 'ch2')).toBeNull();
    expect(transferDirection(x, null)).toBeNull();
  });

  it('reads a receipt: what arrived and the shortfall recorded lost', () => {
    expect(receiptOf(5, '5')).toEqual({ received: 5, lost: 0 });
    expect(receiptOf(5, 3)).toEqual({ received: 3, lost: 2 });
    expect(receiptOf(5, '0')).toEqual({ received: 0, lost: 5 });
    expect(receiptOf(5, '6')).toBeNull();
    expect(receiptOf(5, '')).toBeNull();
    expect(receiptOf(5, '2.5')).toBeNull();
  });
});
