import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault suite and the benchmark's check run apart (vitest.faults.config.ts, `npm run test:faults`).
    exclude: ['**/node_modules/**', 'test/faults/**', 'test/bench/**'],
    pool: 'forks',
    // Two files at a time (Vitest's default is one on a 2-core machine): most of a file's time is
    // spent waiting on a database, a server or a browser, so two overlap well.
    maxWorkers: 2,
    testTimeout: 30_000,
    // expect.poll waits on a condition (a browser's page, a worker's write): 1 s by default, too
    // short on a loaded 2-core machine; a condition that holds still ends the wait at once.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
