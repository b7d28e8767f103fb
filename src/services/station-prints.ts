// Prints the station makes about itself rather than from a template: the readiness sheet of a drill
// and a test page on every printer. Renders (src/render), spools durably, records one batch of
// pending jobs and wakes the dispatcher, like the print service does for forms. The same request id
// prints once, also across a restart (the store keeps request id → batch).
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Batch, Job } from '../domain/job.js';
import { newId } from '../domain/ids.js';
import { batchState } from '../domain/batch-state.js';
import { formatBlock, formatSerial } from '../domain/serials.js';
import type { PrinterMonitor } from '../printing/printer-monitor.js';
import type { Spool } from '../printing/spool.js';
import { printerForRole, PlanError } from '../domain/kit-plan.js';
import { formatStationDateTime } from '../domain/time.js';
import { renderReadinessSheet, renderTestPage, type ReadinessData } from '../render/index.js';
import type { Store } from '../store/store.js';
import { printerSummary } from '../domain/wording.js';
import { ServiceError } from './errors.js';
import { enqueueBatch, RequestOnce } from './enqueue-batch.js';

export interface StationPrintsDeps {
  config: StationConfig;
  catalog: Catalog;
  store: Store;
  spool: Spool;
  monitor: Pick<PrinterMonitor, 'all'>;
  kick: (printerId: string) => void;
  now?: () => Date;
}

export interface QueuedDoc {
  documentId: string;
  title: string;
  pdf: Uint8Array;
  pages: number;
  printerId: string;
  copies?: number;
}

export interface QueueOptions {
  requestId?: string;
  actor?: string;
}

export interface ReadinessOptions extends QueueOptions {
  copies?: number;
  occasion: string;
  nextRun?: string | null;
  remarks?: string[];
}

/** The routine's material list, used when the catalog has no "checklista-reservrutin" form. */
export const ROUTINE_STOCK = [
  'Batteridrivna diktafoner',
  'Batterier',
  'Block',
  'Fax',
  'Ficklampor',
  'Formulär för vårdkontakt',
  'Kvittoblock',
  'Papper',
  'Pennor',
  'Provtagningsremisser',
  'Receptblock',
  'Remiss konsultation',
  'Remissetiketter med streckkod',
  'Stämplar',
  'Säker e-post i Outlook',
  'Telefonlista med nödvändiga telefonnummer',
  'Underlag för ordinationer',
];

export class StationPrints {
  private requests = new RequestOnce<{ batch: Batch }>();

  constructor(private deps: StationPrintsDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Everything the readiness sheet shows, as of now. */
  readinessData(opts: Pick<ReadinessOptions, 'occasion' | 'nextRun' | 'remarks'>): ReadinessData {
    const { config, store, monitor, catalog } = this.deps;
    const tz = config.timezone;
    const printers = monitor.all().map((p) => {
      const s = printerSummary(p);
      return { name: p.name, stateText: s.text, ready: s.ready, checkedAt: p.checkedAt };
    });
    const series = config.series.map((s) => {
      const st = store.ledger.status(s);
      // Numbers as labels and lists print them: with their check digit.
      return {
        name: s.name,
        range: formatBlock(s),
        next: st.exhausted ? '–' : formatSerial(s, st.next),
        remaining: st.remaining,
        total: st.total,
        low: st.low,
        exhausted: st.exhausted,
        contact: s.contact,
      };
    });
    return {
      unitName: config.unit.name,
      routineLine: `${config.routine.name} · version ${config.routine.version} · ${config.routine.date}`,
      printedAt: formatStationDateTime(this.now(), tz),
      occasion: opts.occasion,
      printers,
      series,
      lastKit: this.lastCompleteKit(),
      nextRun: opts.nextRun ?? null,
      stock: stockChecklist(catalog, config.schedule.drill.checklistForm),
      remarks: opts.remarks ?? [],
    };
  }

  /** "Systemuppgradering, 2026-03-27 14:02" for the newest kit whose every document printed. */
  lastCompleteKit(): string | null {
    const last = lastCompleteKit(this.deps.store);
    return last ? `${last.title}, ${formatStationDateTime(new Date(last.at), this.deps.config.timezone)}` : null;
  }

  /** Prints the readiness sheet on the A4 printer. */
  async printReadinessSheet(opts: ReadinessOptions): Promise<{ batch: Batch; duplicate: boolean }> {
    return this.once(opts.requestId, async () => {
      let printerId: string;
      try {
        printerId = printerForRole(this.deps.config, 'a4').id;
      } catch (e) {
        if (e instanceof PlanError) throw new ServiceError('unavailable', e.message);
        throw e;
      }
      const { pdf, pages } = await renderReadinessSheet(this.readinessData(opts));
      return this.queue('document', 'Beredskapskontroll', [{ documentId: 'beredskapskontroll', title: 'Beredskapskontroll', pdf, pages, printerId, copies: opts.copies ?? 1 }], opts);
    });
  }

  /** One test page on every configured printer, in one batch. */
  async printTestPages(opts: QueueOptions = {}): Promise<{ batch: Batch; duplicate: boolean }> {
    return this.once(opts.requestId, async () => {
      const { config } = this.deps;
      const printedAt = formatStationDateTime(this.now(), config.timezone);
      const docs: QueuedDoc[] = [];
      for (const p of config.printers) {
        const { pdf, pages } = await renderTestPage({ unitName: config.unit.name, printerName: p.name, media: p.media, printedAt, actor: opts.actor || 'administratör' });
        docs.push({ documentId: 'testsida', title: `Testsida ${p.name}`, pdf, pages, printerId: p.id });
      }
      return this.queue('test', 'Testsida på alla skrivare', docs, opts);
    });
  }

  private once(requestId: string | undefined, make: () => Promise<Batch>): Promise<{ batch: Batch; duplicate: boolean }> {
    return this.requests.run(
      requestId,
      (rid) => {
        const existing = this.deps.store.batchForRequest(rid);
        return existing && { batch: existing };
      },
      async () => ({ batch: await make() }),
    );
  }

  /** Spools the PDFs, records the batch with its pending jobs (durably) and wakes the printers' queues. */
  private async queue(kind: Batch['kind'], title: string, docs: QueuedDoc[], opts: QueueOptions): Promise<Batch> {
    const { config, store, spool } = this.deps;
    const now = this.now();
    const at = now.toISOString();
    const batchId = newId('b', now.getTime());
    const jobs: Job[] = [];
    for (const d of docs) {
      const printer = config.printers.find((p) => p.id === d.printerId);
      if (!printer) throw new ServiceError('not-found', `Ingen skrivare med id "${d.printerId}".`);
      jobs.push({
        id: newId('j'),
        batchId,
        documentId: d.documentId,
        title: d.title,
        copies: d.copies ?? 1,
        printerId: printer.id,
        state: 'pending',
        reasons: [],
        message: '',
        spoolFile: await spool.put(d.pdf),
        pages: d.pages,
        media: printer.media,
        sides: 'one-sided',
        attempts: 0,
        createdAt: at,
        updatedAt: at,
      });
    }
    const batch: Batch = { id: batchId, kind, title, requestId: opts.requestId, actor: opts.actor, jobIds: jobs.map((j) => j.id), serials: {}, createdAt: at };
    await enqueueBatch({ store, kick: this.deps.kick }, batch, jobs, opts.actor || 'station');
    return batch;
  }
}

/** The stock items: the first checklist of the named form (the routine's "Checklista reservrutin"), else the routine's list. */
export function stockChecklist(catalog: Pick<Catalog, 'forms'>, formId: string): string[] {
  const form = catalog.forms.get(formId);
  for (const page of form?.pages ?? [])
    for (const b of page.blocks)
      if (b.type === 'checklist' && b.items.length) return b.items.map((i) => (typeof i === 'string' ? i : i.text));
  return [...ROUTINE_STOCK];
}

/**
 * The newest kit whose every job completed, and when its last job did: the one answer for the
 * readiness sheet's "last kit" and the metric the region alerts on.
 */
export function lastCompleteKit(store: Pick<Store, 'jobs' | 'jobsOf'>): { title: string; at: string } | undefined {
  const batches = store.jobs.batches();
  for (let i = batches.length - 1; i >= 0; i--) {
    const b = batches[i]!;
    if (b.kind !== 'kit') continue;
    const jobs = store.jobsOf(b);
    if (jobs.length && batchState(jobs) === 'completed') return { title: b.title, at: jobs.map((j) => j.completedAt ?? j.updatedAt).sort().at(-1)! };
  }
  return undefined;
}
