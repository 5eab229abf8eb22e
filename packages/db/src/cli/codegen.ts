/**
 * Regenerates packages/db/src/generated/db.ts from a freshly migrated scratch database
 * (`pnpm db:codegen`), or checks that the committed file matches (`--verify`, used by the
 * test suite so that CI fails when they differ).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDatabase } from '../database.js';
import { migrate } from '../migrator.js';
import { dropDatabase, recreateDatabase } from '../admin.js';

const run = promisify(execFile);
export const GENERATED_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../generated/db.ts');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export async function codegen(opts: { serverUrl: string; verify: boolean }): Promise<{ ok: boolean; output: string }> {
  const name = `gmao_codegen_${process.pid}`;
  const url = await recreateDatabase(opts.serverUrl, name);
  const database = createDatabase({ url });
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
  try {
    const args = [
      'kysely-codegen',
      '--dialect', 'postgres',
      '--camel-case',
      // int8 and date are parsed to number and 'yyyy-mm-dd' strings (see database.ts).
      '--date-parser', 'string',
      '--type-mapping', '{"int8":"number"}',
      '--url', url,
      '--out-file', GENERATED_FILE,
      '--exclude-pattern', 'schema_migrations',
      '--log-level', 'error',
      ...(opts.verify ? ['--verify'] : []),
    ];
    const { stdout, stderr } = await run('pnpm', ['exec', ...args], { cwd: ROOT });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: (e.stdout ?? '') + (e.stderr ?? '') || e.message };
  } finally {
    await dropDatabase(opts.serverUrl, name);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const verify = process.argv.includes('--verify');
  const result = await codegen({ serverUrl, verify });
  process.stdout.write(result.output);
  if (!result.ok) {
    console.error(verify ? 'Generated types differ from the migrated schema: run `pnpm db:codegen`.' : 'Codegen failed.');
    process.exit(1);
  }
  console.info(verify ? 'Generated types are up to date.' : `Wrote ${GENERATED_FILE}`);
}
