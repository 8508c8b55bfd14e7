import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // `serve` and `start` open the default browser; no test may (children inherit this).
    env: { GAN_LAB_NO_OPEN: '1' },
    // Training tests run real optimizer steps; 2 cores here, so allow each file its time.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
