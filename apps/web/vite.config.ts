import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// In development the API runs on its own port; in production Fastify serves dist/
// on the same origin, so the SPA only ever calls relative /api URLs.
export default defineConfig({
  plugins: [vue()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
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
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; harmless, and noisy in every build.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/zod/')) return;
        warn(warning);
      },
    },
  },
});
