import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The house rule "services hold no SQL" is enforced by eslint.config.js on every
 * `*.service.ts`: these fixtures show it failing on a service that builds a query, and
 * passing on one that calls a repository.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICE = path.join(ROOT, 'apps/api/src/modules/fixture/fixture.service.ts');
const REPOSITORY = path.join(ROOT, 'apps/api/src/modules/fixture/fixture.repository.ts');

const eslint = new ESLint({ cwd: ROOT });

async function problems(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

const QUERY_BUILDER = `
import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
export class FixtureService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}
  sites(territoryId: string) {
    return this.deps.db.selectFrom('sites').selectAll().where('territoryId', '=', territoryId).execute();
  }
}
`;

describe('lint: services hold no SQL', () => {
  it('fails on a service that builds a query', async () => {
    expect(await problems(QUERY_BUILDER, SERVICE)).toEqual([
      { rule: 'no-restricted-syntax', message: expect.stringContaining('Services hold no SQL') },
    ]);
  });

  it('fails on raw SQL and on importing the query builder in a service', async () => {
    const raw = `
import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
export const lock = (db: Kysely<DB>, key: string) => sql\`select pg_advisory_xact_lock(hashtext(\${key}))\`.execute(db);
`;
    const found = await problems(raw, SERVICE);
    expect(found.map((p) => p.rule).sort()).toEqual(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);
  });

  it('accepts the same query in a repository, and a service calling it', async () => {
    expect(await problems(QUERY_BUILDER.replace('FixtureService', 'FixtureRepository'), REPOSITORY)).toEqual([]);
    const service = `
import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { listSites } from './fixture.repository.js';
export class FixtureService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}
  sites(territoryId: string) {
    return this.deps.db.transaction().execute((trx) => listSites(trx, territoryId));
  }
}
`;
    expect(await problems(service, SERVICE)).toEqual([]);
  });
});
