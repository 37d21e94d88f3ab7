import { defineConfig } from 'vitest/config';

// The fault suite (issue 6): real processes killed, databases stopped, disks filled, a fuzz run.
// Slower than the unit suite, so it runs apart: `npm run test:faults` (and in .ci/run).
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: several start servers, PostgreSQL clusters or mount a tmpfs.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
