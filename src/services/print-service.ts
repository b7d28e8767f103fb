// The print service: kits and single documents. It plans a press (validate, which documents on
// which printers, a kit cut to what its blocks cover, the numbers to draw, which documents render
// now and which are held) and prints the plan through the one print path (print-path.ts: once per
// request id → printer check → numbers → render → one write → wake). Accept quickly, print
// asynchronously: the caller gets the batch before anything is sent. After the answer it renders
// the held documents (renderHeld). document-jobs.ts does the per-document work.
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { isTerminal, type Batch, type Job } from '../domain/job.js';
import { planDocuments, PlanError, type PlanItem } from '../domain/kit-plan.js';
import { warmUpEngine, type FormCache, type LabelRenderer } from '../render/index.js';
import type { Store, StoreEvent } from '../store/store.js';
import type { Spool } from '../printing/spool.js';
import { ServiceError } from './errors.js';
import { PrintPath, type PlannedJob, type PrintPlan } from './print-path.js';
import { DocumentJobs, plannableDocuments, type DocumentRequest, type PreparedJob, type ResolvedRequest } from './document-jobs.js';

export interface PrintServiceDeps {
  config: StationConfig;
  catalog: Catalog;
  store: Store;
  spool: Spool;
  formCache: FormCache;
  /** Wakes the dispatcher's queue for a printer. */
  kick: (printerId: string) => void;
  /** Whether the dispatcher sends this job next on its printer (nothing ahead of it). */
  isNextToSend?: (jobId: string) => boolean;
  /** What a printer last reported: whether it takes PDF (null: not asked yet). */
  printerInfo?: (printerId: string) => { acceptsPdf: boolean | null } | undefined;
  /** A second press of the same kit within this many seconds asks for confirmation. */
  repeatConfirmSeconds?: number;
  /** Renders the labels printed with a numbered referral (the label service's worker). */
  labelRenderer?: LabelRenderer;
  now?: () => Date;
  log?: (msg: string) => void;
}

/** The longest the rest of a kit waits for its first document to reach the printer (see renderHeld). */
const FIRST_SEND_BOUND_MS = 1000;

export interface PrintOptions {
  requestId?: string;
  actor?: string;
  /** The person confirmed printing the same kit again within a few seconds. */
  confirmRepeat?: boolean;
  /** Another printer chosen on the screen (config id): takes every document whose role it has. */
  printer?: string;
}

export interface PrintResult {
  batch: Batch;
  jobs: Job[];
  /** True when the request id was seen before: nothing new was printed. */
  duplicate: boolean;
}

export class PrintService {
  private path: PrintPath;
  /** Batches whose held documents are being rendered. */
  private rendering = new Map<string, Promise<void>>();
  readonly documents: DocumentJobs;

  constructor(private deps: PrintServiceDeps) {
    this.documents = new DocumentJobs(deps);
    this.path = new PrintPath(deps);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Prints a kit. The same requestId twice prints once (the second call gets the first batch). */
  printKit(kitId: string, opts: PrintOptions = {}): Promise<PrintResult> {
    const kit = this.deps.catalog.kits.get(kitId);
    if (!kit) return Promise.reject(new ServiceError('not-found', `Det finns ingen kit med id "${kitId}".`));
    return this.print('kit', opts, () => {
      if (!opts.confirmRepeat) this.refuseRecentRepeat(kit.id, kit.name);
      return this.documentPlan('kit', kit.name, kit.items, opts, {}, kit.id);
    });
  }

  /** Two different presses of the same kit within a few seconds: probably a mistake, so ask first. */
  private refuseRecentRepeat(kitId: string, name: string): void {
    const windowMs = (this.deps.repeatConfirmSeconds ?? 10) * 1000;
    if (windowMs <= 0) return;
    const now = this.now().getTime();
    const recent = this.deps.store.recentBatches(10).find((b) => b.kitId === kitId && now - Date.parse(b.createdAt) < windowMs);
    if (!recent) return;
    const ago = Math.max(1, Math.round((now - Date.parse(recent.createdAt)) / 1000));
    throw new ServiceError('conflict', `${name} skrevs ut för ${ago} sekunder sedan. Vill du verkligen skriva ut det en gång till?`, {
      reason: 'recent-repeat',
      batchId: recent.id,
    });
  }

  /**
   * Prints one document with a chosen number of copies (of a numbered document: one number each;
   * of slips: sheets). `opts` carries what the document needs: a date, a prescriber, a range.
   */
  printDocument(documentId: string, copies: number, opts: PrintOptions & DocumentRequest = {}): Promise<PrintResult> {
    const doc = this.deps.catalog.documents.get(documentId);
    if (!doc) return Promise.reject(new ServiceError('not-found', `Det finns inget dokument med id "${documentId}".`));
    return this.print('document', opts, () => {
      const req = this.documents.resolve(doc, opts);
      const title = req.calibration ? `${doc.name} – kalibreringssida` : doc.name;
      return this.documentPlan('document', title, [{ document: doc.id, copies }], opts, req);
    });
  }

  /** Through the one print path; held documents start rendering as soon as the batch is stored. */
  private print(kind: 'kit' | 'document', opts: PrintOptions, plan: () => PrintPlan): Promise<PrintResult> {
    return this.path.print({
      kind,
      requestId: opts.requestId,
      actor: opts.actor,
      defaultActor: 'personal',
      plan,
      stored: ({ batch }) => {
        void this.renderHeld(batch);
        return {};
      },
    });
  }

  /** What a rendered document sets on its job, whether it was ready at the press or rendered after. */
  private printed(p: PreparedJob): Pick<Job, 'title' | 'copies' | 'pages' | 'media' | 'sides'> {
    const printer = this.deps.config.printers.find((x) => x.id === p.printerId);
    return { title: p.title, copies: p.copies, pages: p.pages, media: p.media ?? printer?.media, sides: p.duplex && p.pages > 1 ? 'two-sided-long-edge' : 'one-sided' };
  }

  /**
   * Renders a batch's held documents in order and releases each to the dispatcher (which keeps
   * the kit's order: a printer's queue waits at a document still being prepared). A document that
   * cannot be rendered is aborted with the reason and its numbers voided (they were never printed).
   * Kept for press → first job accepted warm (goal ≤ 50 ms) and the first press after a start
   * (≤ 1 s), bench/run.ts, docs/testing.md: the press is answered before these render.
   */
  private renderHeld(batch: Batch): Promise<void> {
    const run = async () => {
      const held = this.deps.store.jobsOf(batch).filter((j) => j.state === 'pending-held' && j.reasons.includes('station-rendering'));
      if (held.length === 0) return;
      // One document after another, each released as soon as its spool file is on disk; between
      // two renders the sender gets to send what is ready (a render holds this thread).
      const writes: Array<Promise<unknown>> = [];
      const setState = (id: string, change: Parameters<Store['setJobState']>[1]) =>
        writes.push(this.deps.store.setJobState(id, change).catch((e: unknown) => this.deps.log?.(`[print] ${id}: ${(e as Error).message}`)));
      const release = () => {
        for (const j of this.deps.store.jobsOf(batch)) this.deps.kick(j.printerId);
      };
      // A document that could not be rendered (or stored): aborted with the reason. Its numbers go
      // unused unless only the labels failed (then they are on printed referrals, and the labels
      // can be printed again from the ledger).
      const failed = async (job: Job, recipe: { part?: string; serials?: string[] }, e: unknown) => {
        const why = e instanceof ServiceError ? e.message : (e as Error).message;
        this.deps.log?.(`[print] ${job.id} ${job.title}: ${why}`);
        if (recipe.part !== 'labels' && recipe.serials?.length) await this.deps.store.voidSerialNumbers(recipe.serials, 'dokumentet kunde inte skapas').catch(() => 0);
        setState(job.id, {
          state: 'aborted',
          reasons: ['-station-rendering', '+station-render-failed'],
          message: `Dokumentet kunde inte skapas: ${why}`,
        });
        release();
      };
      let firstDoc = true;
      for (const job of held) {
        const recipe = (job.recipe ?? {}) as { part?: string; serials?: string[] };
        if (recipe.part === 'labels' && this.anyVoided(recipe.serials ?? [])) {
          setState(job.id, {
            state: 'aborted',
            reasons: ['-station-rendering', '+station-render-failed'],
            message: 'Remisserna kunde inte skapas, så deras etiketter skrivs inte ut.',
          });
          continue;
        }
        await new Promise((r) => setImmediate(r));
        const outcome = await Promise.resolve()
          .then(() => this.documents.renderRecipe(job.recipe))
          .then(
            (jobs) => ({ ok: true as const, jobs }),
            (error: unknown) => ({ ok: false as const, error }),
          );
        if (outcome.ok) {
          const first = outcome.jobs[0]!;
          // The next document renders while this one's file goes to disk.
          const stored = this.deps.spool.put(first.pdf).then(
            (spoolFile) => {
              setState(job.id, {
                state: 'pending',
                reasons: ['-station-rendering'],
                message: '',
                // The recipe stays: "skriv ut igen" renders from it should the spool file be gone.
                patch: { spoolFile, ...this.printed(first) },
              });
              release();
            },
            (e: unknown) => failed(job, recipe, e),
          );
          writes.push(stored);
          if (firstDoc) {
            firstDoc = false;
            // The first document goes to the printer before the rest renders. Kept for the first
            // press after a start (goal ≤ 1 s, bench/run.ts): a cold render takes ~100 ms, and its
            // spool write, the "goes as send N" write and the IPP exchange each waited for the next
            // render, so the first job went out after the whole kit had rendered (1.3 s).
            await stored;
            if (this.deps.isNextToSend?.(job.id)) await this.untilSent(job.id, FIRST_SEND_BOUND_MS);
          }
        } else await failed(job, recipe, outcome.error);
      }
      await Promise.all(writes);
    };
    // Never rejects: a store that cannot be written is logged, the station stays up, and what was
    // left held is rendered at the next start.
    const safe = () => run().catch((e: unknown) => this.deps.log?.(`[print] ${batch.id}: ${(e as Error).message}`));
    const p = (this.rendering.get(batch.id) ?? Promise.resolve()).then(safe, safe);
    this.rendering.set(batch.id, p);
    void p.finally(() => {
      if (this.rendering.get(batch.id) === p) this.rendering.delete(batch.id);
    });
    return p;
  }

  /**
   * Resolves when the printer has the job, or when it will not have it soon (it waits for a retry,
   * was held, or ended), at the latest after `boundMs`.
   */
  private untilSent(jobId: string, boundMs: number): Promise<void> {
    const taken = () => {
      const j = this.deps.store.getJob(jobId);
      return !j || j.printerJobId !== undefined || j.nextTryAt !== undefined || j.state === 'pending-held' || isTerminal(j.state);
    };
    if (taken()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.deps.store.events.off('event', onEvent);
        resolve();
      };
      const onEvent = (e: StoreEvent) => {
        if (e.type === 'job' && e.job.id === jobId && taken()) done();
      };
      const timer = setTimeout(done, boundMs);
      timer.unref();
      this.deps.store.events.on('event', onEvent);
    });
  }

  /** Whether any of these numbers was voided (its referral could not be rendered). */
  private anyVoided(numbers: readonly string[]): boolean {
    return this.deps.store.ledger.anyVoided(numbers);
  }

  /**
   * "Skriv ut igen" when the job's spool file is gone: renders it again from its recipe (same
   * numbers, same print date) and spools it. Undefined when the job has no recipe (labels, test pages).
   */
  async respool(job: Job): Promise<string | undefined> {
    if (!job.recipe) return undefined;
    const [first] = await this.documents.renderRecipe(job.recipe);
    return first ? this.deps.spool.put(first.pdf) : undefined;
  }

  /** After a restart: renders what was still being prepared when the station stopped. */
  async resumeRendering(): Promise<number> {
    const ids = new Set(this.deps.store.unfinishedJobs().filter((j) => j.state === 'pending-held' && j.reasons.includes('station-rendering')).map((j) => j.batchId));
    await Promise.all([...ids].map((id) => this.renderHeld(this.deps.store.getBatch(id)!)));
    return ids.size;
  }

  /**
   * Loads the PDF engine ahead of a press (the kit and document pages call it when they open): it
   * is loaded on first use, not at start-up (pdf-engine.ts), and loading takes a few hundred ms.
   */
  warmUp(): void {
    setImmediate(warmUpEngine);
  }

  /** Resolves when every batch's documents have been rendered (tests, shutdown). */
  async renderingDone(): Promise<void> {
    while (this.rendering.size) await Promise.allSettled([...this.rendering.values()]);
  }

  /**
   * The plan of a kit or a single document: which documents on which printers (planDocuments), a
   * kit cut to what its blocks cover (it prints what it can; a single document is refused by the
   * path instead), the numbers to draw, and how each item renders. Blank forms already in today's
   * cache are rendered at once; the rest (numbered, dated, per prescriber, or not rendered yet
   * today) is held as "being prepared" with a recipe and rendered right after the answer, in order.
   */
  private documentPlan(
    kind: 'kit' | 'document',
    title: string,
    items: ReadonlyArray<{ document: string; copies: number }>,
    opts: PrintOptions,
    req: ResolvedRequest,
    kitId?: string,
  ): PrintPlan {
    const { config, catalog } = this.deps;
    if (opts.printer !== undefined && !config.printers.some((p) => p.id === opts.printer))
      throw new ServiceError('invalid', `Det finns ingen skrivare "${opts.printer}" i konfigurationen.`, { reason: 'unknown-printer' });
    let planned: PlanItem[];
    try {
      planned = planDocuments(config, items, plannableDocuments(catalog), opts.printer);
    } catch (e) {
      if (e instanceof PlanError) throw new ServiceError(e.code === 'no-printer' ? 'unavailable' : 'not-found', e.message);
      throw e;
    }
    const cover = kind === 'kit' ? this.documents.coverNumbers(planned) : { plan: planned, notPrinted: [] };
    const plan = cover.plan;
    const draws = this.documents.numberDraws(plan);
    return {
      title,
      kitId,
      notPrinted: cover.notPrinted,
      printers: [...new Set(plan.map((p) => p.printerId))].map((id) => ({ id, sends: 'pdf' as const })),
      numbers: draws.map((d) => d.draw),
      numbersOnDisk: 'with-batch',
      render: async ({ printedAt, numbers }) => {
        const drawn = new Map(draws.map((d, i) => [d.item, numbers[i]!]));
        const jobs: PlannedJob[] = [];
        for (const item of plan) {
          const serials = drawn.get(item);
          if (this.documents.isCached(item, req, serials, printedAt)) {
            const recipe = this.documents.recipe(item, req, serials, printedAt);
            for (const p of await this.documents.renderPlanItem(item, req, serials, printedAt))
              jobs.push({ ...this.printed(p), documentId: p.documentId, printerId: p.printerId, count: p.copies, bytes: p.pdf, recipe });
          } else {
            // A numbered referral gets two held jobs, its own and its labels', so the batch shows
            // every job it will print from the start.
            for (const p of this.documents.parts(item, req, serials))
              jobs.push({
                held: true,
                documentId: p.documentId,
                title: p.title,
                printerId: p.printerId,
                media: p.media,
                copies: p.part === 'labels' ? 1 : item.copies,
                count: item.copies,
                recipe: this.documents.recipe(item, req, serials, printedAt, p.part),
              });
          }
        }
        return jobs;
      },
    };
  }
}
