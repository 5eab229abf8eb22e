import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { TEST_DATABASE_SERVER } from '../../../tests/support/env.js';
import { dropDatabase, recreateDatabase } from './admin.js';
import { MAX_PREPARED_PER_CONNECTION, createDatabase, type Database } from './database.js';

/** Reads as named prepared statements, with their page sizes in the text (packages/db/src/database.ts). */
const name = `gmao_db_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let database: Database;

beforeAll(async () => {
  const url = await recreateDatabase(TEST_DATABASE_SERVER, name);
  database = createDatabase({ url, poolMax: 1 });
  await sql`create table things (id int primary key, label text not null)`.execute(database.db);
  await sql`insert into things select g, 'thing ' || g from generate_series(1, 100) g`.execute(database.db);
});

afterAll(async () => {
  await database?.close();
  await dropDatabase(TEST_DATABASE_SERVER, name);
});

const preparedOnTheConnection = async () =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db)).rows.map((r) => r.statement);

describe('database reads', () => {
  it('are prepared once per connection and send their page size in the text', async () => {
    const page = (limit: number, offset: number) =>
      database.db.selectFrom('things' as never).select(['id' as never]).orderBy('id' as never).limit(limit).offset(offset).execute();
    expect(await page(3, 2)).toEqual([{ id: 3 }, { id: 4 }, { id: 5 }]);
    expect(await page(3, 2)).toHaveLength(3);
    const statements = (await preparedOnTheConnection()).filter((s) => s.includes('"things"'));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/limit 3 offset 2/);
  });

  it('come back with camelCase keys, the same for every row, whatever the columns are called', async () => {
    const rows = await sql<Record<string, unknown>>`select id, label as some_label, id * 2 as "twice_id" from things where id <= ${2} order by id`.execute(database.db);
    expect(rows.rows).toEqual([{ id: 1, someLabel: 'thing 1', twiceId: 2 }, { id: 2, someLabel: 'thing 2', twiceId: 4 }]);
    const odd = await sql<Record<string, unknown>>`select 1 as "__proto__", 'x' as "quote""d"`.execute(database.db);
    expect(Object.getPrototypeOf(odd.rows[0])).toBe(Object.prototype);
    expect(odd.rows[0]).toEqual({ _Proto: 1, 'quote"d': 'x' });
  });

  it('leave writes unnamed', async () => {
    await sql`update things set label = label where id = ${1}`.execute(database.db);
    expect((await preparedOnTheConnection()).some((s) => s.startsWith('update'))).toBe(false);
  });

  it('fail once, then work, when a table changes under a prepared select *', async () => {
    const all = () => sql<{ id: number }>`select * from things where id = ${5}`.execute(database.db);
    expect((await all()).rows[0]).toEqual({ id: 5, label: 'thing 5' });
    await sql`alter table things add column note text`.execute(database.db);
    const first = await all().then(() => null, (e: Error) => e);
    // PostgreSQL refuses to reuse the plan only when the result's shape changed.
    if (first) expect(first.message).toMatch(/cached plan/);
    expect((await all()).rows[0]).toEqual({ id: 5, label: 'thing 5', note: null });
  });

  it(`keep at most ${MAX_PREPARED_PER_CONNECTION} statements per connection`, async () => {
    const fresh = createDatabase({ url: `${TEST_DATABASE_SERVER.replace(/\/[^/]*$/, '')}/${name}`, poolMax: 1 });
    try {
      for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) await sql`select ${sql.lit(i)} as n from things where id = ${1}`.execute(fresh.db);
      const count = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(fresh.db);
      expect(count.rows[0]!.n).toBe(MAX_PREPARED_PER_CONNECTION);
    } finally {
      await fresh.close();
    }
  });
});
