// Prints the station makes about itself rather than from a template: the readiness sheet of a drill
// and a test page on every printer. Plans them here (what to render, for which printer) and prints
// them through the one print path (print-path.ts), like kits and labels: the same request id prints
// once, also across a restart (the store keeps request id → batch).
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Batch } from '../domain/job.js';
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
import { PrintPath, type PrintPlan, type ReadyJob } from './print-path.js';

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
  private path: PrintPath;

  constructor(private deps: StationPrintsDeps) {
    this.path = new PrintPath({ ...deps, printerInfo: (id) => deps.monitor.all().find((p) => p.id === id) });
  }

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
    return this.print('document', opts, () => {
      let printerId: string;
      try {
        printerId = printerForRole(this.deps.config, 'a4').id;
      } catch (e) {
        if (e instanceof PlanError) throw new ServiceError('unavailable', e.message);
        throw e;
      }
      const data = this.readinessData(opts);
      return {
        title: 'Beredskapskontroll',
        printers: [{ id: printerId, sends: 'pdf' }],
        numbers: [],
        numbersOnDisk: 'with-batch',
        render: async () => {
          const { pdf, pages } = await renderReadinessSheet(data);
          return [this.job({ documentId: 'beredskapskontroll', title: 'Beredskapskontroll', pdf, pages, printerId, copies: opts.copies ?? 1 })];
        },
      };
    });
  }

  /** One test page on every configured printer, in one batch. */
  async printTestPages(opts: QueueOptions = {}): Promise<{ batch: Batch; duplicate: boolean }> {
    return this.print('test', opts, () => {
      const { config } = this.deps;
      const printedAt = formatStationDateTime(this.now(), config.timezone);
      return {
        title: 'Testsida på alla skrivare',
        // Not checked: a test page is how staff find out whether a printer takes what the station
        // sends it, so it goes to every printer, also one that has said it takes no PDF.
        printers: [],
        numbers: [],
        numbersOnDisk: 'with-batch',
        render: async () => {
          const jobs: ReadyJob[] = [];
          for (const p of config.printers) {
            const { pdf, pages } = await renderTestPage({ unitName: config.unit.name, printerName: p.name, media: p.media, printedAt, actor: opts.actor || 'administratör' });
            jobs.push(this.job({ documentId: 'testsida', title: `Testsida ${p.name}`, pdf, pages, printerId: p.id }));
          }
          return jobs;
        },
      };
    });
  }

  /** Through the one print path; the answer is the batch. */
  private async print(kind: Batch['kind'], opts: QueueOptions, plan: () => PrintPlan): Promise<{ batch: Batch; duplicate: boolean }> {
    const { batch, duplicate } = await this.path.print({ kind, requestId: opts.requestId, actor: opts.actor, defaultActor: 'station', plan });
    return { batch, duplicate };
  }

  /** A rendered page for one printer, on the printer's own paper. */
  private job(d: QueuedDoc): ReadyJob {
    const printer = this.deps.config.printers.find((p) => p.id === d.printerId);
    if (!printer) throw new ServiceError('not-found', `Ingen skrivare med id "${d.printerId}".`);
    return { documentId: d.documentId, title: d.title, copies: d.copies ?? 1, printerId: printer.id, bytes: d.pdf, pages: d.pages, media: printer.media, sides: 'one-sided' };
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
