// The one print path. Every kind of print (kits, single documents, referral labels, patient-ID
// labels, label copies, the readiness sheet of a scheduled drill, test pages) plans what it prints
// in its own service and hands the plan to PrintPath.print(), which does the rest the same way for
// all of them:
//
//   once per request id → the printers take what they will be sent? → the numbers (checked against
//   the blocks, drawn, durable) → render → spool → the batch and its jobs in one write → wake queues
//
// The decisions it makes are the shared ones in enqueue-batch.ts (RequestOnce, pdfProblem,
// exhaustedMessage, enqueueBatch); nothing here knows what a kit or a label is.
import type { PrinterConfig, SeriesConfig, StationConfig } from '../config.js';
import type { Batch, Job } from '../domain/job.js';
import { newId } from '../domain/ids.js';
import { SeriesExhaustedError, type Store } from '../store/store.js';
import type { Spool } from '../printing/spool.js';
import { ServiceError } from './errors.js';
import { enqueueBatch, exhaustedMessage, pdfProblem, RequestOnce } from './enqueue-batch.js';

export interface PrintPathDeps {
  config: StationConfig;
  store: Store;
  spool: Spool;
  /** Wakes the dispatcher's queue for a printer. */
  kick: (printerId: string) => void;
  /** What a printer last reported: whether it takes what the station sends it (null: not asked yet). */
  printerInfo?: (printerId: string) => { acceptsPdf: boolean | null } | undefined;
  now?: () => Date;
}

/** Numbers a print draws from one series. */
export interface NumberDraw {
  series: SeriesConfig;
  count: number;
  /** Recorded with the numbers in the ledger (which document drew them). */
  documentId: string;
  /** What is refused when the block cannot cover it, in the one wording ("Provtagningsremiss", "etiketterna"). */
  what: string;
  /** What to print instead, given what is left (default "färre"). */
  fewer?: (remaining: number) => string;
}

interface PlannedJobBase {
  documentId: string;
  title: string;
  printerId: string;
  copies: number;
  /** As the confirm page counted (a numbered job: its numbers); absent: copies. */
  count?: number;
  media?: string;
  /** What to render again from (kits and single documents): see document-jobs.ts. */
  recipe?: Record<string, unknown>;
}

/** A job rendered before the answer: its bytes go to the spool, durably, before the batch is written. */
export interface ReadyJob extends PlannedJobBase {
  bytes: Uint8Array;
  pages: number;
  sides?: Job['sides'];
  /** A label printer's own language; default PDF. */
  format?: 'zpl';
  /** Carries a patient's identity: a random spool name, wiped once the printer has it. */
  ephemeral?: boolean;
}

/**
 * A job rendered after the answer, from its recipe: stored "pending-held", "station-rendering".
 * Kept for two figures (docs/testing.md, bench/run.ts): the first press after a start (goal ≤ 1 s;
 * every form renders for the first time that day, tens of ms each) and press → first job accepted
 * warm (≤ 50 ms): the press is answered, and the first ready document sent, while the rest renders.
 */
export interface HeldJob extends PlannedJobBase {
  held: true;
  recipe: Record<string, unknown>;
}

export type PlannedJob = ReadyJob | HeldJob;

/** What a kind of print asks the path to print, once it has planned it. */
export interface PrintPlan {
  /** The batch's title; given the numbers drawn when it names them. */
  title: string | ((numbers: string[][]) => string);
  kitId?: string;
  /** A kit's documents its blocks could not (fully) cover: kept on the batch, audited. */
  notPrinted?: Batch['notPrinted'];
  /** The printers the jobs go to and what each is sent: checked before any number is drawn. */
  printers: ReadonlyArray<{ id: string; sends: 'pdf' | 'zpl' }>;
  /** The numbers to draw, in order; render() gets them back in the same order. */
  numbers: readonly NumberDraw[];
  /**
   * When the numbers reach the disk. 'with-batch': in the batch's own write (one write per press:
   * the numbered documents are held and rendered after it — press → first job accepted); the
   * numbers are on disk before anything carrying them is rendered. 'before-render': at once, in a
   * write of their own, because render() already prints them (labels: rendered before the batch
   * is written, in the worker); a crash before the batch leaves a gap, voided at start-up.
   */
  numbersOnDisk: 'with-batch' | 'before-render';
  /** Renders (or holds) the jobs, given the batch id, the print time and the numbers drawn. */
  render(ctx: { batchId: string; printedAt: Date; numbers: string[][] }): Promise<PlannedJob[]>;
}

export interface PrintRequest<X> {
  kind: Batch['kind'];
  requestId?: string;
  actor?: string;
  /** Who the audit log names when no actor was given. */
  defaultActor: string;
  /**
   * The kind's own planning (validation included): throws ServiceError with the reason in Swedish.
   * Synchronous on purpose: planning (a kit's cut to what its blocks cover), the printer check and
   * drawing the numbers run without a pause, so no other print takes the numbers counted.
   */
  plan: () => PrintPlan;
  /** After the batch is stored: what the kind adds to its answer (and starts: held renders). */
  stored?: (r: { batch: Batch; jobs: Job[]; numbers: string[][] }) => X | Promise<X>;
  /** What the kind adds to its answer when the request id printed before. */
  repeat?: (batch: Batch, jobs: Job[]) => X;
}

export type PrintAnswer<X> = { batch: Batch; jobs: Job[]; duplicate: boolean } & X;

/**
 * Why a printer cannot take what the station would send it, when it has said so; else undefined.
 * The one check, for the press and for the pages that show a print before it is pressed.
 */
export function printerProblem(
  printer: PrinterConfig,
  info: { acceptsPdf: boolean | null } | undefined,
  sends: 'pdf' | 'zpl',
): ServiceError | undefined {
  const problem = pdfProblem(printer, info, sends);
  return problem === undefined ? undefined : new ServiceError('conflict', problem, { reason: 'printer-unsuitable', printer: printer.id });
}

/**
 * Refuses, before any number is drawn, draws that a block cannot cover (all draws from a series
 * counted together). Single documents and labels refuse this way; a kit has cut its plan to what
 * the blocks cover before it gets here (it prints what it can).
 */
export function checkNumbers(store: Pick<Store, 'ledger'>, draws: readonly NumberDraw[]): void {
  const need = new Map<string, { series: SeriesConfig; count: number; what: string[]; fewer?: NumberDraw['fewer'] }>();
  for (const d of draws) {
    if (d.count <= 0) continue;
    const e = need.get(d.series.id) ?? { series: d.series, count: 0, what: [], fewer: d.fewer };
    e.count += d.count;
    e.what.push(d.what);
    need.set(d.series.id, e);
  }
  for (const { series, count, what, fewer } of need.values()) {
    const { remaining } = store.ledger.status(series);
    if (remaining < count) throw exhausted(series, remaining, count, what.join(' och '), fewer);
  }
}

function exhausted(s: SeriesConfig, remaining: number, requested: number, what: string, fewer?: NumberDraw['fewer']): ServiceError {
  return new ServiceError('exhausted', exhaustedMessage(s, remaining, requested, what, fewer?.(remaining)), { reason: 'exhausted', series: s.id, remaining, requested, contact: s.contact });
}

/**
 * Checks and draws the numbers for a batch, in order, all at once (no await between the check and
 * the last draw, so no other print takes the numbers counted). `written` resolves when they are on
 * disk: with `withBatch`, in the next write (the batch's), else at once. A block that cannot cover
 * them refuses, drawing nothing.
 */
export function drawNumbers(
  store: Pick<Store, 'ledger' | 'issueSerials' | 'voidSerials'>,
  draws: readonly NumberDraw[],
  batchId: string,
  opts: { withBatch?: boolean } = {},
): { numbers: string[][]; serials: Record<string, string[]>; written: Promise<void> } {
  checkNumbers(store, draws);
  const numbers: string[][] = [];
  const serials: Record<string, string[]> = {};
  const writes: Array<Promise<void>> = [];
  for (const d of draws) {
    if (d.count <= 0) {
      numbers.push([]);
      continue;
    }
    let issued: ReturnType<Store['issueSerials']>;
    try {
      issued = store.issueSerials(d.series, d.count, { batchId, documentId: d.documentId }, { withNextWrite: opts.withBatch });
    } catch (e) {
      // Not reached after checkNumbers unless the store changed underneath; nothing drawn stays usable.
      if (writes.length) void store.voidSerials(batchId, 'utskriften kunde inte skapas').catch(() => undefined);
      if (e instanceof SeriesExhaustedError) throw exhausted(d.series, e.remaining, d.count, d.what, d.fewer);
      throw e;
    }
    writes.push(issued.written);
    const drawn = issued.entries.map((e) => e.number);
    numbers.push(drawn);
    (serials[d.series.id] ??= []).push(...drawn);
  }
  const written = Promise.all(writes).then(() => undefined);
  // Awaited by the caller; a failure is handled there.
  written.catch(() => undefined);
  return { numbers, serials, written };
}

type PrintRequests = RequestOnce<{ batch: Batch; jobs: Job[] } & Record<string, unknown>>;
const requestsByStore = new WeakMap<Store, PrintRequests>();

export class PrintPath {
  private requests: PrintRequests;

  constructor(private deps: PrintPathDeps) {
    // One per store: every service's print path shares it, so one request id arriving for two kinds
    // of print at the same instant is caught before either is stored.
    let shared = requestsByStore.get(deps.store);
    if (!shared) requestsByStore.set(deps.store, (shared = new RequestOnce()));
    this.requests = shared;
  }

  /** Why this printer cannot take what it would be sent (see printerProblem); else undefined. */
  problem(printerId: string, sends: 'pdf' | 'zpl'): ServiceError | undefined {
    const printer = this.deps.config.printers.find((p) => p.id === printerId);
    if (!printer) return new ServiceError('invalid', `Det finns ingen skrivare "${printerId}" i konfigurationen.`, { reason: 'unknown-printer' });
    return printerProblem(printer, this.deps.printerInfo?.(printerId), sends);
  }

  /**
   * Prints a planned batch, once per request id: a repeat (also one arriving while the first is
   * still being made, also after a restart) gets the first batch with `duplicate: true`. A request
   * id used before for another kind of print is refused.
   */
  print<X extends object = object>(req: PrintRequest<X>): Promise<PrintAnswer<X>> {
    const { store } = this.deps;
    const reused = () => new ServiceError('conflict', 'Förfrågans id användes redan för en annan utskrift.', { reason: 'request-id-reused' });
    return this.requests.run(
      req.requestId,
      req.kind,
      (rid) => {
        const existing = store.batchForRequest(rid);
        if (!existing) return undefined;
        if (existing.kind !== req.kind) return Promise.reject(reused());
        const jobs = store.jobsOf(existing);
        return { batch: existing, jobs, ...req.repeat?.(existing, jobs) };
      },
      async () => {
        const made = await this.make(req, req.plan());
        return { batch: made.batch, jobs: made.jobs, ...(await req.stored?.(made)) };
      },
      reused,
    ) as Promise<PrintAnswer<X>>;
  }

  private async make(req: PrintRequest<unknown>, plan: PrintPlan): Promise<{ batch: Batch; jobs: Job[]; numbers: string[][] }> {
    const { store, spool } = this.deps;
    for (const p of plan.printers) {
      const problem = this.problem(p.id, p.sends);
      if (problem) throw problem;
    }
    const actor = req.actor || req.defaultActor;
    const printedAt = this.deps.now?.() ?? new Date();
    const batchId = newId('b', printedAt.getTime());
    const withBatch = plan.numbersOnDisk === 'with-batch';
    const { numbers, serials, written } = drawNumbers(store, plan.numbers, batchId, { withBatch });
    const drew = Object.keys(serials).length > 0;
    try {
      if (!withBatch) await written;
      const at = printedAt.toISOString();
      const jobs: Job[] = [];
      for (const p of await plan.render({ batchId, printedAt, numbers })) {
        const base = {
          id: newId('j'),
          batchId,
          documentId: p.documentId,
          title: p.title,
          copies: p.copies,
          ...(p.count !== undefined ? { count: p.count } : {}),
          printerId: p.printerId,
          media: p.media,
          attempts: 0,
          ...(p.recipe ? { recipe: p.recipe } : {}),
          createdAt: at,
          updatedAt: at,
        };
        if ('held' in p) {
          jobs.push({ ...base, state: 'pending-held', reasons: ['station-rendering'], message: 'Förbereds …', spoolFile: '', pages: 0, sides: 'one-sided' });
          continue;
        }
        const spoolFile = await spool.put(p.bytes, { ext: p.format ?? 'pdf', ephemeral: p.ephemeral });
        jobs.push({
          ...base,
          state: 'pending',
          reasons: [],
          message: '',
          spoolFile,
          ...(p.format ? { format: p.format } : {}),
          ...(p.ephemeral ? { ephemeral: true } : {}),
          pages: p.pages,
          sides: p.sides ?? 'one-sided',
        });
      }
      const batch: Batch = {
        id: batchId,
        kind: req.kind,
        title: typeof plan.title === 'function' ? plan.title(numbers) : plan.title,
        ...(plan.kitId !== undefined ? { kitId: plan.kitId } : {}),
        requestId: req.requestId,
        actor: req.actor,
        jobIds: jobs.map((j) => j.id),
        serials,
        ...(plan.notPrinted?.length ? { notPrinted: plan.notPrinted } : {}),
        createdAt: at,
      };
      // The moment the press is acknowledged: numbers (when not yet written), batch and jobs in one
      // durable write; nothing is sent before it. Then the printers' queues wake.
      await enqueueBatch({ store, kick: this.deps.kick }, batch, jobs, actor, written);
      for (const n of plan.notPrinted ?? []) await store.audit(actor, 'batch-short', `${batchId} ${n.text}`);
      return { batch, jobs, numbers };
    } catch (e) {
      // Numbers drawn for a batch that was not stored were never printed: voided at once, so they
      // show as gaps in the avstämningslista and are never handed out again.
      if (drew) {
        const why = e instanceof ServiceError ? e.message : 'utskriften kunde inte skapas';
        await store.voidSerials(batchId, why.slice(0, 200)).catch(() => undefined);
      }
      throw e;
    }
  }
}
