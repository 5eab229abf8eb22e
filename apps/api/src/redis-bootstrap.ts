import { redisAnswers } from '@gmao/queue';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';


const onPath = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * Makes sure Redis answers at `url`. When nothing answers there, the URL is local and
 * redis-server is on the PATH, starts one as a child process with its files under
 * `dataDir/redis`. Otherwise throws with a message saying how to get Redis.
 */
export async function ensureRedis(url: string, dataDir: string, allowStart: boolean, log: Logger): Promise<ChildProcess | null> {
  if (await redisAnswers(url)) return null;
  const u = new URL(url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname);
  if (!allowStart || !local || !onPath('redis-server')) {
    throw new Error(
      `Redis ne répond pas à ${u.protocol}//${u.host}. Installez-le et démarrez-le ` +
        '(Debian/Ubuntu : `sudo apt-get install redis-server`, macOS : `brew install redis`, ' +
        'ou `docker run -p 6379:6379 redis:7`), ou indiquez un autre serveur avec REDIS_URL.',
    );
  }
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = u.port || '6379';
  log.info({ port, dir }, 'no Redis answering: starting redis-server');
  const child = spawn(
    'redis-server',
    ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--save', '60 1', '--appendonly', 'no', '--logfile', path.join(dir, 'redis.log')],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url)) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`redis-server n'a pas démarré (voir ${path.join(dir, 'redis.log')}).`);
}
