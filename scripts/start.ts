/**
 * `pnpm start`: builds what is missing or stale — the SPA (Vite) and the server bundles
 * (esbuild, ADR 0008) —, then runs the system with `node` on the bundles.
 * Without DATABASE_URL: one API process (embedded PGlite + in-process worker).
 * With DATABASE_URL: the API and the worker as two processes; if one exits, both stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { NODE_RUNTIME_FLAGS, buildServer, serverBuildIsStale } from './lib/server-build.js';
import { ROOT, webBuildIsStale } from './lib/web-build.js';

if (webBuildIsStale()) {
  console.info('Building the web app (apps/web)…');
  const r = spawnSync('pnpm', ['--filter', '@gmao/web', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (serverBuildIsStale()) {
  console.info('Building the API and the worker (apps/*/dist, packages/db/dist)…');
  try {
    await buildServer();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

// Node itself on the bundles: no TypeScript loader in the running processes.
const run = (bundle: string): ChildProcess =>
  spawn(process.execPath, [...NODE_RUNTIME_FLAGS, path.join(ROOT, bundle)], { cwd: ROOT, stdio: 'inherit', env: process.env });

const children = [run('apps/api/dist/main.js')];
if (process.env.DATABASE_URL) children.push(run('apps/worker/dist/main.js'));

let exiting = false;
const stopAll = (signal: NodeJS.Signals) => {
  for (const c of children) if (c.exitCode === null) c.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    exiting = true;
    stopAll(signal);
  });
}
let remaining = children.length;
for (const c of children) {
  c.on('exit', (code) => {
    remaining--;
    if (!exiting) {
      exiting = true;
      process.exitCode = code ?? 1;
      stopAll('SIGTERM');
    }
    if (remaining === 0) process.exit(process.exitCode ?? code ?? 0);
  });
}
