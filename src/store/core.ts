// The store's engine, shared by its modules (jobs, ledger, audit, schedule and admin state) and
// used by nothing outside src/store/: the live data in lowdb, the write loop, and what goes with
// each write. Mutations apply to memory at once and resolve when they are on disk; writes coalesce.
// Each write first appends the high-water marks (data/serials/) and the audit entries (archive),
// then writes store.json: the marks are never behind the store, and an audit entry is never lost
// for a change the store acknowledged.
import { EventEmitter } from 'node:events';
import type { Low } from 'lowdb';
import type { AuditEntry } from '../domain/ledger.js';
import type { Archive } from './archive.js';
import { appendHighWaters, type HighWaterMark } from './high-water.js';
import type { StoreData } from './store-data.js';

/**
 * Longest wait before a lazy change is written (see StoreCore.mutate). Long enough that sending a kit
 * (a few hundred ms) costs one or two writes of the store, short enough that a crash loses at most
 * this much bookkeeping of what printers did: what was sent is then looked up on the printer by
 * name, never sent again.
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
  closed = false;

  constructor(
    readonly dataDir: string,
    private db: Low<StoreData>,
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
   * Applies `fn` to the data now; resolves once the result is on disk. A `lazy` change is written
   * within LAZY_WRITE_MS, together with whatever else changed meanwhile, instead of at once: for
   * bookkeeping that nothing waits on (job states after the printer answered). Anything that must
   * be on disk before the next step (a batch, numbers, a claim to send) is written at once, and
   * carries every lazy change made before it. `fn` must throw before it changes anything.
   */
  mutate<R>(fn: (data: StoreData) => R, opts: { lazy?: boolean } = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error('[store] closed'));
    const result = fn(this.db.data);
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
      try {
        await appendHighWaters(this.dataDir, marks);
        // The marks go into the archive too: restoring the archive alone still knows the numbers.
        await this.archive.append('ledger', marks.map((m) => ({ kind: 'hwm', ...m })), (m) => m.at);
        await this.archive.append('audit', audit, (e) => e.at);
        await this.db.write();
        waiting.forEach((w) => w.resolve());
      } catch (e) {
        // Not written: keep them for the next try, so no mark or audit entry is dropped.
        this.marks.unshift(...marks);
        this.auditQueue.unshift(...audit);
        waiting.forEach((w) => w.reject(e));
      }
    }
    this.writing = null;
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
  }
}
