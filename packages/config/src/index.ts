import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes only from the environment, parsed here. A bad or missing value
 * stops the process with a message naming the variable (see ConfigError).
 */
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `doit être une URL ${protocols.join(' ou ')}//…`)
    .optional();

const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A proxy address, a CIDR range, or a proxy-addr name (loopback, linklocal, uniquelocal). */
const isProxyAddress = (v: string) => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [address = '', prefix, ...rest] = v.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/**
 * Fastify's `trustProxy`: false (the socket address is the client's; X-Forwarded-For is
 * ignored), the proxies' addresses and ranges (comma-separated: the client is the first
 * address of the chain that is not one of them), or true (every hop is believed: the
 * client is the header's first entry, so only behind a proxy that overwrites it). Fastify 5
 * no longer honours a hop count (it fails closed), so a number other than 0/1 is refused.
 */
const TrustProxy = z
  .string()
  .trim()
  .transform((v, ctx): boolean | string[] => {
    const lower = v.toLowerCase();
    if (lower === 'true' || lower === 'yes' || lower === '1') return true;
    if (lower === 'false' || lower === 'no' || lower === '0') return false;
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = list.filter((a) => !isProxyAddress(a));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `true, false, ou les adresses/CIDR des proxys séparées par des virgules (invalide : ${bad.join(', ') || v})`,
      });
      return z.NEVER;
    }
    return list;
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Reads as named prepared statements (see packages/db/src/database.ts); false behind a pooler that cannot keep them. */
  DATABASE_PREPARED_STATEMENTS: boolFromEnv.default(true),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Unset: `gmao`, or `gmao:<hash of DATA_DIR>` for the embedded mode (see defaultQueuePrefix). */
  QUEUE_PREFIX: z.string().trim().regex(/^[a-zA-Z0-9:_-]+$/, 'lettres, chiffres, : _ -').optional(),
  JWT_SECRET: z.string().min(32, 'doit faire au moins 32 caractères').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** A refresh token presented again this soon, by the same client, gets the same new pair. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.url('chaque origine doit être une URL'))),
  TRUST_PROXY: TrustProxy.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Login attempts of one (email, address) pair before each further one must wait. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** Login attempts from one address (any email), and on one email (any address), before slowing down. */
  LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(50),
  /** The counters forget an address or email after this long without a failed attempt. */
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** The wait doubles from 1 s at each attempt past a threshold, up to this. */
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  WEB_DIST_DIR: z.string().optional(),
  /** Where work-order attachments are stored (outside the web root); default DATA_DIR/attachments. */
  ATTACHMENTS_DIR: z.string().trim().min(1).optional(),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(10 * 1024 * 1024),
  /**
   * Inventory imports (CSV/XLSX): the upload's size, then what the file may expand to,
   * checked while it is read. Our own XLSX export of 100,000 devices expands to ~91 MB.
   */
  IMPORT_MAX_FILE_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(50 * 1024 * 1024),
  IMPORT_MAX_UNCOMPRESSED_BYTES: z.coerce.number().int().min(1024 * 1024).default(128 * 1024 * 1024),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(100_000),
  IMPORT_MAX_COLUMNS: z.coerce.number().int().min(1).max(16_384).default(200),
  IMPORT_MAX_CELL_CHARS: z.coerce.number().int().min(200).default(10_000),
  /** Heap of the thread that reads imported files, a second guard behind the limits above. */
  IMPORT_READER_MEMORY_MB: z.coerce.number().int().min(64).default(512),
  SEED_DEMO: boolFromEnv.default(false),
  START_REDIS: boolFromEnv.default(true),
  /**
   * How long an API process keeps a user's roles and active flag in memory. A change of
   * either is published on Redis and forgets the entry at once in every API process; while
   * the process is not subscribed, nothing is kept. 0: read them on every request.
   */
  /**
   * API processes sharing the port (Node's cluster), e.g. one per core; needs DATABASE_URL.
   * The worker (apps/worker) runs apart whatever this says.
   */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  PRINCIPAL_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /**
   * How long an API process may serve again a rendered list page (equipment, work orders)
   * while the database is provably unchanged (apps/api/src/lib/page-cache.ts); 0 turns it off.
   */
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** The memory those pages may take per API process, in MiB. */
  PAGE_CACHE_MEGABYTES: z.coerce.number().int().min(1).max(4096).default(32),
  /** JSON answers at least this large are compressed (br, gzip) when the client accepts it. */
  COMPRESS_MIN_BYTES: z.coerce.number().int().min(0).default(2048),
  /**
   * Each answer is also checked against its zod contract (slow: for tests and debugging);
   * an answer that breaks it fails with a 500.
   */
  CHECK_RESPONSE_CONTRACTS: boolFromEnv.default(false),
  /**
   * The SPA's public address (e.g. https://gmao.ght-exemple.fr), for the links of the emails;
   * unset: the emails carry no links.
   */
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /** The daily digest lists the assigned open work orders due within this many days (and the overdue ones). */
  NOTIFICATION_DUE_SOON_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /**
   * The SMTP server of the digest emails (ADR 0017). Unset: notifications in the app only
   * (their email state `disabled`). SMTP_FROM is then required; SMTP_USER and SMTP_PASSWORD
   * go together (no authentication when both are unset).
   */
  SMTP_HOST: z.string().trim().regex(/^[A-Za-z0-9.:[\]-]+$/, 'nom d’hôte ou adresse IP').optional(),
  /** Default 465 with SMTP_SECURE, 587 otherwise. */
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: boolFromEnv.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** The sender: an address, or a name and an address (`GMAO <gmao@chu-exemple.fr>`). */
  SMTP_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, 'une adresse (gmao@exemple.fr) ou « Nom <gmao@exemple.fr> »')
    .optional(),
  /** Minutes between two periodic runs of the preventive-maintenance generator (issue 13, ADR 0016). */
  PM_GENERATE_EVERY_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'DATA_DIR' | 'ATTACHMENTS_DIR' | 'QUEUE_PREFIX'> {
  DATA_DIR: string;
  /** Prefix of every Redis key the product writes (queues, schedules, login counters). */
  QUEUE_PREFIX: string;
  ATTACHMENTS_DIR: string;
  /** No DATABASE_URL: an embedded PGlite database under DATA_DIR, worker in-process. */
  embedded: boolean;
}

/**
 * The Redis key prefix when QUEUE_PREFIX is not set. Embedded instances (no DATABASE_URL)
 * each have their own data directory but may share one Redis (the first one started it):
 * their prefix carries a short hash of the resolved DATA_DIR, so that their queues,
 * schedules and login counters stay apart. With DATABASE_URL, the API and the worker run
 * as separate processes, possibly with different data directories, and must meet on the
 * same queues: `gmao` (set QUEUE_PREFIX per deployment when deployments share a Redis).
 */
export function defaultQueuePrefix(embedded: boolean, dataDir: string): string {
  if (!embedded) return 'gmao';
  return `gmao:${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`;
}

export class ConfigError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      'Configuration invalide :\n' +
        issues.map((i) => `  - ${i.variable} : ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as shells and compose files often export them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const cfg = result.data;
  const embedded = cfg.DATABASE_URL === undefined;
  if (cfg.NODE_ENV === 'production' && !cfg.JWT_SECRET && !embedded) {
    throw new ConfigError([
      { variable: 'JWT_SECRET', message: 'obligatoire en production (au moins 32 caractères aléatoires)' },
    ]);
  }
  const smtpIssues: { variable: string; message: string }[] = [];
  if (cfg.SMTP_HOST && !cfg.SMTP_FROM) smtpIssues.push({ variable: 'SMTP_FROM', message: 'obligatoire quand SMTP_HOST est défini' });
  if ((cfg.SMTP_USER === undefined) !== (cfg.SMTP_PASSWORD === undefined)) {
    smtpIssues.push({ variable: cfg.SMTP_USER === undefined ? 'SMTP_USER' : 'SMTP_PASSWORD', message: 'SMTP_USER et SMTP_PASSWORD vont ensemble' });
  }
  if (smtpIssues.length > 0) throw new ConfigError(smtpIssues);
  const dataDir = path.resolve(cfg.DATA_DIR);
  return {
    ...cfg,
    DATA_DIR: dataDir,
    ATTACHMENTS_DIR: path.resolve(cfg.ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments')),
    QUEUE_PREFIX: cfg.QUEUE_PREFIX ?? defaultQueuePrefix(embedded, dataDir),
    embedded,
  };
}

/** How to reach the SMTP server of the emails, or null when SMTP_HOST is unset (in-app notifications only). */
export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | null;
  from: string;
}

export function smtpSettings(c: Pick<Config, 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURE' | 'SMTP_USER' | 'SMTP_PASSWORD' | 'SMTP_FROM'>): SmtpSettings | null {
  if (!c.SMTP_HOST || !c.SMTP_FROM) return null;
  return {
    host: c.SMTP_HOST,
    port: c.SMTP_PORT ?? (c.SMTP_SECURE ? 465 : 587),
    secure: c.SMTP_SECURE,
    auth: c.SMTP_USER !== undefined && c.SMTP_PASSWORD !== undefined ? { user: c.SMTP_USER, pass: c.SMTP_PASSWORD } : null,
    from: c.SMTP_FROM,
  };
}

/** Parse the environment or stop the process with a message naming the bad variables. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
