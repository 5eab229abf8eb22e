/**
 * `pnpm db:create-admin --territory "GHT …" --email admin@… --name "…"`: the first
 * territory admin of a production database. The password comes from ADMIN_PASSWORD, or is
 * generated and printed once.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@gmao/config';
import { bootstrapTerritoryAdmin } from '../bootstrap.js';
import { createDatabase } from '../database.js';
import { migrate } from '../migrator.js';

const { values } = parseArgs({
  options: { territory: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } },
});
if (!values.territory || !values.email || !values.name) {
  console.error('Usage : pnpm db:create-admin --territory "GHT Exemple" --email admin@exemple.fr --name "Prénom Nom"  (mot de passe : ADMIN_PASSWORD)');
  process.exit(2);
}
const config = loadConfigOrExit();
const database = createDatabase(
  config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: path.join(config.DATA_DIR, 'pglite') },
);
try {
  await migrate(database);
  const r = await bootstrapTerritoryAdmin(database.db, {
    territoryName: values.territory, email: values.email, fullName: values.name, password: process.env.ADMIN_PASSWORD || undefined,
  });
  console.info(`Territory admin ${values.email} created.${r.generated ? ` Password (shown once): ${r.password}` : ''}`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
