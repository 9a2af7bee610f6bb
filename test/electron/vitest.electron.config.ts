import { defineConfig } from 'vitest/config';

/**
 * The Playwright `_electron` suite: the real Electron console, driven like a user would. Needs an
 * Electron binary, which these machines cannot download; `npm run test:electron` (run.ts) checks
 * for one and builds the app before running this.
 */
export default defineConfig({
  test: {
    include: ['test/electron/app/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
