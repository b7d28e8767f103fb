// What a station's data folder holds for the live store, read as the store reads it at start:
// store.json with the journal's newer lines applied (src/store/journal.ts). And a count of the
// store's durable writes, whichever file they go to.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import type { Batch, Job } from '../../src/domain/job.js';
import { DurableJsonFile } from '../../src/store/durable-json-file.js';
import { applyJournal, Journal, journalFile, parseJournal } from '../../src/store/journal.js';

export interface OnDisk {
  jobs: Job[];
  batches: Batch[];
  ledger: Array<{ kind: string; from: number; to: number; batchId?: string }>;
  requests: Record<string, string>;
  series: Record<string, { next: number; blockFirst: number }>;
  journalSeq?: number;
}

export function storeOnDisk(dir: string): OnDisk {
  const data = JSON.parse(readFileSync(path.join(dir, 'store.json'), 'utf8')) as OnDisk & Record<string, unknown>;
  const file = journalFile(dir);
  if (existsSync(file)) applyJournal(data, parseJournal(file, readFileSync(file, 'utf8')).records, data.journalSeq ?? 0);
  return data;
}

/** Spies on both ways the store writes (a journal line, store.json whole); `count()` is their sum. */
export function spyStoreWrites(): { count(): number; whole(): number; restore(): void } {
  const whole = vi.spyOn(DurableJsonFile.prototype, 'write');
  const lines = vi.spyOn(Journal.prototype, 'append');
  return {
    count: () => whole.mock.calls.length + lines.mock.calls.length,
    whole: () => whole.mock.calls.length,
    restore: () => {
      whole.mockRestore();
      lines.mockRestore();
    },
  };
}
