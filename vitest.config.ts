import { defineConfig } from 'vitest/config';

// Unit tests live beside the code; integration and end-to-end suites under test/.
// Suites that start real servers use loopback ports chosen by the OS (port 0).
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/**/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts', 'apps/web/test/**/*.test.ts'],
          // End-to-end suites bring up whole processes; run them one at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
