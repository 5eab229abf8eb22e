import { randomBytes } from 'node:crypto';
import { judgePassword, personalInputs } from '@gmao/domain/password-strength';
import type { Kysely } from 'kysely';
import type { DB } from './generated/db.js';
import { insertAudit } from './repositories/audit.repository.js';
import { hashPassword } from './passwords.js';
import { seedCategories } from './seed/seed-categories.js';
import { seedSkillsFromCategories } from './competency/skill-seed.js';

export interface BootstrapInput {
  territoryName: string;
  email: string;
  fullName: string;
  /** At least 12 characters and strong enough (`judgePassword`); generated when absent. */
  password?: string;
}

/**
 * The first start of a production database: creates the territory (if it does not exist)
 * and a territory admin. Everything else (sites, locations, users) is then done in the app.
 */
export async function bootstrapTerritoryAdmin(db: Kysely<DB>, input: BootstrapInput) {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error(`Adresse e-mail invalide : ${input.email}`);
  if (input.territoryName.trim().length < 2) throw new Error('Nom de territoire trop court.');
  if (input.password !== undefined && input.password.length < 12) throw new Error('Le mot de passe doit faire au moins 12 caractères.');
  const weak = input.password === undefined ? null : judgePassword(input.password, personalInputs(email, input.fullName)).problem;
  if (weak) throw new Error(`ADMIN_PASSWORD : ${weak}`);
  const password = input.password ?? randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw new Error(`Un compte existe déjà pour ${email}.`);
    const territory =
      (await trx.selectFrom('territories').select('id').where('name', '=', input.territoryName.trim()).executeTakeFirst()) ??
      (await trx.insertInto('territories').values({ name: input.territoryName.trim() }).returning('id').executeTakeFirstOrThrow());
    const user = await trx
      .insertInto('users')
      .values({ territoryId: territory.id, email, fullName: input.fullName.trim(), homeSiteId: null, passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('roleGrants').values({ territoryId: territory.id, userId: user.id, siteId: null, role: 'territory_admin' }).execute();
    // A new territory starts with the common category nomenclature.
    await seedCategories(trx, territory.id);
    // …and its skill catalogue: one maintenance skill per category, and the fixed skills (issue 14).
    await seedSkillsFromCategories(trx, territory.id, null);
    await insertAudit(trx, {
      territoryId: territory.id, actorId: null, action: 'bootstrap.territory_admin', entityType: 'user', entityId: user.id,
      after: { email, fullName: input.fullName.trim(), territory: input.territoryName.trim() },
    });
    return { territoryId: territory.id, userId: user.id, password, generated: input.password === undefined };
  });
}
