/**
 * The production build of the server side (ADR 0008): each entry point below becomes one
 * ESM bundle for Node 20, with the workspace packages (@gmao/*) inlined and every npm
 * package left external, loaded from node_modules at run time.
 *
 * Where a bundle goes: its source's "twin", the same path with `src/` → `dist/` and
 * `.ts` → `.js` (apps/api/src/main.ts → apps/api/dist/main.js).
 *
 * Paths computed at run time: inside a bundle, `import.meta.url` of every workspace module
 * is rewritten to the URL of that module's twin (packages/db/src/migrator.ts sees
 * …/packages/db/dist/migrator.js), so that a path relative to the module means the same
 * thing from the sources (tsx, vitest) and from the bundle: the migrations
 * (../../../migrations), the PDF fonts (../../assets/fonts, and `createRequire` for
 * dejavu-fonts-ttf), the SPA (../../web/dist), and the import parser thread, which
 * table-reader.ts finds as its `.js` sibling: packages/db/dist/imports/table-reader-thread.js,
 * itself one of the bundles.
 *
 * An npm package that a bundle imports must be a dependency of the package the bundle
 * belongs to (apps/api, apps/worker, packages/db): that is where Node looks for it at run
 * time. The build fails naming the missing ones.
 */
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { Metafile, Plugin } from 'esbuild';
import { newestMtime, ROOT } from './web-build.js';

/** The entry points production runs; each bundle is written to its twin. */
/**
 * How production runs a bundle with node (pnpm start, the Docker image, the benches, the
 * production-build test): stack traces through the source maps, and a young generation of
 * 64 MB semi-spaces instead of 16, since an API request allocates a lot and briefly (a page
 * of devices: rows, objects, JSON). Measured on a page of 50 devices under load: +27 % to
 * +39 % req/s, and about the same memory after the load (458 MB against 423 MB).
 * docker/Dockerfile and docker/compose.yml repeat these flags.
 */
export const NODE_RUNTIME_FLAGS = ['--enable-source-maps', '--max-semi-space-size=64'] as const;

export const SERVER_ENTRIES = [
  'apps/api/src/main.ts',
  'apps/worker/src/main.ts',
  // Started by packages/db/src/imports/table-reader.ts as a worker_thread.
  'packages/db/src/imports/table-reader-thread.ts',
  // The database commands an operator runs in a deployment (docker/compose.yml).
  'packages/db/src/cli/migrate.ts',
  'packages/db/src/cli/create-admin.ts',
  'packages/db/src/cli/seed-demo.ts',
] as const;

/** What a bundle is made of; a newer file here makes the build stale. */
const INPUTS = [
  'apps/api/src', 'apps/api/package.json',
  'apps/worker/src', 'apps/worker/package.json',
  'packages/config/src', 'packages/config/package.json',
  'packages/contracts/src', 'packages/contracts/package.json',
  'packages/db/src', 'packages/db/package.json',
  'packages/domain/src', 'packages/domain/package.json',
  'packages/queue/src', 'packages/queue/package.json',
  'pnpm-lock.yaml',
  'scripts/lib/server-build.ts',
];

/** packages/db/src/imports/x.ts → packages/db/dist/imports/x.js (absolute paths give absolute paths). */
export function twinOf(source: string): string {
  const relative = path.relative(ROOT, path.resolve(ROOT, source)).split(path.sep).join('/');
  const m = /^((?:apps|packages)\/[^/]+)\/src\/(.+)\.ts$/.exec(relative);
  if (!m) throw new Error(`Not a TypeScript source under apps/*/src or packages/*/src: ${source}`);
  const twin = `${m[1]}/dist/${m[2]}.js`;
  return path.isAbsolute(source) ? path.join(ROOT, twin) : twin;
}

/** The absolute paths of the bundles (with their source maps). */
export function serverOutputs(): string[] {
  return SERVER_ENTRIES.flatMap((entry) => {
    const out = path.join(ROOT, twinOf(entry));
    return [out, `${out}.map`];
  });
}

/** True when a bundle is missing or older than any source, manifest or the lockfile. */
export function serverBuildIsStale(): boolean {
  const outputs = serverOutputs();
  if (outputs.some((o) => !fs.existsSync(o))) return true;
  const built = Math.min(...outputs.map((o) => fs.statSync(o).mtimeMs));
  return INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > built);
}

const WORKSPACE_SOURCE = new RegExp(`^${escape(ROOT)}/(apps|packages)/[^/]+/src/.+\\.ts$`);
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Workspace packages are bundled; every other bare import stays an import of node_modules. */
const externals: Plugin = {
  name: 'npm-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@gmao/') ? undefined : { path: args.path, external: true }));
  },
};

/** Rewrites `import.meta.url` of each workspace module to the URL of its twin, relative to the bundle. */
function twinUrls(outfile: string): Plugin {
  return {
    name: 'import-meta-url-of-twin',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!WORKSPACE_SOURCE.test(args.path)) return undefined;
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)\b/.test(source)) {
          return { errors: [{ text: `${path.relative(ROOT, args.path)}: use import.meta.url (rewritten for the bundle), not import.meta.dirname or import.meta.filename` }] };
        }
        if (!source.includes('import.meta.url')) return undefined;
        const relative = path.relative(path.dirname(outfile), twinOf(args.path)).split(path.sep).join('/');
        return { contents: source.replaceAll('import.meta.url', `(new URL(${JSON.stringify(relative)}, import.meta.url).href)`), loader: 'ts' };
      });
    },
  };
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The npm packages a bundle imports that its package does not declare (Node would not find them there). */
function undeclared(outfile: string, metafile: Metafile): string[] {
  const manifest = path.join(outfile.slice(0, outfile.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> };
  const declared = new Set(Object.keys(pkg.dependencies ?? {}));
  const imported = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const i of output.imports) if (i.external && !isBuiltin(i.path)) imported.add(packageName(i.path));
  }
  return [...imported].filter((name) => !declared.has(name)).map((name) => `${name} (in ${path.relative(ROOT, manifest)})`);
}

/** Writes through a temporary file, so that a process starting meanwhile never reads half a bundle. */
function writeAtomically(file: string, contents: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

/** Builds every bundle (about a second). Throws when esbuild fails or a dependency is undeclared. */
export async function buildServer(): Promise<void> {
  const esbuild = await import('esbuild');
  try {
    const results = await Promise.all(
      SERVER_ENTRIES.map(async (entry) => {
        const outfile = path.join(ROOT, twinOf(entry));
        const result = await esbuild.build({
          absWorkingDir: ROOT,
          entryPoints: [path.join(ROOT, entry)],
          outfile,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          sourcemap: 'linked',
          sourcesContent: false,
          // Error classes keep their names in logs and problem details.
          keepNames: true,
          plugins: [externals, twinUrls(outfile)],
          metafile: true,
          write: false,
          logLevel: 'warning',
        });
        return { outfile, result };
      }),
    );
    const missing = results.flatMap(({ outfile, result }) => undeclared(outfile, result.metafile));
    if (missing.length > 0) {
      throw new Error(`The bundles import npm packages their package does not declare; add them to its dependencies:\n  ${[...new Set(missing)].join('\n  ')}`);
    }
    for (const { result } of results) for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  } finally {
    await esbuild.stop();
  }
}
