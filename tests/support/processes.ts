import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { dropDatabase, recreateDatabase } from '@gmao/db';
import { createRedis } from '@gmao/queue';
import { NODE_RUNTIME_FLAGS } from '../../scripts/lib/server-build.js';
import { ROOT } from '../../scripts/lib/web-build.js';
import { TEST_DATABASE_SERVER, TEST_REDIS_URL } from './env.js';

export interface StartedProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `re` in its output; rejects if it exits first or after 30 s. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  /**
   * Sends `signal` to the whole process group: tsx runs the program in a child process,
   * which a SIGKILL of tsx alone would leave running.
   */
  killAll(signal: NodeJS.Signals): void;
}

/**
 * One of the project's entry points as a real process, with only `env` (and PATH, HOME):
 * a source (apps/worker/src/main.ts) through tsx, as in development, or a bundle
 * (apps/api/dist/main.js) with node, as in production.
 */
export function startProcess(entry: string, env: Record<string, string>): StartedProcess {
  let out = '';
  const [command, args] = entry.endsWith('.ts')
    ? [path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, entry)]]
    : [process.execPath, [...NODE_RUNTIME_FLAGS, path.join(ROOT, entry)]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that killAll() reaches the program behind tsx.
    detached: true,
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const waitFor = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${re}: ${out}`)), 30_000);
      const check = () => {
        const m = out.match(re);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          reject(new Error(`exited ${child.exitCode ?? child.signalCode}: ${out}`));
        } else setTimeout(check, 50);
      };
      check();
    });
  const killAll = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  return { child, output: () => out, waitFor, killAll };
}

/** The process's exit code once it has exited (null when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

/**
 * For a test file that starts the entry points as processes: a database cloned from the
 * run's migrated and demo-seeded template, and a Redis key prefix (`test-<name>`) for their
 * queues; `drop()` removes the database and every key under the prefix.
 */
export async function processTestDatabase(tag: string) {
  const name = `gmao_${tag}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const url = await recreateDatabase(TEST_DATABASE_SERVER, name, inject('templateDatabase'));
  const prefix = `test-${name}`;
  return {
    name, url, prefix,
    async drop() {
      await dropDatabase(TEST_DATABASE_SERVER, name);
      const redis = createRedis(TEST_REDIS_URL, 'worker');
      try {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}
