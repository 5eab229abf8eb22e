/**
 * `pnpm bench:api`: HTTP throughput of the API beside a bare Fastify "hello world", in one run
 * on the same machine. Seeds the demo territory plus --devices devices (default 100,000) and
 * --orders work orders (default 200,000) into a real PostgreSQL (BENCH_DATABASE_URL server,
 * default the local one; database gmao_bench_api is recreated, or reused with --keep), runs
 * VACUUM (ANALYZE), starts the hello world and the API as processes of their own (the API as
 * `pnpm start` runs it with DATABASE_URL, NODE_ENV=production: node on its bundle), then runs autocannon
 * (--connections, default 50, for --duration seconds, default 10) on each endpoint and prints
 * req/s, p50 and p99, each as a share of the hello world's req/s measured in the same run.
 * --processes N runs the API as API_PROCESSES=N (the hello world stays one process).
 *
 * The lists are measured twice: as the API runs by default, where repeated reads of a page
 * are served from the page cache while the database is unchanged (ADR 0010), and on a
 * second API process with the page cache off (PAGE_CACHE_SECONDS=0), where every request
 * renders its page: the figure for pages that were not read a moment ago.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { seedDemo } from '@gmao/db';
import { BENCH_REDIS_URL, benchDatabase, freePort, secondsSince as secs } from './lib/bench.js';
import { seedDevices, seedExtraSites, seedWorkOrders } from './lib/bench-seed.js';
import { NODE_RUNTIME_FLAGS, buildServer, serverBuildIsStale } from './lib/server-build.js';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '100000' },
    orders: { type: 'string', default: '200000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false },
    /** API processes behind the port (API_PROCESSES); the hello world stays one process. */
    processes: { type: 'string', default: '1' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const NAME = 'gmao_bench_api';
const ROOT = new URL('..', import.meta.url).pathname;

const t0 = performance.now();
const { url, database } = await benchDatabase(NAME, args.keep);
const db = database.db;
if (!args.keep) {
  const { territoryId } = await seedDemo(db, { workOrders: false });
  await seedExtraSites(db, territoryId);
  await seedDevices(db, territoryId, Number(args.devices));
  await seedWorkOrders(db, territoryId, Number(args.orders));
  // What autovacuum does after a bulk load: statistics, and the visibility map that lets
  // the backlog's covering indexes answer without reading the table.
  await sql`vacuum (analyze)`.execute(db);
  console.info(`seeded, vacuumed and analysed (${secs(t0)})`);
}
const devices = Number((await sql<{ n: number }>`select count(*)::int as n from equipment`.execute(db)).rows[0]!.n);
const orders = Number((await sql<{ n: number }>`select count(*)::int as n from work_orders`.execute(db)).rows[0]!.n);
await database.close();

const children: ChildProcess[] = [];
function start(name: string, argv: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`${name} exited with ${code}:\n${stderr}`);
  });
  children.push(child);
  return child;
}

async function waitFor(target: string, seconds = 120): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const ok = await fetch(target).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${target} did not answer within ${seconds} s`);
}

try {
  // The baseline: Fastify with one route, nothing else, in a process of its own.
  const helloPort = await freePort();
  start('hello world', ['--input-type=module', '-e', `
    import Fastify from 'fastify';
    const app = Fastify();
    app.get('/', async () => ({ hello: 'world' }));
    await app.listen({ port: ${helloPort}, host: '127.0.0.1' });`], {});
  const hello = `http://127.0.0.1:${helloPort}`;

  // The API as production runs it against PostgreSQL (the worker is not needed for reads):
  // node on the bundle (ADR 0008), built first if it is missing or stale.
  if (serverBuildIsStale()) await buildServer();
  const apiPort = await freePort();
  const apiEnv = {
    DATABASE_URL: url, REDIS_URL: BENCH_REDIS_URL, HOST: '127.0.0.1', NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', QUEUE_PREFIX: 'gmao-bench-api', START_REDIS: 'false',
    API_PROCESSES: args.processes,
  };
  start('API', [...NODE_RUNTIME_FLAGS, 'apps/api/dist/main.js'], { ...apiEnv, PORT: String(apiPort) });
  const api = `http://127.0.0.1:${apiPort}`;
  // The same API without the page cache (idle while the other one is measured).
  const uncachedPort = await freePort();
  start('API without page cache', [...NODE_RUNTIME_FLAGS, 'apps/api/dist/main.js'], { ...apiEnv, PORT: String(uncachedPort), PAGE_CACHE_SECONDS: '0' });
  const uncached = `http://127.0.0.1:${uncachedPort}`;
  await Promise.all([waitFor(`${hello}/`), waitFor(`${api}/api/health`), waitFor(`${uncached}/api/health`)]);
  console.info(`hello world and API up (${secs(t0)})`);

  async function session(email: string): Promise<Record<string, string>> {
    const res = await fetch(`${api}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'Demo!2026' }),
    });
    if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    return { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
  }
  const engineer = await session('ingenieur@ght-demo.fr');
  const technician = await session('tech.chu@ght-demo.fr');

  interface Figures { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number }
  async function run(name: string, target: string, headers: Record<string, string> = {}): Promise<Figures> {
    // A short warm-up, then the measured run.
    await autocannon({ url: target, connections: CONNECTIONS, duration: 2, headers });
    const r = await autocannon({ url: target, connections: CONNECTIONS, duration: DURATION, headers });
    return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  }

  const baseline = await run('bare Fastify GET /', `${hello}/`);
  const results: Figures[] = [baseline];
  results.push(await run('GET /api/health', `${api}/api/health`));
  results.push(await run('GET /api/v1/me', `${api}/api/v1/me`, engineer));
  const lists: [string, Record<string, string>][] = [
    ['/api/v1/equipment?limit=50', engineer],
    ['/api/v1/equipment?q=perfusor&limit=50', engineer],
    ['/api/v1/work-orders?limit=50', engineer],
    ['/api/v1/work-orders?assignee=me', technician],
  ];
  for (const [path, who] of lists) results.push(await run(`GET ${path}`, `${api}${path}`, who));
  for (const [path, who] of lists) results.push(await run(`GET ${path} (no page cache)`, `${uncached}${path}`, who));

  console.info(`\n${devices.toLocaleString('en')} devices, ${orders.toLocaleString('en')} work orders; API processes: ${args.processes}; autocannon, ${CONNECTIONS} connections, ${DURATION} s each:\n`);
  console.info(`${'endpoint'.padEnd(60)} ${'req/s'.padStart(8)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'share'.padStart(7)}  non-2xx`);
  for (const f of results) {
    const share = `${((100 * f.rps) / baseline.rps).toFixed(1)} %`;
    console.info(
      `${f.name.padEnd(60)} ${f.rps.toFixed(0).padStart(8)} ${`${f.p50} ms`.padStart(7)} ${`${f.p99} ms`.padStart(7)} ${share.padStart(7)}  ${f.non2xx + f.errors}`,
    );
  }
  const failed = results.filter((f) => f.non2xx + f.errors > 0);
  if (failed.length > 0) {
    console.error(`\nnot every answer was a 2xx: ${failed.map((f) => f.name).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
}
console.info(`\ntotal ${secs(t0)}`);
