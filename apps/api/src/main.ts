/**
 * The API process. Without DATABASE_URL it runs the embedded demo: a PGlite database under
 * DATA_DIR (created, migrated and seeded with "GHT Démo" the first time), the workers in
 * this same process, and a redis-server started if none answers. With DATABASE_URL it
 * migrates that database and serves; workers run in apps/worker.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfigOrExit } from '@gmao/config';
import { DEMO_PASSWORD, DEMO_USERS, createDatabase, importLimits, migrate, seedDemo } from '@gmao/db';
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

async function main() {
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const redisChild = await ensureRedis(config.REDIS_URL, config.DATA_DIR, config.START_REDIS, logger);
  const database = config.DATABASE_URL
    ? createDatabase({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, applicationName: 'gmao-api', preparedStatements: config.DATABASE_PREPARED_STATEMENTS })
    : createDatabase({ pgliteDir: path.join(config.DATA_DIR, 'pglite') });
  const migrated = await migrate(database);
  if (migrated.applied.length > 0) logger.info({ applied: migrated.applied }, 'migrations applied');
  let seeded = false;
  if (config.embedded || config.SEED_DEMO) {
    const empty = !(await database.db.selectFrom('territories').select('id').limit(1).executeTakeFirst());
    if (empty || config.SEED_DEMO) seeded = (await seedDemo(database.db)).created;
  }

  const redis = createRedis(config.REDIS_URL, 'producer');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await waitForRedis(redis);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const deps = { config, database, db: database.db, redis, queues };
  const app = await buildApp({ deps, jwtSecret: jwtSecret(), webDistDir, logger: { level: config.LOG_LEVEL, redact: LOG_REDACT } });

  let workers: RunningWorkers | null = null;
  if (config.embedded) {
    workers = await startWorkers({ db: database.db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, logger: logger.child({ name: 'worker' }), importLimits: importLimits(config) });
  }

  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  const lines = [
    '',
    `  GMAO de territoire — ${url}`,
    `  API docs            — ${url}/api/docs`,
    `  Database            — ${config.embedded ? `embedded PGlite in ${path.join(config.DATA_DIR, 'pglite')}` : 'DATABASE_URL'}${seeded ? ' (demo territory created)' : ''}`,
  ];
  const hasDemo = await database.db.selectFrom('users').select('id').where('email', '=', DEMO_USERS[0]!.email).executeTakeFirst();
  if (hasDemo) {
    lines.push(`  Demo logins (password ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS.slice(0, 6)) lines.push(`    ${u.email.padEnd(30)} ${u.roles.map((r) => r.role).filter((r, i, a) => a.indexOf(r) === i).join(', ')}`);
  }
  console.info(lines.join('\n') + '\n');

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

main().catch((err: unknown) => {
  logger.fatal({ err }, (err as Error).message);
  console.error((err as Error).message);
  process.exit(1);
});
