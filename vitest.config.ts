import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Each test file gets its own in-memory database; files run in parallel workers.
    pool: 'forks',
    testTimeout: 20_000,
  },
});
