import { Queue, type JobState, type JobsOptions, type QueueOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { DEFAULT_AUTO_CLOSE_DAYS } from '@gmao/domain';

/** Queue names (kebab-case). */
export const QUEUE_NAMES = ['maintenance', 'imports', 'pm'] as const;
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
  /**
   * Raises and clears a territory's below-minimum stock alerts (after stock movements,
   * best effort: ADR 0015). Enqueue with `stockAlertsJobOptions` (one waiting per territory).
   */
  'stock-alerts': { territoryId: string };
  /** Reconciles every territory's stock alerts, catching up movements whose job was never enqueued (daily). */
  'stock-alerts-daily': Record<string, never>;
  /**
   * Makes the day's notification digests (technicians: their work due soon and overdue;
   * engineers: overdue regulatory work at their sites) and sends their emails (daily; ADR 0017).
   * Idempotent: one digest per user, kind and Europe/Paris day, each email sent once.
   */
  'notification-digest': Record<string, never>;
  /**
   * Tells the holders of certificates crossing a milestone today (90, 30, 7 days before
   * expiry, on expiry), the territory's engineers and the site managers of the holders' sites,
   * and sends the emails (daily; ADR 0021). Exactly once per (person, skill, expiry date, milestone).
   */
  'certificate-expiry': Record<string, never>;
  /**
   * Generates the preventive work orders due within their plans' lead time, for a
   * territory (or one of its sites); result `{created}` (ADR 0016). Idempotent.
   */
  'pm-generate': { territoryId: string; siteId?: string };
  /** The periodic tick: enqueues a `pm-generate` per territory that has plans (every PM_GENERATE_EVERY_MINUTES). */
  'pm-generate-all': Record<string, never>;
  /**
   * Recomputes the indicators' daily rollups of the (site, day) ranges marked dirty since the
   * last run (every KPI_ROLLUP_PATTERN; ADR 0022). Idempotent: recomputed from the raw tables.
   */
  'kpi-rollup': Record<string, never>;
  /** Recomputes yesterday's and today's rollups of every site (nightly: open downtimes grow with the clock). */
  'kpi-rollup-nightly': Record<string, never>;
  /**
   * Posts the inter-site cost ledger by differences (ADR 0023): every territory, or one
   * (on demand, after a change that should show at once). Idempotent: a second run posts nothing.
   */
  'cost-ledger': { territoryId?: string };
}
export type JobName = keyof JobMap;

export const JOB_QUEUE: { [K in JobName]: QueueName } = {
  'purge-expired-refresh-tokens': 'maintenance',
  'equipment-import': 'imports',
  'close-completed-work-orders': 'maintenance',
  'stock-alerts': 'maintenance',
  'stock-alerts-daily': 'maintenance',
  'notification-digest': 'maintenance',
  'certificate-expiry': 'maintenance',
  'pm-generate': 'pm',
  'pm-generate-all': 'pm',
  'kpi-rollup': 'maintenance',
  'kpi-rollup-nightly': 'maintenance',
  'cost-ledger': 'maintenance',
};

/** Deterministic job ids make enqueueing idempotent (BullMQ ignores a second add with the same id). */
export const jobIdFor = {
  'equipment-import': (importId: string) => `equipment-import-${importId}`,
  'stock-alerts': (territoryId: string) => `stock-alerts-${territoryId}`,
  /** The periodic run of a territory: one live at a time (a tick while it runs is a no-op). */
  'pm-generate': (territoryId: string) => `pm-generate-${territoryId}`,
};

/**
 * The options of an on-demand `cost-ledger` run: one waiting per territory (BullMQ
 * deduplication), and one more after a run already active, which may have read the sources
 * before the change that asked for it.
 */
export function costLedgerJobOptions(territoryId: string | undefined): JobsOptions {
  return { deduplication: { id: `cost-ledger-${territoryId ?? 'all'}`, keepLastIfActive: true } };
}

/** Minutes between two periodic runs of the preventive generator (PM_GENERATE_EVERY_MINUTES). */
export const DEFAULT_PM_GENERATE_EVERY_MINUTES = 5;

/** The Job Scheduler entry of the preventive generator's tick. */
export function pmGenerateSchedule(everyMinutes: number) {
  return { id: 'pm-generate-tick', job: 'pm-generate-all' as const, data: {}, every: everyMinutes * 60_000 };
}

/**
 * The options of a `stock-alerts` job: its territory's deterministic id as BullMQ's
 * deduplication id, keeping the last add while one runs. A burst of movements enqueues one
 * job while one is waiting; a movement committed while the job is active (which may have
 * read the stock already) gets one more run after it, instead of the no-op that an add with
 * a live `jobId` would be (ADR 0015). At most one waiting and one active job per territory.
 */
export function stockAlertsJobOptions(territoryId: string): JobsOptions {
  return { deduplication: { id: jobIdFor['stock-alerts'](territoryId), keepLastIfActive: true } };
}

/** When the daily reconciliation of stock alerts runs (Europe/Paris): before the workshops open. */
export const STOCK_ALERTS_DAILY_PATTERN = '45 5 * * *';

/** When the daily notification digest runs (Europe/Paris): before the morning shift. */
export const NOTIFICATION_DIGEST_PATTERN = '30 6 * * *';

/** When the daily expiring-certificate notifications run (Europe/Paris): before the digest. */
export const CERTIFICATE_EXPIRY_PATTERN = '15 6 * * *';

/** When the incremental rollup of the indicators runs (Europe/Paris): every five minutes. */
export const KPI_ROLLUP_PATTERN = '*/5 * * * *';

/** When the inter-site cost ledger is posted (Europe/Paris): every ten minutes. */
export const COST_LEDGER_PATTERN = '*/10 * * * *';

/** When yesterday's and today's rollups are recomputed (Europe/Paris): just after midnight. */
export const KPI_ROLLUP_NIGHTLY_PATTERN = '20 0 * * *';

/** Repeatable jobs, upserted by every worker at start (idempotent by scheduler id). */
export const SCHEDULES: { id: string; job: JobName; data: JobMap[JobName]; pattern: string }[] = [
  { id: 'purge-expired-refresh-tokens-daily', job: 'purge-expired-refresh-tokens', data: { graceDays: 1 }, pattern: '15 3 * * *' },
  { id: 'close-completed-work-orders-daily', job: 'close-completed-work-orders', data: { afterDays: DEFAULT_AUTO_CLOSE_DAYS }, pattern: '30 3 * * *' },
  { id: 'stock-alerts-daily', job: 'stock-alerts-daily', data: {}, pattern: STOCK_ALERTS_DAILY_PATTERN },
  { id: 'notification-digest-daily', job: 'notification-digest', data: {}, pattern: NOTIFICATION_DIGEST_PATTERN },
  { id: 'certificate-expiry-daily', job: 'certificate-expiry', data: {}, pattern: CERTIFICATE_EXPIRY_PATTERN },
  { id: 'kpi-rollup', job: 'kpi-rollup', data: {}, pattern: KPI_ROLLUP_PATTERN },
  { id: 'kpi-rollup-nightly', job: 'kpi-rollup-nightly', data: {}, pattern: KPI_ROLLUP_NIGHTLY_PATTERN },
  { id: 'cost-ledger', job: 'cost-ledger', data: {}, pattern: COST_LEDGER_PATTERN },
];
export const SCHEDULE_TIMEZONE = 'Europe/Paris';

/**
 * Producers fail fast when Redis is down (no offline queue, a command timeout), so an API
 * request gets an error within seconds instead of hanging; workers retry forever
 * (maxRetriesPerRequest: null), as BullMQ needs.
 */
export function createRedis(url: string, role: 'producer' | 'worker', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: role === 'worker',
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    connectTimeout: 5000,
    ...(role === 'producer' ? { commandTimeout: 5000 } : {}),
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

/** True when a Redis answers PING at `url` within `connectTimeoutMs` (a one-off probe, never retried). */
export async function redisAnswers(url: string, connectTimeoutMs = 1500): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: connectTimeoutMs, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Redis could not take or answer a queue operation in time: nothing was done, try again later. */
export class QueueUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}

/** What ioredis and BullMQ throw when Redis does not answer (as opposed to a reply error). */
function isConnectionError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string } | null;
  if (!e) return false;
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code ?? '') ||
    /Stream isn't writeable|Connection is closed|Command timed out|connect ETIMEDOUT/i.test(e.message ?? '')
  );
}

/**
 * A job is live while a worker has still to run it or is running it: it exists and is
 * waiting (also prioritized or waiting for children), delayed or active. A missing job,
 * or one completed or failed, is not.
 */
export const LIVE_JOB_STATES: readonly JobState[] = ['waiting', 'prioritized', 'waiting-children', 'delayed', 'active'];
export function isLiveJobState(state: JobState | 'unknown' | null | undefined): boolean {
  return state != null && (LIVE_JOB_STATES as readonly string[]).includes(state);
}

export interface Queues {
  get(name: QueueName): Queue;
  /**
   * Adds a job. With a deterministic `jobId`, a live job of that id makes the add a no-op
   * (idempotent); a finished one (completed or failed) is replaced, so the work runs again.
   * Throws QueueUnavailableError when Redis is not ready or does not answer in time.
   */
  enqueue<K extends JobName>(job: K, data: JobMap[K], opts?: JobsOptions): Promise<string>;
  /** Whether the job of this id is live (see isLiveJobState); QueueUnavailableError when Redis is down. */
  isLive(job: JobName, jobId: string): Promise<boolean>;
  /**
   * Runs a Redis operation with the producers' bounded wait: QueueUnavailableError at once
   * when the connection is not ready, or after `timeoutMs` without an answer.
   */
  call<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string, options: { timeoutMs?: number } = {}): Queues {
  const timeoutMs = options.timeoutMs ?? 5000;
  const queues = new Map<QueueName, Queue>();
  const get = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      const options: QueueOptions = {
        connection,
        prefix,
        defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      };
      const created = new Queue(name, options);
      // Connection errors reach the caller (QueueUnavailableError); this only keeps BullMQ from printing them.
      created.on('error', () => undefined);
      // A Queue whose start failed (Redis went away as it started) would fail for ever:
      // drop it, the next use makes a new one.
      created.waitUntilReady().catch(() => {
        if (queues.get(name) === created) queues.delete(name);
        void created.close().catch(() => undefined);
      });
      queues.set(name, created);
      q = created;
    }
    return q;
  };
  // A Queue first used while Redis is down waits for it without limit (BullMQ's
  // initialisation), and a command sent just before Redis stopped answering waits for it:
  // both are cut short here, so that a request answers within timeoutMs.
  // The operation gets a signal aborted at the timeout, so that it sends no further command.
  const call = async <T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (connection.status !== 'ready') throw new QueueUnavailableError(`Redis is not available (${connection.status})`);
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new QueueUnavailableError(`Redis did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const running = operation(abort.signal);
    running.catch(() => undefined); // it may settle after the timeout
    try {
      return await Promise.race([running, timeout]);
    } catch (err) {
      if (err instanceof QueueUnavailableError) throw err;
      if (isConnectionError(err) || connection.status !== 'ready') throw new QueueUnavailableError(`Redis is not available: ${(err as Error).message}`, { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
  const state = async (job: JobName, jobId: string) => {
    const found = await get(JOB_QUEUE[job]).getJob(jobId);
    return found ? { found, state: await found.getState() } : null;
  };
  return {
    get,
    call,
    isLive: (job, jobId) => call(async () => isLiveJobState((await state(job, jobId))?.state)),
    enqueue: (job, data, opts) =>
      call(async (signal) => {
        if (opts?.jobId) {
          const existing = await state(job, opts.jobId);
          // BullMQ ignores an add whose id exists, even finished: remove the finished one first.
          if (existing && (existing.state === 'completed' || existing.state === 'failed')) await existing.found.remove();
        }
        // Too late: the caller was told the queue is unavailable (an add already sent may
        // still land when Redis answers again; processors check their row's state).
        signal.throwIfAborted();
        const added = await get(JOB_QUEUE[job]).add(job, data, opts);
        return added.id ?? '';
      }),
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
