// The one batch-state rule (src/domain/batch-state.ts): every single job state and every pair of
// job states, the empty batch, a kit's shortfall, and that the banner, the API's three words and
// the readiness sheet's "last complete kit" all answer from it. And the progress page's buttons
// (jobActions, batchActions), which the page and its live stream both take from there.
import { describe, it, expect } from 'vitest';
import { batchActions, batchOutcome, batchState, jobActions, type ActionJob, type BatchState } from '../../src/domain/batch-state.js';
import { jobStates, type JobState } from '../../src/domain/job.js';
import { batchSummary } from '../../src/domain/wording.js';

const jobs = (...states: JobState[]) => states.map((state, i) => ({ state, reasons: [] as string[], title: `Dokument ${i + 1}`, message: '' }));

describe('batchState', () => {
  it('one job: each IPP state', () => {
    const want: Record<JobState, BatchState> = {
      pending: 'printing',
      'pending-held': 'printing',
      processing: 'printing',
      completed: 'completed',
      aborted: 'failed',
      canceled: 'canceled',
    };
    for (const s of jobStates) expect([s, batchState(jobs(s))]).toEqual([s, want[s]]);
  });

  it('two jobs: every pair of states', () => {
    // Written out, not derived: the table is the rule as staff read it.
    const want: Record<string, BatchState> = {
      'pending pending': 'printing', 'pending pending-held': 'printing', 'pending processing': 'printing',
      'pending completed': 'printing', 'pending aborted': 'printing', 'pending canceled': 'printing',
      'pending-held pending-held': 'printing', 'pending-held processing': 'printing', 'pending-held completed': 'printing',
      'pending-held aborted': 'printing', 'pending-held canceled': 'printing',
      'processing processing': 'printing', 'processing completed': 'printing', 'processing aborted': 'printing', 'processing canceled': 'printing',
      'completed completed': 'completed', 'completed aborted': 'failed', 'completed canceled': 'canceled',
      'aborted aborted': 'failed', 'aborted canceled': 'failed',
      'canceled canceled': 'canceled',
    };
    let checked = 0;
    jobStates.forEach((a, i) =>
      jobStates.slice(i).forEach((b) => {
        const key = `${a} ${b}`;
        expect([key, batchState(jobs(a, b))]).toEqual([key, want[key]]);
        // order does not matter
        expect([key, batchState(jobs(b, a))]).toEqual([key, want[key]]);
        checked++;
      }),
    );
    expect(checked).toBe(Object.keys(want).length);
  });

  it('an empty batch is completed, unless a short block kept the kit from printing anything', () => {
    expect(batchState([])).toBe('completed');
    expect(batchState([], 2)).toBe('failed');
  });

  it("a kit's shortfall does not make a printed kit a failure (it printed all it could)", () => {
    expect(batchState(jobs('completed', 'completed'), 1)).toBe('completed');
    expect(batchState(jobs('completed', 'processing'), 1)).toBe('printing');
  });

  it('the API and the schedule count a cancelled batch as failed (it did not print everything)', () => {
    expect(batchOutcome(jobs('completed', 'canceled'))).toBe('failed');
    expect(batchOutcome(jobs('completed'))).toBe('completed');
    expect(batchOutcome(jobs('pending', 'canceled'))).toBe('printing');
    expect(batchOutcome([], 1)).toBe('failed');
  });

  it("the banner's state is the rule's, for every pair", () => {
    for (const a of jobStates) for (const b of jobStates) for (const short of [0, 1]) expect(batchSummary(jobs(a, b), short).state).toBe(batchState(jobs(a, b), short));
    expect(batchSummary([], 1).state).toBe('failed');
    expect(batchSummary([]).state).toBe('completed');
  });
});

describe('the progress page buttons', () => {
  const job = (state: JobState, over: Partial<ActionJob> = {}): ActionJob => ({ state, reasons: [], spoolFile: 'x.pdf', ...over });

  it('each job state: "Avbryt" while not finished, "Skriv ut igen" after a failure, a cancel or a forgotten job, "move" while no printer has it', () => {
    const want: Record<JobState, [boolean, boolean, boolean]> = {
      pending: [true, false, true],
      'pending-held': [true, false, true],
      processing: [true, false, false],
      completed: [false, false, false],
      aborted: [false, true, true],
      canceled: [false, true, true],
    };
    for (const state of jobStates) expect(jobActions(job(state)), state).toEqual({ cancel: want[state][0], reprint: want[state][1], move: want[state][2] });
    // the printer forgot it after taking it: probably printed, staff may print it again (also elsewhere)
    expect(jobActions(job('pending-held', { reasons: ['station-probably-printed'] }))).toEqual({ cancel: true, reprint: true, move: true });
    // taken by a printer (a send that may be there): stays where it is
    expect(jobActions(job('pending', { printerJobId: 7 })).move).toBe(false);
    // failed, and its file is gone: rendered again where it is, not moved
    expect(jobActions(job('aborted', { spoolFile: '' })).move).toBe(false);
  });

  it('the batch: any job that can be printed again, cancelled, or sent elsewhere', () => {
    for (const a of jobStates)
      for (const b of jobStates) {
        const each = [job(a), job(b)].map(jobActions);
        expect(batchActions(each), `${a} ${b}`).toEqual({
          retryAll: each.some((x) => x.reprint),
          cancelAll: each.some((x) => x.cancel),
          move: each.some((x) => x.move),
        });
      }
    expect(batchActions([])).toEqual({ retryAll: false, cancelAll: false, move: false });
  });
});
