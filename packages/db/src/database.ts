import fs from 'node:fs';
import { CamelCasePlugin, Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { DB } from './generated/db.js';

/** A session for running raw SQL scripts (migrations): multi-statement exec plus queries. */
export interface ScriptSession {
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  db: Kysely<DB>;
  kind: 'postgres' | 'pglite';
  /** Runs fn on one dedicated session (one connection), e.g. for migrations under a lock. */
  session<T>(fn: (s: ScriptSession) => Promise<T>): Promise<T>;
  /** Cheap liveness probe used by /api/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; poolMax?: number; applicationName?: string }
  | { pgliteDir: string };

// int8 (count(*), bigint ids, cents) as JS numbers: every int8 we read stays far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// Calendar dates stay 'yyyy-mm-dd' strings: a Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
const PGLITE_PARSERS = { 20: (v: string) => Number(v), 1082: (v: string) => v };

// snake_case in SQL, camelCase in TypeScript; JSON column contents are left as they are.
const plugins = () => [new CamelCasePlugin({ maintainNestedObjectKeys: true })];

export function createDatabase(options: DatabaseOptions): Database {
  if ('url' in options) return createPostgres(options);
  return createPglite(options.pgliteDir);
}

function createPostgres(options: { url: string; poolMax?: number; applicationName?: string }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'gmao',
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: plugins() });
  return {
    db,
    kind: 'postgres',
    async session(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => {
            await client.query(sql);
          },
          query: async <R,>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
        });
      } finally {
        client.release();
      }
    },
    async ping() {
      const client = await pool.connect();
      try {
        await client.query('select 1');
      } finally {
        client.release();
      }
    },
    // Kysely ends the pool only if it ran a query itself; a process that only migrated
    // (pnpm db:migrate) would otherwise wait for the pool's idle timeout (10 s) to exit.
    close: async () => {
      await db.destroy();
      if (!pool.ending) await pool.end();
    },
  };
}

function createPglite(dir: string): Database {
  fs.mkdirSync(dir, { recursive: true });
  // The extensions the migrations create must be bundled into PGlite here.
  const pglite = new PGlite(dir, { extensions: { pg_trgm }, parsers: PGLITE_PARSERS });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }), plugins: plugins() });
  return {
    db,
    kind: 'pglite',
    async session(fn) {
      await pglite.waitReady;
      return fn({
        exec: async (sql) => {
          await pglite.exec(sql);
        },
        query: async <R,>(sql: string, params: unknown[] = []) => (await pglite.query<R>(sql, params)).rows,
      });
    },
    async ping() {
      await pglite.query('select 1');
    },
    close: () => db.destroy(),
  };
}
