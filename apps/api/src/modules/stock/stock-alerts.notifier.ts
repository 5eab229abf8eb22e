import type { FastifyBaseLogger } from 'fastify';
import { QueueUnavailableError, stockAlertsJobOptions, type Queues } from '@gmao/queue';

/**
 * Tells the worker that a territory's stock moved, so that it raises or clears the
 * below-minimum alerts (ADR 0015). Called by every service that changes on hand or a
 * minimum, AFTER its transaction committed, and best effort: the movement is the record,
 * the alert is derived data that the daily reconciliation catches up. So a stock movement
 * never fails, and never answers 5xx, because Redis is down: the enqueue's failure is logged
 * (a warning when the queue is unavailable) and swallowed. The wait is bounded by the
 * queues' timeout (QueueUnavailableError at once when Redis is not ready).
 */
export class StockAlertsNotifier {
  constructor(private readonly deps: { queues: Pick<Queues, 'enqueue'>; log: Pick<FastifyBaseLogger, 'warn' | 'error'> }) {}

  async stockMoved(territoryId: string): Promise<void> {
    try {
      await this.deps.queues.enqueue('stock-alerts', { territoryId }, stockAlertsJobOptions(territoryId));
    } catch (err) {
      if (err instanceof QueueUnavailableError) {
        this.deps.log.warn({ err, territoryId }, 'stock alerts not enqueued (queue unavailable): the daily reconciliation will catch up');
      } else {
        // The movement has committed: an answer other than its success would invite a retry (a second movement).
        this.deps.log.error({ err, territoryId }, 'stock alerts not enqueued: the daily reconciliation will catch up');
      }
    }
  }
}
