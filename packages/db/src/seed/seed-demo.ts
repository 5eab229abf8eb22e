import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../generated/db.js';
import { hashPassword } from '../passwords.js';
import { seedCategories } from './seed-categories.js';
import { seedDemoInventory } from './demo-inventory.js';
import { seedDemoWorkOrders } from './demo-work-orders.js';
import { seedDemoStock } from './demo-stock.js';
import { seedDemoCompetency } from './demo-competency.js';
import { seedDemoCosts } from './demo-costs.js';
import {
  BUILDING_LABELS, CARE_UNIT_LABELS, DEMO_PASSWORD, DEMO_SITES, DEMO_TERRITORY_NAME, DEMO_USERS,
  EHPAD_UNIT_LABELS, FLOOR_LABELS,
} from './demo-territory.js';

export interface SeedResult {
  created: boolean;
  territoryId: string;
  sites: number;
  locations: number;
  users: number;
  categories: number;
  models: number;
  devices: number;
  workOrders: number;
  parts: number;
  stores: number;
  /** The skill catalogue and the people's skills of the competency map (issue 14). */
  skills: number;
  userSkills: number;
}

export interface SeedOptions {
  /**
   * Also fill a few work orders per site (default true). The test suite's template leaves
   * them out, so that tests start from an empty backlog.
   */
  workOrders?: boolean;
}

/** Fills the demo territory, then analyses the database; does nothing if it exists already (safe to run twice). */
export async function seedDemo(db: Kysely<DB>, options: SeedOptions = {}): Promise<SeedResult> {
  const existing = await db.selectFrom('territories').select('id').where('name', '=', DEMO_TERRITORY_NAME).executeTakeFirst();
  if (existing) return { created: false, territoryId: existing.id, sites: 0, locations: 0, users: 0, categories: 0, models: 0, devices: 0, workOrders: 0, parts: 0, stores: 0, skills: 0, userSkills: 0 };

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await db.transaction().execute(async (trx) => {
    const territoryId = randomUUID();
    await trx.insertInto('territories').values({ id: territoryId, name: DEMO_TERRITORY_NAME }).execute();

    const siteIds = new Map<string, string>();
    for (const s of DEMO_SITES) siteIds.set(s.key, randomUUID());
    await trx
      .insertInto('sites')
      .values(
        DEMO_SITES.map(({ key, layout: _layout, ...s }) => ({ ...s, id: siteIds.get(key)!, territoryId })),
      )
      .execute();

    const locations: {
      id: string; territoryId: string; siteId: string; parentId: string | null; kind: string; code: string; label: string;
    }[] = [];
    for (const s of DEMO_SITES) {
      const siteId = siteIds.get(s.key)!;
      const unitLabels = s.kind === 'EHPAD' ? EHPAD_UNIT_LABELS : CARE_UNIT_LABELS;
      let unitIndex = 0;
      for (let b = 0; b < s.layout.buildings; b++) {
        const building = { id: randomUUID(), territoryId, siteId, parentId: null, kind: 'building', code: String.fromCharCode(65 + b), label: s.kind === 'EHPAD' ? 'Résidence principale' : BUILDING_LABELS[b]! };
        locations.push(building);
        for (let f = 0; f < s.layout.floors; f++) {
          const floor = { id: randomUUID(), territoryId, siteId, parentId: building.id, kind: 'floor', code: `${building.code}${f}`, label: FLOOR_LABELS[f]! };
          locations.push(floor);
          for (let c = 0; c < s.layout.unitsPerFloor; c++) {
            const label = unitLabels[unitIndex % unitLabels.length]!;
            unitIndex++;
            const unit = { id: randomUUID(), territoryId, siteId, parentId: floor.id, kind: 'care_unit', code: `UF${s.shortCode.slice(0, 3)}${String(unitIndex).padStart(2, '0')}`, label };
            locations.push(unit);
            for (let r = 1; r <= s.layout.roomsPerUnit; r++) {
              const code = `${floor.code}${c + 1}${String(r).padStart(2, '0')}`;
              locations.push({ id: randomUUID(), territoryId, siteId, parentId: unit.id, kind: 'room', code, label: `Chambre ${code}` });
            }
          }
        }
      }
    }
    await trx.insertInto('locations').values(locations).execute();

    const users = DEMO_USERS.map((du) => ({ id: randomUUID(), du }));
    await trx
      .insertInto('users')
      .values(users.map(({ id, du }) => ({
        id, territoryId, email: du.email, fullName: du.fullName, homeSiteId: siteIds.get(du.homeSite)!, passwordHash,
      })))
      .execute();
    await trx
      .insertInto('roleGrants')
      .values(users.flatMap(({ id, du }) => du.roles.map((r) => ({
        territoryId, userId: id, role: r.role, siteId: r.site === null ? null : siteIds.get(r.site)!,
      }))))
      .execute();

    const categories = await seedCategories(trx, territoryId);
    const inventory = await seedDemoInventory(trx, territoryId);
    const stock = await seedDemoStock(trx, territoryId);
    const workOrders = options.workOrders === false ? 0 : await seedDemoWorkOrders(trx, territoryId);
    const competency = await seedDemoCompetency(trx, territoryId);
    // The cost convention, contracts and transfers go with the work orders (the test template has neither).
    if (options.workOrders !== false) await seedDemoCosts(trx, territoryId);
    const result = {
      created: true, territoryId, sites: DEMO_SITES.length, locations: locations.length, users: users.length,
      categories, models: inventory.models, devices: inventory.devices, workOrders, parts: stock.parts, stores: stock.stores,
      skills: competency.skills, userSkills: competency.userSkills,
    };
    await trx
      .insertInto('auditLog')
      .values({ territoryId, action: 'demo.seed', entityType: 'territory', entityId: territoryId, after: JSON.stringify(result) })
      .execute();
    return result;
  });
  // Statistics for the planner now, not when autovacuum comes by: a freshly filled database
  // is otherwise planned as empty (a page of devices took ten times longer). A database
  // cloned from this one (CREATE DATABASE … TEMPLATE) gets them too.
  await sql`analyze`.execute(db);
  return seeded;
}
