import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // a TMPDIR per run, removed at its end (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
    // timeouts only catch hangs: a shared, loaded machine can be many times slower than a quiet one, and no
    // test may fail for being slow (speed is measured by the benchmarks)
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // the machine has 2 cores; more forks only add contention
    maxWorkers: 2,
  },
});
