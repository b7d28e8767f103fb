// The write path of a press: job states written at once (the event before the disk), numbers and
// batch in one write, the busy back-off, kick() leaving a following follower alone, the spool not
// hashing the same array twice, shared font tables leaving PDFs unchanged, and dated forms cached
// per day and date.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// A pass-through spy on createHash, to see whether the spool hashes the bytes again.
const hashing = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    createHash: (...args: Parameters<typeof real.createHash>) => {
      hashing.calls++;
      return real.createHash(...args);
    },
  };
});

import { parseConfig, type StationConfig } from '../../src/config.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import type { Batch, Job } from '../../src/domain/job.js';
import { formatSerial } from '../../src/domain/serials.js';
import { Dispatcher, busyRetryMs } from '../../src/printing/dispatcher.js';
import { PrinterMonitor } from '../../src/printing/printer-monitor.js';
import { Spool } from '../../src/printing/spool.js';
import { FormCache } from '../../src/render/form-cache.js';
import { sharesFontTables } from '../../src/render/pdf-engine.js';
import { renderForm } from '../../src/render/render-form.js';
import type { RenderContext } from '../../src/render/form-blocks.js';
import { DurableJsonFile } from '../../src/store/durable-json-file.js';
import { Journal, type JournalRecord } from '../../src/store/journal.js';
import { spyStoreWrites, storeOnDisk } from '../helpers/store-files.js';
import { LAZY_WRITE_MS, SeriesExhaustedError, Store, type StoreEvent } from '../../src/store/store.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { tempDir, testConfig } from '../helpers/config.js';
import { until } from '../helpers/wait.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (cleanups.length) await cleanups.pop()!();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `p`, or a failure when it has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`not settled within ${ms} ms`)))]);
}

/** What is on disk now (not what the store holds in memory). */
/** The live store as the files hold it (store.json and the journal's newer lines). */
const onDisk = storeOnDisk;

async function openStore(dir = tempDir()): Promise<Store> {
  const s = await Store.open(dir);
  cleanups.push(() => s.close());
  return s;
}

function jobsFor(batchId: string, count: number, patch: Partial<Job> = {}): Job[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({
    id: `j-${batchId}-${i}`, batchId, documentId: 'doc', title: `Dokument ${i}`, copies: 1, printerId: 'a4', state: 'pending',
    reasons: [], message: '', spoolFile: 'x.pdf', pages: 1, sides: 'one-sided', attempts: 0, createdAt: at, updatedAt: at, ...patch,
  }));
}

function batchOf(id: string, jobs: Job[]): Batch {
  return { id, kind: 'kit', title: 'Test', jobIds: jobs.map((j) => j.id), serials: {}, createdAt: new Date().toISOString() };
}

/** Counts the store's file writes (the durable adapter's write: a temp file, two fsyncs, a rename). */
const countWrites = spyStoreWrites;

describe('store: job states', () => {
  it('setJobState raises its event before the write is on disk, starts the write at once and resolves when the file holds it', async () => {
    const store = await openStore();
    const jobs = jobsFor('b-1', 1);
    await store.addBatch(batchOf('b-1', jobs), jobs);
    const seenOnDiskAtEvent: Array<string | undefined> = [];
    store.events.on('event', (e: StoreEvent) => {
      if (e.type === 'job') seenOnDiskAtEvent.push(onDisk(store.dir).jobs.find((j) => j.id === e.job.id)?.state);
    });
    const writes = countWrites();
    const changed = store.setJobState(jobs[0]!.id, { state: 'canceled', message: 'Avbrutet' }, 'AB');
    expect(seenOnDiskAtEvent).toEqual(['pending']);
    await changed;
    // One write (the audit entry goes to the archive first, then the journal line), no timer in between.
    expect(writes.count()).toBe(1);
    writes.restore();
    expect(onDisk(store.dir).jobs.find((j) => j.id === jobs[0]!.id)?.state).toBe('canceled');
  });
});

describe('store: how many writes', () => {
  const remiss = testConfig().series.find((s) => s.id === 'remiss')!;

  it('numbers issued withNextWrite and the batch right after cost exactly one write holding both', async () => {
    const store = await openStore();
    await store.audit('test', 'opened', 'x');
    const snapshots: string[] = [];
    const real = Journal.prototype.append;
    const writes = vi.spyOn(Journal.prototype, 'append').mockImplementation(function (this: Journal, record: JournalRecord) {
      snapshots.push(JSON.stringify(record));
      return real.call(this, record);
    });
    const whole = vi.spyOn(DurableJsonFile.prototype, 'write');
    const { entries, written } = store.issueSerials(remiss, 3, { batchId: 'b-n' }, { withNextWrite: true });
    expect(entries.map((e) => e.number)).toEqual([0, 1, 2].map((i) => formatSerial(remiss, remiss.first + i)));
    expect(store.ledgerOf('remiss')).toHaveLength(3);
    expect(writes).not.toHaveBeenCalled(); // waits for the batch's write
    const jobs = jobsFor('b-n', 1);
    const added = store.addBatch({ ...batchOf('b-n', jobs), serials: { remiss: entries.map((e) => e.number) } }, jobs);
    await Promise.all([added, written]);
    expect(writes).toHaveBeenCalledTimes(1);
    expect(whole).not.toHaveBeenCalled();
    // The one journal line holds the numbers, the series' next number and the batch.
    const written1 = JSON.parse(snapshots[0]!) as ReturnType<typeof onDisk>;
    expect(written1.series.remiss!.next).toBe(entries[2]!.seq + 1);
    expect(written1.ledger.map((r) => [r.kind, r.from, r.to])).toEqual([['issued', entries[0]!.seq, entries[2]!.seq]]); // one range, not one entry per number
    expect(written1.batches.map((b) => b.id)).toEqual(['b-n']);
    await sleep(LAZY_WRITE_MS + 100);
    expect(writes).toHaveBeenCalledTimes(1);
    expect(whole).not.toHaveBeenCalled();
    expect(onDisk(store.dir).batches.map((b) => b.id)).toEqual(['b-n']);
  });

  it('issueSerials throws SeriesExhaustedError at once when the block is too small, and changes nothing', async () => {
    const store = await openStore();
    await store.allocateSerials(remiss, 98, { batchId: 'b-1' });
    const before = JSON.stringify([store.ledgerOf('remiss'), store.ledger.recordedNext('remiss'), onDisk(store.dir)]);
    const writes = countWrites();
    let thrown: unknown;
    try {
      store.issueSerials(remiss, 3, { batchId: 'b-2' }, { withNextWrite: true });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SeriesExhaustedError);
    expect(thrown).toMatchObject({ seriesId: 'remiss', remaining: 2, requested: 3 });
    expect(() => store.issueSerials(remiss, 3, { batchId: 'b-3' })).toThrow(SeriesExhaustedError);
    expect(JSON.stringify([store.ledgerOf('remiss'), store.ledger.recordedNext('remiss'), onDisk(store.dir)])).toBe(before);
    await sleep(LAZY_WRITE_MS + 50);
    expect(writes.count()).toBe(0);
    writes.restore();
    // The two numbers left are still there to be had.
    expect((await store.allocateSerials(remiss, 2, { batchId: 'b-4' })).at(-1)!.seq).toBe(remiss.last);
  });
});

async function dispatcherSetup(opts: { pollSeconds?: number; pollsToComplete?: number } = {}) {
  const config: StationConfig = testConfig({
    printers: [{ id: 'a4', name: 'Skrivare A4', uri: 'ipp://127.0.0.1:1/ipp/print', roles: ['a4'] }],
    retry: { intervalSeconds: 0.05, maxIntervalSeconds: 0.2, limit: 5, pollSeconds: opts.pollSeconds ?? 0.05 },
  });
  const store = await Store.open(config.dataDir);
  const spool = new Spool(path.join(config.dataDir, 'spool'));
  const fake = new FakeBackend(config.printers[0]!.uri);
  fake.pollsToComplete = opts.pollsToComplete ?? 0;
  const backends = new Map([['a4', fake]]);
  const monitor = new PrinterMonitor(config.printers, backends, 60_000);
  const dispatcher = new Dispatcher({ config, store, spool, backends, monitor });
  const file = await spool.put(new TextEncoder().encode('%PDF-1.4 test'));
  let n = 0;
  /** Stores a batch of pending jobs, as the print service does, and wakes the sender. */
  const addJobs = async (count: number) => {
    const b = `b${n++}`;
    const jobs = jobsFor(b, count, { spoolFile: file });
    await store.addBatch(batchOf(b, jobs), jobs);
    dispatcher.kick('a4');
    return jobs.map((j) => j.id);
  };
  cleanups.push(async () => {
    monitor.stop();
    await dispatcher.stop();
    await store.close();
  });
  return { config, store, fake, dispatcher, addJobs };
}

describe('dispatcher: pace', () => {
  it('busyRetryMs: 5 ms for the first 200 busy answers (a second and more), then growing by half, never above 1000', () => {
    for (let n = 0; n < 200; n++) expect(busyRetryMs(n)).toBe(5);
    expect(busyRetryMs(200)).toBe(8);
    expect(busyRetryMs(201)).toBe(11);
    for (let n = 201; n < 260; n++) {
      expect(busyRetryMs(n)).toBeGreaterThanOrEqual(busyRetryMs(n - 1));
      expect(busyRetryMs(n)).toBeLessThanOrEqual(1000);
    }
    expect(busyRetryMs(220)).toBe(1000);
    // A printer busy for a long job is asked once a second after less than 5 s of waits in all.
    let t = 0;
    let n = 0;
    for (; busyRetryMs(n) < 1000; n++) t += busyRetryMs(n);
    expect(t).toBeGreaterThanOrEqual(1000);
    expect(t).toBeLessThan(5000);
  });

  it('kick() wakes the sender, not the follower: it starts one poll interval after the first acceptance and then keeps its pace', async () => {
    const { store, fake, dispatcher, addJobs } = await dispatcherSetup({ pollSeconds: 5, pollsToComplete: 1_000_000 });
    // A 5 s poll interval: everything this test does between two polls takes well under a second on
    // an idle machine, so a loaded one has seconds to spare (no speed floor, only the order of events).
    const getJob = vi.spyOn(fake, 'getJob');
    dispatcher.start();
    await sleep(20); // both loops asleep: the sender for 60 s (nothing to send), the follower idle
    const [first] = await addJobs(1);
    await until(() => store.getJob(first!)?.printerJobId !== undefined, 4000);
    const accepted = Date.now();
    // Kicks right after the first acceptance (a kit releasing its rendered documents) do not make
    // the follower ask about a job the printer has only just taken.
    for (let i = 0; i < 10; i++) {
      dispatcher.kick('a4');
      await sleep(30);
    }
    expect(getJob.mock.calls.length).toBe(0);
    // One poll interval after the acceptance it asks.
    await until(() => getJob.mock.calls.length >= 1, 20_000);
    expect(Date.now() - accepted).toBeGreaterThanOrEqual(4900);
    await sleep(20);
    const polls = getJob.mock.calls.length;
    // Now it follows, sleeping its 5 s poll interval: kicks (and new jobs) wake the sender only.
    const t0 = Date.now();
    const more = await addJobs(2);
    for (let i = 0; i < 10; i++) {
      dispatcher.kick('a4');
      dispatcher.kick();
      await sleep(30);
    }
    expect(more.every((id) => store.getJob(id)?.printerJobId !== undefined)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(4500);
    expect(getJob.mock.calls.length).toBe(polls);
  });
});

describe('spool', () => {
  it('stores the same byte array once and does not hash it again', async () => {
    const spool = new Spool(tempDir());
    const pdf = new TextEncoder().encode(`%PDF-1.4 ${'x'.repeat(10_000)}`);
    const before = hashing.calls;
    const a = await spool.put(pdf);
    expect(hashing.calls).toBe(before + 1);
    expect(existsSync(path.join(spool.dir, a))).toBe(true);
    const b = await spool.put(pdf);
    expect(b).toBe(a);
    expect(hashing.calls).toBe(before + 1);
    // Equal bytes in another array: hashed, and the same name.
    const c = await spool.put(pdf.slice());
    expect(c).toBe(a);
    expect(hashing.calls).toBe(before + 2);
    expect(Buffer.from(await spool.read(a)).equals(Buffer.from(pdf))).toBe(true);
  });
});

const root = path.resolve(import.meta.dirname, '../..');
const exampleConfig = (): StationConfig => parseConfig(JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8')));
const config = exampleConfig();
const catalog = loadCatalog(path.join(root, 'templates'), config);
const printedAt = new Date('2026-11-25T13:03:00Z');

describe('pdf-engine: shared font tables', () => {
  /**
   * The PDF without what differs by design between two renders: its /ID and its /CreationDate (an
   * indirect object holding "(D:YYYYMMDDHHmmSSZ)", or given inline).
   */
  const stable = (pdf: Uint8Array) =>
    Buffer.from(pdf)
      .toString('latin1')
      .replace(/\(D:\d{14}[^)]*\)/g, '(D:)')
      .replace(/\/ID\s*\[\s*<[0-9a-fA-F]*>\s*<[0-9a-fA-F]*>\s*\]/g, '/ID []');

  it('shares tables, and a form renders byte for byte the same before and after other documents', async () => {
    expect(sharesFontTables()).toBe(true);
    const ctx: RenderContext = { config, printedAt };
    const target = catalog.forms.get('vardkontakt')!;
    const first = await renderForm(target, ctx);
    const remiss = config.series.find((s) => s.id === 'remiss')!;
    // Other documents: other glyphs, bold, the mono face (a serial number), a dated list.
    await renderForm(catalog.forms.get('telefonlista')!, ctx);
    await renderForm(catalog.forms.get('provtagningsremiss')!, { ...ctx, serial: formatSerial(remiss, remiss.first) });
    await renderForm(catalog.forms.get('mottagningslista')!, { ...ctx, validFor: '2026-11-26' });
    await renderForm(catalog.forms.get('checklista-it-attack')!, ctx);
    const second = await renderForm(target, ctx);
    expect(second.pages).toBe(first.pages);
    const a = stable(first.pdf);
    const b = stable(second.pdf);
    expect(a).toContain('/CreationDate');
    expect(a).toContain('(D:)');
    expect(a).toContain('/ID []');
    expect(b.length).toBe(a.length);
    expect(b === a).toBe(true);
  });
});

describe('FormCache: dated forms', () => {
  const list = catalog.forms.get('mottagningslista')!;
  const ctx: RenderContext = { config, printedAt };

  it('renders a list once per day and date', async () => {
    const calls: Array<{ validFor?: string; dateOnly?: boolean }> = [];
    const cache = new FormCache(async (_t, c) => {
      calls.push({ validFor: c.validFor, dateOnly: c.dateOnly });
      return { pdf: new Uint8Array([calls.length]), pages: 1 };
    });
    const d1 = { ...ctx, validFor: '2026-11-26' };
    expect(cache.has(list, d1)).toBe(false);
    const p1 = cache.get(list, d1);
    expect(cache.has(list, d1)).toBe(true); // being rendered counts
    const p2 = cache.get(list, { ...d1, printedAt: new Date('2026-11-25T20:00:00Z') }); // later the same day
    expect(p2).toBe(p1);
    expect(await p2).toBe(await p1);
    expect(calls).toEqual([{ validFor: '2026-11-26', dateOnly: true }]);

    const d2 = { ...ctx, validFor: '2026-11-27' };
    expect(cache.has(list, d2)).toBe(false);
    const p3 = cache.get(list, d2);
    expect(p3).not.toBe(p1);
    expect((await p3).pdf).toEqual(new Uint8Array([2]));
    expect(calls).toHaveLength(2);
    expect(cache.has(list, d2)).toBe(true);
    expect(cache.has(list, d1)).toBe(true);
    expect(cache.has(list, ctx)).toBe(false); // no date: another entry
    expect(await cache.get(list, d2)).toBe(await p3);
    expect(calls).toHaveLength(2);

    // The next day in Stockholm: rendered again.
    const nextDay = { ...d1, printedAt: new Date('2026-11-25T23:30:00Z') };
    expect(cache.has(list, nextDay)).toBe(false);
    await cache.get(list, nextDay);
    expect(calls).toHaveLength(3);
  });
});
