import { describe, expect, it } from 'vitest';
import { JOB_QUEUE, SCHEDULES, costLedgerJobOptions, isLiveJobState, jobIdFor, stockAlertsJobOptions } from './index.js';

describe('a live job', () => {
  it('is one a worker has still to run or is running: waiting, prioritized, waiting for children, delayed, active', () => {
    for (const state of ['waiting', 'prioritized', 'waiting-children', 'delayed', 'active'] as const) expect(isLiveJobState(state), state).toBe(true);
  });

  it('is not a missing job, nor a finished one (completed, failed), nor one Redis does not know', () => {
    for (const state of ['completed', 'failed', 'unknown', null, undefined] as const) expect(isLiveJobState(state), String(state)).toBe(false);
  });
});

describe('the stock alerts jobs (ADR 0015)', () => {
  it('run on the maintenance queue, daily for every territory', () => {
    expect(JOB_QUEUE['stock-alerts']).toBe('maintenance');
    expect(JOB_QUEUE['stock-alerts-daily']).toBe('maintenance');
    expect(SCHEDULES.find((s) => s.id === 'stock-alerts-daily')).toEqual({ id: 'stock-alerts-daily', job: 'stock-alerts-daily', data: {}, pattern: '45 5 * * *' });
  });

  it("are deduplicated by the territory's deterministic id, the last add kept while one is active", () => {
    const territoryId = '3b1c2d4e-5f60-4718-9a0b-1c2d3e4f5a6b';
    expect(jobIdFor['stock-alerts'](territoryId)).toBe(`stock-alerts-${territoryId}`);
    expect(stockAlertsJobOptions(territoryId)).toEqual({ deduplication: { id: `stock-alerts-${territoryId}`, keepLastIfActive: true } });
    expect(jobIdFor['stock-alerts'](territoryId)).not.toBe(jobIdFor['stock-alerts']('4b1c2d4e-5f60-4718-9a0b-1c2d3e4f5a6b'));
  });
});

describe('the cost ledger job (ADR 0023)', () => {
  it('runs on the maintenance queue every ten minutes, and on demand one waiting per territory', () => {
    expect(JOB_QUEUE['cost-ledger']).toBe('maintenance');
    expect(SCHEDULES.find((s) => s.id === 'cost-ledger')).toEqual({ id: 'cost-ledger', job: 'cost-ledger', data: {}, pattern: '*/10 * * * *' });
    const territoryId = '3b1c2d4e-5f60-4718-9a0b-1c2d3e4f5a6b';
    expect(costLedgerJobOptions(territoryId)).toEqual({ deduplication: { id: `cost-ledger-${territoryId}`, keepLastIfActive: true } });
    expect(costLedgerJobOptions(undefined).deduplication?.id).toBe('cost-ledger-all');
  });
});
