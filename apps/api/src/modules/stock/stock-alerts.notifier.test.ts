import { describe, expect, it, vi } from 'vitest';
import { QueueUnavailableError, jobIdFor } from '@gmao/queue';
import { StockAlertsNotifier } from './stock-alerts.notifier.js';

const TERRITORY = '7b0c8a52-3f4e-4c39-9d7e-0a4f1f0d2c11';

function notifier(enqueue: () => Promise<string>) {
  const log = { warn: vi.fn(), error: vi.fn() };
  const queues = { enqueue: vi.fn(enqueue) };
  return { log, queues, alerts: new StockAlertsNotifier({ queues, log }) };
}

describe('the stock alerts notifier (best effort after a committed movement)', () => {
  it("enqueues the territory's job, deduplicated by its deterministic id and kept when one is active", async () => {
    const { alerts, queues, log } = notifier(async () => 'job-1');
    await alerts.stockMoved(TERRITORY);
    expect(queues.enqueue).toHaveBeenCalledWith('stock-alerts', { territoryId: TERRITORY }, {
      deduplication: { id: jobIdFor['stock-alerts'](TERRITORY), keepLastIfActive: true },
    });
    expect(log.warn).not.toHaveBeenCalled();
    expect(log.error).not.toHaveBeenCalled();
  });

  it('never throws when the queue is unavailable: a warning, the daily run catches up', async () => {
    const { alerts, log } = notifier(async () => {
      throw new QueueUnavailableError('Redis is not available (reconnecting)');
    });
    await expect(alerts.stockMoved(TERRITORY)).resolves.toBeUndefined();
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ territoryId: TERRITORY }), expect.stringMatching(/daily reconciliation/));
    expect(log.error).not.toHaveBeenCalled();
  });

  it('never throws on any other failure either (the movement has committed): an error in the log', async () => {
    const { alerts, log } = notifier(async () => {
      throw new Error('ERR unexpected reply');
    });
    await expect(alerts.stockMoved(TERRITORY)).resolves.toBeUndefined();
    expect(log.error).toHaveBeenCalledTimes(1);
  });
});
