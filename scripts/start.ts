/**
 * `pnpm start`: builds the SPA when it is missing or stale, then runs the system.
 * Without DATABASE_URL: one API process (embedded PGlite + in-process worker).
 * With DATABASE_URL: the API and the worker as two processes; if one exits, both stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT, webBuildIsStale } from './lib/web-build.js';

if (webBuildIsStale()) {
  console.info('Building the web app (apps/web)…');
  const r = spawnSync('pnpm', ['--filter', '@gmao/web', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
const run = (entry: string): ChildProcess => spawn(tsx, [path.join(ROOT, entry)], { cwd: ROOT, stdio: 'inherit', env: process.env });

const children = [run('apps/api/src/main.ts')];
if (process.env.DATABASE_URL) children.push(run('apps/worker/src/main.ts'));

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
