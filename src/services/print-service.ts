// The print service: a press of "print" becomes a batch of pending jobs. Validate → plan (pure) →
// draw numbers for numbered documents (durably, first) → render (blank forms from the cache) →
// spool durably → store the batch → wake the dispatcher. Accept quickly, print asynchronously: the
// caller gets the batch before anything is sent. document-jobs.ts does the per-document work.
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Batch, Job } from '../domain/job.js';
import { newId } from '../domain/ids.js';
import { planDocuments, PlanError, type PlanItem } from '../domain/kit-plan.js';
import { warmUpEngine, type FormCache, type LabelRenderer } from '../render/index.js';
import type { Store } from '../store/store.js';
import type { Spool } from '../printing/spool.js';
import { ServiceError } from './errors.js';
import { enqueueBatch, RequestOnce } from './enqueue-batch.js';
import { DocumentJobs, plannableDocuments, type DocumentRequest, type PreparedJob, type RenderRecipe, type ResolvedRequest } from './document-jobs.js';

export interface PrintServiceDeps {
  config: StationConfig;
  catalog: Catalog;
  store: Store;
  spool: Spool;
  formCache: FormCache;
  /** Wakes the dispatcher's queue for a printer. */
  kick: (printerId: string) => void;
  /** Why a printer cannot take our jobs right now, known before sending (e.g. it takes no PDF). */
  printerProblem?: (printerId: string) => string | undefined;
  /** A second press of the same kit within this many seconds asks for confirmation. */
  repeatConfirmSeconds?: number;
  /** Renders the labels printed with a numbered referral (the label service's worker). */
  labelRenderer?: LabelRenderer;
  now?: () => Date;
  log?: (msg: string) => void;
}

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
  private requests = new RequestOnce<Omit<PrintResult, 'duplicate'>>();
  /** Batches whose held documents are being rendered. */
  private rendering = new Map<string, Promise<void>>();
  readonly documents: DocumentJobs;

  constructor(private deps: PrintServiceDeps) {
    this.documents = new DocumentJobs(deps);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Prints a kit. The same requestId twice prints once (the second call gets the first batch). */
  printKit(kitId: string, opts: PrintOptions = {}): Promise<PrintResult> {
    const kit = this.deps.catalog.kits.get(kitId);
    if (!kit) return Promise.reject(new ServiceError('not-found', `Det finns ingen kit med id "${kitId}".`));
    return this.once(opts, async () => {
      if (!opts.confirmRepeat) this.refuseRecentRepeat(kit.id, kit.name);
      return this.createBatch('kit', kit.name, kit.items, { ...opts, kitId: kit.id });
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
    return this.once(opts, async () => {
      const req = this.documents.resolve(doc, opts);
      const title = req.calibration ? `${doc.name} – kalibreringssida` : doc.name;
      return this.createBatch('document', title, [{ document: doc.id, copies }], opts, req);
    });
  }

  /** A job for a rendered document: its PDF in the spool (durably), pending. */
  private async jobFor(p: PreparedJob, batchId: string, printedAt: Date, recipe: RenderRecipe): Promise<Job> {
    const at = printedAt.toISOString();
    return {
      id: newId('j'),
      batchId,
      documentId: p.documentId,
      printerId: p.printerId,
      state: 'pending',
      reasons: [],
      message: '',
      spoolFile: await this.deps.spool.put(p.pdf),
      ...this.printed(p),
      count: p.copies,
      attempts: 0,
      recipe,
      createdAt: at,
      updatedAt: at,
    };
  }

  /** What a rendered document sets on its job, whether it was ready at the press or rendered after. */
  private printed(p: PreparedJob): Pick<Job, 'title' | 'copies' | 'pages' | 'media' | 'sides'> {
    const printer = this.deps.config.printers.find((x) => x.id === p.printerId);
    return { title: p.title, copies: p.copies, pages: p.pages, media: p.media ?? printer?.media, sides: p.duplex && p.pages > 1 ? 'two-sided-long-edge' : 'one-sided' };
  }

  /**
   * A job whose document is still to be rendered: pending-held, "station-rendering", with its
   * recipe. Kept for two figures: the first press after a start (goal ≤ 1 s; every form renders
   * for the first time that day, tens of ms each) and press → first job accepted warm (≤ 50 ms):
   * the press is answered, and the first ready document sent, while the rest renders.
   */
  private placeholderFor(item: PlanItem, batchId: string, printedAt: Date, recipe: RenderRecipe): Job {
    const at = printedAt.toISOString();
    return {
      id: newId('j'),
      batchId,
      documentId: item.documentId,
      title: item.title,
      copies: item.copies,
      count: item.copies,
      printerId: item.printerId,
      state: 'pending-held',
      reasons: ['station-rendering'],
      message: 'Förbereds …',
      spoolFile: '',
      pages: 0,
      sides: 'one-sided',
      attempts: 0,
      recipe,
      createdAt: at,
      updatedAt: at,
    };
  }

  /**
   * Renders a batch's held documents in order and releases each to the dispatcher (which keeps
   * the kit's order: a printer's queue waits at a document still being prepared). A document that
   * cannot be rendered is aborted with the reason and its numbers voided (they were never printed).
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

  /** Runs `make` once per request id, also when two requests with the same id arrive together. */
  private once(opts: PrintOptions, make: () => Promise<Omit<PrintResult, 'duplicate'>>): Promise<PrintResult> {
    return this.requests.run(
      opts.requestId,
      (rid) => {
        const existing = this.deps.store.batchForRequest(rid);
        return existing && { batch: existing, jobs: this.deps.store.jobsOf(existing) };
      },
      make,
    );
  }

  private async createBatch(
    kind: Batch['kind'],
    title: string,
    items: ReadonlyArray<{ document: string; copies: number }>,
    opts: PrintOptions & { kitId?: string },
    req: ResolvedRequest = {},
  ): Promise<Omit<PrintResult, 'duplicate'>> {
    const { config, catalog, store } = this.deps;
    let plan: PlanItem[];
    if (opts.printer !== undefined && !config.printers.some((p) => p.id === opts.printer))
      throw new ServiceError('invalid', `Det finns ingen skrivare "${opts.printer}" i konfigurationen.`, { reason: 'unknown-printer' });
    try {
      plan = planDocuments(config, items, plannableDocuments(catalog), opts.printer);
    } catch (e) {
      if (e instanceof PlanError) throw new ServiceError(e.code === 'no-printer' ? 'unavailable' : 'not-found', e.message);
      throw e;
    }
    for (const pid of new Set(plan.map((p) => p.printerId))) {
      const problem = this.deps.printerProblem?.(pid);
      if (problem) throw new ServiceError('conflict', problem, { reason: 'printer-unsuitable', printer: pid });
    }
    // A kit prints what it can: numbered documents are cut to what their blocks cover, the rest is
    // kept on the batch as not printed (single documents refuse instead, in drawNumbers). No await
    // between this and drawing, so no other print can take the numbers counted here.
    const cover = kind === 'kit' ? this.documents.coverNumbers(plan) : { plan, notPrinted: [] };
    plan = cover.plan;
    const printedAt = this.now();
    const batchId = newId('b', printedAt.getTime());
    // Numbers are drawn here and go to disk with the batch, before anything is rendered.
    const { numbers, serials, written } = await this.documents.drawNumbers(plan, batchId);
    const jobs: Job[] = [];
    let batch: Batch;
    try {
      // Blank forms already in today's cache are spooled at once; the rest (numbered, dated, per
      // prescriber, or not rendered yet today) is queued as "being prepared" with a recipe and
      // rendered right after the answer, in order.
      for (const item of plan) {
        const drawn = numbers.get(item);
        if (this.documents.isCached(item, req, drawn, printedAt)) {
          for (const p of await this.documents.renderPlanItem(item, req, drawn, printedAt)) jobs.push(await this.jobFor(p, batchId, printedAt, this.documents.recipe(item, req, drawn, printedAt)));
        } else {
          // A numbered referral gets two placeholders, its own and its labels', so the batch shows
          // every job it will print from the start.
          for (const p of this.documents.parts(item, req, drawn)) {
            const job = this.placeholderFor(item, batchId, printedAt, this.documents.recipe(item, req, drawn, printedAt, p.part));
            jobs.push({ ...job, documentId: p.documentId, title: p.title, printerId: p.printerId, media: p.media, copies: p.part === 'labels' ? 1 : job.copies });
          }
        }
      }
      batch = {
        id: batchId,
        kind,
        title,
        kitId: opts.kitId,
        requestId: opts.requestId,
        actor: opts.actor,
        jobIds: jobs.map((j) => j.id),
        serials,
        ...(cover.notPrinted.length ? { notPrinted: cover.notPrinted } : {}),
        createdAt: printedAt.toISOString(),
      };
      // Numbers and batch on disk together before the answer; then the queues wake.
      await enqueueBatch({ store, kick: this.deps.kick }, batch, jobs, opts.actor || 'personal', written);
      for (const n of cover.notPrinted) await store.audit(opts.actor || 'personal', 'batch-short', `${batchId} ${n.text}`);
    } catch (e) {
      if (Object.keys(serials).length) await this.documents.voidNumbers(batchId, e);
      throw e;
    }
    void this.renderHeld(batch);
    return { batch, jobs };
  }
}
