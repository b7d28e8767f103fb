// What staff do to a whole print from its progress page, one tap each: print again everything that
// failed or was cancelled, cancel everything not yet printed, and send what no printer has taken
// to another printer. Which printers may take a job is the one rule printerCanTake (role, media,
// PDF); the dispatcher does the moving. The JSON API and the touchscreen both call these.
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { roleForLayout } from '../catalog/label-layout-schema.js';
import { canReprint, isTerminal, type Batch, type Job } from '../domain/job.js';
import { printerCanTake } from '../domain/label-plan.js';
import { movable } from '../domain/batch-state.js';
import type { Dispatcher } from '../printing/dispatcher.js';
import type { PrinterView } from '../printing/printer-monitor.js';
import type { Store } from '../store/store.js';
import { ServiceError } from './errors.js';
import { LABELS_DOCUMENT_ID } from './label-service.js';

export interface BatchActionDeps {
  config: StationConfig;
  catalog: Pick<Catalog, 'documents' | 'labels'>;
  store: Store;
  monitor: { get(id: string): PrinterView | undefined };
  dispatcher: Pick<Dispatcher, 'retry' | 'cancel' | 'moveTo'>;
}

/** What a job needs of a printer: the role of its document (or labels' layout) and its media. */
function needOf(deps: BatchActionDeps, job: Job): { role: string; media?: string; sends?: 'pdf' | 'zpl' } | undefined {
  if (job.documentId === LABELS_DOCUMENT_ID) {
    const layout = [...deps.catalog.labels.values()].find((l) => l.media === job.media);
    return layout ? { role: roleForLayout(layout), media: layout.media, sends: job.format ?? 'pdf' } : undefined;
  }
  const doc = deps.catalog.documents.get(job.documentId);
  if (!doc) return undefined;
  // An A4 job carries its first printer's media keyword: only a special media (receptblankett) must match.
  const own = deps.config.printers.find((p) => p.id === job.printerId)?.media;
  return { role: doc.role, media: job.media && job.media !== own ? job.media : undefined };
}

/** The printers other than the job's current one that can take it (role, media, PDF), in config order. */
export function printersFor(deps: BatchActionDeps, job: Job): StationConfig['printers'] {
  const need = needOf(deps, job);
  if (!need) return [];
  const current = job.sentToPrinterId ?? job.printerId;
  return deps.config.printers.filter((p) => {
    if (p.id === current) return false;
    const info = deps.monitor.get(p.id);
    const can = printerCanTake(need, p, { mediaSupported: info?.mediaSupported, acceptsPdf: info?.acceptsPdf });
    return can.role && can.media && can.pdf;
  });
}

/** The printers every movable job of a batch could go to (the progress page's one-tap choice). */
export function batchMoveTargets(deps: BatchActionDeps, batch: Batch): StationConfig['printers'] {
  const jobs = deps.store.jobsOf(batch).filter(movable);
  if (!jobs.length) return [];
  const sets = jobs.map((j) => new Set(printersFor(deps, j).map((p) => p.id)));
  return deps.config.printers.filter((p) => sets.some((s) => s.has(p.id)));
}

function batchOf(store: Store, batchId: string): Batch {
  const batch = store.getBatch(batchId);
  if (!batch) throw new ServiceError('not-found', 'Utskriften finns inte.');
  return batch;
}

/** "Skriv ut allt igen": every failed or cancelled document of the batch, from the start. */
export async function retryBatch(deps: BatchActionDeps, batchId: string, actor: string): Promise<Job[]> {
  const batch = batchOf(deps.store, batchId);
  const again: Job[] = [];
  for (const j of deps.store.jobsOf(batch)) {
    const r = await deps.dispatcher.retry(j.id, actor);
    if (r) again.push(r);
  }
  if (again.length === 0) throw new ServiceError('conflict', 'Inget dokument i utskriften har misslyckats eller avbrutits.');
  return again;
}

/** "Avbryt allt": every document of the batch that is not finished. */
export async function cancelBatch(deps: BatchActionDeps, batchId: string, actor: string): Promise<Job[]> {
  const batch = batchOf(deps.store, batchId);
  const done: Job[] = [];
  for (const j of deps.store.jobsOf(batch)) {
    if (isTerminal(j.state)) continue;
    const r = await deps.dispatcher.cancel(j.id, actor);
    if (r) done.push(r);
  }
  if (done.length === 0) throw new ServiceError('conflict', 'Allt i utskriften är redan klart eller avbrutet.');
  return done;
}

/**
 * "Skriv ut på <skrivare>": every job of the batch no printer has taken and that this printer can
 * take goes there (a failed or cancelled one is printed again there). Refuses a printer that can
 * take none of them, naming why.
 */
export async function moveBatch(deps: BatchActionDeps, batchId: string, printerId: string, actor: string): Promise<Job[]> {
  const batch = batchOf(deps.store, batchId);
  const printer = deps.config.printers.find((p) => p.id === printerId);
  if (!printer) throw new ServiceError('invalid', `Det finns ingen skrivare "${printerId}" i konfigurationen.`, { reason: 'unknown-printer' });
  const jobs = deps.store.jobsOf(batch).filter(movable);
  if (!jobs.length) throw new ServiceError('conflict', 'Allt i utskriften är redan hos en skrivare eller klart: inget att flytta.');
  const fits = jobs.filter((j) => printersFor(deps, j).some((p) => p.id === printerId));
  if (!fits.length) throw new ServiceError('conflict', `${printer.name} kan inte ta något av det som väntar (fel papper/etiketter, eller tar inte emot PDF).`, { reason: 'printer-unsuitable' });
  const moved: Job[] = [];
  for (const j of fits) {
    const r = await deps.dispatcher.moveTo(j.id, printerId, actor);
    if (r) moved.push(r);
  }
  // A move changes no job's state (waiting stays waiting), so the store's job audit does not see it.
  if (moved.length) await deps.store.audit(actor, 'batch-moved', `${batch.id} ${batch.title}: ${moved.length} dokument till ${printer.name}`);
  return moved;
}
