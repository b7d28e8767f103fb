// The one rule for a whole batch's state, from its jobs' IPP states (and, for a kit with a short
// number block, what it could not print): used by the batch banner (wording.batchSummary), the
// API's batch view, the scheduler's run results and the readiness sheet's "last complete kit".
// Also which buttons the progress page shows (jobActions, batchActions): the page and its live
// stream (/api/batches/:id/events) both ask these; the browser script decides nothing itself.
import { canReprint, isTerminal, type JobState } from './job.js';

/** A batch as staff read it: still printing, all printed, stopped by staff, or something failed. */
export type BatchState = 'printing' | 'completed' | 'canceled' | 'failed';

/**
 * - any job not finished (pending, held, processing) → printing;
 * - no jobs at all: completed, unless the kit left documents unprinted (short block) → failed;
 * - every job completed → completed (a kit's shortfall is shown beside it, not as a failure:
 *   it printed all it could);
 * - only completed and cancelled jobs → canceled (staff stopped the rest; nothing failed);
 * - else (a job aborted) → failed.
 */
export function batchState(jobs: ReadonlyArray<{ state: JobState }>, notPrinted = 0): BatchState {
  if (jobs.some((j) => !isTerminal(j.state))) return 'printing';
  if (jobs.length === 0) return notPrinted ? 'failed' : 'completed';
  if (jobs.every((j) => j.state === 'completed')) return 'completed';
  if (jobs.every((j) => j.state === 'completed' || j.state === 'canceled')) return 'canceled';
  return 'failed';
}

/** The three states the API and the schedule report: a batch staff cancelled did not print everything. */
export type BatchOutcome = 'printing' | 'completed' | 'failed';

export function batchOutcome(jobs: ReadonlyArray<{ state: JobState }>, notPrinted = 0): BatchOutcome {
  const s = batchState(jobs, notPrinted);
  return s === 'canceled' ? 'failed' : s;
}

/** The buttons of one document's row on the progress page. */
export interface JobActions {
  /** "Avbryt": the job has not finished. */
  cancel: boolean;
  /** "Skriv ut igen": the rule of canReprint. */
  reprint: boolean;
  /** It may go to another printer (movable). */
  move: boolean;
}

/** What the action rules read of a job. */
export type ActionJob = { state: JobState; reasons: readonly string[]; spoolFile: string; printerJobId?: number | undefined };

/**
 * A job staff may still send elsewhere: no printer has taken it (waiting, prepared, failed,
 * cancelled). The one rule of the "move" button and of the move itself (services/batch-actions.ts).
 */
export function movable(job: ActionJob): boolean {
  if (canReprint(job)) return job.spoolFile !== '';
  // (the dispatcher also keeps a send that may be on the printer where it is, until looked up)
  return (job.state === 'pending' || job.state === 'pending-held') && job.printerJobId === undefined;
}

export function jobActions(j: ActionJob): JobActions {
  return { cancel: !isTerminal(j.state), reprint: canReprint(j), move: movable(j) };
}

/** The buttons over a whole batch on the progress page. */
export interface BatchActions {
  /** "Skriv ut allt igen": some document may be printed again. */
  retryAll: boolean;
  /** "Avbryt allt": some document has not finished. */
  cancelAll: boolean;
  /** "Skriv ut på en annan skrivare": some document may go to another printer (movable). */
  move: boolean;
}

/** The batch's buttons from its documents' own (jobActions). */
export function batchActions(each: readonly JobActions[]): BatchActions {
  return {
    retryAll: each.some((a) => a.reprint),
    cancelAll: each.some((a) => a.cancel),
    move: each.some((a) => a.move),
  };
}
