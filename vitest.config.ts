import { defineConfig } from 'vitest/config';

/**
 * One run, three projects:
 * - unit: `*.test.ts` beside the code, no I/O;
 * - integration: `*.int.test.ts` and tests/api, against the machine's PostgreSQL and Redis
 *   (TEST_DATABASE_URL / REDIS_URL; see tests/support/env.ts). The global setup builds one
 *   migrated + demo-seeded template database per run; each test file clones its own.
 * - e2e: tests/e2e, the built SPA in Debian's Chromium through playwright-core.
 */
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/lint/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'apps/*/src/**/*.int.test.ts', 'tests/api/**/*.test.ts'],
          globalSetup: ['./tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          globalSetup: ['./tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
