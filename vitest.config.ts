// Test runner settings: unit tests with fakes and integration tests against real peers
// (ippeveprinter, Chromium, station processes). Each test file starts its own printers on free
// ports in its own temp folders, so files may run in parallel.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Time limits are liveness bounds, never speed floors: generous, because CI machines have
    // 2 cores and may be loaded (and the files below run three at a time).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test time is spent waiting on peers (a printer's 1 s per job, restarts, kills, a
    // browser), not computing. vitest's default on 2 cores is one file at a time (cores − 1):
    // ~15 min for the suite. Three at a time keeps both cores busy while files wait.
    maxWorkers: 3,
  },
});
