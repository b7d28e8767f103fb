// Batches and their jobs in the live store. Every job state change goes through setJobState (as
// CUPS' cupsdSetJobState): it returns early when nothing changes, stamps the time, writes the
// audit log and raises the event. Finished batches older than the retention are moved to the
// archive (retention.ts); the history reads both.
import { isTerminal, applyReasons, batchSchema, jobSchema, type Batch, type Job, type JobState } from '../domain/job.js';
import type { StoreCore } from './core.js';

export interface JobChange {
  state?: JobState;
  /** "+reason" adds, "-reason" removes. */
  reasons?: string[];
  message?: string;
  patch?: Partial<Omit<Job, 'id' | 'state' | 'reasons' | 'message'>>;
}

export type StoreEvent = { type: 'job'; job: Job } | { type: 'batch'; batch: Batch };

export class JobsState {
  private jobIndex = new Map<string, Job>();
  private batchIndex = new Map<string, Batch>();

  constructor(private core: StoreCore) {
    this.reindex();
  }

  /** Rebuilds the id indexes (after open and after records moved to the archive). */
  reindex(): void {
    this.jobIndex = new Map(this.core.data.jobs.map((j) => [j.id, j]));
    this.batchIndex = new Map(this.core.data.batches.map((b) => [b.id, b]));
  }

  getJob(id: string): Job | undefined {
    return this.jobIndex.get(id);
  }
  getBatch(id: string): Batch | undefined {
    return this.batchIndex.get(id);
  }
  hasBatch(id: string): boolean {
    return this.batchIndex.has(id);
  }
  jobsOf(batch: Batch): Job[] {
    return batch.jobIds.map((id) => this.jobIndex.get(id)).filter((j): j is Job => !!j);
  }
  batchForRequest(requestId: string): Batch | undefined {
    const id = this.core.data.requests[requestId];
    return id ? this.batchIndex.get(id) : undefined;
  }
  /** Unfinished jobs in the order they were queued. */
  unfinishedJobs(): Job[] {
    return this.core.data.jobs.filter((j) => !isTerminal(j.state));
  }
  /** The live jobs (unfinished, and finished within the retention), oldest first. */
  liveJobs(): readonly Job[] {
    return this.core.data.jobs;
  }
  /** The live batches (within the retention), oldest first. */
  batches(): readonly Batch[] {
    return this.core.data.batches;
  }
  recentBatches(limit = 20): Batch[] {
    return this.core.data.batches.slice(-limit).reverse();
  }
  /**
   * The last `limit` jobs, newest first: the live ones, then the archive's newest months when the
   * live store holds fewer (the history page keeps working after the retention moved them).
   */
  recentJobs(limit: number): Job[] {
    const out = this.core.data.jobs.slice(-limit).reverse();
    if (out.length >= limit) return out;
    const seen = new Set(out.map((j) => j.id));
    const months = [...new Set(this.core.archive.files('jobs').map((f) => f.month))].reverse();
    for (const month of months) {
      const archived = this.core.archive.read('jobs', jobSchema, (raw) => raw.batchId !== undefined && raw.jobIds === undefined, month);
      for (const j of archived.reverse()) {
        if (out.length >= limit) return out;
        if (!seen.has(j.id)) {
          seen.add(j.id);
          out.push(j);
        }
      }
    }
    return out;
  }
  /** A batch from the live store or, when it has moved there, the archive (with its jobs). */
  findBatch(id: string): { batch: Batch; jobs: Job[] } | undefined {
    const live = this.batchIndex.get(id);
    if (live) return { batch: live, jobs: this.jobsOf(live) };
    const batch = this.core.archive.read('jobs', batchSchema, (raw) => raw.id === id && raw.jobIds !== undefined).at(-1);
    if (!batch) return undefined;
    const ids = new Set(batch.jobIds);
    const jobs = new Map(this.core.archive.read('jobs', jobSchema, (raw) => typeof raw.id === 'string' && ids.has(raw.id) && raw.jobIds === undefined).map((j) => [j.id, j]));
    return { batch, jobs: batch.jobIds.map((j) => jobs.get(j)).filter((j): j is Job => !!j) };
  }
  /** How many live jobs are in each state. */
  countByState(): Map<JobState, number> {
    const counts = new Map<JobState, number>();
    for (const j of this.core.data.jobs) counts.set(j.state, (counts.get(j.state) ?? 0) + 1);
    return counts;
  }

  /** Adds a batch with its jobs (all pending) in one durable write. */
  async addBatch(batch: Batch, jobs: Job[], actor = 'station'): Promise<void> {
    await this.core.mutate((d, t) => {
      d.batches.push(batch);
      t.batch(batch);
      this.batchIndex.set(batch.id, batch);
      for (const j of jobs) {
        d.jobs.push(j);
        t.job(j);
        this.jobIndex.set(j.id, j);
      }
      if (batch.requestId) {
        d.requests[batch.requestId] = batch.id;
        t.request(batch.requestId);
      }
      this.core.audit({ at: batch.createdAt, actor, action: 'batch-created', detail: `${batch.id} ${batch.title} (${jobs.length} jobb)` });
    });
    this.core.events.emit('event', { type: 'batch', batch } satisfies StoreEvent);
    for (const j of jobs) this.core.events.emit('event', { type: 'job', job: j } satisfies StoreEvent);
  }

  /**
   * The one function that changes a job: returns early when nothing changes, stamps the time,
   * writes the audit log and raises the event. Resolves when durable.
   */
  async setJobState(jobId: string, change: JobChange, actor = 'station'): Promise<Job> {
    const job = this.jobIndex.get(jobId);
    if (!job) throw new Error(`[store] no job ${jobId}`);
    if (this.core.closed) throw new Error('[store] closed');
    const state = change.state ?? job.state;
    const reasons = change.reasons ? applyReasons(job.reasons, change.reasons) : job.reasons;
    const message = change.message ?? job.message;
    const patchChanges =
      change.patch && Object.entries(change.patch).some(([k, v]) => (job as Record<string, unknown>)[k] !== v);
    const same =
      state === job.state && message === job.message && reasons.length === job.reasons.length && reasons.every((r, i) => r === job.reasons[i]);
    if (same && !patchChanges) return job;
    const at = this.core.nowIso();
    // Written at once (writes that arrive together share one). Callers that need it on disk
    // before going on (the dispatcher's "job X goes as send N") wait for the promise; others don't.
    const written = this.core.mutate(
      (_, t) => {
        t.job(job);
        const prev = job.state;
        if (change.patch) Object.assign(job, change.patch);
        job.state = state;
        job.reasons = reasons;
        job.message = message;
        job.updatedAt = at;
        if (isTerminal(state) && !job.completedAt) job.completedAt = at;
        if (prev !== state) this.core.audit({ at, actor, action: `job-${state}`, detail: `${job.id} ${job.title}${message ? ` – ${message}` : ''}` });
      },
    );
    // The screen shows the change as it happens; the promise says when it is on disk.
    this.core.events.emit('event', { type: 'job', job } satisfies StoreEvent);
    await written;
    return job;
  }

  /**
   * Sets bookkeeping fields (never the state) on several jobs in one durable write: the dispatcher
   * uses it to mark a run of jobs "may be sent from now on" with a single fsync.
   */
  async patchJobs(ids: readonly string[], patch: (job: Job) => Partial<Omit<Job, 'id' | 'state' | 'reasons' | 'message'>>): Promise<void> {
    const jobs = ids.map((id) => this.jobIndex.get(id)).filter((j): j is Job => !!j);
    if (jobs.length === 0) return;
    const at = this.core.nowIso();
    await this.core.mutate((_, t) => {
      for (const j of jobs) {
        Object.assign(j, patch(j), { updatedAt: at });
        t.job(j);
      }
    });
    for (const j of jobs) this.core.events.emit('event', { type: 'job', job: j } satisfies StoreEvent);
  }
}
