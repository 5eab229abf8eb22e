import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase, listMigrations, migrate, recreateDatabase, seedDemo } from '@gmao/db';
import { codegen } from '../../packages/db/src/cli/codegen.js';
import { TEST_DATABASE_SERVER } from '../support/env.js';

const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropDatabase(TEST_DATABASE_SERVER, name);
});

describe('migrations', () => {
  it('apply once even when several processes start together', async () => {
    const name = `gmao_mig_${process.pid}`;
    created.push(name);
    const url = await recreateDatabase(TEST_DATABASE_SERVER, name);
    const a = createDatabase({ url });
    const b = createDatabase({ url });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = await listMigrations();
      expect([...ra.applied, ...rb.applied].sort()).toEqual(all);
      const again = await migrate(a);
      expect(again).toEqual({ applied: [], alreadyApplied: all.length });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('run on the embedded PGlite database, which then takes the demo seed once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmao-pglite-'));
    const database = createDatabase({ pgliteDir: dir });
    try {
      await migrate(database);
      const first = await seedDemo(database.db);
      expect(first).toMatchObject({ created: true, sites: 5, users: 31, workOrders: 50 });
      expect((await seedDemo(database.db)).created).toBe(false);
      // Analysed after seeding (PGlite runs no autovacuum): the planner knows the row counts.
      const reltuples = await sql<{ n: number }>`select reltuples::int as n from pg_class where relname = 'equipment'`.execute(database.db);
      expect(reltuples.rows[0]!.n).toBeGreaterThan(1000);
      const users = await database.db.selectFrom('users').select('email').execute();
      expect(users.map((u) => u.email)).toEqual(expect.arrayContaining([
        'admin@ght-demo.fr', 'ingenieur@ght-demo.fr', 'tech.chu@ght-demo.fr', 'tech.ch1@ght-demo.fr',
        'responsable.ch1@ght-demo.fr', 'soignant.chu@ght-demo.fr',
      ]));
      await expect(database.db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo seed', () => {
  it('leaves the database analysed, and databases cloned from it keep the statistics', { timeout: 120_000 }, async () => {
    const name = `gmao_seed_${process.pid}`;
    const clone = `gmao_seedclone_${process.pid}`;
    created.push(name, clone);
    const database = createDatabase({ url: await recreateDatabase(TEST_DATABASE_SERVER, name) });
    try {
      await migrate(database);
      await seedDemo(database.db, { workOrders: false });
      // last_analyze is set by an explicit ANALYZE only (autovacuum sets last_autoanalyze).
      const stats = await sql<{ relname: string; analysed: boolean }>`
        select relname, last_analyze is not null as analysed from pg_stat_user_tables
        where relname in ('equipment', 'locations', 'equipment_models') order by relname`.execute(database.db);
      expect(stats.rows).toEqual([
        { relname: 'equipment', analysed: true }, { relname: 'equipment_models', analysed: true }, { relname: 'locations', analysed: true },
      ]);
    } finally {
      await database.close();
    }
    // CREATE DATABASE … TEMPLATE copies pg_statistic: the test suite's clones are analysed too.
    const copy = createDatabase({ url: await recreateDatabase(TEST_DATABASE_SERVER, clone, name) });
    try {
      const rows = await sql<{ n: number }>`select count(*)::int as n from pg_stats where tablename = 'equipment'`.execute(copy.db);
      expect(rows.rows[0]!.n).toBeGreaterThan(0);
      const reltuples = await sql<{ n: number }>`select reltuples::int as n from pg_class where relname = 'equipment'`.execute(copy.db);
      expect(reltuples.rows[0]!.n).toBeGreaterThan(1000);
    } finally {
      await copy.close();
    }
  });
});

describe('generated Kysely types', () => {
  it('match the migrated schema (run `pnpm db:codegen` after a migration)', async () => {
    const result = await codegen({ serverUrl: TEST_DATABASE_SERVER, verify: true });
    expect(result.ok, result.output).toBe(true);
  });
});

describe('demo territory', () => {
  it('has a CHU support site, three CH and one EHPAD with valid FINESS and coordinates', async () => {
    const { DEMO_SITES } = await import('@gmao/db');
    const { isValidFiness } = await import('@gmao/domain');
    expect(DEMO_SITES.map((s) => s.kind).sort()).toEqual(['CH', 'CH', 'CH', 'CHU', 'EHPAD']);
    expect(DEMO_SITES.filter((s) => s.isSupportSite).map((s) => s.kind)).toEqual(['CHU']);
    for (const s of DEMO_SITES) {
      expect(isValidFiness(s.finess), s.finess).toBe(true);
      expect(isValidFiness(s.legalEntityFiness), s.legalEntityFiness).toBe(true);
      // A FINESS juridique is not the site's FINESS géographique.
      expect(s.legalEntityFiness).not.toBe(s.finess);
      expect(s.legalEntityName.length).toBeGreaterThan(10);
      expect(Math.abs(s.latitude)).toBeGreaterThan(40);
    }
  });
});

describe('first territory admin of a production database', () => {
  it('creates the territory and an admin who can sign in; refuses a second account with the email', async () => {
    const { bootstrapTerritoryAdmin } = await import('@gmao/db');
    const { createTestContext, login } = await import('../support/app.js');
    const ctx = await createTestContext();
    try {
      const r = await bootstrapTerritoryAdmin(ctx.database.db, { territoryName: 'GHT Exemple', email: 'Admin@Exemple.fr', fullName: 'Admin Exemple' });
      expect(r.generated).toBe(true);
      expect(r.password.length).toBeGreaterThanOrEqual(12);
      const s = await login(ctx.app, 'admin@exemple.fr', r.password);
      const me = (await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: s.auth })).json();
      expect(me).toMatchObject({ territory: { name: 'GHT Exemple' }, homeSite: null, roles: [{ role: 'territory_admin', siteId: null }] });
      // A new territory: the admin sees none of the demo territory's sites.
      const sites = (await ctx.app.inject({ method: 'GET', url: '/api/v1/sites', headers: s.auth })).json();
      expect(sites.items).toEqual([]);
      await expect(bootstrapTerritoryAdmin(ctx.database.db, { territoryName: 'GHT Exemple', email: 'admin@exemple.fr', fullName: 'X', password: 'another-long-password' })).rejects.toThrow(/existe déjà/);
      await expect(bootstrapTerritoryAdmin(ctx.database.db, { territoryName: 'GHT Exemple', email: 'b@exemple.fr', fullName: 'X', password: 'short' })).rejects.toThrow(/12/);
      // A weak ADMIN_PASSWORD is refused with the reason (db:create-admin prints it).
      for (const password of ['azertyuiop123', 'b@exemple.fr-2026', 'motdepasse2026']) {
        await expect(bootstrapTerritoryAdmin(ctx.database.db, { territoryName: 'GHT Exemple', email: 'b@exemple.fr', fullName: 'Bruno Exemple', password })).rejects.toThrow(/ADMIN_PASSWORD : Mot de passe trop faible/);
      }
      const strong = await bootstrapTerritoryAdmin(ctx.database.db, { territoryName: 'GHT Exemple', email: 'b@exemple.fr', fullName: 'Bruno Exemple', password: 'Tr0mbone-Glacier-88' });
      expect(strong.generated).toBe(false);
    } finally {
      await ctx.close();
    }
  });
});
