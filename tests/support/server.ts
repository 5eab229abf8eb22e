import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { createTestContext } from './app.js';
import { WEB_DIST } from '../../scripts/lib/web-build.js';

/**
 * The API on a fresh test database, listening on a random local port and serving the
 * built SPA (build it first with ensureWebBuilt()). `db` sets up what the API cannot
 * (e.g. a due date already passed).
 */
export async function startTestServer(): Promise<{ url: string; db: Kysely<DB>; close(): Promise<void> }> {
  const ctx = await createTestContext({ webDistDir: WEB_DIST });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, db: ctx.deps.db, close: () => ctx.close() };
}
