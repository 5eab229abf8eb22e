import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** migrations/ at the repository root: forward-only `.sql` files with ISO-timestamped names. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

const NAME = /^\d{8}T\d{6}_[a-z0-9_]+\.sql$/;
// Any constant: every migrating process takes this advisory lock, so several api or
// worker instances starting together apply each migration once.
const LOCK_KEY = 724_190_331;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const bad = files.filter((f) => !NAME.test(f));
  if (bad.length > 0) throw new Error(`Migration file names must look like 20260101T120000_name.sql: ${bad.join(', ')}`);
  return files;
}

/**
 * Applies the pending migrations in name order, each in its own transaction, under an
 * advisory lock. A migration already applied is never run again; one that was applied but
 * has since been removed from disk stops the run (the schema is ahead of this code).
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await listMigrations(dir);
  return database.session(async (s) => {
    // Lock first: even `create table if not exists` races between two sessions.
    if (database.kind === 'postgres') await s.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await s.exec(
        'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
      );
      const done = new Set((await s.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
      const unknown = [...done].filter((n) => !files.includes(n));
      if (unknown.length > 0) {
        throw new Error(`The database has migrations this code does not know: ${unknown.join(', ')}`);
      }
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        const sql = await fs.readFile(path.join(dir, file), 'utf8');
        await s.exec('begin');
        try {
          await s.exec(sql);
          await s.query('insert into schema_migrations (name) values ($1)', [file]);
          await s.exec('commit');
        } catch (err) {
          await s.exec('rollback');
          throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(file);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      if (database.kind === 'postgres') await s.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  });
}
