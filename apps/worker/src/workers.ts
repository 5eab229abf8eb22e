import { Worker, type Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB, ImportLimits } from '@gmao/db';
import {
  DEFAULT_IMPORT_LIMITS, closeStaleCompletedWorkOrders, generatePreventiveWorkOrders, processKpiDirty, purgeExpiredRefreshTokens, rebuildRecentKpiRollups,
  reconcileAllStockAlerts, reconcileStockAlerts, territoriesWithPlans,
} from '@gmao/db';
import type { SmtpSettings } from '@gmao/config';
import { DEFAULT_DUE_SOON_DAYS } from '@gmao/domain';
import { runCertificateExpiry } from './jobs/certificate-expiry.js';
import { runCostLedger } from './jobs/cost-ledger.js';
import { runEquipmentImport } from './jobs/equipment-import.js';
import { runNotificationDigest, type NotificationDigestOptions } from './jobs/notification-digest.js';
import { createMailer } from './mailer.js';
import {
  DEFAULT_PM_GENERATE_EVERY_MINUTES, QUEUE_NAMES, SCHEDULES, SCHEDULE_TIMEZONE, createQueues, createRedis, jobIdFor, pmGenerateSchedule,
  type JobMap, type JobName, type QueueName, type Queues,
} from '@gmao/queue';

type Processor = { [K in JobName]: (data: JobMap[K], job: Job) => Promise<unknown> };

export function processors(
  db: Kysely<DB>,
  importLimits: ImportLimits = DEFAULT_IMPORT_LIMITS,
  digest: NotificationDigestOptions = { dueSoonDays: DEFAULT_DUE_SOON_DAYS, mailer: null },
  queues?: Queues,
): Processor {
  return {
    'pm-generate': async ({ territoryId, siteId }) => ({ created: (await generatePreventiveWorkOrders(db, { territoryId, siteId })).created }),
    // The tick enqueues one run per territory (a deterministic id: a run still live makes it a no-op).
    'pm-generate-all': async () => {
      if (!queues) throw new Error('pm-generate-all needs the queues');
      const territories = await territoriesWithPlans(db);
      for (const territoryId of territories) await queues.enqueue('pm-generate', { territoryId }, { jobId: jobIdFor['pm-generate'](territoryId) });
      return { territories: territories.length };
    },
    'purge-expired-refresh-tokens': async ({ graceDays }) => ({ deleted: await purgeExpiredRefreshTokens(db, graceDays) }),
    'equipment-import': async ({ importId }, job) => runEquipmentImport(db, importId, job, importLimits),
    'close-completed-work-orders': async ({ afterDays }) => ({ closed: await closeStaleCompletedWorkOrders(db, afterDays) }),
    'stock-alerts': async ({ territoryId }) => reconcileStockAlerts(db, territoryId),
    'stock-alerts-daily': async () => reconcileAllStockAlerts(db),
    'notification-digest': async () => runNotificationDigest(db, digest),
    'certificate-expiry': async () => runCertificateExpiry(db, digest),
    'kpi-rollup': async () => processKpiDirty(db),
    'kpi-rollup-nightly': async () => rebuildRecentKpiRollups(db),
    'cost-ledger': async (data) => runCostLedger(db, data),
  };
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts one BullMQ worker per queue and upserts the schedules, again after each Redis
 * reconnection (a Redis without persistence loses them). Used by apps/worker's
 * main, and inside the API process in embedded mode (one PGlite handle shared).
 */
export async function startWorkers(opts: {
  db: Kysely<DB>;
  redisUrl: string;
  prefix: string;
  logger: Logger;
  concurrency?: number;
  schedule?: boolean;
  /** Limits of the file re-read at commit (the configuration's IMPORT_* variables). */
  importLimits?: ImportLimits;
  /**
   * The daily digest's settings: NOTIFICATION_DUE_SOON_DAYS, the SMTP server (smtpSettings of
   * the configuration; null or absent: in-app notifications only) and PUBLIC_URL for the links.
   */
  notifications?: { dueSoonDays?: number; smtp?: SmtpSettings | null; publicUrl?: string };
  /** Minutes between two periodic runs of the preventive generator (PM_GENERATE_EVERY_MINUTES). */
  pmGenerateEveryMinutes?: number;
}): Promise<RunningWorkers> {
  const mailer = opts.notifications?.smtp ? createMailer(opts.notifications.smtp) : null;
  const connection = createRedis(opts.redisUrl, 'worker');
  const producer = createRedis(opts.redisUrl, 'worker');
  // Connection failures are logged once by the workers' 'error' handlers, not here again.
  producer.on('error', () => undefined);
  const queues = createQueues(producer, opts.prefix);
  const handlers = processors(
    opts.db,
    opts.importLimits,
    { dueSoonDays: opts.notifications?.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS, mailer, publicUrl: opts.notifications?.publicUrl, logger: opts.logger },
    queues,
  );
  const workers = QUEUE_NAMES.map((name: QueueName) => {
    const worker = new Worker(
      name,
      async (job: Job) => {
        const handler = handlers[job.name as JobName] as ((data: unknown, job: Job) => Promise<unknown>) | undefined;
        if (!handler) throw new Error(`Unknown job ${job.name} on queue ${name}`);
        const started = Date.now();
        const result = await handler(job.data, job);
        opts.logger.info({ queue: name, job: job.name, jobId: job.id, ms: Date.now() - started, result }, 'job done');
        return result;
      },
      { connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 2 },
    );
    worker.on('failed', (job, err) => opts.logger.error({ queue: name, job: job?.name, jobId: job?.id, err }, 'job failed'));
    worker.on('error', (err) => opts.logger.error({ queue: name, err }, 'worker error'));
    return worker;
  });

  let closing = false;
  if (opts.schedule !== false) {
    const registerSchedules = async () => {
      for (const s of SCHEDULES) {
        await queues.get('maintenance').upsertJobScheduler(
          s.id,
          { pattern: s.pattern, tz: SCHEDULE_TIMEZONE },
          { name: s.job, data: s.data },
        );
      }
      const pm = pmGenerateSchedule(opts.pmGenerateEveryMinutes ?? DEFAULT_PM_GENERATE_EVERY_MINUTES);
      await queues.get('pm').upsertJobScheduler(pm.id, { every: pm.every }, { name: pm.job, data: pm.data });
    };
    await registerSchedules();
    // A Redis restarted without persistence comes back empty: the schedulers are gone. Each
    // time the connection is ready again, upsert them (idempotent by scheduler id).
    let registering: Promise<void> | null = null;
    producer.on('ready', () => {
      if (closing || registering) return;
      registering = registerSchedules()
        .then(
          () => opts.logger.info({ schedules: SCHEDULES.map((s) => s.id) }, 'schedules registered again after a Redis reconnect'),
          (err: unknown) => opts.logger.error({ err }, 'could not register the schedules again after a Redis reconnect'),
        )
        .finally(() => (registering = null));
    });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    workers,
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      mailer?.close();
      producer.disconnect();
      connection.disconnect();
    },
  };
}
