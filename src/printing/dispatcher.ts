// The dispatcher: one queue loop per printer sends that printer's jobs in order with Print-Job,
// follows each to completed / aborted / canceled, and retries what failed for transient reasons.
// A hanging printer only ever blocks its own queue. After a restart it resumes unfinished jobs:
// a job the printer may already have is looked up by name (Get-Jobs) and followed, not resent.
import type { PrinterConfig, StationConfig } from '../config.js';
import { isTerminal, type Job } from '../domain/job.js';
import { ippJobName, parseIppJobName } from '../domain/ids.js';
import type { Store } from '../store/store.js';
import { PrintError, type PrintBackend, type RemoteJob } from './backend.js';
import type { PrinterMonitor } from './printer-monitor.js';
import type { Spool } from './spool.js';

export interface DispatcherDeps {
  config: StationConfig;
  store: Store;
  spool: Spool;
  backends: ReadonlyMap<string, PrintBackend>;
  monitor: PrinterMonitor;
  log?: (msg: string) => void;
}

const stationReasons = ['station-sending', 'station-retrying', 'station-printer-unreachable'];

/**
 * The wait after the n-th busy answer in a row (n from 0). A printer is "busy" for the few
 * milliseconds it takes to spool the job before, so the first 20 tries (100 ms) come every 5 ms, as a
 * good bare client would; a printer busy for longer (printing a large job) is asked less and less
 * often, doubling to once a second.
 */
export function busyRetryMs(n: number): number {
  return n < 20 ? 5 : Math.min(5 * 2 ** (n - 19), 1000);
}

export class Dispatcher {
  private stopped = false;
  /** Wakers per loop: "send:<printer>" and "follow:<printer>". */
  private wakers = new Map<string, () => void>();
  private loops: Promise<void>[] = [];
  private printers: Map<string, PrinterConfig>;
  /** Consecutive busy answers per printer: see busyRetryMs. */
  private busy = new Map<string, number>();
  /** Jobs this process has claimed (sendingSince on disk) but not sent yet: no look-up needed. */
  private claimed = new Set<string>();
  /** Printers whose follower has nothing to follow and sleeps until woken. */
  private followIdle = new Set<string>();
  /** Idle followers due to be woken shortly (a job was just accepted). */
  private followSoon = new Set<string>();
  /**
   * Jobs staff cancelled, known at once: the store applies a change with its write, so a send that
   * fails a moment later could still read the job as waiting and put it back in the queue.
   */
  private canceledNow = new Set<string>();

  constructor(private deps: DispatcherDeps) {
    this.printers = new Map(deps.config.printers.map((p) => [p.id, p]));
  }

  /**
   * Two loops per printer: the sender sends that printer's jobs in order, moving on as soon as
   * the printer has accepted one (printers queue); the follower polls accepted jobs to the end.
   */
  start(): void {
    for (const id of this.printers.keys()) {
      this.loops.push(this.loop(`send:${id}`, () => this.sendNext(id)));
      this.loops.push(this.loop(`follow:${id}`, () => this.followAll(id)));
    }
    // A printer that answers again is tried at once, not at the next backoff step.
    this.deps.monitor.events.on('printer', (v: { id: string; reachable: boolean | null }) => {
      if (v.reachable) this.kick(v.id);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.wakers.values()) w();
    await Promise.allSettled(this.loops);
  }

  /**
   * Wakes a printer's sender (or every printer's) after jobs were added or changed, and its follower
   * if that has nothing to follow. A follower that is following keeps its pace: asking the printer
   * about every job at each kick would only slow the printer down while a kit is being sent.
   */
  kick(printerId?: string): void {
    for (const [key, wake] of this.wakers) {
      const [loop, id] = key.split(':') as [string, string];
      if (printerId && id !== printerId) continue;
      // An idle follower due to start shortly (a job was just accepted) starts then, not now.
      if (loop === 'send' || (this.followIdle.has(id) && !this.followSoon.has(id))) wake();
    }
  }

  /**
   * Jobs stored already claimed (sendingSince and sendNo set in the very write that recorded them,
   * as the print service does): this process may send them without another write or a look-up.
   */
  adopt(jobIds: Iterable<string>): void {
    for (const id of jobIds) this.claimed.add(id);
  }

  /** The printer a job goes to now: the fallback once it has taken over. */
  private target(job: Job): string {
    return job.sentToPrinterId ?? job.printerId;
  }

  private jobsOf(printerId: string): Job[] {
    return this.deps.store.unfinishedJobs().filter((j) => this.target(j) === printerId && j.state !== 'held');
  }

  /** Runs one step after another; a step returns how long to wait before the next (or until kicked). */
  private async loop(key: string, step: () => Promise<number>): Promise<void> {
    while (!this.stopped) {
      let waitMs: number;
      try {
        waitMs = await step();
      } catch (e) {
        // A store write failed or a bug: never crash the station; try again shortly.
        this.deps.log?.(`[dispatcher] ${key}: ${(e as Error).stack ?? e}`);
        waitMs = 1000;
      }
      if (waitMs > 0 && !this.stopped) await this.sleep(key, waitMs);
    }
  }

  private wakeFollowerSoon(printerId: string): void {
    if (this.followSoon.has(printerId)) return;
    this.followSoon.add(printerId);
    const t = setTimeout(() => {
      this.followSoon.delete(printerId);
      this.wakers.get(`follow:${printerId}`)?.();
    }, this.deps.config.retry.pollSeconds * 1000);
    t.unref();
  }

  private sleep(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakers.set(key, done);
    });
  }

  private backendFor(printerId: string): PrintBackend {
    const b = this.deps.backends.get(printerId);
    if (!b) throw new Error(`[dispatcher] no backend for ${printerId}`);
    return b;
  }

  private current(job: Job): Job {
    return this.deps.store.getJob(job.id) ?? job;
  }

  /** Sends the oldest job the printer does not have yet. Returns the wait before the next step. */
  private async sendNext(printerId: string): Promise<number> {
    // The printer's jobs in order, up to the first one still being prepared (rendered): the kit's
    // order on paper stays the order it was planned in.
    const mine = this.deps.store.unfinishedJobs().filter((j) => this.target(j) === printerId && j.printerJobId === undefined && !this.canceledNow.has(j.id));
    const preparing = mine.findIndex((j) => j.state === 'held' && j.reasons.includes('station-rendering'));
    const queue = (preparing >= 0 ? mine.slice(0, preparing) : mine).filter((j) => j.state !== 'held');
    let job = queue[0];
    if (!job) return 60_000;
    const due = job.nextTryAt ? Date.parse(job.nextTryAt) - Date.now() : 0;
    if (due > 0) return due;
    const backend = this.backendFor(printerId);
    try {
      if (job.sendingSince && !this.claimed.has(job.id)) {
        // A send may have reached the printer (we crashed, or it timed out): look before resending.
        const remote = (await backend.listJobs()).find((r) => {
          const n = parseIppJobName(r.name);
          return n?.jobId === job!.id && n.sendNo === (job!.sendNo ?? 0);
        });
        if (remote) {
          await this.deps.store.setJobState(job.id, {
            state: 'processing',
            reasons: ['-station-sending', '+station-resumed'],
            patch: { printerJobId: remote.printerJobId, sendingSince: undefined },
          });
          this.kick(printerId);
          return 0;
        }
      }
      const view = this.deps.monitor.get(printerId);
      if (view?.acceptsPdf === false) {
        await this.deps.store.setJobState(job.id, {
          state: 'aborted',
          reasons: ['-station-sending', '-station-retrying', '+document-format-not-supported'],
          message: 'Skrivaren tar inte emot PDF – den behöver en CUPS-kö framför sig (se README).',
        });
        return 0;
      }
      if (!this.claimed.has(job.id)) await this.claim(queue);
      // Staff may have moved it to another printer (or cancelled it) while the claim was written.
      const now = this.current(job);
      // (a short pause, not 0: the store applies changes with its write, so the queue read at once
      // could still list the job and the loop would spin without letting the write happen)
      if (this.target(now) !== printerId || isTerminal(now.state) || this.canceledNow.has(now.id)) return 20;
      job = await this.send(now, printerId, backend);
      this.busy.delete(printerId);
      // The follower polls on its own interval; if it was idle (nothing to follow), it starts one
      // interval from now: the printer has only just taken the job, and is busy taking the next.
      if (this.followIdle.has(printerId)) this.wakeFollowerSoon(printerId);
      return 0;
    } catch (e) {
      if (!(e instanceof PrintError)) throw e;
      if (e.kind === 'busy') return this.busyPrinter(this.current(job), printerId);
      this.claimed.delete(job.id);
      await this.failed(this.current(job), printerId, e);
      return 0;
    }
  }

  /**
   * The printer is printing something else and said "busy": it does not have our job, so the claim
   * (and the send number) stays and the job is tried again soon (busyRetryMs). Nothing
   * needs to be on disk for that; the screen says so once it lasts.
   */
  private busyPrinter(job: Job, printerId: string): number {
    const n = this.busy.get(printerId) ?? 0;
    this.busy.set(printerId, n + 1);
    this.claimed.add(job.id);
    void this.deps.store
      .setJobState(job.id, {
        state: 'pending',
        reasons: ['-station-sending'],
        message: n >= 8 ? 'Skrivaren är upptagen – skickas så snart den är klar.' : job.message,
        patch: { attempts: Math.max(0, job.attempts - 1) },
      })
      .catch((err: unknown) => this.deps.log?.(`[dispatcher] store: ${(err as Error).message}`));
    return busyRetryMs(n);
  }

  /**
   * Before a job may reach the printer, the store must say so durably (sendingSince and the send
   * number that names it on the printer): after a crash such a job is looked up, not resent. One
   * write claims the whole run of jobs that are due, so a kit costs one fsync, not one per job.
   */
  private async claim(queue: readonly Job[]): Promise<void> {
    const now = Date.now();
    const due = queue.filter((j) => !this.claimed.has(j.id) && (!j.nextTryAt || Date.parse(j.nextTryAt) <= now)).slice(0, 50);
    const since = new Date(now).toISOString();
    await this.deps.store.patchJobs(
      due.map((j) => j.id),
      (j) => ({ sendingSince: since, sendNo: (j.sendNo ?? 0) + 1 }),
    );
    for (const j of due) this.claimed.add(j.id);
  }

  private async send(job: Job, printerId: string, backend: PrintBackend): Promise<Job> {
    const printer = this.printers.get(printerId)!;
    const pdf = await this.deps.spool.read(job.spoolFile);
    this.claimed.delete(job.id);
    if (this.canceledNow.has(job.id)) return this.current(job);
    // What the screen shows; the durable part (the claim) is already on disk.
    void this.deps.store
      .setJobState(job.id, {
        state: 'processing',
        reasons: ['-station-retrying', '-station-printer-unreachable', '+station-sending'],
        message: '',
        patch: { attempts: job.attempts + 1, nextTryAt: undefined },
      })
      .catch((e: unknown) => this.deps.log?.(`[dispatcher] store: ${(e as Error).message}`));
    const { printerJobId } = await backend.submit({
      jobName: ippJobName(job.id, job.sendNo ?? 1, job.title),
      pdf,
      copies: job.copies,
      media: job.media ?? printer.media,
      sides: job.sides,
    });
    // Applied now, durable with the next write: the next job's pre-send write (which must be on
    // disk before its Print-Job) carries this one too, so sending does not wait for two fsyncs.
    // Should the station die before that, the job is found on the printer by name (sendingSince).
    const accepted = this.deps.store.setJobState(job.id, {
      reasons: ['-station-sending'],
      patch: { printerJobId, sendingSince: undefined, waitingSince: undefined },
    });
    accepted.catch((e: unknown) => this.deps.log?.(`[dispatcher] store: ${(e as Error).message}`));
    return this.current(job);
  }

  /** Polls every job the printer has accepted; returns the wait before the next round. */
  private async followAll(printerId: string): Promise<number> {
    const accepted = this.jobsOf(printerId).filter((j) => j.printerJobId !== undefined);
    if (accepted.length === 0) {
      this.followIdle.add(printerId);
      return 60_000;
    }
    this.followIdle.delete(printerId);
    const backend = this.backendFor(printerId);
    const pollMs = this.deps.config.retry.pollSeconds * 1000;
    for (const job of accepted) {
      if (this.stopped) return 0;
      try {
        await this.followOne(this.current(job), printerId, backend);
      } catch (e) {
        if (!(e instanceof PrintError)) throw e;
        // The job is on the printer: never resend it, keep asking (with backoff) until it answers.
        this.deps.monitor.noteFailure(printerId, e);
        const j = this.current(job);
        this.noted(
          this.deps.store.setJobState(j.id, {
            reasons: ['+station-printer-unreachable'],
            message: 'Skrivaren svarar inte – frågar igen om jobbet.',
          }),
        );
        return Math.min(this.deps.config.retry.maxIntervalSeconds * 1000, Math.max(pollMs, this.deps.config.retry.intervalSeconds * 1000));
      }
    }
    return pollMs;
  }

  private async followOne(now: Job, printerId: string, backend: PrintBackend): Promise<void> {
    if (isTerminal(now.state) || now.printerJobId === undefined) return;
    let remote: RemoteJob;
    try {
      remote = await backend.getJob(now.printerJobId);
    } catch (e) {
      if (!(e instanceof PrintError && e.kind === 'ipp' && /not-found/.test(e.status ?? ''))) throw e;
      return this.lost(now, printerId);
    }
    const named = parseIppJobName(remote.name);
    // Same printer job id, another job: the printer restarted and renumbered. Ours was lost.
    if (named !== undefined && (named.jobId !== now.id || named.sendNo !== (now.sendNo ?? 0))) return this.lost(now, printerId);
    const printerReasons = remote.reasons.filter((r) => r !== 'none');
    const ours = now.reasons.filter((r) => r.startsWith('station-') && !stationReasons.includes(r));
    const drop = now.reasons.filter((r) => !ours.includes(r) && !printerReasons.includes(r)).map((r) => `-${r}`);
    const add = printerReasons.map((r) => `+${r}`);
    // Applied (and shown) at once; the follower does not wait for the write to go on asking.
    if (remote.state === 'completed' || remote.state === 'aborted' || remote.state === 'canceled') {
      this.noted(this.deps.store.setJobState(now.id, {
        state: remote.state,
        reasons: [...drop, ...add],
        message: remote.state === 'aborted' ? remote.message || 'Skrivaren avbröt jobbet.' : '',
        patch: { nextTryAt: undefined, waitingSince: undefined },
      }));
      return;
    }
    this.noted(
      this.deps.store.setJobState(now.id, {
        state: remote.state === 'pending' || remote.state === 'held' ? 'pending' : 'processing',
        reasons: [...drop, ...add],
        message: remote.message,
      }),
    );
  }

  /** A state change not waited for: a write that fails is logged (the store keeps the change). */
  private noted(written: Promise<unknown>): void {
    written.catch((e: unknown) => this.deps.log?.(`[dispatcher] store: ${(e as Error).message}`));
  }

  /** The printer no longer has a job it accepted and did not finish: it goes back to be sent again. */
  private async lost(job: Job, printerId: string): Promise<void> {
    await this.deps.store.setJobState(job.id, {
      state: 'pending',
      reasons: ['+station-resent'],
      message: 'Skrivaren tappade jobbet – skickas igen.',
      patch: { printerJobId: undefined },
    });
    this.wakers.get(`send:${printerId}`)?.();
  }

  /** Turns a failed request into the job's next state: retry later, fall back, or abort with the reason. */
  private async failed(job: Job, printerId: string, e: PrintError): Promise<void> {
    const { retry } = this.deps.config;
    const store = this.deps.store;
    this.deps.monitor.noteFailure(printerId, e);
    // Staff cancelled it (or moved it) while the request was on its way: their word stands (the
    // "Skickas" written as it went out is taken back).
    if (this.canceledNow.has(job.id)) {
      await store.setJobState(job.id, { state: 'canceled', reasons: ['-station-sending', '-station-retrying'] });
      return;
    }
    if (isTerminal(job.state) || this.target(job) !== printerId) return;
    const nowMs = Date.now();
    if (!e.transient) {
      await store.setJobState(job.id, {
        state: 'aborted',
        reasons: ['-station-sending', '-station-retrying', `+${e.kind === 'unsupported-format' ? 'document-format-not-supported' : `station-${e.status ?? e.kind}`}`],
        message: permanentMessage(e),
        patch: { sendingSince: e.kind === 'ipp' || e.kind === 'unsupported-format' ? undefined : job.sendingSince },
      });
      return;
    }
    // The printer answered (busy, an IPP or HTTP error) or refused the connection: it does not have
    // the job, so the send need not be looked up later. After a timeout or a broken reply it may.
    const ambiguous = e.kind === 'timeout' || e.kind === 'protocol' || (e.kind === 'network' && !/ECONNREFUSED/.test(e.message));
    const sendingSince = ambiguous ? job.sendingSince : undefined;
    const waitingSince = job.waitingSince ?? new Date(nowMs).toISOString();
    const printer = this.printers.get(printerId)!;
    if (
      printer.fallback &&
      job.printerJobId === undefined &&
      sendingSince === undefined &&
      nowMs - Date.parse(waitingSince) >= printer.fallbackAfterSeconds * 1000
    ) {
      const fb = this.printers.get(printer.fallback)!;
      await store.setJobState(job.id, {
        state: 'pending',
        reasons: ['-station-sending', '-station-retrying', '+station-fallback'],
        message: `${printer.name} svarar inte – skrivs ut på ${fb.name} i stället.`,
        patch: { sentToPrinterId: fb.id, nextTryAt: undefined, waitingSince: undefined, attempts: 0, sendingSince: undefined },
      });
      this.kick(fb.id);
      return;
    }
    if (job.attempts >= retry.limit) {
      await store.setJobState(job.id, {
        state: 'aborted',
        reasons: ['-station-sending', '-station-retrying', '+station-retry-limit'],
        message: `Skrivaren svarade inte efter ${job.attempts} försök (${e.message}).`,
        patch: { sendingSince, nextTryAt: undefined },
      });
      return;
    }
    const delay = Math.min(retry.intervalSeconds * 2 ** Math.max(0, job.attempts - 1), retry.maxIntervalSeconds) * 1000;
    const next = new Date(nowMs + delay);
    await store.setJobState(job.id, {
      state: job.printerJobId === undefined ? 'pending' : 'processing',
      reasons: ['-station-sending', '+station-retrying', '+station-printer-unreachable'],
      message: `Skrivaren svarar inte – försöker igen kl ${clock(next, this.deps.config.timezone)}.`,
      patch: {
        nextTryAt: next.toISOString(),
        sendingSince,
        waitingSince,
      },
    });
    return;
  }

  /**
   * "Skriv ut igen": an aborted or canceled job is queued once more, from the start, on its own
   * printer. The numbers it carries stay the same (they were issued once).
   */
  async retry(jobId: string, actor: string): Promise<Job | undefined> {
    const job = this.deps.store.getJob(jobId);
    // A document that was never rendered (spoolFile empty) has nothing to send again.
    if (!job || !(job.state === 'aborted' || job.state === 'canceled') || !job.spoolFile) return undefined;
    this.canceledNow.delete(jobId);
    const done = await this.deps.store.setJobState(
      jobId,
      {
        state: 'pending',
        reasons: [...job.reasons.map((r) => `-${r}`), '+station-reprint'],
        message: 'Skrivs ut igen.',
        patch: {
          attempts: 0,
          printerJobId: undefined,
          sendingSince: undefined,
          nextTryAt: undefined,
          waitingSince: undefined,
          completedAt: undefined,
          sentToPrinterId: undefined,
        },
      },
      actor,
      { urgent: true },
    );
    this.kick(job.printerId);
    return done;
  }

  /**
   * "Skicka till en annan skrivare": a job no printer has taken (waiting, being prepared, failed or
   * cancelled) goes to `printerId` from the start, as a fallback would. Which printers may take it
   * is the caller's rule (printerCanTake); a job a printer has accepted stays where it is.
   */
  async moveTo(jobId: string, printerId: string, actor: string): Promise<Job | undefined> {
    const job = this.deps.store.getJob(jobId);
    const to = this.printers.get(printerId);
    if (!job || !to) return undefined;
    const again = (job.state === 'aborted' || job.state === 'canceled') && job.spoolFile !== '';
    const waiting = (job.state === 'pending' || job.state === 'held') && job.printerJobId === undefined;
    if (!again && !waiting) return undefined;
    this.canceledNow.delete(jobId);
    const from = this.target(job);
    if (from === printerId && !again) return job;
    this.claimed.delete(job.id);
    const moved = job.state === 'held' ? {} : { state: 'pending' as const, reasons: [...job.reasons.map((r) => `-${r}`), '+station-moved'] };
    const done = await this.deps.store.setJobState(
      jobId,
      {
        ...moved,
        message: `Flyttad till ${to.name}.`,
        patch: {
          sentToPrinterId: printerId === job.printerId ? undefined : printerId,
          printerJobId: undefined,
          attempts: 0,
          sendingSince: undefined,
          nextTryAt: undefined,
          waitingSince: undefined,
          completedAt: undefined,
        },
      },
      actor,
      { urgent: true },
    );
    this.kick(printerId);
    this.kick(from);
    return done;
  }

  /** Cancels a job: at the printer when it has it (Cancel-Job), then in the store. */
  async cancel(jobId: string, actor: string): Promise<Job | undefined> {
    const job = this.deps.store.getJob(jobId);
    if (!job || isTerminal(job.state)) return job;
    this.canceledNow.add(jobId);
    let note = '';
    if (job.printerJobId !== undefined) {
      try {
        await this.backendFor(this.target(job)).cancel(job.printerJobId);
      } catch (e) {
        note = ` (skrivaren kunde inte nås: ${(e as Error).message})`;
      }
    }
    const done = await this.deps.store.setJobState(
      jobId,
      { state: 'canceled', reasons: ['-station-sending', '-station-retrying', '+job-canceled-by-user'], message: `Avbrutet av personal${note}.` },
      actor,
      { urgent: true },
    );
    this.kick(this.target(job));
    return done;
  }
}

function permanentMessage(e: PrintError): string {
  if (e.kind === 'unsupported-format') return 'Skrivaren tar inte emot PDF – den behöver en CUPS-kö framför sig (se README).';
  if (e.kind === 'http') return `Skrivaren svarade med HTTP ${e.status}: ${e.message}`;
  return `Skrivaren vägrade jobbet (${e.status ?? e.kind}): ${e.message}`;
}

function clock(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
}
