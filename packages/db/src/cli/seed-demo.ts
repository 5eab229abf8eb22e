/** `pnpm db:seed:demo`: migrates, then fills the demo territory "GHT Démo" if absent. */
import { loadConfigOrExit } from '@gmao/config';
import path from 'node:path';
import { createDatabase } from '../database.js';
import { migrate } from '../migrator.js';
import { seedDemo } from '../seed/seed-demo.js';

const config = loadConfigOrExit();
const database = createDatabase(
  config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: path.join(config.DATA_DIR, 'pglite') },
);
try {
  await migrate(database);
  const r = await seedDemo(database.db);
  console.info(
    r.created
      ? `Demo territory created: ${r.sites} sites, ${r.locations} locations, ${r.users} users (password Demo!2026), ${r.categories} categories, ${r.models} models, ${r.devices} devices, ${r.skills} skills, ${r.userSkills} skills of people.`
      : 'Demo territory already present: nothing done.',
  );
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
