// The one batch-state rule (src/domain/batch-state.ts): every single job state and every pair of
// job states, the empty batch, a kit's shortfall, and that the banner, the API's three words and
// the readiness sheet's "last complete kit" all answer from it. And the progress page's buttons
// (jobActions, batchActions), which the page and its live stream both take from there.
import { describe, it, expect } from 'vitest';
import { batchActions, batchOutcome, batchState, jobActions, type BatchState } from '../../src/domain/batch-state.js';
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
  it('each job state: "Avbryt" while not finished, "Skriv ut igen" after a failure, a cancel or a forgotten job', () => {
    const want: Record<JobState, [boolean, boolean]> = {
      pending: [true, false],
      'pending-held': [true, false],
      processing: [true, false],
      completed: [false, false],
      aborted: [false, true],
      canceled: [false, true],
    };
    for (const state of jobStates) expect(jobActions({ state, reasons: [] }), state).toEqual({ cancel: want[state][0], reprint: want[state][1] });
    // the printer forgot it after taking it: probably printed, staff may print it again
    expect(jobActions({ state: 'pending-held', reasons: ['station-probably-printed'] })).toEqual({ cancel: true, reprint: true });
  });

  it('the batch: any job that can be printed again, cancelled, or sent elsewhere (not taken by a printer, or failed)', () => {
    const move: Record<JobState, boolean> = { pending: true, 'pending-held': true, processing: false, completed: false, aborted: true, canceled: true };
    for (const a of jobStates)
      for (const b of jobStates) {
        const list = jobs(a, b);
        const each = list.map(jobActions);
        expect(batchActions(list), `${a} ${b}`).toEqual({
          retryAll: each.some((x) => x.reprint),
          cancelAll: each.some((x) => x.cancel),
          move: move[a] || move[b],
        });
      }
    expect(batchActions([])).toEqual({ retryAll: false, cancelAll: false, move: false });
  });
});
