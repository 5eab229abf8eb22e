import { redisAnswers } from '@gmao/queue';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/**
 * A private redis-server for tests that kill Redis (never the shared one): its own free
 * port, no persistence, so that a restart comes back empty as a Redis without RDB/AOF does.
 */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Kills it (SIGKILL) and waits until it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it answers. */
  start(): Promise<void>;
  /** A command on a connection of its own (e.g. CLIENT PAUSE). */
  command(...args: (string | number)[]): Promise<unknown>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}


export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = started;
    // Never outlive the test process, even when it dies without its afterAll.
    process.once('exit', () => started.kill('SIGKILL'));
    for (let i = 0; i < 100; i++) {
      if (await redisAnswers(url, 500)) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}`);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  const command = async (...args: (string | number)[]) => {
    const r = new Redis(url, { maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    try {
      return await r.call(String(args[0]), ...args.slice(1).map(String));
    } finally {
      r.disconnect();
    }
  };
  await start();
  return { url, port, kill, start, command };
}
