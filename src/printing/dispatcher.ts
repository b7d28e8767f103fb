// The dispatcher: one queue loop per printer sends that printer's jobs in order with Print-Job,
// and one follows each accepted job to completed / aborted / canceled. What every answer means for
// a job is decided in one table (outcomes.ts); this file only asks and applies. A hanging printer
// only ever blocks its own queue.
//
// Exactly-once: before a job's bytes leave, the store says durably "job X goes as send N" (sendNo,
// sendingSince), and the Print-Job carries that exact name (ippJobName). A send that may have
// reached the printer (the station died, the answer timed out or broke) is looked up by that name
// before anything is sent again; a job the printer accepted is never resent automatically.
import type { PrinterConfig, StationConfig } from '../config.js';
import { canReprint, isTerminal, type Job } from '../domain/job.js';
import { ippJobName, parseIppJobName } from '../domain/ids.js';
import type { Store, JobChange } from '../store/store.js';
import { ServiceError } from '../services/errors.js';
import { documentFormatOf, PrintError, type PrintBackend, type RemoteJob } from './backend.js';
import { decide, lookupSettled, outcomeOfError, type Decision, type Outcome } from './outcomes.js';
import type { PrinterMonitor } from './printer-monitor.js';
import type { Spool } from './spool.js';
import { StampTimer, systemClock, type Clock } from '../schedule/clock.js';

export { busyRetryMs } from './outcomes.js';

export interface DispatcherDeps {
  config: StationConfig;
  store: Store;
  spool: Spool;
  backends: ReadonlyMap<string, PrintBackend>;
  monitor: PrinterMonitor;
  /**
   * Renders a job's document again (same numbers) and spools it; resolves with the new spool file,
   * or undefined when the job cannot be rendered again. For "skriv ut igen" on a job whose spool
   * file is gone.
   */
  respool?: (job: Job) => Promise<string | undefined>;
  log?: (msg: string) => void;
  /** The station's clock: every stamp the dispatcher writes (sendingSince, waitingSince, nextTryAt, "försöker igen kl …"). */
  clock?: Pick<Clock, 'now'>;
}

/** The job's exact send on the printer: our job id and this send number. */
function isSend(remote: RemoteJob, jobId: string, sendNo: number): boolean {
  const n = parseIppJobName(remote.name);
  return n !== undefined && n.jobId === jobId && n.sendNo === sendNo;
}

export class Dispatcher {
  private stopped = false;
  /** Wakers per loop: "send:<printer>" and "follow:<printer>". */
  private wakers = new Map<string, () => void>();
  private loops: Promise<void>[] = [];
  private printers: Map<string, PrinterConfig>;
  /** Consecutive busy answers per printer (the busy retry wait grows with it). */
  private busy = new Map<string, number>();
  /**
   * Sends this process knows the printer does not have (it answered busy or with an error, or a
   * look-up settled): no look-up needed. `again`: it said busy, so the same send goes again as is.
   */
  private absent = new Map<string, { sendNo: number; again: boolean }>();
  /** Printers whose follower has nothing to follow and sleeps until woken. */
  private followIdle = new Set<string>();
  /** Idle followers due to be woken shortly (a job was just accepted). */
  private followSoon = new Set<string>();

  private readonly clock: Pick<Clock, 'now'>;
  /**
   * How long since (or until) a stored stamp, on the monotonic clock: a retry's wait, a send's age
   * before a look-up counts, a printer's wait before its fallback. The waits themselves (sleep,
   * wakeFollowerSoon) are durations on real timers.
   */
  private readonly stamps: StampTimer;

  constructor(private deps: DispatcherDeps) {
    this.printers = new Map(deps.config.printers.map((p) => [p.id, p]));
    this.clock = deps.clock ?? systemClock;
    this.stamps = new StampTimer(this.clock);
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

  /** The printer a job goes to now: the fallback once it has taken over. */
  private target(job: Job): string {
    return job.sentToPrinterId ?? job.printerId;
  }

  /** Whether the job is the next its printer's queue sends: nothing ahead of it waits to be sent. */
  isNextToSend(jobId: string): boolean {
    const job = this.deps.store.getJob(jobId);
    return !!job && this.sendQueue(this.target(job))[0]?.id === jobId;
  }

  /** Jobs the printer accepted and has not finished: the follower asks about these. */
  private followed(printerId: string): Job[] {
    return this.deps.store.unfinishedJobs().filter((j) => this.target(j) === printerId && j.printerJobId !== undefined);
  }

  /**
   * The printer's jobs still to be sent, in the order they were queued, up to the first one still
   * being prepared (rendered): the kit's order on paper stays the order it was planned in. Jobs held
   * for another reason (staff must decide) are skipped, never waited for.
   */
  private sendQueue(printerId: string): Job[] {
    const out: Job[] = [];
    for (const j of this.deps.store.unfinishedJobs()) {
      if (this.target(j) !== printerId || j.printerJobId !== undefined) continue;
      if (j.state === 'pending-held') {
        if (j.reasons.includes('station-rendering')) break;
        continue;
      }
      out.push(j);
    }
    return out;
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

  /** A state change not waited for: a write that fails is logged (the store keeps the change). */
  private noted(written: Promise<unknown>): void {
    written.catch((e: unknown) => this.deps.log?.(`[dispatcher] store: ${(e as Error).message}`));
  }

  /** Sends the oldest job the printer does not have yet. Returns the wait before the next step. */
  private async sendNext(printerId: string): Promise<number> {
    const job = this.sendQueue(printerId)[0];
    if (!job) return 60_000;
    const due = job.nextTryAt ? this.stamps.msUntil(`retry:${job.id}`, job.nextTryAt) : 0;
    if (due > 0) return due;
    const backend = this.backendFor(printerId);
    const known = job.sendNo !== undefined ? this.absent.get(job.id) : undefined;
    const knownAbsent = known !== undefined && known.sendNo === job.sendNo;
    // 1. A send that may already be on the printer is looked up by its exact name first.
    if (job.sendingSince && job.sendNo !== undefined && !knownAbsent) {
      const sendNo = job.sendNo;
      let jobs: RemoteJob[];
      try {
        jobs = await backend.listJobs();
      } catch (e) {
        if (!(e instanceof PrintError)) throw e;
        // The look-up failed: that says nothing about the send, so it stays to be looked up.
        return this.apply(job, printerId, outcomeOfError(e, 'send'), {}, { lookingUp: true, error: e });
      }
      const remote = jobs.find((r) => isSend(r, job.id, sendNo));
      if (remote) {
        await this.apply(job, printerId, { kind: 'found-on-printer', printerJobId: remote.printerJobId }, { printerJobId: remote.printerJobId, sendingSince: undefined, waitingSince: undefined, nextTryAt: undefined });
        this.wakeFollowerSoon(printerId);
        return 0;
      }
      // The send's age on the monotonic clock, as a moment after its stamp.
      const age = this.stamps.msSince(`send:${job.id}`, job.sendingSince);
      const settled = lookupSettled(job.sendingSince, new Date(Date.parse(job.sendingSince) + age), backend.lateArrivalMs ?? 0);
      // Not there yet, but it may still arrive: ask again shortly (never send a second copy).
      if (!settled.settled) return Math.min(settled.waitMs, 250);
      this.absent.set(job.id, { sendNo, again: false });
    }
    // 2. A printer known not to take PDF gets nothing.
    // (acceptsPdf: takes the format the station sends it, PDF or ZPL; a job rendered for the other
    // format, e.g. one a fallback printer took over, is refused the same way.)
    const format = job.format ?? 'pdf';
    if (this.deps.monitor.get(printerId)?.acceptsPdf === false || format !== (this.printers.get(printerId)!.format ?? 'pdf'))
      return this.apply(job, printerId, { kind: 'unsupported-format', format });
    // 3. The bytes: a job whose spool file is gone stops here and never holds up the next one.
    let pdf: Uint8Array;
    try {
      pdf = await this.deps.spool.read(job.spoolFile);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR') throw e;
      return this.apply(job, printerId, { kind: 'spool-missing' });
    }
    // 4. "Job X goes as send N", durably, before the bytes leave. The printer said busy to
    // exactly this send: it goes again as it is, with nothing written.
    // Staff may have cancelled it while the look-up or the read was under way.
    let current = this.deps.store.getJob(job.id);
    // ... or moved it to another printer.
    if (!current || isTerminal(current.state) || current.state === 'pending-held' || this.target(current) !== printerId) return 0;
    if (!(knownAbsent && known.again)) {
      current = await this.deps.store.setJobState(job.id, {
        state: 'processing',
        reasons: ['-station-retrying', '-station-printer-unreachable', '+station-sending'],
        message: '',
        patch: { sendNo: (job.sendNo ?? 0) + 1, sendingSince: this.clock.now().toISOString(), attempts: job.attempts + 1, nextTryAt: undefined },
      });
      this.absent.delete(job.id);
    }
    const sendNo = current.sendNo!;
    const printer = this.printers.get(printerId)!;
    let printerJobId: number;
    try {
      ({ printerJobId } = await backend.submit({
        jobName: ippJobName(current.id, sendNo, current.title),
        pdf,
        format: documentFormatOf(current.format),
        copies: current.copies,
        media: current.media ?? printer.media,
        sides: current.sides,
      }));
    } catch (e) {
      if (!(e instanceof PrintError)) throw e;
      return this.apply(this.deps.store.getJob(job.id) ?? current, printerId, outcomeOfError(e, 'send'), {}, { error: e });
    }
    this.busy.delete(printerId);
    this.absent.delete(job.id);
    const latest = this.deps.store.getJob(job.id) ?? current;
    if (isTerminal(latest.state)) {
      // Cancelled by staff while it was being sent: the printer has it, so cancel it there too.
      void backend.cancel(printerJobId).catch(() => undefined);
      this.noted(this.deps.store.setJobState(job.id, { patch: { printerJobId, sendingSince: undefined } }));
      return 0;
    }
    // Not waited for: the next job's "goes as send N" write carries it to disk, and should the
    // station die first, this send is found on the printer by its name.
    this.noted(this.apply(latest, printerId, { kind: 'accepted', printerJobId }, { printerJobId, sendingSince: undefined, waitingSince: undefined }));
    // The follower polls on its own interval; if it was idle (nothing to follow), it starts one
    // interval from now: the printer has only just taken the job, and is busy taking the next.
    if (this.followIdle.has(printerId)) this.wakeFollowerSoon(printerId);
    return 0;
  }

  /**
   * Applies the outcome table's decision to a job in the sending phase (or `patch` alongside an
   * acceptance); returns the wait before the sender's next step.
   */
  private async apply(
    job: Job,
    printerId: string,
    outcome: Outcome,
    patch: JobChange['patch'] = {},
    opts: { lookingUp?: boolean; error?: PrintError } = {},
  ): Promise<number> {
    const printer = this.printers.get(printerId)!;
    const now = this.clock.now();
    const waitingSince = job.waitingSince ?? now.toISOString();
    const fb = printer.fallback ? this.printers.get(printer.fallback) : undefined;
    // While a send is still to be looked up, no other printer may take the job.
    const fallbackDue =
      fb && !opts.lookingUp && job.printerJobId === undefined && this.stamps.msSince(`wait:${job.id}`, waitingSince) >= printer.fallbackAfterSeconds * 1000
        ? { id: fb.id, name: fb.name, printerName: printer.name }
        : undefined;
    const d = decide(outcome, {
      phase: 'send',
      attempts: job.attempts,
      busyInARow: this.busy.get(printerId) ?? 0,
      reasons: job.reasons,
      retry: this.deps.config.retry,
      now,
      timeZone: this.deps.config.timezone,
      fallbackDue,
    });
    if (outcome.kind === 'busy') {
      this.busy.set(printerId, (this.busy.get(printerId) ?? 0) + 1);
      if (job.sendNo !== undefined && !opts.lookingUp) this.absent.set(job.id, { sendNo: job.sendNo, again: true });
      return d.waitMs;
    }
    this.busy.delete(printerId);
    if (opts.error) this.deps.monitor.noteFailure(printerId, opts.error);
    if (opts.lookingUp) this.absent.delete(job.id);
    else if (d.absent && job.sendNo !== undefined) this.absent.set(job.id, { sendNo: job.sendNo, again: false });
    else if (d.lookup) this.absent.delete(job.id);
    await this.write(job, d, {
      ...patch,
      ...(d.retry === 'again' ? { nextTryAt: new Date(now.getTime() + d.waitMs).toISOString(), waitingSince } : {}),
      ...(d.fallback && fallbackDue ? { sentToPrinterId: fallbackDue.id, nextTryAt: undefined, waitingSince: undefined, attempts: 0 } : {}),
    });
    if (d.fallback && fallbackDue) this.kick(fallbackDue.id);
    return 0;
  }

  private write(job: Job, d: Decision, patch: JobChange['patch'] = {}): Promise<Job> {
    // A job staff cancelled while the printer was being asked keeps what staff decided.
    const latest = this.deps.store.getJob(job.id);
    if (!d.write || !latest || isTerminal(latest.state)) return Promise.resolve(latest ?? job);
    // Moved to another printer meanwhile: this printer's answer no longer concerns it.
    if (this.target(latest) !== this.target(job)) return Promise.resolve(latest);
    return this.deps.store.setJobState(job.id, {
      ...(d.state ? { state: d.state } : {}),
      reasons: d.reasons,
      ...(d.message !== undefined ? { message: d.message } : {}),
      patch,
    });
  }

  /** Polls every job the printer has accepted; returns the wait before the next round. */
  private async followAll(printerId: string): Promise<number> {
    const accepted = this.followed(printerId);
    if (accepted.length === 0) {
      this.followIdle.add(printerId);
      return 60_000;
    }
    this.followIdle.delete(printerId);
    const backend = this.backendFor(printerId);
    let waitMs = this.deps.config.retry.pollSeconds * 1000;
    for (const job of accepted) {
      if (this.stopped) return 0;
      const now = this.deps.store.getJob(job.id) ?? job;
      if (isTerminal(now.state) || now.printerJobId === undefined) continue;
      let outcome: Outcome;
      try {
        const remote = await backend.getJob(now.printerJobId);
        // The same printer job id holding another job: the printer restarted and renumbered.
        const named = parseIppJobName(remote.name);
        outcome = named !== undefined && !isSend(remote, now.id, now.sendNo ?? Number.NaN)
          ? { kind: 'unknown-after-accept' }
          : { kind: 'printer-job', state: remote.state, reasons: remote.reasons, message: remote.message };
      } catch (e) {
        if (!(e instanceof PrintError)) throw e;
        outcome = outcomeOfError(e, 'follow');
        if (outcome.kind !== 'unknown-after-accept') this.deps.monitor.noteFailure(printerId, e);
      }
      const d = decide(outcome, {
        phase: 'follow',
        attempts: now.attempts,
        busyInARow: 0,
        reasons: now.reasons,
        retry: this.deps.config.retry,
        now: this.clock.now(),
        timeZone: this.deps.config.timezone,
      });
      // Staff decide about a job the printer forgot: it leaves the follower (and is never resent).
      const patch = outcome.kind === 'unknown-after-accept' ? { printerJobId: undefined } : d.state && isTerminal(d.state) ? { nextTryAt: undefined, waitingSince: undefined } : {};
      // Applied (and shown) at once; the follower does not wait for the write to go on asking.
      this.noted(this.write(now, d, patch));
      // The printer did not answer: ask about the rest later.
      if (d.waitMs > waitMs) return d.waitMs;
    }
    return waitMs;
  }

  /**
   * "Skriv ut igen": a job that failed, was cancelled, or that the printer forgot after accepting
   * it (staff checked the paper) is queued once more, from the start, on its own printer. The numbers
   * it carries stay the same (they were issued once). A job whose spool file is gone is rendered
   * again when it can be (same numbers, same print date), else refused with the reason; it never
   * reaches the queue without its bytes.
   */
  async retry(jobId: string, actor: string): Promise<Job | undefined> {
    const job = this.deps.store.getJob(jobId);
    if (!job || !canReprint(job)) return undefined;
    let spoolFile = job.spoolFile;
    // Patient-ID labels are never kept to be printed again (printing/ephemeral-spool.ts).
    if (job.ephemeral)
      throw new ServiceError('conflict', 'Patient-ID-etiketter sparas inte och kan inte skrivas ut igen härifrån. Skriv in numret på nytt på sidan Patient-ID-etiketter.', { reason: 'patient-id-not-kept', jobId: job.id });
    if (!spoolFile || !(await this.deps.spool.has(spoolFile))) {
      const again = await this.deps.respool?.(job).catch((e: unknown) => {
        this.deps.log?.(`[dispatcher] ${job.id}: could not render again: ${(e as Error).message}`);
        return undefined;
      });
      if (!again) {
        throw new ServiceError(
          'conflict',
          `"${job.title}" finns inte längre sparad på stationen och kan inte skapas på nytt härifrån. Skriv ut dokumentet på nytt från början (etiketter: skriv ut kopior från nummerlistan).`,
          { reason: 'spool-missing', jobId: job.id },
        );
      }
      spoolFile = again;
    }
    const done = await this.deps.store.setJobState(
      jobId,
      {
        state: 'pending',
        reasons: [...job.reasons.map((r) => `-${r}`), '+station-reprint'],
        message: 'Skrivs ut igen.',
        patch: {
          spoolFile,
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
    );
    this.absent.delete(jobId);
    this.kick(job.printerId);
    return done;
  }

  /**
   * "Skriv ut på en annan skrivare": a job no printer has taken (waiting, being prepared, failed or
   * cancelled) goes to `printerId` from the start, as a fallback would. Which printers may take it
   * is the caller's rule (printerCanTake); a job a printer has accepted, or is being sent right now,
   * stays where it is (it may already be on paper).
   */
  async moveTo(jobId: string, printerId: string, actor: string): Promise<Job | undefined> {
    const job = this.deps.store.getJob(jobId);
    const to = this.printers.get(printerId);
    if (!job || !to) return undefined;
    const again = canReprint(job) && job.spoolFile !== '';
    // (a send that may be on the printer is looked up first: no other printer may take it meanwhile)
    const known = this.absent.get(job.id);
    const notOnPrinter = job.sendingSince === undefined || (known !== undefined && known.sendNo === job.sendNo);
    const waiting = (job.state === 'pending' || job.state === 'pending-held') && job.printerJobId === undefined && notOnPrinter;
    if (!again && !waiting) return undefined;
    const from = this.target(job);
    if (from === printerId && !again) return job;
    const held = job.state === 'pending-held';
    const done = await this.deps.store.setJobState(
      jobId,
      {
        ...(held ? {} : { state: 'pending' as const, reasons: [...job.reasons.map((r) => `-${r}`), '+station-moved'] }),
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
    );
    this.absent.delete(jobId);
    this.kick(printerId);
    this.kick(from);
    return done;
  }

  /** Cancels a job: at the printer when it has it (Cancel-Job), then in the store. */
  async cancel(jobId: string, actor: string): Promise<Job | undefined> {
    const job = this.deps.store.getJob(jobId);
    if (!job || isTerminal(job.state)) return job;
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
    );
    this.kick(this.target(job));
    return done;
  }
}
