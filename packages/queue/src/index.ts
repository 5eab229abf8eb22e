import { Queue, type JobsOptions, type QueueOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { DEFAULT_AUTO_CLOSE_DAYS } from '@gmao/domain';

/** Queue names (kebab-case). */
export const QUEUE_NAMES = ['maintenance', 'imports'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Every job: its name, the queue it runs on and its payload. Payloads carry ids and
 * parameters, never data: PostgreSQL is the source of truth.
 */
export interface JobMap {
  /** Deletes refresh tokens expired for more than `graceDays` days (daily). */
  'purge-expired-refresh-tokens': { graceDays: number };
  /** Commits a validated spreadsheet import (all or nothing), reporting progress. */
  'equipment-import': { importId: string; territoryId: string };
  /**
   * Closes work orders completed and not verified since, after their territory's delay
   * (`afterDays` for territories that set none) (daily).
   */
  'close-completed-work-orders': { afterDays: number };
}
export type JobName = keyof JobMap;

export const JOB_QUEUE: { [K in JobName]: QueueName } = {
  'purge-expired-refresh-tokens': 'maintenance',
  'equipment-import': 'imports',
  'close-completed-work-orders': 'maintenance',
};

/** Deterministic job ids make enqueueing idempotent (BullMQ ignores a second add with the same id). */
export const jobIdFor = {
  'equipment-import': (importId: string) => `equipment-import-${importId}`,
};

/** Repeatable jobs, upserted by every worker at start (idempotent by scheduler id). */
export const SCHEDULES: { id: string; job: JobName; data: JobMap[JobName]; pattern: string }[] = [
  { id: 'purge-expired-refresh-tokens-daily', job: 'purge-expired-refresh-tokens', data: { graceDays: 1 }, pattern: '15 3 * * *' },
  { id: 'close-completed-work-orders-daily', job: 'close-completed-work-orders', data: { afterDays: DEFAULT_AUTO_CLOSE_DAYS }, pattern: '30 3 * * *' },
];
export const SCHEDULE_TIMEZONE = 'Europe/Paris';

/**
 * Producers fail fast when Redis is down (no offline queue), so an API request errors at
 * once instead of hanging; workers retry forever (maxRetriesPerRequest: null), as BullMQ needs.
 */
export function createRedis(url: string, role: 'producer' | 'worker', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: role === 'worker',
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    connectTimeout: 5000,
    ...extra,
  });
}

/** Resolves once the connection is ready (a producer without offline queue fails commands before). */
export function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not become ready in time')), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface Queues {
  get(name: QueueName): Queue;
  enqueue<K extends JobName>(job: K, data: JobMap[K], opts?: JobsOptions): Promise<string>;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string): Queues {
  const queues = new Map<QueueName, Queue>();
  const get = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      const options: QueueOptions = {
        connection,
        prefix,
        defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      };
      q = new Queue(name, options);
      queues.set(name, q);
    }
    return q;
  };
  return {
    get,
    async enqueue(job, data, opts) {
      const added = await get(JOB_QUEUE[job]).add(job, data, opts);
      return added.id ?? '';
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
