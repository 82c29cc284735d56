import { defineConfig } from 'vitest/config';

// The console's logic (formatting, grouping, stream handling, series buffers) is plain
// TypeScript tested under Node beside the code; test/ drives the whole page in Chromium
// against the mock API. Run with `npm test -w @watershed/web`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
