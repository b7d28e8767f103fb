// JSON views of jobs, batches and printers for the API and the live page (one shape for both).
// Each carries what the touchscreen shows of it (state text, tone, buttons, banner, printer chip),
// computed here by the functions the server-rendered pages use: the live script decides nothing.
import type { Batch, Job } from '../domain/job.js';
import { batchOutcome, jobActions, type BatchActions, type JobActions } from '../domain/batch-state.js';
import { batchShown, jobShown, printerShown, type BatchSummary, type Tone } from '../domain/wording.js';
import type { PrinterView } from '../printing/printer-monitor.js';
import type { Store } from '../store/store.js';
import type { StationConfig } from '../config.js';

export interface JobView {
  id: string;
  batchId: string;
  document: string;
  title: string;
  copies: number;
  pages: number;
  /** Of the document, as the confirm page counted (a numbered job: its numbers). */
  count: number;
  /** Sheets of paper (pages × copies); 0 until rendered. */
  sheets: number;
  printer: string;
  printerName: string;
  state: Job['state'];
  reasons: string[];
  message: string;
  attempts: number;
  nextTryAt: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** As the progress page shows it (wording.jobShown): the state chip's words and tone… */
  stateText: string;
  tone: Tone;
  /** …"10 st, 20 sidor"… */
  quantityText: string;
  /** …and whether "Avbryt" and "Skriv ut igen" show. */
  actions: JobActions;
}

export function jobView(job: Job, config: StationConfig): JobView {
  const pid = job.sentToPrinterId ?? job.printerId;
  const count = job.count ?? job.copies;
  const sheets = job.pages * job.copies;
  return {
    id: job.id,
    batchId: job.batchId,
    document: job.documentId,
    title: job.title,
    copies: job.copies,
    pages: job.pages,
    count,
    sheets,
    printer: pid,
    printerName: config.printers.find((p) => p.id === pid)?.name ?? pid,
    state: job.state,
    reasons: job.reasons,
    message: job.message,
    attempts: job.attempts,
    nextTryAt: job.nextTryAt ?? null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    completedAt: job.completedAt ?? null,
    ...jobShown({ state: job.state, reasons: job.reasons, spoolFile: job.spoolFile, printerJobId: job.printerJobId, count, sheets }),
  };
}

/** The progress page's banner and batch buttons (wording.batchShown): the events stream's 'summary'. */
export interface BatchShownView {
  batchId: string;
  summary: BatchSummary;
  actions: BatchActions;
}

export function batchShownView(batch: Batch, jobs: readonly Job[]): BatchShownView {
  return { batchId: batch.id, ...batchShown(jobs.map((j) => ({ ...j, actions: jobActions(j) })), batch.notPrinted?.length ?? 0) };
}

export function batchView(batch: Batch, store: Store, config: StationConfig) {
  const jobs = store.jobsOf(batch);
  const shown = batchShownView(batch, jobs);
  return {
    id: batch.id,
    kind: batch.kind,
    title: batch.title,
    kit: batch.kitId ?? null,
    createdAt: batch.createdAt,
    state: batchOutcome(jobs, batch.notPrinted?.length ?? 0),
    serials: batch.serials,
    jobs: jobs.map((j) => jobView(j, config)),
    summary: shown.summary,
    actions: shown.actions,
  };
}

/** A printer for the API and the live page; summary, advice and ownMessage as every page shows them (wording.printerShown, whom to call: unit.itSupport). */
export function printerApiView(p: PrinterView, config: StationConfig) {
  return {
    id: p.id,
    name: p.name,
    roles: p.roles,
    reachable: p.reachable,
    state: p.state,
    reasons: p.reasons,
    message: p.message,
    acceptsPdf: p.acceptsPdf,
    mediaReady: p.mediaReady,
    checkedAt: p.checkedAt,
    error: p.error,
    ...printerShown(p, config.unit.itSupport),
  };
}
