import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ROOT, WEB_DIST, webBuildIsStale } from '../../scripts/lib/web-build.js';

const WEB_ROOT = path.join(ROOT, 'apps/web');
/** mkdir is atomic: the process that creates this directory builds, the others wait. */
const LOCK_DIR = path.join(ROOT, 'apps/web/.build-lock');
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_WAIT_MS = 10 * 60_000;

/** The part of Vite's JS API used here (vite is a dependency of apps/web, not of the root). */
interface ViteApi {
  build(config: { root: string; mode?: string; logLevel: 'warn'; configFile?: string }): Promise<unknown>;
}

async function loadVite(): Promise<ViteApi> {
  const require = createRequire(path.join(WEB_ROOT, 'package.json'));
  const entry = require.resolve('vite');
  return (await import(pathToFileURL(entry).href)) as ViteApi;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tryLock(): boolean {
  try {
    fs.mkdirSync(LOCK_DIR);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A build that crashed leaves its lock behind: take it over once it is old.
    try {
      if (Date.now() - fs.statSync(LOCK_DIR).mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch {
      // Released meanwhile: the next attempt gets it.
    }
    return false;
  }
}

async function buildIfStale(): Promise<string> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${LOCK_DIR} (another web build)`);
    await sleep(250);
  }
  try {
    // Checked under the lock: another process may have just built it.
    if (webBuildIsStale()) {
      const vite = await loadVite();
      // Vite keeps an existing NODE_ENV (vitest sets it to `test`), which would bundle Vue's
      // development build: the browser tests would run, and `pnpm start` would then serve,
      // a bundle larger and slower than `pnpm build`'s. Build exactly as production does.
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        await vite.build({ root: WEB_ROOT, mode: 'production', logLevel: 'warn', configFile: path.join(WEB_ROOT, 'vite.config.ts') });
      } finally {
        process.env.NODE_ENV = nodeEnv;
      }
    }
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error(`Web build produced no ${WEB_DIST}/index.html`);
  return WEB_DIST;
}

let pending: Promise<string> | null = null;

/**
 * Builds the SPA (apps/web/dist) with Vite when it is missing or older than its sources,
 * and returns the dist path. Safe to call from several test files and processes at once.
 */
export function ensureWebBuilt(): Promise<string> {
  if (!webBuildIsStale()) return Promise.resolve(WEB_DIST);
  pending ??= buildIfStale().finally(() => {
    pending = null;
  });
  return pending;
}
