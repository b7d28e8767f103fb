// The one batch-state rule (src/domain/batch-state.ts): every single job state and every pair of
// job states, the empty batch, a kit's shortfall, and that the banner, the API's three words and
// the readiness sheet's "last complete kit" all answer from it.
import { describe, it, expect } from 'vitest';
import { batchOutcome, batchState, type BatchState } from '../../src/domain/batch-state.js';
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
