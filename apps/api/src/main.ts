/**
 * The API process. Without DATABASE_URL it runs the embedded demo: a PGlite database under
 * DATA_DIR (created, migrated and seeded with "GHT Démo" the first time), the workers in
 * this same process, and a redis-server started if none answers. With DATABASE_URL it
 * migrates that database and serves; workers run in apps/worker.
 *
 * API_PROCESSES > 1 (DATABASE_URL only): this process migrates, then forks that many API
 * processes that share the port (Node's cluster: connections are dealt out in turn) and
 * restarts one that dies. Everything they share lives in PostgreSQL and Redis.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfigOrExit, smtpSettings } from '@gmao/config';
import { DEMO_PASSWORD, DEMO_USERS, createDatabase, importLimits, migrate, seedDemo, type Database } from '@gmao/db';
import { createQueues, createRedis, waitForRedis } from '@gmao/queue';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { buildApp, LOG_REDACT } from './app.js';
import { ensureRedis } from './redis-bootstrap.js';

const config = loadConfigOrExit();
const logger = pino({ level: config.LOG_LEVEL, redact: LOG_REDACT });
const webDistDir = config.WEB_DIST_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

function jwtSecret(): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  // Embedded demo or development: a generated secret kept under DATA_DIR, so sessions survive restarts.
  const file = path.join(config.DATA_DIR, 'jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.DATA_DIR, { recursive: true });
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    logger.warn({ file }, 'JWT_SECRET not set: generated one (set JWT_SECRET in production)');
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Migrates (and seeds the demo when asked); true when the demo territory was created now. */
async function prepareDatabase(database: Database): Promise<boolean> {
  const migrated = await migrate(database);
  if (migrated.applied.length > 0) logger.info({ applied: migrated.applied }, 'migrations applied');
  if (!config.embedded && !config.SEED_DEMO) return false;
  const empty = !(await database.db.selectFrom('territories').select('id').limit(1).executeTakeFirst());
  return empty || config.SEED_DEMO ? (await seedDemo(database.db)).created : false;
}

function openDatabase(): Database {
  return config.DATABASE_URL
    ? createDatabase({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, applicationName: 'gmao-api', preparedStatements: config.DATABASE_PREPARED_STATEMENTS })
    : createDatabase({ pgliteDir: path.join(config.DATA_DIR, 'pglite') });
}

/** What the console shows once the API listens: where, which database, the demo logins. */
async function printBanner(database: Database, port: number, seeded: boolean, processes: number): Promise<void> {
  const url = `http://localhost:${port}`;
  const lines = [
    '',
    `  GMAO de territoire — ${url}`,
    `  API docs            — ${url}/api/docs`,
    `  Database            — ${config.embedded ? `embedded PGlite in ${path.join(config.DATA_DIR, 'pglite')}` : 'DATABASE_URL'}${seeded ? ' (demo territory created)' : ''}`,
  ];
  if (processes > 1) lines.push(`  API processes       — ${processes}`);
  const hasDemo = await database.db.selectFrom('users').select('id').where('email', '=', DEMO_USERS[0]!.email).executeTakeFirst();
  if (hasDemo) {
    lines.push(`  Demo logins (password ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS.slice(0, 6)) lines.push(`    ${u.email.padEnd(30)} ${u.roles.map((r) => r.role).filter((r, i, a) => a.indexOf(r) === i).join(', ')}`);
  }
  console.info(lines.join('\n') + '\n');
}

async function main() {
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const redisChild = await ensureRedis(config.REDIS_URL, config.DATA_DIR, config.START_REDIS, logger);
  const database = openDatabase();
  // In a cluster, the primary has migrated before forking.
  const seeded = cluster.isWorker ? false : await prepareDatabase(database);

  const redis = createRedis(config.REDIS_URL, 'producer');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await waitForRedis(redis);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const deps = { config, database, db: database.db, redis, queues };
  const app = await buildApp({ deps, jwtSecret: jwtSecret(), webDistDir, logger: { level: config.LOG_LEVEL, redact: LOG_REDACT } });

  let workers: RunningWorkers | null = null;
  if (config.embedded) {
    workers = await startWorkers({ db: database.db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, logger: logger.child({ name: 'worker' }), importLimits: importLimits(config),
      notifications: { dueSoonDays: config.NOTIFICATION_DUE_SOON_DAYS, smtp: smtpSettings(config), publicUrl: config.PUBLIC_URL },
      pmGenerateEveryMinutes: config.PM_GENERATE_EVERY_MINUTES,
    });
  }

  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  if (cluster.isWorker) process.send?.({ listening: port });
  else await printBanner(database, port, seeded, 1);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    void (async () => {
      await app.close(); // stops accepting, lets in-flight requests finish
      await workers?.close();
      await queues.close();
      redis.disconnect();
      await database.close();
      redisChild?.kill('SIGTERM');
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The cluster's primary: migrates, forks API_PROCESSES workers, replaces one that dies, stops them all on a signal. */
async function primary(processes: number) {
  if (config.embedded) throw new Error('API_PROCESSES > 1 needs DATABASE_URL: the embedded database lives in one process.');
  const database = openDatabase();
  const seeded = await prepareDatabase(database);
  let stopping = false;
  let listening = 0;
  const deaths: number[] = [];
  const fork = () => {
    cluster.fork().on('message', (message: { listening?: number }) => {
      if (typeof message?.listening === 'number' && ++listening === processes) void printBanner(database, message.listening, seeded, processes);
    });
  };
  const stopAll = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void database.close().finally(() => process.exit(process.exitCode ?? 0));
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'an API process died; starting another');
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! < now - 60_000) deaths.shift();
    if (deaths.length > processes * 3) {
      logger.fatal('API processes keep dying: stopping');
      stopping = true;
      process.exitCode = 1;
      stopAll();
      return;
    }
    fork();
  });
  for (let i = 0; i < processes; i++) fork();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down the API processes');
    stopAll();
    setTimeout(() => process.exit(1), 35_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

(cluster.isPrimary && config.API_PROCESSES > 1 ? primary(config.API_PROCESSES) : main()).catch((err: unknown) => {
  logger.fatal({ err }, (err as Error).message);
  console.error((err as Error).message);
  process.exit(1);
});
