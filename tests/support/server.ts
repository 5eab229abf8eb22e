import { createTestContext } from './app.js';
import { WEB_DIST } from '../../scripts/lib/web-build.js';

/**
 * The API on a fresh test database, listening on a random local port and serving the
 * built SPA (build it first with ensureWebBuilt()).
 */
export async function startTestServer(): Promise<{ url: string; close(): Promise<void> }> {
  const ctx = await createTestContext({ webDistDir: WEB_DIST });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, close: () => ctx.close() };
}
