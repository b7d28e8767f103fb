// Migrates a store.json of the first format (version 1: one ledger entry per number, the audit log
// inside the store, seriesNext) to version 2 (ranges, audit in the archive, per-series state with
// its block). Pure: the caller writes the results (archive, high-water marks, then the store) and
// keeps the old file beside it as store.v1.json.
import { z } from 'zod';
import type { SeriesConfig } from '../config.js';
import { batchSchema, jobSchema } from '../domain/job.js';
import { auditEntrySchema, ledgerEntrySchema, type AuditEntry, type LedgerEntry } from '../domain/ledger.js';
import { formatSerial } from '../domain/serials.js';
import { scheduleStoreFields } from '../schedule/schedule-data.js';
import type { HighWaterMark } from './high-water.js';
import { toRanges } from './ledger.js';
import type { IssuedRecord, LedgerRecord, StoreData } from './store-data.js';

export const storeV1Schema = z.object({
  version: z.literal(1),
  jobs: z.array(jobSchema),
  batches: z.array(batchSchema),
  requests: z.record(z.string(), z.string()),
  ledger: z.array(ledgerEntrySchema),
  seriesNext: z.record(z.string(), z.number().int()),
  audit: z.array(auditEntrySchema),
  extra: z.record(z.string(), z.unknown()).default({}),
  ...scheduleStoreFields,
});
export type StoreV1 = z.infer<typeof storeV1Schema>;

type Format = IssuedRecord['format'];
const checkKinds = ['luhn', 'mod11', 'none'] as const;

/** The format a number was printed with: the configured one when it matches, else the one that reproduces it. */
export function inferFormat(seq: number, number: string, configured?: SeriesConfig): Format | undefined {
  if (configured && formatSerial(configured, seq) === number) return { prefix: configured.prefix, padding: configured.padding, checkDigit: configured.checkDigit };
  for (const checkDigit of checkKinds) {
    for (let padding = String(seq).length; padding <= 12; padding++) {
      const cut = number.length - padding - (checkDigit === 'none' ? 0 : 1);
      if (cut < 0) continue;
      const f = { prefix: number.slice(0, cut), padding, checkDigit };
      if (formatSerial(f, seq) === number) return f;
    }
  }
  return undefined;
}

export interface Migrated {
  data: StoreData;
  /** The old store's audit log, for the archive. */
  audit: AuditEntry[];
  /** A high-water mark per series that issued numbers. */
  marks: HighWaterMark[];
}

export function migrateV1(old: StoreV1, series: readonly SeriesConfig[], at: string): Migrated {
  const cfg = new Map(series.map((s) => [s.id, s]));
  const ledger: LedgerRecord[] = [];
  let n = 0;
  const id = (p: string) => `${p}-v1-${(n++).toString(36)}`;

  // Consecutive numbers of one print (same series, batch, document and time) become one range.
  let run: IssuedRecord | undefined;
  for (const e of old.ledger) {
    const format = inferFormat(e.seq, e.number, cfg.get(e.seriesId)) ?? { prefix: '', padding: String(e.seq).length, checkDigit: 'none' as const };
    const same =
      run && run.seriesId === e.seriesId && run.batchId === e.batchId && run.documentId === e.documentId && run.at === e.issuedAt &&
      run.to + 1 === e.seq && JSON.stringify(run.format) === JSON.stringify(format);
    if (same) run!.to = e.seq;
    else {
      run = { kind: 'issued', id: id('n'), seriesId: e.seriesId, from: e.seq, to: e.seq, format, batchId: e.batchId, documentId: e.documentId, at: e.issuedAt };
      ledger.push(run);
    }
  }
  // Voids of the old format carry no time or reason of their own: they are dated as issued.
  const voids = new Map<string, LedgerEntry[]>();
  for (const e of old.ledger.filter((x) => x.status === 'voided')) {
    const key = `${e.seriesId}\u0000${e.issuedAt}`;
    voids.set(key, [...(voids.get(key) ?? []), e]);
  }
  for (const group of voids.values()) {
    ledger.push({ kind: 'voided', id: id('v'), seriesId: group[0]!.seriesId, ranges: toRanges(group.map((e) => e.seq)), reason: 'makulerat (före uppgraderingen)', at: group[0]!.issuedAt });
  }
  for (const e of old.ledger) for (const r of e.reprints) ledger.push({ kind: 'reprinted', id: id('r'), seriesId: e.seriesId, seq: e.seq, batchId: r.batchId, at: r.at });

  // The block in use: the configured one when the last number issued lies in it; otherwise a
  // block of its own (the lowest number issued), so a configured block below is refused at start.
  const state: StoreData['series'] = {};
  for (const [sid, next] of Object.entries(old.seriesNext)) {
    const c = cfg.get(sid);
    const issued = old.ledger.filter((e) => e.seriesId === sid).map((e) => e.seq);
    const highest = Math.max(next - 1, ...issued);
    const blockFirst = c && highest >= c.first && highest <= c.last ? c.first : Math.min(...issued, next);
    state[sid] = { next: highest + 1, blockFirst };
  }
  const data: StoreData = {
    version: 2,
    jobs: old.jobs,
    batches: old.batches,
    requests: old.requests,
    series: state,
    ledger,
    upgrades: old.upgrades,
    scheduleRuns: old.scheduleRuns,
    admin: old.admin,
  };
  const marks = Object.entries(state).map(([seriesId, s]) => ({ seriesId, next: s.next, blockFirst: s.blockFirst, at }));
  return { data, audit: old.audit, marks };
}
