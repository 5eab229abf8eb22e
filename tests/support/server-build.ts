import { buildServer, serverBuildIsStale } from '../../scripts/lib/server-build.js';

let pending: Promise<void> | null = null;

/**
 * Builds the server bundles (apps/api/dist, apps/worker/dist, packages/db/dist) when they
 * are missing or older than their sources, as `pnpm start` does; about a second.
 * Each file is replaced atomically, so that concurrent builds cannot leave half a bundle.
 */
export function ensureServerBuilt(): Promise<void> {
  if (!serverBuildIsStale()) return Promise.resolve();
  pending ??= buildServer().finally(() => {
    pending = null;
  });
  return pending;
}
