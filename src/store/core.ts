// The store's engine, shared by its modules (jobs, ledger, audit, schedule and admin state) and
// used by nothing outside src/store/: the live data in lowdb, the write loop, and what goes with
// each write. Mutations apply to memory at once and resolve when they are on disk; writes coalesce.
// Each write first appends the high-water marks (data/serials/) and the audit entries (archive),
// then the change to the live store: the marks are never behind the store, and an audit entry is
// never lost for a change the store acknowledged. A mutation names what it changed (Touch); the
// write appends those records to the journal (journal.ts) and writes store.json whole only now and
// then, so a write costs the size of its change.
import { EventEmitter } from 'node:events';
import type { Low } from 'lowdb';
import type { AuditEntry } from '../domain/ledger.js';
import type { Batch, Job } from '../domain/job.js';
import type { Archive } from './archive.js';
import type { DurableJsonFile } from './durable-json-file.js';
import { appendHighWaters, type HighWaterMark } from './high-water.js';
import type { Journal, JournalRecord } from './journal.js';
import type { LedgerRecord, StoreData } from './store-data.js';

/**
 * What a mutation changed, named as it changes it: the write journals exactly these (their values
 * when written). Records are named by object; requests and series by key; the small pieces whole.
 * `all`: records left the live store (retention) or changed beyond these: store.json is written whole.
 */
export interface Touch {
  job(j: Job): void;
  batch(b: Batch): void;
  ledger(r: LedgerRecord): void;
  request(requestId: string): void;
  series(seriesId: string): void;
  upgrades(): void;
  scheduleRuns(): void;
  admin(): void;
  all(): void;
}

/** The changes not yet on disk. */
class Changes implements Touch {
  jobs = new Set<Job>();
  batches = new Set<Batch>();
  ledgerRecords = new Set<LedgerRecord>();
  requests = new Set<string>();
  seriesIds = new Set<string>();
  pieces = new Set<'upgrades' | 'scheduleRuns' | 'admin'>();
  whole = false;

  job(j: Job) {
    this.jobs.add(j);
  }
  batch(b: Batch) {
    this.batches.add(b);
  }
  ledger(r: LedgerRecord) {
    this.ledgerRecords.add(r);
  }
  request(id: string) {
    this.requests.add(id);
  }
  series(id: string) {
    this.seriesIds.add(id);
  }
  upgrades() {
    this.pieces.add('upgrades');
  }
  scheduleRuns() {
    this.pieces.add('scheduleRuns');
  }
  admin() {
    this.pieces.add('admin');
  }
  all() {
    this.whole = true;
  }
  get empty(): boolean {
    return !this.whole && this.jobs.size + this.batches.size + this.ledgerRecords.size + this.requests.size + this.seriesIds.size + this.pieces.size === 0;
  }
  /** Puts changes whose write failed back in front of these. */
  merge(older: Changes): void {
    older.jobs.forEach((x) => this.jobs.add(x));
    older.batches.forEach((x) => this.batches.add(x));
    older.ledgerRecords.forEach((x) => this.ledgerRecords.add(x));
    older.requests.forEach((x) => this.requests.add(x));
    older.seriesIds.forEach((x) => this.seriesIds.add(x));
    older.pieces.forEach((x) => this.pieces.add(x));
    this.whole ||= older.whole;
  }
  /** The journal line: the named records as they are now. */
  record(seq: number, d: StoreData): JournalRecord {
    const r: JournalRecord = { seq };
    if (this.jobs.size) r.jobs = [...this.jobs];
    if (this.batches.size) r.batches = [...this.batches];
    if (this.ledgerRecords.size) r.ledger = [...this.ledgerRecords];
    if (this.requests.size) r.requests = Object.fromEntries([...this.requests].filter((k) => k in d.requests).map((k) => [k, d.requests[k]!]));
    if (this.seriesIds.size) r.series = Object.fromEntries([...this.seriesIds].filter((k) => k in d.series).map((k) => [k, d.series[k]]));
    if (this.pieces.has('upgrades')) r.upgrades = d.upgrades;
    if (this.pieces.has('scheduleRuns')) r.scheduleRuns = d.scheduleRuns;
    if (this.pieces.has('admin')) r.admin = d.admin;
    return r;
  }
}

/** store.json is written whole when the journal has grown to its size (and at least this). */
const MIN_JOURNAL_BYTES = 1 << 20;

/**
 * Longest wait before a lazy change is written (see StoreCore.mutate): numbers whose batch did not
 * follow (it failed before its write) still reach the disk, with their high-water mark, within it.
 */
export const LAZY_WRITE_MS = 200;

export class StoreCore {
  readonly events = new EventEmitter();
  private dirty = false;
  private lazyTimer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private marks: HighWaterMark[] = [];
  private auditQueue: AuditEntry[] = [];
  private changes = new Changes();
  closed = false;

  constructor(
    readonly dataDir: string,
    private db: Low<StoreData>,
    private file: DurableJsonFile<StoreData>,
    private journal: Journal,
    /** The last journal line store.json or the journal holds. */
    private seq: number,
    readonly archive: Archive,
    readonly now: () => Date,
    readonly log: (msg: string) => void,
  ) {
    this.events.setMaxListeners(0);
  }

  get data(): StoreData {
    return this.db.data;
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  /** Queues an audit entry; it reaches the archive with the next write (before store.json). */
  audit(entry: AuditEntry): void {
    this.auditQueue.push(entry);
  }

  /** Audit entries not yet on disk (the audit search shows them too). */
  pendingAudit(): readonly AuditEntry[] {
    return this.auditQueue;
  }

  /** Queues a series' new high-water mark; it is on disk before the store that records the numbers. */
  mark(m: HighWaterMark): void {
    this.marks.push(m);
  }

  /**
   * Applies `fn` to the data now (it names what it changed on `touch`); resolves once the result
   * is on disk. A `lazy` change is written within LAZY_WRITE_MS, together with whatever else
   * changed meanwhile, instead of at once: numbers drawn for a batch that is written right after
   * (ledger.issue withNextWrite), so that numbers and batch cost one write. Everything else is
   * written at once and carries every lazy change made before it. `fn` must throw before it
   * changes anything.
   */
  mutate<R>(fn: (data: StoreData, touch: Touch) => R, opts: { lazy?: boolean } = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error('[store] closed'));
    const result = fn(this.db.data, this.changes);
    return (opts.lazy ? this.flushSoon() : this.flush()).then(() => result);
  }

  /** Resolves when everything mutated so far is on disk. */
  flush(): Promise<void> {
    this.dirty = true;
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.writing) this.writing = this.writeLoop();
    return p;
  }

  private flushSoon(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.lazyTimer ??= setTimeout(() => {
      this.lazyTimer = null;
      // An urgent write since may have carried these changes already.
      if (this.waiters.length === 0) return;
      this.dirty = true;
      if (!this.writing) this.writing = this.writeLoop();
    }, LAZY_WRITE_MS);
    return p;
  }

  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const waiting = this.waiters;
      this.waiters = [];
      const marks = this.marks;
      this.marks = [];
      const audit = this.auditQueue;
      this.auditQueue = [];
      const changes = this.changes;
      this.changes = new Changes();
      try {
        await appendHighWaters(this.dataDir, marks);
        // The marks go into the archive too: restoring the archive alone still knows the numbers.
        await this.archive.append('ledger', marks.map((m) => ({ kind: 'hwm', ...m })), (m) => m.at);
        await this.archive.append('audit', audit, (e) => e.at);
        await this.persist(changes);
        waiting.forEach((w) => w.resolve());
      } catch (e) {
        // Not written: keep them for the next try, so no mark, audit entry or change is dropped.
        this.marks.unshift(...marks);
        this.auditQueue.unshift(...audit);
        this.changes.merge(changes);
        waiting.forEach((w) => w.reject(e));
      }
    }
    this.writing = null;
  }

  /** The changes to the live store: a journal line, or store.json whole (see journal.ts for when). */
  private async persist(changes: Changes): Promise<void> {
    if (changes.empty) return;
    if (changes.whole || this.journalBroken || this.journal.bytes >= Math.max(MIN_JOURNAL_BYTES, this.file.bytes)) return this.writeWhole();
    try {
      await this.journal.append(changes.record(this.seq + 1, this.db.data));
    } catch (e) {
      // A line may be half on disk: the next write is store.json whole, which empties the journal.
      this.journalBroken = true;
      throw e;
    }
    this.seq++;
  }
  private journalBroken = false;

  /** Writes store.json with everything in it (and the number of the last journal line it holds), then empties the journal. */
  private async writeWhole(): Promise<void> {
    this.db.data.journalSeq = this.seq;
    await this.db.write();
    await this.journal.reset();
    this.journalBroken = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.lazyTimer) {
      clearTimeout(this.lazyTimer);
      this.lazyTimer = null;
      if (this.waiters.length) await this.flush();
    }
    if (this.writing) await this.writing;
    this.closed = true;
    // After a clean stop store.json alone holds everything (a copy of it is a whole backup). If
    // this write fails, the journal still holds the changes and the next start applies them.
    if (this.journal.bytes > 0) await this.writeWhole().catch((e: unknown) => this.log(`[store] ${(e as Error).message}`));
    await this.journal.close();
  }
}
