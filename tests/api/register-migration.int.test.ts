/**
 * Migration 20261202T100000_register_law keeps the work orders done before verdicts existed
 * readable: their conformity is the one the register computed from their checklist, their
 * quality controls get a kind, and nothing else changes (docs/regulatory.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, createDatabase, dropDatabase, listMigrations, migrate, pendingNonConformity, recreateDatabase } from '@gmao/db';
import { TEST_DATABASE_SERVER } from '../support/env.js';

const REGISTER_LAW = '20261202T100000_register_law.sql';
const name = `gmao_regmig_${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmao-regmig-'));
afterAll(async () => {
  await dropDatabase(TEST_DATABASE_SERVER, name);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the register law migration', () => {
  it('maps old completed work orders to the conformity the register showed, and keeps their checklists', async () => {
    // The schema as it was just before this migration.
    const all = await listMigrations();
    const before = all.slice(0, all.indexOf(REGISTER_LAW));
    expect(before.length).toBeGreaterThan(0);
    for (const f of before) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    const database = createDatabase({ url: await recreateDatabase(TEST_DATABASE_SERVER, name) });
    try {
      await migrate(database, dir);
      const db = database.db;
      const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows;
      const [t] = await q<{ id: string }>(sql`insert into territories (name) values ('Ancien GHT') returning id`);
      const [s] = await q<{ id: string }>(sql`insert into sites (territory_id, name, short_code, finess, kind) values (${t!.id}, 'CH Ancien', 'OLD', '450000019', 'CH') returning id`);
      const [u] = await q<{ id: string }>(sql`insert into users (territory_id, email, full_name, password_hash) values (${t!.id}, 'old@example.fr', 'Ancien Technicien', 'x') returning id`);
      const [e] = await q<{ id: string }>(sql`insert into equipment (territory_id, site_id, inventory_number) values (${t!.id}, ${s!.id}, 'OLD-1') returning id`);
      const order = async (number: string, type: string, state: string, outcomes: (string | null)[], vendor = false) => {
        const [w] = await q<{ id: string }>(sql`
          insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, state, symptom, requested_by, completed_at)
          values (${t!.id}, ${s!.id}, ${e!.id}, ${number}, ${type}, 'normal', ${state}, 'Ancien', ${u!.id}, ${state === 'in_progress' ? null : new Date()})
          returning id`);
        for (const [i, outcome] of outcomes.entries()) {
          await q(sql`insert into work_order_checklist_items (work_order_id, position, key, label, kind, outcome) values (${w!.id}, ${i}, ${`k${i}`}, ${`Point ${i}`}, 'pass_fail', ${outcome})`);
        }
        if (vendor) await q(sql`insert into work_order_external (work_order_id, vendor, recorded_by) values (${w!.id}, 'Organisme', ${u!.id})`);
        return number;
      };
      await order('OLD-FAIL', 'electrical_safety', 'closed', ['pass', 'fail']);
      await order('OLD-PASS', 'preventive', 'completed', ['pass', 'not_applicable']);
      await order('OLD-NONE', 'corrective', 'closed', [null]);
      await order('OLD-OPEN', 'corrective', 'in_progress', ['fail']);
      await order('OLD-CQI', 'quality_control', 'closed', ['pass']);
      await order('OLD-CQE', 'quality_control', 'closed', [], true);

      const result = await migrate(database);
      expect(result.applied).toContain(REGISTER_LAW);
      const rows = await q<{ number: string; conformity: string | null; qualityControlKind: string | null; items: number }>(sql`
        select w.number, w.conformity, w.quality_control_kind, (select count(*)::int from work_order_checklist_items c where c.work_order_id = w.id) as items
        from work_orders w order by w.number`);
      expect(rows).toEqual([
        { number: 'OLD-CQE', conformity: 'not_evaluated', qualityControlKind: 'external', items: 0 },
        { number: 'OLD-CQI', conformity: 'conforming', qualityControlKind: 'internal', items: 1 },
        { number: 'OLD-FAIL', conformity: 'non_conforming', qualityControlKind: null, items: 2 },
        { number: 'OLD-NONE', conformity: 'not_evaluated', qualityControlKind: null, items: 1 },
        { number: 'OLD-OPEN', conformity: null, qualityControlKind: null, items: 1 },
        { number: 'OLD-PASS', conformity: 'conforming', qualityControlKind: null, items: 2 },
      ]);
      // An old non-conforming work order whose device is not stopped does not wait for an engineer's decision.
      expect(await pendingNonConformity(db, e!.id)).toBeUndefined();
      // Sites keep their FINESS; their legal entity is to be filled in.
      expect(await q(sql`select finess, legal_entity_finess, legal_entity_name from sites`)).toEqual([
        { finess: '450000019', legalEntityFiness: null, legalEntityName: null },
      ]);
      // A legal entity is recorded whole, in the FINESS format.
      await expect(q(sql`update sites set legal_entity_finess = '450000027'`)).rejects.toThrow(/sites_legal_entity_whole/);
      await expect(q(sql`update sites set legal_entity_finess = '45000002X', legal_entity_name = 'CH'`)).rejects.toThrow(/sites_legal_entity_finess_format/);
    } finally {
      await database.close();
    }
  });
});
