// JSON views of jobs, batches and printers for the API and the live page (one shape for both).
import type { Batch, Job } from '../domain/job.js';
import { batchOutcome } from '../domain/batch-state.js';
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
}

export function jobView(job: Job, config: StationConfig): JobView {
  const pid = job.sentToPrinterId ?? job.printerId;
  return {
    id: job.id,
    batchId: job.batchId,
    document: job.documentId,
    title: job.title,
    copies: job.copies,
    pages: job.pages,
    count: job.count ?? job.copies,
    sheets: job.pages * job.copies,
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
  };
}

export function batchView(batch: Batch, store: Store, config: StationConfig) {
  const jobs = store.jobsOf(batch);
  return {
    id: batch.id,
    kind: batch.kind,
    title: batch.title,
    kit: batch.kitId ?? null,
    createdAt: batch.createdAt,
    state: batchOutcome(jobs, batch.notPrinted?.length ?? 0),
    serials: batch.serials,
    jobs: jobs.map((j) => jobView(j, config)),
  };
}

export function printerApiView(p: PrinterView) {
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
  };
}
