import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { hashPassword, seedDemoWorkOrders } from '@gmao/db';

/** Ids of the demo territory's sites by short code, and users by email. */
export async function demoIds(db: Kysely<DB>) {
  const sites = await db.selectFrom('sites').select(['id', 'shortCode', 'territoryId']).execute();
  const users = await db.selectFrom('users').select(['id', 'email']).execute();
  const site = (code: string) => {
    const s = sites.find((x) => x.shortCode === code);
    if (!s) throw new Error(`no site ${code}`);
    return s.id;
  };
  const user = (email: string) => {
    const u = users.find((x) => x.email === email);
    if (!u) throw new Error(`no user ${email}`);
    return u.id;
  };
  return { territoryId: sites[0]!.territoryId, site, user };
}

/** The demo territory's ids, after adding the demo's work orders (what `pnpm start` shows) in one transaction. */
export async function withDemoWorkOrders(db: Kysely<DB>) {
  const ids = await demoIds(db);
  await db.transaction().execute((trx) => seedDemoWorkOrders(trx, ids.territoryId));
  return ids;
}

/** A second territory with one site, one location and one admin: nothing of it may leak. */
export async function otherTerritory(db: Kysely<DB>) {
  const t = await db.insertInto('territories').values({ name: 'GHT Voisin' }).returning('id').executeTakeFirstOrThrow();
  const site = await db
    .insertInto('sites')
    .values({ territoryId: t.id, name: 'CH Voisin', shortCode: 'VOIS', finess: '330781196', kind: 'CH' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const building = await db
    .insertInto('locations')
    .values({ territoryId: t.id, siteId: site.id, parentId: null, kind: 'building', code: 'V', label: 'Bâtiment V' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({ territoryId: t.id, email: 'admin@ght-voisin.fr', fullName: 'Admin Voisin', homeSiteId: site.id, passwordHash: await hashPassword('Voisin!2026-secret') })
    .returning('id')
    .executeTakeFirstOrThrow();
  const grant = await db
    .insertInto('roleGrants')
    .values({ territoryId: t.id, userId: user.id, siteId: null, role: 'territory_admin' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { territoryId: t.id, siteId: site.id, locationId: building.id, userId: user.id, grantId: grant.id };
}
