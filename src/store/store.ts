// The station's store (lowdb over a durable JSON file). It is the only writer of jobs, batches,
// the serial ledger and the audit log; every job state change goes through setJobState.
// Mutations apply to memory at once and resolve when they are on disk (writes coalesce).
import { EventEmitter } from 'node:events';
import { mkdirSync, openSync, writeSync, closeSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { batchSchema, jobSchema, isTerminal, applyReasons, type Batch, type Job, type JobState } from '../domain/job.js';
import { DurableJsonFile, StoreCorruptError } from './durable-json-file.js';
import type { SeriesConfig } from '../config.js';
import { formatSerial } from '../domain/serials.js';
import { scheduleStoreFields } from '../schedule/schedule-data.js';

/** The block is used up (or would be by this request): nothing was allocated. */
export class SeriesExhaustedError extends Error {
  constructor(
    readonly seriesId: string,
    readonly remaining: number,
    readonly requested: number,
  ) {
    super(`[store] series ${seriesId}: ${requested} requested, ${remaining} left`);
    this.name = 'SeriesExhaustedError';
  }
}

export const ledgerEntrySchema = z.object({
  seriesId: z.string(),
  /** The running number, without prefix and check digit. */
  seq: z.number().int(),
  /** The printed number (prefix + padded number + check digit). */
  number: z.string(),
  status: z.enum(['issued', 'voided']),
  batchId: z.string().optional(),
  documentId: z.string().optional(),
  issuedAt: z.string(),
  reprints: z.array(z.object({ at: z.string(), batchId: z.string().optional() })).default([]),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const auditEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const storeDataSchema = z.object({
  version: z.literal(1),
  jobs: z.array(jobSchema),
  batches: z.array(batchSchema),
  /** requestId → batchId: the same request id prints once. */
  requests: z.record(z.string(), z.string()),
  ledger: z.array(ledgerEntrySchema),
  /** Per series: the next running number to hand out. Advanced before any label is rendered. */
  seriesNext: z.record(z.string(), z.number().int()),
  audit: z.array(auditEntrySchema),
  /** Free-form sections owned by other modules (schedule), each validated by its owner. */
  extra: z.record(z.string(), z.unknown()).default({}),
  /** Planned upgrades, scheduled runs and the admin PIN's state (src/schedule, src/admin). */
  ...scheduleStoreFields,
});
export type StoreData = z.infer<typeof storeDataSchema>;

const emptyData = (): StoreData => ({
  version: 1,
  jobs: [],
  batches: [],
  requests: {},
  ledger: [],
  seriesNext: {},
  audit: [],
  extra: {},
  upgrades: [],
  scheduleRuns: [],
  admin: { failedAttempts: 0 },
});

export interface JobChange {
  state?: JobState;
  /** "+reason" adds, "-reason" removes. */
  reasons?: string[];
  message?: string;
  patch?: Partial<Omit<Job, 'id' | 'state' | 'reasons' | 'message'>>;
}

export type StoreEvent = { type: 'job'; job: Job } | { type: 'batch'; batch: Batch };

const AUDIT_KEEP = 20_000;

export class Store {
  readonly events = new EventEmitter();
  private db: Low<StoreData>;
  private dirty = false;
  private lazyTimer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private lockFile: string;
  private closed = false;
  private jobIndex = new Map<string, Job>();
  private batchIndex = new Map<string, Batch>();

  private constructor(
    readonly dir: string,
    db: Low<StoreData>,
    lockFile: string,
    private now: () => Date,
  ) {
    this.db = db;
    this.lockFile = lockFile;
    this.events.setMaxListeners(0);
  }

  /** Opens the store in `dir` (one process per folder, guarded by a lock file). */
  static async open(dir: string, opts: { now?: () => Date } = {}): Promise<Store> {
    mkdirSync(dir, { recursive: true });
    const lockFile = path.join(dir, 'store.lock');
    takeLock(lockFile);
    const file = path.join(dir, 'store.json');
    const db = new Low<StoreData>(new DurableJsonFile<StoreData>(file), emptyData());
    try {
      await db.read();
      const parsed = storeDataSchema.safeParse(db.data);
      if (!parsed.success) {
        throw new StoreCorruptError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).slice(0, 3).join('; '));
      }
      db.data = parsed.data;
    } catch (e) {
      rmSync(lockFile, { force: true });
      throw e;
    }
    const store = new Store(dir, db, lockFile, opts.now ?? (() => new Date()));
    for (const j of db.data.jobs) store.jobIndex.set(j.id, j);
    for (const b of db.data.batches) store.batchIndex.set(b.id, b);
    return store;
  }

  get data(): Readonly<StoreData> {
    return this.db.data;
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  /**
   * Applies `fn` to the data now; resolves once the result is on disk. A `lazy` change is written
   * within LAZY_WRITE_MS, together with whatever else changed meanwhile, instead of at once: for
   * bookkeeping that nothing waits on (job states after the printer answered), so that a kit's
   * few dozen state changes cost a few writes, not one write (two fsyncs, the whole store as JSON)
   * each. Anything that must be on disk before the next step (a batch, numbers, a claim to send)
   * is written at once, and carries every lazy change made before it.
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

  /** Resolves when everything mutated so far is on disk, written within LAZY_WRITE_MS. */
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
      try {
        await this.db.write();
        waiting.forEach((w) => w.resolve());
      } catch (e) {
        waiting.forEach((w) => w.reject(e));
      }
    }
    this.writing = null;
  }

  // ---- batches and jobs ----

  getJob(id: string): Job | undefined {
    return this.jobIndex.get(id);
  }
  getBatch(id: string): Batch | undefined {
    return this.batchIndex.get(id);
  }
  jobsOf(batch: Batch): Job[] {
    return batch.jobIds.map((id) => this.jobIndex.get(id)).filter((j): j is Job => !!j);
  }
  batchForRequest(requestId: string): Batch | undefined {
    const id = this.db.data.requests[requestId];
    return id ? this.batchIndex.get(id) : undefined;
  }
  /** Unfinished jobs in the order they were queued. */
  unfinishedJobs(): Job[] {
    return this.db.data.jobs.filter((j) => !isTerminal(j.state));
  }
  recentBatches(limit = 20): Batch[] {
    return this.db.data.batches.slice(-limit).reverse();
  }

  /** Adds a batch with its jobs (all pending) in one durable write. */
  async addBatch(batch: Batch, jobs: Job[], actor = 'station'): Promise<void> {
    await this.mutate((d) => {
      d.batches.push(batch);
      this.batchIndex.set(batch.id, batch);
      for (const j of jobs) {
        d.jobs.push(j);
        this.jobIndex.set(j.id, j);
      }
      if (batch.requestId) d.requests[batch.requestId] = batch.id;
      d.audit.push({ at: batch.createdAt, actor, action: 'batch-created', detail: `${batch.id} ${batch.title} (${jobs.length} jobb)` });
      this.trimAudit(d);
    });
    this.events.emit('event', { type: 'batch', batch } satisfies StoreEvent);
    for (const j of jobs) this.events.emit('event', { type: 'job', job: j } satisfies StoreEvent);
  }

  /**
   * The one function that changes a job: returns early when nothing changes, stamps the time,
   * writes the audit log and raises the event. Resolves when durable.
   */
  async setJobState(jobId: string, change: JobChange, actor = 'station'): Promise<Job> {
    const job = this.jobIndex.get(jobId);
    if (!job) throw new Error(`[store] no job ${jobId}`);
    if (this.closed) throw new Error('[store] closed');
    const state = change.state ?? job.state;
    const reasons = change.reasons ? applyReasons(job.reasons, change.reasons) : job.reasons;
    const message = change.message ?? job.message;
    const patchChanges =
      change.patch && Object.entries(change.patch).some(([k, v]) => (job as Record<string, unknown>)[k] !== v);
    const same =
      state === job.state && message === job.message && reasons.length === job.reasons.length && reasons.every((r, i) => r === job.reasons[i]);
    if (same && !patchChanges) return job;
    const at = this.nowIso();
    // Written at once (writes that arrive together share one). Callers that need it on disk
    // before going on (the dispatcher's "job X goes as send N") wait for the promise; others don't.
    const written = this.mutate(
      (d) => {
        const prev = job.state;
        if (change.patch) Object.assign(job, change.patch);
        job.state = state;
        job.reasons = reasons;
        job.message = message;
        job.updatedAt = at;
        if (isTerminal(state) && !job.completedAt) job.completedAt = at;
        if (prev !== state) {
          d.audit.push({ at, actor, action: `job-${state}`, detail: `${job.id} ${job.title}${message ? ` – ${message}` : ''}` });
          this.trimAudit(d);
        }
      },
    );
    // The screen shows the change as it happens; the promise says when it is on disk.
    this.events.emit('event', { type: 'job', job } satisfies StoreEvent);
    await written;
    return job;
  }

  // ---- the serial ledger ----

  /**
   * Hands out `count` consecutive numbers from a series and records them as issued, durably,
   * before the caller renders anything. Never the same number twice: the next number is advanced
   * in the same write. Refuses (allocating nothing) when the block cannot cover the request.
   */
  async allocateSerials(series: SeriesConfig, count: number, ref: { batchId: string; documentId?: string }): Promise<LedgerEntry[]> {
    const { entries, written } = this.issueSerials(series, count, ref);
    await written;
    return entries;
  }

  /**
   * allocateSerials, applied now and returned at once; `written` resolves when they are on disk.
   * `withNextWrite`: the caller writes something else at once right after (the batch that uses
   * them) and waits for both, so numbers and batch cost one write, and nothing is rendered before.
   * Throws SeriesExhaustedError (allocating nothing) when the block cannot cover the request.
   */
  issueSerials(
    series: SeriesConfig,
    count: number,
    ref: { batchId: string; documentId?: string },
    opts: { withNextWrite?: boolean } = {},
  ): { entries: LedgerEntry[]; written: Promise<void> } {
    if (this.closed) throw new Error('[store] closed');
    const at = this.nowIso();
    let entries: LedgerEntry[] = [];
    const written = this.mutate((d) => {
      const next = d.seriesNext[series.id] ?? series.first;
      const remaining = Math.max(0, series.last - next + 1);
      if (count > remaining) throw new SeriesExhaustedError(series.id, remaining, count);
      entries = [];
      for (let seq = next; seq < next + count; seq++) {
        entries.push({ seriesId: series.id, seq, number: formatSerial(series, seq), status: 'issued', batchId: ref.batchId, documentId: ref.documentId, issuedAt: at, reprints: [] });
      }
      d.ledger.push(...entries);
      d.seriesNext[series.id] = next + count;
      d.audit.push({ at, actor: 'station', action: 'serials-issued', detail: `${series.id} ${entries[0]?.number ?? ''}–${entries.at(-1)?.number ?? ''} (${count}) för ${ref.batchId}` });
    }, { lazy: opts.withNextWrite });
    return { entries, written: written.then(() => undefined) };
  }

  /**
   * Numbers issued for a batch that was never recorded (the station died between allocating and
   * queueing): they are gaps, recorded as voided, never handed out again.
   */
  async voidOrphanSerials(): Promise<number> {
    const orphans = this.db.data.ledger.filter((e) => e.status === 'issued' && e.batchId && !this.batchIndex.has(e.batchId));
    if (orphans.length === 0) return 0;
    await this.mutate((d) => {
      for (const e of orphans) e.status = 'voided';
      d.audit.push({ at: this.nowIso(), actor: 'station', action: 'serials-voided', detail: `${orphans.length} nummer makulerade (avbruten utskrift): ${orphans.map((e) => e.number).join(', ')}`.slice(0, 2000) });
    });
    return orphans.length;
  }

  /** Records a reprint of an issued number (a torn or lost label): the same number, never a new one. */
  async recordReprint(seriesId: string, number: string, batchId: string): Promise<LedgerEntry> {
    const entry = this.db.data.ledger.find((e) => e.seriesId === seriesId && e.number === number);
    if (!entry) throw new Error(`[store] ${number} is not in series ${seriesId}`);
    await this.mutate((d) => {
      entry.reprints.push({ at: this.nowIso(), batchId });
      d.audit.push({ at: this.nowIso(), actor: 'station', action: 'serial-reprinted', detail: `${number} (${batchId})` });
    });
    return entry;
  }

  /** Voids the numbers of a batch that will never print (its rendering failed): gaps, never handed out again. */
  async voidSerials(batchId: string, reason: string): Promise<number> {
    return this.voidEntries(this.db.data.ledger.filter((e) => e.batchId === batchId && e.status === 'issued'), reason);
  }

  /** Voids given numbers (a document that drew them could not be rendered, so they were never printed). */
  async voidSerialNumbers(numbers: readonly string[], reason: string): Promise<number> {
    const wanted = new Set(numbers);
    return this.voidEntries(this.db.data.ledger.filter((e) => wanted.has(e.number) && e.status === 'issued'), reason);
  }

  private async voidEntries(entries: LedgerEntry[], reason: string): Promise<number> {
    if (entries.length === 0) return 0;
    await this.mutate((d) => {
      for (const e of entries) e.status = 'voided';
      d.audit.push({ at: this.nowIso(), actor: 'station', action: 'serials-voided', detail: `${entries.length} nummer makulerade (${reason}): ${entries.map((e) => e.number).join(', ')}`.slice(0, 2000) });
      this.trimAudit(d);
    });
    return entries.length;
  }

  ledgerOf(seriesId: string): LedgerEntry[] {
    return this.db.data.ledger.filter((e) => e.seriesId === seriesId);
  }

  /**
   * Sets bookkeeping fields (never the state) on several jobs in one durable write: the dispatcher
   * uses it to mark a run of jobs "may be sent from now on" with a single fsync.
   */
  async patchJobs(ids: readonly string[], patch: (job: Job) => Partial<Omit<Job, 'id' | 'state' | 'reasons' | 'message'>>): Promise<void> {
    const jobs = ids.map((id) => this.jobIndex.get(id)).filter((j): j is Job => !!j);
    if (jobs.length === 0) return;
    const at = this.nowIso();
    await this.mutate(() => {
      for (const j of jobs) Object.assign(j, patch(j), { updatedAt: at });
    });
    for (const j of jobs) this.events.emit('event', { type: 'job', job: j } satisfies StoreEvent);
  }

  async audit(actor: string, action: string, detail: string): Promise<void> {
    await this.mutate((d) => {
      d.audit.push({ at: this.nowIso(), actor, action, detail });
      this.trimAudit(d);
    });
  }

  private trimAudit(d: StoreData): void {
    if (d.audit.length > AUDIT_KEEP) d.audit.splice(0, d.audit.length - AUDIT_KEEP);
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
    rmSync(this.lockFile, { force: true });
  }
}

/**
 * Longest wait before a lazy change is written (see Store.mutate). Long enough that sending a kit
 * (a few hundred ms) costs one or two writes of the store, short enough that a crash loses at most
 * this much bookkeeping of what printers did: what was sent is then looked up on the printer by
 * name, never sent again.
 */
export const LAZY_WRITE_MS = 200;

/** One process per store folder: a lock file holding the owner's pid; a dead owner's lock is taken over. */
function takeLock(lockFile: string): void {
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      if (pid && isAlive(pid)) {
        throw new Error(`[store] ${path.dirname(lockFile)} används redan av process ${pid}; bara en station per datamapp.`);
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`[store] cannot take lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
