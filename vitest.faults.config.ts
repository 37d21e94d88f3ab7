import { defineConfig } from 'vitest/config';

// The fault suite (issue 6): real processes killed, databases stopped, disks filled, a fuzz run;
// and a small run of the benchmark harness (test/bench), checking its `--json` report.
// Slower than the unit suite, so they run apart: `npm run test:faults` (and in .ci/run).
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts', 'test/bench/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: several start servers, PostgreSQL clusters or mount a tmpfs.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
