// Moves what is finished and older than the retention (config store.retentionDays, default 30)
// from the live store to the archive: batches whose jobs all ended, their jobs, their number
// ranges, voids and reprints. The archive is appended and fsynced first, then the store is written
// without them: a crash in between leaves a record in both (readers drop the copy by id), never in
// neither. Run at start and every hour, so the live store holds about one retention of use.
import { isTerminal, type Batch, type Job } from '../domain/job.js';
import type { StoreCore } from './core.js';
import type { JobsState } from './jobs.js';
import type { LedgerRecord } from './store-data.js';

export interface RotationResult {
  batches: number;
  jobs: number;
  ledger: number;
}

const finishedAt = (j: Job): string => j.completedAt ?? j.updatedAt;

/** Moves everything finished before `cutoff` (ISO instant) to the archive. */
export async function rotate(core: StoreCore, jobs: JobsState, cutoff: string): Promise<RotationResult> {
  const d = core.data;
  const jobById = new Map(d.jobs.map((j) => [j.id, j]));
  const oldBatches = d.batches.filter(
    (b) => b.createdAt < cutoff && b.jobIds.every((id) => {
      const j = jobById.get(id);
      return !j || (isTerminal(j.state) && finishedAt(j) < cutoff);
    }),
  );
  const goneBatch = new Set(oldBatches.map((b) => b.id));
  const liveBatch = new Set(d.batches.filter((b) => !goneBatch.has(b.id)).map((b) => b.id));
  const oldJobs = d.jobs.filter((j) => goneBatch.has(j.batchId) || (!liveBatch.has(j.batchId) && isTerminal(j.state) && finishedAt(j) < cutoff));
  const oldLedger = d.ledger.filter((r) =>
    r.kind === 'issued' && r.batchId ? goneBatch.has(r.batchId) || (!liveBatch.has(r.batchId) && r.at < cutoff) : r.at < cutoff,
  );
  if (oldBatches.length + oldJobs.length + oldLedger.length === 0) return { batches: 0, jobs: 0, ledger: 0 };

  await core.archive.append<Batch | Job>('jobs', [...oldBatches, ...oldJobs], (r) => ('jobIds' in r ? r.createdAt : finishedAt(r)));
  await core.archive.append<LedgerRecord>('ledger', oldLedger, (r) => r.at);
  // Staff may have asked to print an old job again while the archive was written: it stays live.
  for (const b of oldBatches) if (b.jobIds.some((id) => { const j = jobById.get(id); return j && !isTerminal(j.state); })) goneBatch.delete(b.id);
  const goneJob = new Set(oldJobs.filter((j) => isTerminal(j.state) && (goneBatch.has(j.batchId) || !liveBatch.has(j.batchId))).map((j) => j.id));
  const goneLedger = new Set(oldLedger.filter((r) => r.kind !== 'issued' || !r.batchId || goneBatch.has(r.batchId) || !liveBatch.has(r.batchId)).map((r) => r.id));
  await core.mutate((data, t) => {
    // Records leave the live store: store.json is written whole (the journal only adds and changes).
    t.all();
    data.batches = data.batches.filter((b) => !goneBatch.has(b.id));
    data.jobs = data.jobs.filter((j) => !goneJob.has(j.id));
    data.ledger = data.ledger.filter((r) => !goneLedger.has(r.id));
    for (const [req, batchId] of Object.entries(data.requests)) if (goneBatch.has(batchId)) delete data.requests[req];
  });
  jobs.reindex();
  return { batches: oldBatches.length, jobs: oldJobs.length, ledger: oldLedger.length };
}
