// Test runner settings: unit tests with fakes and integration tests against real peers
// (ippeveprinter, Chromium, station processes). Each test file starts its own printers on free
// ports in its own temp folders, so files may run in parallel.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The longest files start first, so the three workers finish together: on a clean clone vitest
// has no timings cached and would start the crash test (~5 min under load) late.
const LONG_FIRST = [
  'test/integration/crash.test.ts',
  'test/browser/outage-ui.test.ts',
  'test/unit/memory-rounds.test.ts',
  'test/integration/labels-crash.test.ts',
  'test/integration/printer-faults.test.ts',
  'test/unit/documents.test.ts',
];
const rank = (f: TestSpecification) => {
  const i = LONG_FIRST.findIndex((name) => f.moduleId.endsWith(name));
  return i < 0 ? LONG_FIRST.length : i;
};
class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongFirst },
  },
});
