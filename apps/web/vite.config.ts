import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { defineConfig, runnerImport, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { baseCompile, type CompileError } from '@intlify/message-compiler';
import { SHELL_SECTIONS } from './src/i18n/sections.ts';

/**
 * The UI catalogues, precompiled at build time.
 *
 * src/i18n/fr.ts and en.ts assemble each catalogue: the UI text written there (and in parts/)
 * plus the coded values' labels taken from @gmao/domain's ENUM_LABELS. Being assembled by code,
 * they are not the static JSON/YAML/object resources @intlify/unplugin-vue-i18n can precompile,
 * so this plugin does the same job after assembling them: it runs the catalogue module (with
 * Vite's module runner, which reads TypeScript and the workspace packages), compiles every
 * message with vue-i18n's own message compiler into the message AST the runtime evaluates, and
 * serves it in two parts: `virtual:i18n/<locale>-shell` (the sections the application shell
 * uses, src/i18n/sections.ts) and `virtual:i18n/<locale>-pages` (the others). The main bundle
 * holds the French shell; the other parts are chunks fetched when needed (src/i18n/index.ts):
 * English when it is chosen, the pages part before the first page that is not the shell's.
 * A message that does not compile fails the build; in development, editing a catalogue (or
 * the labels) reloads the page.
 *
 * With every message precompiled the SPA runs vue-i18n's runtime-only build: the message
 * compiler is left out of the bundle (alias and __INTLIFY_DROP_MESSAGE_COMPILER__ below).
 * Keep @intlify/message-compiler on the version of vue-i18n's @intlify packages.
 */
function precompiledCatalogues(files: Record<string, string>): Plugin {
  const PREFIX = 'virtual:i18n/';
  let root = process.cwd();
  /** The files the catalogues are made of. */
  const sources = new Set<string>();
  return {
    name: 'gmao:precompiled-catalogues',
    configResolved(config) {
      root = config.root;
    },
    resolveId(id) {
      const [locale, part] = id.startsWith(PREFIX) ? id.slice(PREFIX.length).split('-') : [];
      if (locale && locale in files && (part === 'shell' || part === 'pages')) return `\0${id}`;
    },
    async load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return;
      const [locale = '', part] = id.slice(PREFIX.length + 1).split('-');
      const file = path.resolve(root, files[locale]!);
      const { module, dependencies } = await runnerImport<{ default: Record<string, unknown> }>(file, { root, configFile: false, logLevel: 'error' });
      for (const source of [file, ...dependencies]) {
        sources.add(source);
        this.addWatchFile(source);
      }
      const missing = SHELL_SECTIONS.filter((section) => !(section in module.default));
      if (missing.length > 0) throw new Error(`${files[locale]}: no section ${missing.join(', ')} (SHELL_SECTIONS)`);
      const sections = Object.entries(module.default).filter(([section]) => SHELL_SECTIONS.includes(section) === (part === 'shell'));
      return `export default ${JSON.stringify(compileMessages(Object.fromEntries(sections), locale))};`;
    },
    handleHotUpdate({ file, server }) {
      if (!sources.has(file)) return;
      for (const locale of Object.keys(files)) {
        for (const part of ['shell', 'pages']) {
          const catalogue = server.moduleGraph.getModuleById(`\0${PREFIX}${locale}-${part}`);
          if (catalogue) server.moduleGraph.invalidateModule(catalogue);
        }
      }
      server.ws.send({ type: 'full-reload' });
      return [];
    },
  };
}

/** The catalogue with each message replaced by its AST; a message that does not compile fails the build. */
function compileMessages(node: unknown, where: string): unknown {
  if (typeof node === 'string') {
    const errors: CompileError[] = [];
    const { ast } = baseCompile(node, { jit: true, location: false, minify: true, onError: (error) => errors.push(error) });
    if (errors.length > 0) throw new Error(`i18n message ${where} (« ${node} »): ${errors.map((e) => e.message).join('; ')}`);
    return ast;
  }
  if (typeof node !== 'object' || node === null) throw new Error(`i18n message ${where}: not a text`);
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, compileMessages(value, `${where}.${key}`)]));
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Precompressed copies of the built files: beside each text or WebAssembly file of dist/
 * (JavaScript, CSS, HTML, SVG, JSON, wasm) of 1 kB or more, a `.br` (brotli, best quality)
 * and a `.gz` (gzip, level 9), each kept only when it is smaller than the file. The API
 * serves them as the browser's Accept-Encoding asks (@fastify/static's `preCompressed`, in
 * apps/api/src/app.ts), so nothing is compressed per request; a reverse proxy may do the
 * same with nginx's `brotli_static` / `gzip_static`.
 */
function precompressed(): Plugin {
  const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|wasm|txt|xml|webmanifest)$/;
  let outDir = '';
  return {
    name: 'gmao:precompressed',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      const files = (await fs.readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
        .map((entry) => path.join(entry.parentPath, entry.name));
      await Promise.all(files.map(async (file) => {
        const data = await fs.readFile(file);
        if (data.length < 1024) return;
        const [br, gz] = await Promise.all([
          brotli(data, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
              [zlib.constants.BROTLI_PARAM_MODE]: file.endsWith('.wasm') ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
            },
          }),
          gzip(data, { level: 9 }),
        ]);
        await Promise.all([
          br.length < data.length ? fs.writeFile(`${file}.br`, br) : undefined,
          gz.length < data.length ? fs.writeFile(`${file}.gz`, gz) : undefined,
        ]);
      }));
    },
  };
}

// In development the API runs on its own port; in production Fastify serves dist/
// on the same origin, so the SPA only ever calls relative /api URLs.
export default defineConfig({
  plugins: [vue(), precompiledCatalogues({ fr: 'src/i18n/fr.ts', en: 'src/i18n/en.ts' }), precompressed()],
  resolve: {
    // The runtime-only build: messages arrive precompiled (see precompiledCatalogues).
    alias: [{ find: /^vue-i18n$/, replacement: 'vue-i18n/dist/vue-i18n.runtime.mjs' }],
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: true,
  },
  server: {
    proxy: {
      '/api': {
        target: 'http://localhost:3000',
        // API down: answer 502 like a production reverse proxy, so the SPA shows its
        // "server unreachable" banner (Vite would answer a bare 500).
        configure(proxy) {
          proxy.on('error', (_error, _req, res) => {
            if ('writeHead' in res && !res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end('Bad Gateway');
          });
        },
      },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      treeshake: {
        // @gmao/domain is pure, and @gmao/contracts' only effects at import are registering
        // schemas for the API's OpenAPI document and setting zod's locale, which the SPA sets
        // itself (src/i18n/index.ts): a module of theirs goes into a chunk only if that chunk
        // uses one of its exports. So the main bundle carries the sign-in contracts, and each
        // page's schemas load with it.
        moduleSideEffects: (id) => !/\/packages\/(contracts|domain)\/src\//.test(id),
      },
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; harmless, and noisy in every build.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/zod/')) return;
        warn(warning);
      },
    },
  },
});
