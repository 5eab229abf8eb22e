/** `pnpm build:server`: bundles the API, the worker, the import parser thread and the database commands (ADR 0008). */
import { buildServer, SERVER_ENTRIES, twinOf } from './lib/server-build.js';

const started = Date.now();
try {
  await buildServer();
  console.info(`Built ${SERVER_ENTRIES.map(twinOf).join(', ')} in ${Date.now() - started} ms.`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
