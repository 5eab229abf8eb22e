/**
 * `pnpm kpi:rebuild --from YYYY-MM-DD --to YYYY-MM-DD [--territory <uuid>] [--site <uuid>]`:
 * recomputes the indicators' daily rollups of a period from the raw tables (ADR 0022), one
 * month at a time (one transaction each), on DATABASE_URL or the embedded database.
 * Idempotent: run it again, the rows are the same.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfigOrExit } from '@gmao/config';
import { monthsOf } from '@gmao/domain';
import { createDatabase } from '../database.js';
import { rebuildKpiRollups } from '../kpi/kpi-rollups.js';

const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, territory: { type: 'string' }, site: { type: 'string' } },
});
const DAY = /^\d{4}-\d{2}-\d{2}$/;
if (!values.from || !values.to || !DAY.test(values.from) || !DAY.test(values.to) || values.from > values.to) {
  console.error('Usage: pnpm kpi:rebuild --from YYYY-MM-DD --to YYYY-MM-DD [--territory <uuid>] [--site <uuid>]');
  process.exit(2);
}
const config = loadConfigOrExit();
const database = createDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: path.join(config.DATA_DIR, 'pglite') });
try {
  const started = Date.now();
  let rows = 0;
  for (const m of monthsOf(values.from, values.to)) {
    const r = await rebuildKpiRollups(database.db, { territoryId: values.territory, siteId: values.site, from: m.from, to: m.to });
    rows += r.rows;
    console.info(`${m.month}: ${r.rows} rows, ${r.repairRows} histogram rows (${r.sites} sites)`);
  }
  console.info(`Rebuilt ${values.from} … ${values.to}: ${rows} rows in ${Date.now() - started} ms.`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
