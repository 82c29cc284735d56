import { defineConfig } from 'vitest/config';

// The console's logic (formatting, grouping, stream handling, series buffers) is plain
// TypeScript tested under Node; the page as a whole is exercised in a real browser.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
