// The decisions every kind of print (kits, single documents, labels, scheduled runs, test pages)
// makes the same way, written once; the one print path (print-path.ts) and the pages that show a
// print before the press use them:
// - once(): a request id prints once, also when two requests with it arrive together;
// - enqueueBatch(): the batch and its jobs go to disk in one write, then the printers' queues wake;
// - labelPrinterFor(): which printer takes a referral's labels (the confirm page, the plan and the
//   press ask the same function, so the page never promises what the press refuses);
// - pdfProblem(): "does the printer take PDF", asked before anything is drawn or sent;
// - exhaustedMessage(): the "block used up" wording.
import type { PrinterConfig, SeriesConfig, StationConfig } from '../config.js';
import { roleForLayout, type LabelLayout } from '../catalog/label-layout-schema.js';
import type { Batch, Job } from '../domain/job.js';
import { printerForRole, PlanError } from '../domain/kit-plan.js';
import { blockInfo, blockShortText } from '../domain/wording.js';
import { takesFormat } from '../domain/label-plan.js';
import type { Store } from '../store/store.js';

/** Runs `make` once per request id: a repeat gets the first result (`duplicate: true`), nothing new is printed. */
export class RequestOnce<R> {
  private inflight = new Map<string, { kind: string; p: Promise<R & { duplicate: boolean }> }>();

  /**
   * `existing` answers a request id already stored (a batch recorded before, perhaps by an earlier
   * process); undefined means it is new. A request id in flight for another `kind` of print is
   * refused with `reused` (as a stored one is, by `existing`).
   */
  run(
    requestId: string | undefined,
    kind: string,
    existing: (requestId: string) => (R | Promise<R>) | undefined,
    make: () => Promise<R>,
    reused: () => Error,
  ): Promise<R & { duplicate: boolean }> {
    if (!requestId) return make().then((r) => ({ ...r, duplicate: false }));
    const stored = existing(requestId);
    if (stored !== undefined) return Promise.resolve(stored).then((r) => ({ ...r, duplicate: true }));
    const running = this.inflight.get(requestId);
    if (running) return running.kind === kind ? running.p.then((r) => ({ ...r, duplicate: true })) : Promise.reject(reused());
    const p = make()
      .then((r) => ({ ...r, duplicate: false }))
      .finally(() => this.inflight.delete(requestId));
    this.inflight.set(requestId, { kind, p });
    return p;
  }
}

/**
 * Records a batch and its jobs durably in one write (the moment a press is acknowledged: nothing
 * is sent before it), then wakes the queue of every printer that got a job.
 */
export async function enqueueBatch(
  deps: { store: Pick<Store, 'addBatch'>; kick: (printerId: string) => void },
  batch: Batch,
  jobs: Job[],
  actor: string,
  alsoWritten: Promise<unknown> = Promise.resolve(),
): Promise<void> {
  await Promise.all([deps.store.addBatch(batch, jobs, actor), alsoWritten]);
  for (const pid of new Set(jobs.map((j) => j.sentToPrinterId ?? j.printerId))) deps.kick(pid);
}

/**
 * The printer that takes a referral's labels on `layout`: the one with the layout's role (a sheet
 * or a roll printer). With none set up, an A4 sheet layout goes with its referral, to the form's
 * printer (`formPrinterId`; staff load label sheets there); a roll needs a label printer.
 * Throws PlanError (Swedish) when no printer takes them.
 */
export function labelPrinterFor(config: StationConfig, layout: LabelLayout, formPrinterId?: string): PrinterConfig {
  try {
    return printerForRole(config, roleForLayout(layout));
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    const withForm = formPrinterId !== undefined && layout.kind === 'sheet' ? config.printers.find((p) => p.id === formPrinterId) : undefined;
    if (withForm) return withForm;
    throw new PlanError('no-printer', `Ingen skrivare tar etiketterna på "${layout.name}" (rollen "${roleForLayout(layout)}" saknas i konfigurationen).`);
  }
}

/** Why a printer cannot take what we send it (takesFormat, in words: PDF, or ZPL for a label printer); else undefined. */
export function pdfProblem(
  printer: Pick<PrinterConfig, 'name'> & { format?: 'pdf' | 'zpl' | undefined },
  view: { acceptsPdf: boolean | null } | undefined,
  /** What the station would send it: documents are PDF; labels go in the printer's own format. */
  sends: 'pdf' | 'zpl' = 'pdf',
): string | undefined {
  if (takesFormat(printer, view, sends)) return undefined;
  if ((printer.format ?? 'pdf') !== sends)
    return sends === 'pdf' ? `${printer.name} är en etikettskrivare som tar ZPL och skriver inte ut dokument (se docs/label-printers.md).` : `${printer.name} tar inte emot ZPL (se docs/label-printers.md).`;
  // acceptsPdf: the printer takes what it is configured for (PDF, or ZPL for a label printer).
  return sends === 'zpl' ? `${printer.name} tar inte emot ZPL (se docs/label-printers.md).` : `${printer.name} tar inte emot PDF – den behöver en CUPS-kö framför sig (se README, "Skrivare").`;
}

/**
 * "The block is used up" / "too few numbers left", naming the block and whom to contact. `what`
 * names what was not printed (e.g. "Provtagningsremiss", "etiketterna"); `fewer` what to print
 * instead (default "färre").
 */
export function exhaustedMessage(s: SeriesConfig, remaining: number, requested: number, what: string, fewer = 'färre'): string {
  return blockShortText(blockInfo(s), remaining, requested, what, 'refused', fewer);
}
