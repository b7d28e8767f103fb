// The one rule for a whole batch's state, from its jobs' IPP states (and, for a kit with a short
// number block, what it could not print): used by the batch banner (wording.batchSummary), the
// API's batch view, the scheduler's run results and the readiness sheet's "last complete kit".
// The live page's script (src/ui/static/app.js) repeats it in the browser.
import { isTerminal, type JobState } from './job.js';

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
