import { z } from 'zod';
import path from 'node:path';

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

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().trim().regex(/^[a-zA-Z0-9:_-]+$/, 'lettres, chiffres, : _ -').default('gmao'),
  JWT_SECRET: z.string().min(32, 'doit faire au moins 32 caractères').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.url('chaque origine doit être une URL'))),
  TRUST_PROXY: boolFromEnv.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
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
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'DATA_DIR' | 'ATTACHMENTS_DIR'> {
  DATA_DIR: string;
  ATTACHMENTS_DIR: string;
  /** No DATABASE_URL: an embedded PGlite database under DATA_DIR, worker in-process. */
  embedded: boolean;
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
  const dataDir = path.resolve(cfg.DATA_DIR);
  return { ...cfg, DATA_DIR: dataDir, ATTACHMENTS_DIR: path.resolve(cfg.ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments')), embedded };
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
