import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  CamelCasePlugin, Kysely, LimitNode, OffsetNode, PGliteDialect, PostgresDialect, SelectQueryNode, ValueNode,
  type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs,
  type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow,
} from 'kysely';
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
  | { url: string; poolMax?: number; applicationName?: string; preparedStatements?: boolean }
  | { pgliteDir: string };

// int8 (count(*), bigint ids, cents) as JS numbers: every int8 we read stays far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// Calendar dates stay 'yyyy-mm-dd' strings: a Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
const PGLITE_PARSERS = { 20: (v: string) => Number(v), 1082: (v: string) => v };

/**
 * LIMIT and OFFSET written into the SQL text rather than sent as parameters. A prepared
 * read (see prepareReads) is planned once for any parameters only when PostgreSQL expects
 * that plan to cost about what a plan for the actual values would; with `limit $3` it
 * assumes a tenth of the table is wanted and keeps planning each call. A page size in
 * the text keeps the estimates honest; pages come in a few sizes, so texts stay few.
 */
function inlineInteger<T extends OperationNode>(node: T): T {
  return (ValueNode.is(node) && Number.isSafeInteger(node.value) ? ValueNode.createImmediate(node.value) : node) as T;
}

/** Only the statement's own LIMIT and OFFSET: no walk through the whole query tree at each call. */
export class InlineLimitsPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (!SelectQueryNode.is(node) || (!node.limit && !node.offset)) return node;
    return {
      ...node,
      limit: node.limit && LimitNode.create(inlineInteger(node.limit.limit)),
      offset: node.offset && OffsetNode.create(inlineInteger(node.offset.offset)),
    };
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * snake_case in SQL, camelCase in TypeScript; JSON column contents are left as they are.
 * Every row of a result has the same columns: rows are renamed by a function made once per
 * column list, which builds each row as one object literal (Kysely's plugin adds the keys
 * one by one to each row: 5 % of the CPU of a page of devices, 51 rows of 55 columns).
 */
class CamelCaseRows extends CamelCasePlugin {
  readonly #renamers = new Map<string, (row: UnknownRow) => UnknownRow>();

  constructor() {
    super({ maintainNestedObjectKeys: true });
  }

  override async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const rows = args.result.rows;
    if (!Array.isArray(rows) || rows.length === 0) return args.result;
    // No camelCase name is `__proto__` (which, in a literal, would set the prototype): the
    // mapper drops an underscore before a letter. The test reads a column of that name.
    const rename = this.#renamer(Object.keys(rows[0]!));
    return { ...args.result, rows: rows.map((row) => rename(row as UnknownRow)) };
  }

  #renamer(columns: string[]): (row: UnknownRow) => UnknownRow {
    const signature = columns.join(',');
    let rename = this.#renamers.get(signature);
    if (!rename) {
      const fields = columns.map((c) => `${JSON.stringify(this.camelCase(c))}: row[${JSON.stringify(c)}]`);
      // Column names are quoted as JSON strings: no text of a column reaches the code as code.
      rename = new Function('row', `return { ${fields.join(', ')} };`) as (row: UnknownRow) => UnknownRow;
      // Bounded by the number of distinct column lists the code asks for; a guard all the same.
      if (this.#renamers.size < 2000) this.#renamers.set(signature, rename);
    }
    return rename;
  }
}

const plugins = () => [new CamelCaseRows(), new InlineLimitsPlugin()];

export function createDatabase(options: DatabaseOptions): Database {
  if ('url' in options) return createPostgres(options);
  return createPglite(options.pgliteDir);
}

/** Distinct statements one connection keeps prepared; past it, statements are sent unnamed. */
export const MAX_PREPARED_PER_CONNECTION = 250;

/**
 * Reads (`select …`, `with …`) go out as named prepared statements, one name per SQL text,
 * prepared once per connection. PostgreSQL then parses each text once per connection and,
 * after a few executions, reuses a generic plan instead of planning at every call: the
 * inventory page joins eight tables, and planning them took 4 to 12 ms at each request for
 * under 1 ms of execution. Texts vary only by the length of IN lists and the filters
 * present, so a connection meets a bounded number of them; MAX_PREPARED_PER_CONNECTION
 * bounds it anyway. Writes stay unnamed. Off for poolers that cannot keep prepared
 * statements (PgBouncer in transaction mode before 1.21): DATABASE_PREPARED_STATEMENTS=false.
 */
function prepareReads(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const prepared = new Set<string>();
  // A table whose columns changed under a prepared `select *` (a migration applied while
  // this process runs) fails that statement once; the texts are then prepared afresh, under
  // new names, since the old ones cannot be dropped from inside a failed transaction.
  let generation = 0;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (
      typeof text === 'string' && Array.isArray(values) && callback === undefined && /^\s*(select|with)\b/i.test(text) &&
      (prepared.has(text) || prepared.size < MAX_PREPARED_PER_CONNECTION)
    ) {
      prepared.add(text);
      const name = `g${generation}_${createHash('sha1').update(text).digest('base64url')}`;
      return query({ name, text, values }).catch((err: unknown) => {
        if ((err as { code?: string }).code === '0A000' && /cached plan/.test((err as Error).message)) {
          generation++;
          prepared.clear();
        }
        throw err;
      });
    }
    return callback === undefined ? query(text, values) : query(text, values, callback);
  };
}

function createPostgres(options: { url: string; poolMax?: number; applicationName?: string; preparedStatements?: boolean }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'gmao',
    connectionTimeoutMillis: 5000,
  });
  if (options.preparedStatements ?? true) pool.on('connect', prepareReads);
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
