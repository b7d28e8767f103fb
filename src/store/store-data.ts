// The live store's shape (store.json, version 2): what the station is doing now and what it did
// within the retention period. What only grows lives in the archive (archive.ts): the audit log
// always, finished batches, their jobs and their number ranges once older than the retention.
import { z } from 'zod';
import { batchSchema, jobSchema } from '../domain/job.js';
import { scheduleStoreFields } from '../schedule/schedule-data.js';

const int = z.number().int();

/** How a series printed its numbers when they were issued (history keeps what was printed). */
const formatSchema = z.object({ prefix: z.string(), padding: int, checkDigit: z.enum(['luhn', 'mod11', 'none']) });

/** The ledger records one allocation as one range, not one entry per number; voids and reprints are their own small records. */
export const ledgerRecordSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('issued'),
    id: z.string(),
    seriesId: z.string(),
    from: int,
    to: int,
    format: formatSchema,
    batchId: z.string().optional(),
    documentId: z.string().optional(),
    at: z.string(),
  }),
  z.object({
    kind: z.literal('voided'),
    id: z.string(),
    seriesId: z.string(),
    /** Inclusive [from, to] running-number ranges. */
    ranges: z.array(z.tuple([int, int])),
    reason: z.string(),
    at: z.string(),
  }),
  z.object({ kind: z.literal('reprinted'), id: z.string(), seriesId: z.string(), seq: int, batchId: z.string().optional(), at: z.string() }),
]);
export type LedgerRecord = z.infer<typeof ledgerRecordSchema>;
export type IssuedRecord = Extract<LedgerRecord, { kind: 'issued' }>;

export const seriesStateSchema = z.object({ next: int, blockFirst: int });

export const storeDataSchema = z.object({
  version: z.literal(2),
  jobs: z.array(jobSchema),
  batches: z.array(batchSchema),
  /** requestId → batchId: the same request id prints once. */
  requests: z.record(z.string(), z.string()),
  /** Per series: the next running number and the block it is drawn from. Advanced before any label is rendered. */
  series: z.record(z.string(), seriesStateSchema),
  ledger: z.array(ledgerRecordSchema),
  /** The last line of store.journal this file holds (journal.ts): later lines are applied on top. */
  journalSeq: int.optional(),
  /** Planned upgrades, scheduled runs and the admin PIN's state (schedule-state.ts, admin-state.ts). */
  ...scheduleStoreFields,
});
export type StoreData = z.infer<typeof storeDataSchema>;

export const emptyData = (): StoreData => ({
  version: 2,
  jobs: [],
  batches: [],
  requests: {},
  series: {},
  ledger: [],
  upgrades: [],
  scheduleRuns: [],
  admin: { failedAttempts: 0 },
});
