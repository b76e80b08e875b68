import { defineConfig } from 'vitest/config';

// Two cores on the reference machine: two forked workers keep the crypto-heavy
// suites from starving each other.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
