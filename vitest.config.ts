// Test runner settings: unit tests with fakes and integration tests against real peers
// (ippeveprinter). Each test file starts its own printers on free ports in its own temp folders,
// so files may run in parallel.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
