/** `pnpm db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import { loadConfigOrExit } from '@gmao/config';
import path from 'node:path';
import { createDatabase } from '../database.js';
import { migrate } from '../migrator.js';

const config = loadConfigOrExit();
const database = createDatabase(
  config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: path.join(config.DATA_DIR, 'pglite') },
);
try {
  const { applied, alreadyApplied } = await migrate(database);
  console.info(
    applied.length === 0
      ? `Database up to date (${alreadyApplied} migrations).`
      : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
  );
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
