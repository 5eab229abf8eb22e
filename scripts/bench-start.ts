/**
 * `pnpm bench:start`: start time and memory of one API process, from the TypeScript sources
 * through tsx (how it ran before ADR 0008) and with node on the bundle (how it runs now).
 *
 * Against the demo territory in a real PostgreSQL (BENCH_DATABASE_URL server, default the
 * local one; database gmao_bench_start is recreated and dropped at the end, or kept with
 * --keep and reused next time), with DATABASE_URL, NODE_ENV=production and START_REDIS=false.
 * Each variant is started --runs times (default 5), the variants taking turns; each run
 * measures the time from spawn to the first 200 of GET /api/health and the CPU time (user +
 * system, of every process of the tree) used by then, then the resident set
 * size (VmRSS) of the API process — the one that serves; with tsx, the child of the tsx
 * command, whose own RSS is in the "whole tree" column — one second after that, and again
 * after --requests GET /api/health (default 2000, 10 at a time). Prints the median of each.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dropDatabase, seedDemo } from '@gmao/db';
import { BENCH_REDIS_URL, BENCH_SERVER, benchDatabase, freePort } from './lib/bench.js';
import { buildServer, serverBuildIsStale } from './lib/server-build.js';
import { ROOT } from './lib/web-build.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    requests: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const REQUESTS = Number(args.requests);
const NAME = 'gmao_bench_start';

const VARIANTS: { name: string; command: string; args: string[] }[] = [
  { name: 'tsx apps/api/src/main.ts (before)', command: path.join(ROOT, 'node_modules/.bin/tsx'), args: ['apps/api/src/main.ts'] },
  { name: 'node --enable-source-maps apps/api/dist/main.js (now)', command: process.execPath, args: ['--enable-source-maps', 'apps/api/dist/main.js'] },
  { name: 'node apps/api/dist/main.js (no source maps)', command: process.execPath, args: ['apps/api/dist/main.js'] },
];

interface Run {
  startMs: number;
  cpuMs: number;
  rssMb: number;
  treeRssMb: number;
  loadedRssMb: number;
  processes: number;
}

/** The process and its descendants (Linux /proc), parents first. */
function tree(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      return fs.readdirSync(`/proc/${p}/task`).flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      return [];
    }
  };
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  return all;
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** CPU time (user + system) the process has used so far; Linux counts it in ticks of 10 ms. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(variant: (typeof VARIANTS)[number], url: string): Promise<Run> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(variant.command, variant.args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: url, REDIS_URL: BENCH_REDIS_URL,
      PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn', START_REDIS: 'false',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', QUEUE_PREFIX: `gmao-bench-start-${process.pid}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    let startMs = 0;
    let startCpuMs = 0;
    while (!startMs) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${variant.name} exited (${child.exitCode ?? child.signalCode})`);
      if (performance.now() - started > 120_000) throw new Error(`${variant.name} did not answer within 120 s`);
      const ok = await fetch(`${base}/api/health`).then((r) => r.status === 200, () => false);
      if (ok) {
        startMs = performance.now() - started;
        startCpuMs = tree(child.pid!).reduce((sum, p) => sum + cpuMs(p), 0);
      } else await sleep(10);
    }
    await sleep(1000);
    const pids = tree(child.pid!);
    // The deepest process running the entry point: with tsx, its child (tsx may also have
    // spawned esbuild's service, which is counted in the tree only).
    const entry = variant.args.at(-1)!;
    const api = pids.filter((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(entry)).at(-1)!;
    const run = { startMs, cpuMs: startCpuMs, rssMb: rssMb(api), treeRssMb: pids.reduce((sum, p) => sum + rssMb(p), 0), loadedRssMb: 0, processes: pids.length };
    let next = 0;
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (next++ < REQUESTS) {
        const res = await fetch(`${base}/api/health`);
        if (res.status !== 200) throw new Error(`GET /api/health: ${res.status}`);
        await res.arrayBuffer();
      }
    }));
    run.loadedRssMb = rssMb(api);
    return run;
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }
}

if (serverBuildIsStale()) await buildServer();
const { url, database } = await benchDatabase(NAME, args.keep);
try {
  await seedDemo(database.db);
} finally {
  await database.close();
}
try {
  const runs = new Map<string, Run[]>(VARIANTS.map((v) => [v.name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const variant of VARIANTS) {
      const run = await measure(variant, url);
      runs.get(variant.name)!.push(run);
      console.info(`${variant.name} #${i + 1}: ${run.startMs.toFixed(0)} ms (${run.cpuMs} ms of CPU), ${run.rssMb.toFixed(1)} MB (${run.processes} processes, ${run.treeRssMb.toFixed(1)} MB), ${run.loadedRssMb.toFixed(1)} MB after ${REQUESTS} requests`);
    }
  }
  // A Markdown table, as ADR 0008 shows it.
  const mb = (xs: number[]) => median(xs).toFixed(1);
  const lines = [
    `Medians of ${RUNS} starts (node ${process.version}):`,
    '',
    `| variant | start (ms) | CPU to start (ms) | API RSS (MB) | whole tree RSS (MB) | API RSS after ${REQUESTS} requests (MB) |`,
    '| --- | --: | --: | --: | --: | --: |',
    ...VARIANTS.map((v) => {
      const rs = runs.get(v.name)!;
      return `| ${v.name} | ${Math.round(median(rs.map((r) => r.startMs)))} | ${median(rs.map((r) => r.cpuMs))} | ${mb(rs.map((r) => r.rssMb))} | ${mb(rs.map((r) => r.treeRssMb))} | ${mb(rs.map((r) => r.loadedRssMb))} |`;
    }),
  ];
  console.info(`\n${lines.join('\n')}`);
} finally {
  if (!args.keep) await dropDatabase(BENCH_SERVER, NAME);
}
