// Patient-ID labels carry a patient's identity, which must not outlive the print job: their spool
// file is deleted as soon as the printer has the job (it has a printer job id), or the job ends in
// any other way (completed, aborted, canceled), and the job forgets the file name so nothing can
// send it again ("skriv ut igen" refuses; staff type the identity again). One listener on the
// store's job events does it for every path that changes a job, and a sweep at start-up catches
// what a crash left between the change and the deletion.
import { isTerminal, type Job } from '../domain/job.js';
import type { Store, StoreEvent } from '../store/store.js';
import type { Spool } from './spool.js';

/** Whether a job's spool file must go now. */
export const mustWipe = (job: Job): boolean => !!job.ephemeral && job.spoolFile !== '' && (job.printerJobId !== undefined || isTerminal(job.state));

/** Starts wiping; returns a function that stops listening. */
export function wipeEphemeralSpool(store: Store, spool: Spool, log?: (msg: string) => void): { stop: () => void; sweep: () => Promise<void> } {
  const wiping = new Set<string>();
  const wipe = async (job: Job): Promise<void> => {
    if (!mustWipe(job) || wiping.has(job.id)) return;
    wiping.add(job.id);
    const file = job.spoolFile;
    try {
      await spool.remove(file);
      await store.patchJobs([job.id], () => ({ spoolFile: '' }));
    } catch (e) {
      log?.(`[spool] could not wipe a patient-ID job's file (${job.id}): ${(e as Error).message}`);
    } finally {
      wiping.delete(job.id);
    }
  };
  const onEvent = (e: StoreEvent) => {
    if (e.type === 'job') void wipe(e.job);
  };
  store.events.on('event', onEvent);
  return {
    stop: () => store.events.off('event', onEvent),
    sweep: async () => {
      for (const j of store.jobs.liveJobs()) if (mustWipe(j)) await wipe(j);
    },
  };
}
