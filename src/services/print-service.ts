// The print service: a press of "print" becomes a batch of pending jobs. Validate → plan (pure) →
// draw numbers for numbered documents (durably, first) → render (blank forms from the cache) →
// spool durably → store the batch → wake the dispatcher. Accept quickly, print asynchronously: the
// caller gets the batch before anything is sent. document-jobs.ts does the per-document work.
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { isBlankForm } from '../catalog/catalog.js';
import type { Batch, Job } from '../domain/job.js';
import { newId } from '../domain/ids.js';
import { planDocuments, PlanError, type PlanItem } from '../domain/kit-plan.js';
import type { FormCache } from '../render/form-cache.js';
import type { LabelRenderer } from '../render/label-render-pool.js';
import type { Store } from '../store/store.js';
import type { Spool } from '../printing/spool.js';
import { ServiceError } from './errors.js';
import { DocumentJobs, plannableDocuments, type DocumentRequest, type ResolvedRequest } from './document-jobs.js';

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
}

export interface PrintOptions {
  requestId?: string;
  actor?: string;
  /** The person confirmed printing the same kit again within a few seconds. */
  confirmRepeat?: boolean;
}

export interface PrintResult {
  batch: Batch;
  jobs: Job[];
  /** True when the request id was seen before: nothing new was printed. */
  duplicate: boolean;
}

export class PrintService {
  private inflight = new Map<string, Promise<PrintResult>>();
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

  /**
   * Renders the blank forms of every kit into the cache ahead of the first press (a fresh process
   * would otherwise spend its first press rendering). One form at a time, yielding in between.
   */
  async warmUp(): Promise<number> {
    const ids = new Set([...this.deps.catalog.kits.values()].flatMap((k) => k.items.map((i) => i.document)));
    let n = 0;
    for (const id of ids) {
      const form = this.deps.catalog.forms.get(id);
      if (!form || !isBlankForm(form)) continue;
      // A press being prepared goes first (it waits for its numbers to be on disk before rendering).
      await this.documents.idle();
      await this.deps.formCache.get(form, { config: this.deps.config, printedAt: this.now() });
      n++;
      await new Promise((r) => setImmediate(r));
    }
    // Numbered documents cannot be cached; rendering each once (sample numbers, nothing drawn or
    // kept) makes the first press after a start as quick as the ones after it.
    return n + (await this.documents.warmUp(ids));
  }

  /** Runs `make` once per request id, also when two requests with the same id arrive together. */
  private once(opts: PrintOptions, make: () => Promise<Omit<PrintResult, 'duplicate'>>): Promise<PrintResult> {
    const rid = opts.requestId;
    if (!rid) return make().then((r) => ({ ...r, duplicate: false }));
    const existing = this.deps.store.batchForRequest(rid);
    if (existing) return Promise.resolve({ batch: existing, jobs: this.deps.store.jobsOf(existing), duplicate: true });
    const running = this.inflight.get(rid);
    if (running) return running.then((r) => ({ ...r, duplicate: true }));
    const p = make()
      .then((r) => ({ ...r, duplicate: false }))
      .finally(() => this.inflight.delete(rid));
    this.inflight.set(rid, p);
    return p;
  }

  private async createBatch(
    kind: Batch['kind'],
    title: string,
    items: ReadonlyArray<{ document: string; copies: number }>,
    opts: PrintOptions & { kitId?: string },
    req: ResolvedRequest = {},
  ): Promise<Omit<PrintResult, 'duplicate'>> {
    const { config, catalog, store, spool } = this.deps;
    let plan: PlanItem[];
    try {
      plan = planDocuments(config, items, plannableDocuments(catalog));
    } catch (e) {
      if (e instanceof PlanError) throw new ServiceError(e.code === 'no-printer' ? 'unavailable' : 'not-found', e.message);
      throw e;
    }
    for (const pid of new Set(plan.map((p) => p.printerId))) {
      const problem = this.deps.printerProblem?.(pid);
      if (problem) throw new ServiceError('conflict', problem, { reason: 'printer-unsuitable', printer: pid });
    }
    const printedAt = this.now();
    const batchId = newId('b', printedAt.getTime());
    // Numbers are drawn and recorded here, before rendering; a failure voids them (document-jobs.ts).
    const prepared = await this.documents.prepare(plan, req, batchId, printedAt);
    const jobs: Job[] = [];
    let batch: Batch;
    try {
      for (const p of prepared.jobs) {
        const spoolFile = await spool.put(p.pdf);
        const at = printedAt.toISOString();
        const printer = config.printers.find((x) => x.id === p.printerId)!;
        jobs.push({
          id: newId('j'),
          batchId,
          documentId: p.documentId,
          title: p.title,
          copies: p.copies,
          printerId: p.printerId,
          state: 'pending',
          reasons: [],
          message: '',
          spoolFile,
          pages: p.pages,
          media: p.media ?? printer.media,
          sides: p.duplex && p.pages > 1 ? 'two-sided-long-edge' : 'one-sided',
          attempts: 0,
          createdAt: at,
          updatedAt: at,
        });
      }
      batch = {
        id: batchId,
        kind,
        title,
        kitId: opts.kitId,
        requestId: opts.requestId,
        actor: opts.actor,
        jobIds: jobs.map((j) => j.id),
        serials: prepared.serials,
        createdAt: printedAt.toISOString(),
      };
      await store.addBatch(batch, jobs, opts.actor || 'personal');
    } catch (e) {
      if (Object.keys(prepared.serials).length) await this.documents.voidNumbers(batchId, e);
      throw e;
    }
    for (const pid of new Set(jobs.map((j) => j.printerId))) this.deps.kick(pid);
    return { batch, jobs };
  }
}
