/** The worker process (used when DATABASE_URL is set; embedded mode runs workers in the API). */
import { pino } from 'pino';
import { loadConfigOrExit, smtpSettings } from '@gmao/config';
import { createDatabase, importLimits, migrate } from '@gmao/db';
import { startWorkers } from './workers.js';

const config = loadConfigOrExit();
const logger = pino({ level: config.LOG_LEVEL, name: 'worker' });
if (!config.DATABASE_URL) {
  logger.error('DATABASE_URL is not set: in embedded mode the worker runs inside the API process (pnpm start).');
  process.exit(1);
}
const database = createDatabase({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, applicationName: 'gmao-worker', preparedStatements: config.DATABASE_PREPARED_STATEMENTS });
await migrate(database);
const running = await startWorkers({ db: database.db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, logger, importLimits: importLimits(config),
  notifications: { dueSoonDays: config.NOTIFICATION_DUE_SOON_DAYS, smtp: smtpSettings(config), publicUrl: config.PUBLIC_URL },
  pmGenerateEveryMinutes: config.PM_GENERATE_EVERY_MINUTES,
});
logger.info({ queues: running.workers.map((w) => w.name) }, 'worker started');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing running jobs');
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    void running
      .close()
      .then(() => database.close())
      .then(() => {
        logger.info('worker stopped');
        process.exit(0);
      });
  });
}
