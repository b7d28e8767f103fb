import { describe, it, expect, afterEach } from 'vitest';
import path from 'node:path';
import { Store } from '../../src/store/store.js';
import { Spool } from '../../src/printing/spool.js';
import { Dispatcher } from '../../src/printing/dispatcher.js';
import { PrinterMonitor } from '../../src/printing/printer-monitor.js';
import { ippJobName } from '../../src/domain/ids.js';
import type { Job } from '../../src/domain/job.js';
import type { StationConfig } from '../../src/config.js';
import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import { spyStoreWrites, storeOnDisk } from '../helpers/store-files.js';
import { ServiceError } from '../../src/services/errors.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { until } from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(opts: { printers?: Record<string, unknown>[]; retry?: Record<string, unknown>; respool?: (job: Job) => Promise<string | undefined>; clock?: FakeClock } = {}) {
  const config: StationConfig = testConfig({
    printers: opts.printers ?? [{ id: 'a4', name: 'Skrivare A4', uri: 'ipp://127.0.0.1:1/ipp/print', roles: ['a4'] }],
    ...(opts.retry ? { retry: { intervalSeconds: 0.05, maxIntervalSeconds: 0.2, limit: 5, pollSeconds: 0.05, ...opts.retry } } : {}),
  });
  const clock = opts.clock;
  const store = await Store.open(config.dataDir, clock ? { now: () => clock.now() } : {});
  const spool = new Spool(path.join(config.dataDir, 'spool'));
  const backends = new Map(config.printers.map((p) => [p.id, new FakeBackend(p.uri)]));
  const monitor = new PrinterMonitor(config.printers, backends, 60_000, clock);
  const dispatcher = new Dispatcher({ config, store, spool, backends, monitor, ...(opts.respool ? { respool: opts.respool } : {}), ...(clock ? { clock } : {}) });
  let n = 0;
  const addJobs = async (count: number, printerId = config.printers[0]!.id, patch: Partial<Job> = {}) => {
    const file = await spool.put(new TextEncoder().encode('%PDF-1.4 test'));
    const at = new Date().toISOString();
    const b = `b-${n++}`;
    const jobs: Job[] = Array.from({ length: count }, (_, i) => ({
      id: `j-${b}-${i}`, batchId: b, documentId: 'doc', title: `Dokument ${i}`, copies: 1, printerId, state: 'pending',
      reasons: [], message: '', spoolFile: file, pages: 1, sides: 'one-sided', attempts: 0, createdAt: at, updatedAt: at, ...patch,
    }));
    await store.addBatch({ id: b, kind: 'kit', title: 'Test', jobIds: jobs.map((j) => j.id), serials: {}, createdAt: at }, jobs);
    dispatcher.kick(printerId);
    return jobs.map((j) => j.id);
  };
  cleanups.push(async () => {
    monitor.stop();
    await dispatcher.stop();
    await store.close();
  });
  return { config, store, spool, backends, monitor, dispatcher, addJobs };
}

describe('dispatcher', () => {
  it('sends each job once and follows it to completed', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    backends.get('a4')!.pollsToComplete = 2;
    dispatcher.start();
    const ids = await addJobs(3);
    await until(() => ids.every((id) => store.getJob(id)?.state === 'completed'));
    expect(backends.get('a4')!.jobs.map((j) => j.name)).toEqual(ids.map((id, i) => ippJobName(id, 1, `Dokument ${i}`)));
    expect(store.getJob(ids[0]!)!.reasons).toContain('job-completed-successfully');
  });

  it('waits while the printer is off, says when it tries next, and prints once it returns', async () => {
    const { store, backends, dispatcher, addJobs } = await setup({ retry: { intervalSeconds: 0.1, limit: 100 } });
    const fake = backends.get('a4')!;
    fake.mode = 'down';
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => (store.getJob(id!)?.attempts ?? 0) >= 2 && store.getJob(id!)?.state === 'pending');
    const waiting = store.getJob(id!)!;
    expect(waiting.state).toBe('pending');
    expect(waiting.reasons).toContain('station-retrying');
    expect(waiting.message).toMatch(/^Skrivaren svarar inte – försöker igen kl \d\d:\d\d:\d\d\.$/);
    expect(waiting.nextTryAt).toBeDefined();
    fake.mode = 'ok';
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(fake.jobs).toHaveLength(1);
    expect(store.getJob(id!)!.reasons).not.toContain('station-retrying');
  });

  it('aborts at once, with the reason, when the printer refuses the job for good', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    backends.get('a4')!.mode = 'reject';
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => store.getJob(id!)?.state === 'aborted');
    expect(store.getJob(id!)!.reasons).toContain('station-client-error-attributes-or-values-not-supported');
    expect(backends.get('a4')!.submits).toBe(1);
  });

  it('gives up after the retry limit with the reason', async () => {
    const { store, backends, dispatcher, addJobs } = await setup({ retry: { limit: 3, intervalSeconds: 0.05 } });
    backends.get('a4')!.mode = 'down';
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => store.getJob(id!)?.state === 'aborted');
    const j = store.getJob(id!)!;
    expect(j.reasons).toContain('station-retry-limit');
    expect(j.message).toMatch(/efter 3 försök/);
  });

  it('retries a busy printer without counting it as a failed try', async () => {
    const { store, backends, dispatcher, addJobs } = await setup({ retry: { limit: 1 } });
    backends.get('a4')!.mode = 'busy-once';
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(backends.get('a4')!.jobs).toHaveLength(1);
  });

  it('after a restart follows a job the printer already has instead of sending it again', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const fake = backends.get('a4')!;
    const [id] = await addJobs(1, 'a4', { state: 'processing', sendingSince: new Date().toISOString(), attempts: 2, sendNo: 2 });
    // An earlier send failed on the printer; the second reached it just before the station died.
    await fake.submit({ jobName: ippJobName(id!, 1, 'Dokument 0'), pdf: new Uint8Array(10), copies: 1 });
    fake.jobs[0]!.state = 'aborted';
    await fake.submit({ jobName: ippJobName(id!, 2, 'Dokument 0'), pdf: new Uint8Array(10), copies: 1 });
    dispatcher.start();
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(fake.submits).toBe(2);
    expect(store.getJob(id!)!.printerJobId).toBe(2);
    expect(store.getJob(id!)!.reasons).toContain('station-resumed');
  });

  it('after a restart sends a job once when the printer never got it', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const [id] = await addJobs(1, 'a4', { state: 'processing', sendingSince: new Date().toISOString(), attempts: 1, sendNo: 1 });
    dispatcher.start();
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(backends.get('a4')!.submits).toBe(1);
  });

  it('a hanging printer does not hold up another printer', async () => {
    const { store, backends, dispatcher, addJobs } = await setup({
      printers: [
        { id: 'a', name: 'A', uri: 'ipp://127.0.0.1:1/a', roles: ['a4'] },
        { id: 'b', name: 'B', uri: 'ipp://127.0.0.1:2/b', roles: ['a4'] },
      ],
      retry: { limit: 100 },
    });
    backends.get('a')!.mode = 'hang';
    dispatcher.start();
    const [ja] = await addJobs(1, 'a');
    const idsB = await addJobs(3, 'b');
    await until(() => idsB.every((id) => store.getJob(id)?.state === 'completed'));
    expect(store.getJob(ja!)!.state).not.toBe('completed');
  });

  it('hands jobs to the fallback printer after the configured wait, and says so', async () => {
    const { store, backends, dispatcher, addJobs } = await setup({
      printers: [
        { id: 'a', name: 'Skrivare A', uri: 'ipp://127.0.0.1:1/a', roles: ['a4'], fallback: 'b', fallbackAfterSeconds: 10 },
        { id: 'b', name: 'Skrivare B', uri: 'ipp://127.0.0.1:2/b', roles: ['a4'] },
      ],
      retry: { limit: 1000, intervalSeconds: 0.05, maxIntervalSeconds: 0.05 },
    });
    backends.get('a')!.mode = 'down';
    const [id] = await addJobs(1, 'a', { waitingSince: new Date(Date.now() - 11_000).toISOString() });
    dispatcher.start();
    await until(() => store.getJob(id!)?.state === 'completed');
    const j = store.getJob(id!)!;
    expect(j.sentToPrinterId).toBe('b');
    expect(j.reasons).toContain('station-fallback');
    expect(backends.get('b')!.jobs).toHaveLength(1);
  });

  it('refuses, before sending, a printer that does not take PDF', async () => {
    const { store, backends, monitor, dispatcher, addJobs } = await setup();
    backends.get('a4')!.formats = ['image/pwg-raster'];
    await monitor.refresh('a4');
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => store.getJob(id!)?.state === 'aborted');
    expect(store.getJob(id!)!.reasons).toContain('document-format-not-supported');
    expect(store.getJob(id!)!.message).toMatch(/CUPS-kö/);
    expect(backends.get('a4')!.submits).toBe(0);
  });

  it('shows a job the printer aborted as aborted with its message', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    backends.get('a4')!.mode = 'abort';
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => store.getJob(id!)?.state === 'aborted');
    expect(store.getJob(id!)!.message).toBe('Paper jam');
  });

  it('cancels a waiting job so it is never sent', async () => {
    const { store, backends, dispatcher, addJobs } = await setup({ retry: { limit: 100, intervalSeconds: 0.2 } });
    backends.get('a4')!.mode = 'down';
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => (store.getJob(id!)?.attempts ?? 0) >= 1);
    await dispatcher.cancel(id!, 'AB');
    backends.get('a4')!.mode = 'ok';
    await new Promise((r) => setTimeout(r, 400));
    expect(store.getJob(id!)!.state).toBe('canceled');
    expect(backends.get('a4')!.jobs).toHaveLength(0);
    expect(store.auditLog.all().at(-1)).toMatchObject({ actor: 'AB', action: 'job-canceled' });
  });
});

/** The jobs as they are in store.json on disk now (not in memory). */
function jobsOnDisk(dir: string): Job[] {
  return storeOnDisk(dir).jobs;
}

describe('dispatcher: exactly once', () => {
  it('"job X goes as send N" is on disk before the bytes leave, under exactly the name sent', async () => {
    const { config, store, backends, dispatcher, addJobs } = await setup();
    const fake = backends.get('a4')!;
    const seen: Array<{ name: string; onDisk: Job | undefined }> = [];
    fake.onSubmit = (req) => {
      const id = req.jobName.split(':')[1]!.split('.')[0]!;
      seen.push({ name: req.jobName, onDisk: jobsOnDisk(config.dataDir).find((j) => j.id === id) });
    };
    fake.busyTimes = 2;
    dispatcher.start();
    const ids = await addJobs(3);
    await until(() => ids.every((id) => store.getJob(id)?.state === 'completed'));
    // 3 jobs, the first answered busy twice: 5 sends, each already on disk under its own name.
    expect(seen).toHaveLength(5);
    for (const { name, onDisk } of seen) {
      expect(onDisk?.sendingSince, name).toBeDefined();
      expect(name).toBe(ippJobName(onDisk!.id, onDisk!.sendNo!, onDisk!.title));
    }
    // busy is not a failed send: the first job went as send 1 three times, once accepted
    expect(seen.slice(0, 3).map((x) => x.name)).toEqual(Array(3).fill(ippJobName(ids[0]!, 1, 'Dokument 0')));
    expect(fake.jobs.map((j) => j.name)).toEqual(ids.map((id, i) => ippJobName(id, 1, `Dokument ${i}`)));
  });

  it('a busy answer writes nothing and changes nothing', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const fake = backends.get('a4')!;
    fake.busyTimes = 22;
    const [id] = await addJobs(1);
    const writes = spyStoreWrites();
    const changes: string[] = [];
    store.events.on('event', (e: { type: string; job?: Job }) => {
      if (e.type === 'job') changes.push(`${e.job!.state} ${e.job!.reasons.join(',')}`);
    });
    dispatcher.start();
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(fake.submits).toBe(23);
    // the claim, the acceptance and the completion (some may share a write): never one per busy answer
    expect(writes.count()).toBeGreaterThanOrEqual(1);
    expect(writes.count()).toBeLessThanOrEqual(3);
    expect(changes).toEqual(['processing station-sending', 'processing ', 'completed job-completed-successfully']);
    writes.restore();
  });

  it('a send not found on the printer is looked up again until the late-arrival window has passed: one that turns up late is followed, not sent again', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const fake = backends.get('a4')!;
    // A window far longer than the test needs: on a loaded machine the 100 ms below may take seconds.
    fake.lateArrivalMs = 60_000;
    const [id] = await addJobs(1, 'a4', { state: 'processing', sendingSince: new Date().toISOString(), attempts: 1, sendNo: 1 });
    const listJobs = vi.spyOn(fake, 'listJobs');
    dispatcher.start();
    await until(() => listJobs.mock.calls.length >= 1);
    // The dead station's request becomes a job at the loaded printer only now.
    await new Promise((r) => setTimeout(r, 100));
    fake.jobs.push({ printerJobId: 41, name: ippJobName(id!, 1, 'Dokument 0'), state: 'processing', reasons: [], message: '', copies: 1, bytes: 10 });
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(fake.submits).toBe(0);
    expect(store.getJob(id!)).toMatchObject({ printerJobId: 41, sendNo: 1 });
    expect(store.getJob(id!)!.reasons).toContain('station-resumed');
  });

  it('once the window has passed, a send the printer never got goes again as the next send number', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const fake = backends.get('a4')!;
    fake.lateArrivalMs = 300;
    const [id] = await addJobs(1, 'a4', { state: 'processing', sendingSince: new Date().toISOString(), attempts: 1, sendNo: 1 });
    const listJobs = vi.spyOn(fake, 'listJobs');
    const t0 = Date.now();
    dispatcher.start();
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(listJobs.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(fake.jobs.map((j) => j.name)).toEqual([ippJobName(id!, 2, 'Dokument 0')]);
  });

  it('a job the printer forgets after accepting it (restarted) is "probably printed", held for staff, never sent again', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const fake = backends.get('a4')!;
    fake.pollsToComplete = 1_000_000;
    dispatcher.start();
    const [id, next] = await addJobs(2);
    await until(() => store.getJob(id!)?.printerJobId !== undefined);
    fake.jobs.splice(0, 1); // the printer restarted and knows nothing of it
    await until(() => store.getJob(id!)?.state === 'pending-held');
    const held = store.getJob(id!)!;
    expect(held.reasons).toContain('station-probably-printed');
    expect(held.message).toMatch(/troligen ut/);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.submits).toBe(2);
    expect(store.getJob(id!)!.state).toBe('pending-held');
    // it does not hold up the printer's queue
    expect(store.getJob(next!)!.printerJobId).toBeDefined();
    // staff found nothing on paper: Skriv ut igen sends it as the next send
    await dispatcher.retry(id!, 'AB');
    fake.pollsToComplete = 0;
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(fake.jobs.find((j) => j.name === ippJobName(id!, 2, 'Dokument 0'))).toBeDefined();
  });

  it('the same printer job id holding another job (renumbered after a restart) is also "probably printed"', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const fake = backends.get('a4')!;
    fake.pollsToComplete = 1_000_000;
    dispatcher.start();
    const [id] = await addJobs(1);
    await until(() => store.getJob(id!)?.printerJobId !== undefined);
    fake.jobs[0]!.name = 'rk:j-someone-else.1:Annat';
    await until(() => store.getJob(id!)?.state === 'pending-held');
    expect(store.getJob(id!)!.reasons).toContain('station-probably-printed');
    expect(fake.submits).toBe(1);
  });
});

describe('dispatcher on the station clock', () => {
  it('stamps the wait, the retry time staff see and the finish with the injected clock; a clock that never moves stalls no retry', async () => {
    const clock = new FakeClock('2031-05-06T07:08:09Z');
    const { store, backends, dispatcher, addJobs } = await setup({ clock, retry: { intervalSeconds: 0.1, limit: 100 } });
    const fake = backends.get('a4')!;
    fake.mode = 'down';
    dispatcher.start();
    const [id] = await addJobs(1);
    // Two attempts although the clock stands still: the wait is measured on the monotonic clock.
    await until(() => (store.getJob(id!)?.attempts ?? 0) >= 2 && store.getJob(id!)?.state === 'pending');
    const waiting = store.getJob(id!)!;
    expect(waiting.waitingSince).toBe('2031-05-06T07:08:09.000Z');
    // 07:08:09 UTC is 09:08:09 in Stockholm (summer time); the wait is 0.1–0.2 s.
    expect(waiting.message).toBe('Skrivaren svarar inte – försöker igen kl 09:08:09.');
    const ahead = Date.parse(waiting.nextTryAt!) - clock.now().getTime();
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(200);
    fake.mode = 'ok';
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(store.getJob(id!)!.updatedAt).toBe('2031-05-06T07:08:09.000Z');
    expect(fake.jobs).toHaveLength(1);
  });
});

describe('dispatcher: a job without its spool file', () => {
  it('is aborted with station-spool-missing, and the jobs after it print', async () => {
    const { store, backends, dispatcher, addJobs } = await setup();
    const [gone] = await addJobs(1, 'a4', { spoolFile: 'gone.pdf' });
    const after = await addJobs(2);
    dispatcher.start();
    await until(() => after.every((id) => store.getJob(id)?.state === 'completed'));
    expect(store.getJob(gone!)).toMatchObject({ state: 'aborted' });
    expect(store.getJob(gone!)!.reasons).toContain('station-spool-missing');
    expect(backends.get('a4')!.jobs).toHaveLength(2);
  });

  it('skriv ut igen refuses it clearly when it cannot be rendered again, and changes nothing', async () => {
    const { store, dispatcher, addJobs } = await setup();
    const [id] = await addJobs(1, 'a4', { spoolFile: 'gone.pdf', state: 'aborted', reasons: ['station-spool-missing'] });
    const before = JSON.stringify(store.getJob(id!));
    const e = await dispatcher.retry(id!, 'AB').then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect(e).toMatchObject({ code: 'conflict', message: expect.stringMatching(/finns inte längre sparad/) });
    expect(JSON.stringify(store.getJob(id!))).toBe(before);
  });

  it('skriv ut igen renders it again when it can, and it prints', async () => {
    let spoolRef: Spool | undefined;
    const { store, spool, backends, dispatcher, addJobs } = await setup({
      respool: async () => spoolRef!.put(new TextEncoder().encode('%PDF-1.4 rendered again')),
    });
    spoolRef = spool;
    const [id] = await addJobs(1, 'a4', { spoolFile: 'gone.pdf', state: 'aborted', reasons: ['station-spool-missing'] });
    dispatcher.start();
    const again = await dispatcher.retry(id!, 'AB');
    expect(again?.state).toBe('pending');
    await until(() => store.getJob(id!)?.state === 'completed');
    expect(store.getJob(id!)!.spoolFile).not.toBe('gone.pdf');
    expect(backends.get('a4')!.jobs.map((j) => j.bytes)).toEqual(['%PDF-1.4 rendered again'.length]);
  });
});
