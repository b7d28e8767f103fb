// The store whose cost does not grow with history (issue 10): a store.json of the first format
// (test/fixtures/store-v1.json, written by the station before this change) is migrated on start;
// finished batches older than the retention move to monthly archive files, and the ledger, the
// reprint look-up, the audit log and the history keep working over them; a corrupt archive line
// is reported, never silently dropped; the live store stays the same size as history grows.
import { describe, it, expect, afterEach } from 'vitest';
import { appendFileSync, copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Store } from '../../src/store/store.js';
import { storeV1Schema } from '../../src/store/migrate.js';
import type { Batch, Job } from '../../src/domain/job.js';
import { createStation, type Station } from '../../src/station.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { FakeClock } from '../helpers/fake-clock.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'store-v1.json');
const config = testConfig();
const remiss = config.series.find((s) => s.id === 'remiss')!;
const DAY = 86_400_000;

const stores: Store[] = [];
let station: Station | undefined;
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await station?.stop();
  station = undefined;
});

async function open(dir: string, opts: { now?: () => Date; log?: string[]; retentionDays?: number } = {}): Promise<Store> {
  const s = await Store.open(dir, { series: config.series, now: opts.now, retentionDays: opts.retentionDays, log: (m) => opts.log?.push(m) });
  stores.push(s);
  return s;
}

function kit(id: string, at: Date, state: Job['state'] = 'completed'): { batch: Batch; jobs: Job[] } {
  const iso = at.toISOString();
  const jobs: Job[] = [0, 1].map((i) => ({
    id: `${id}-j${i}`, batchId: id, documentId: 'vardkontakt', title: 'Formulär', copies: 1, printerId: 'a4', state, reasons: [], message: '',
    spoolFile: 'x.pdf', pages: 1, sides: 'one-sided', attempts: 0, createdAt: iso, updatedAt: iso, ...(state === 'completed' ? { completedAt: iso } : {}),
  }));
  return { batch: { id, kind: 'kit', title: 'Kit', jobIds: jobs.map((j) => j.id), serials: {}, createdAt: iso, requestId: `req-${id}` }, jobs };
}

describe('migrating a store.json of the first format', () => {
  const old = storeV1Schema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));

  it('keeps every number with its status, print, time and reprints; the audit log; jobs and batches; and the next numbers', async () => {
    const dir = tempDir();
    copyFileSync(FIXTURE, path.join(dir, 'store.json'));
    const log: string[] = [];
    const s = await open(dir, { log });
    expect(log.join('\n')).toMatch(/flyttades till det nya formatet/);
    for (const sid of ['remiss', 'kvitto']) {
      const want = old.ledger.filter((e) => e.seriesId === sid).map((e) => ({ ...e, reprints: e.reprints.map((r) => ({ at: r.at, batchId: r.batchId })) }));
      expect(s.ledgerOf(sid)).toEqual(want);
    }
    expect(s.ledgerOf('remiss').filter((e) => e.status === 'voided').map((e) => e.number)).toEqual(['RV09000076']);
    expect(s.ledgerOf('remiss').find((e) => e.number === 'RV09000068')!.reprints).toHaveLength(1);
    expect(s.auditLog.all()).toEqual(old.audit);
    for (const b of old.batches) {
      expect(s.getBatch(b.id)).toEqual(b);
      expect(s.jobsOf(b)).toEqual(old.jobs.filter((j) => j.batchId === b.id));
    }
    expect(s.batchForRequest('req-fixture-kit-1')?.kitId).toBe('systemuppgradering');
    expect((await s.allocateSerials(remiss, 1, { batchId: 'b-new' }))[0]!.seq).toBe(old.seriesNext.remiss);

    // The old file is kept beside the new one; the new one holds ranges, not one entry per number.
    expect(readFileSync(path.join(dir, 'store.v1.json'), 'utf8')).toBe(readFileSync(FIXTURE, 'utf8'));
    const now = JSON.parse(readFileSync(path.join(dir, 'store.json'), 'utf8')) as { version: number; ledger: unknown[]; audit?: unknown };
    expect(now.version).toBe(2);
    expect(now.audit).toBeUndefined();
    expect(now.ledger.length).toBeLessThan(old.ledger.length);
    expect(readFileSync(path.join(dir, 'serials', 'kvitto.hwm'), 'utf8')).toMatch(new RegExp(`"next":${old.seriesNext.kvitto}`));
  });

  it('is done once: a restart reads the new format and writes nothing twice', async () => {
    const dir = tempDir();
    copyFileSync(FIXTURE, path.join(dir, 'store.json'));
    await open(dir);
    await stores.pop()!.close();
    const log: string[] = [];
    const s = await open(dir, { log });
    expect(log).toEqual([]);
    expect(s.auditLog.all()).toHaveLength(old.audit.length);
    expect(s.ledgerOf('remiss')).toHaveLength(old.ledger.filter((e) => e.seriesId === 'remiss').length);
  });
});

describe('the retention and the archive', () => {
  it('moves a finished batch exactly when it is older than the retention, and not a moment before', async () => {
    const dir = tempDir();
    const t0 = new Date('2026-10-20T10:00:00Z');
    let now = t0;
    const s = await open(dir, { now: () => now, retentionDays: 30 });
    const done = kit('b-done', t0);
    const open1 = kit('b-open', t0, 'pending');
    await s.addBatch(done.batch, done.jobs);
    await s.addBatch(open1.batch, open1.jobs);
    await s.allocateSerials(remiss, 3, { batchId: 'b-done' });

    now = new Date(t0.getTime() + 30 * DAY); // exactly the retention: stays
    expect(await s.rotate()).toEqual({ batches: 0, jobs: 0, ledger: 0 });
    expect(s.getBatch('b-done')).toBeDefined();

    now = new Date(t0.getTime() + 30 * DAY + 1);
    expect(await s.rotate()).toEqual({ batches: 1, jobs: 2, ledger: 1 });
    expect(s.getBatch('b-done')).toBeUndefined();
    expect(s.batchForRequest('req-b-done')).toBeUndefined();
    // An unfinished batch stays however old it is.
    expect(s.getBatch('b-open')).toBeDefined();
    expect(readdirSync(path.join(dir, 'archive')).sort()).toEqual(['2026-10.audit.jsonl', '2026-10.jobs.jsonl', '2026-10.ledger.jsonl']);

    // Everything still reads, from the archive: numbers, the batch, its jobs, the history.
    expect(s.ledgerOf('remiss').map((e) => [e.seq, e.batchId])).toEqual([0, 1, 2].map((i) => [remiss.first + i, 'b-done']));
    expect(s.jobs.findBatch('b-done')).toEqual({ batch: done.batch, jobs: done.jobs });
    expect(s.jobs.recentJobs(10).map((j) => j.id)).toEqual(['b-open-j1', 'b-open-j0', 'b-done-j1', 'b-done-j0']);
    const stored = JSON.parse(readFileSync(path.join(dir, 'store.json'), 'utf8')) as { batches: Batch[]; jobs: Job[]; ledger: unknown[] };
    expect(stored.batches.map((b) => b.id)).toEqual(['b-open']);
    expect(stored.ledger).toEqual([]);

    // A reprint of an archived number finds it, and is recorded as its own record.
    const entry = await s.recordReprint('remiss', s.ledgerOf('remiss')[1]!.number, 'b-reprint');
    expect(entry.reprints.map((r) => r.batchId)).toEqual(['b-reprint']);
    expect(s.ledgerOf('remiss')[1]!.reprints).toHaveLength(1);
    // And numbers continue after the archived ones.
    expect((await s.allocateSerials(remiss, 1, { batchId: 'b-open' }))[0]!.seq).toBe(remiss.first + 3);
  });

  it('a batch in both the archive and the store (a crash during rotation) is read once', async () => {
    const dir = tempDir();
    let now = new Date('2026-09-01T10:00:00Z');
    const s = await open(dir, { now: () => now });
    const k = kit('b-1', now);
    await s.addBatch(k.batch, k.jobs);
    await s.allocateSerials(remiss, 2, { batchId: 'b-1' });
    // The live store's files as they are before the rotation: store.json and its journal.
    const copy = ['store.json', 'store.journal'].map((f) => [f, readFileSync(path.join(dir, f))] as const);
    now = new Date(now.getTime() + 40 * DAY);
    await s.rotate();
    await stores.pop()!.close();
    for (const [f, bytes] of copy) writeFileSync(path.join(dir, f), bytes); // as if the store write after the archive append was lost
    const s2 = await open(dir, { now: () => now });
    expect(s2.ledgerOf('remiss')).toHaveLength(2);
    await s2.rotate();
    expect(s2.ledgerOf('remiss')).toHaveLength(2);
    expect(s2.jobs.recentJobs(10)).toHaveLength(2);
  });

  it('the live store stays the same size while the history grows', async () => {
    const dir = tempDir();
    let now = new Date('2026-01-01T08:00:00Z');
    const s = await open(dir, { now: () => now, retentionDays: 30 });
    const sizes: number[] = [];
    for (let day = 0; day < 120; day++) {
      now = new Date(Date.parse('2026-01-01T08:00:00Z') + day * DAY);
      const k = kit(`b-${day}`, now);
      await s.addBatch(k.batch, k.jobs);
      await s.allocateSerials(remiss, day % 3 === 0 ? 0 : 1, { batchId: k.batch.id });
      for (let i = 0; i < 5; i++) await s.audit('AB', 'test', `dag ${day} rad ${i}`);
      await s.rotate();
      if (day % 30 === 29) sizes.push(statSync(path.join(dir, 'store.json')).size);
    }
    // Days 30-120: about 30 days of batches live each time; the archive holds the rest.
    expect(Math.max(...sizes.slice(1)) / Math.min(...sizes.slice(1))).toBeLessThan(1.1);
    expect(s.ledgerOf('remiss')).toHaveLength(80);
    expect(s.auditLog.all().filter((a) => a.action === 'test')).toHaveLength(600);
    expect(readdirSync(path.join(dir, 'archive')).filter((f) => f.endsWith('.jobs.jsonl')).sort()).toEqual(['2026-01.jobs.jsonl', '2026-02.jobs.jsonl', '2026-03.jobs.jsonl']);
  });

  it('a corrupt archive line is reported in the log and as a warning, never silently dropped, and the rest still reads', async () => {
    const dir = tempDir();
    let now = new Date('2026-09-01T10:00:00Z');
    const log: string[] = [];
    const s = await open(dir, { now: () => now, log });
    for (const id of ['b-1', 'b-2']) {
      const k = kit(id, now);
      await s.addBatch(k.batch, k.jobs);
      await s.allocateSerials(remiss, 2, { batchId: id });
    }
    now = new Date(now.getTime() + 40 * DAY);
    await s.rotate();
    const file = path.join(dir, 'archive', '2026-09.ledger.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const bad = lines.findIndex((l) => l.includes('"batchId":"b-1"') && l.includes('"issued"'));
    lines[bad] = lines[bad]!.slice(0, 40); // a damaged line
    writeFileSync(file, lines.join('\n'));
    expect(s.ledgerOf('remiss').map((e) => e.batchId)).toEqual(['b-2', 'b-2']);
    expect(s.ledger.warning()).toContain(`${file}:${bad + 1}`);
    expect(s.ledger.warning()).toMatch(/1 rad som inte kan läsas/);
    expect(log.filter((l) => l.includes(`${file}:${bad + 1}`))).toHaveLength(1); // logged once, not on every read
    s.ledgerOf('remiss');
    expect(log.filter((l) => l.includes(`${file}:${bad + 1}`))).toHaveLength(1);
  });

  it('a line cut short by a power cut is closed at start: the next entries read, the cut one is reported', async () => {
    const dir = tempDir();
    const s = await open(dir);
    await s.audit('AB', 'first', 'x');
    await stores.pop()!.close();
    const file = path.join(dir, 'archive', readdirSync(path.join(dir, 'archive')).find((f) => f.endsWith('.audit.jsonl'))!);
    appendFileSync(file, '{"at":"2026-');
    const log: string[] = [];
    const s2 = await open(dir, { log });
    await s2.audit('AB', 'second', 'y');
    expect(s2.auditLog.all().map((a) => a.action)).toEqual(['first', 'second']);
    expect(s2.auditLog.warning()).toContain(file);
    expect(log.join('\n')).toMatch(/sista raden var avbruten/);
  });
});

describe('a station over archived data', () => {
  it('the ledger page, the CSV, a reprint and the audit search still find numbers printed before the retention', async () => {
    const clock = new FakeClock(new Date()); // the print services stamp batches with the real time
    const cfg = testConfig();
    station = await createStation(cfg, { log: () => {}, clock });
    const O = 'http://127.0.0.1';
    const post = (url: string, body: unknown) => station!.app.request(`${O}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: O }, body: JSON.stringify(body) });
    const res = await post('/api/labels', { referrals: 2, labelsPerReferral: 1, layout: 'a4-3x8' });
    expect(res.status).toBe(202);
    const { numbers, batchId } = (await res.json()) as { numbers: string[]; batchId: string };
    for (let i = 0; i < 200 && !station.store.jobsOf(station.store.getBatch(batchId)!).every((j) => j.state === 'completed'); i++) await new Promise((r) => setTimeout(r, 25));
    await clock.advanceBy(31 * DAY);
    expect((await station.store.rotate()).batches).toBe(1);
    expect(station.store.getBatch(batchId)).toBeUndefined();

    const ledger = (await (await station.app.request(`${O}/api/series/remiss/ledger`)).json()) as { entries: Array<{ number: string }> };
    expect(ledger.entries.map((e) => e.number)).toEqual(numbers);
    const csv = await (await station.app.request(`${O}/api/series/remiss/ledger.csv`)).text();
    for (const n of numbers) expect(csv).toContain(n);
    const reprint = await post('/api/labels/reprint', { number: numbers[0], labels: 1, layout: 'a4-3x8' });
    expect(reprint.status).toBe(202);
    expect(((await reprint.json()) as { numbers: string[] }).numbers).toEqual([numbers[0]]);
    expect(station.store.ledgerOf('remiss')[0]!.reprints).toHaveLength(1);
    expect(station.store.auditLog.all().some((a) => a.action === 'serials-issued' && a.detail.includes(numbers[0]!))).toBe(true);
    const history = await (await station.app.request(`${O}/history`)).text();
    expect(history).toContain(`Remissetiketter ${numbers[0]}`); // the archived job, in the history
    // A damaged archive line: the ledger page and the API say numbers may be missing.
    const dir = path.join(cfg.dataDir, 'archive');
    const file = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.ledger.jsonl'))!);
    appendFileSync(file, '{"kind":"issued","seriesId":"remiss","from":\n');
    const page = await (await station.app.request(`${O}/etiketter/nummer`)).text();
    expect(page).toContain('Arkivet har 1 rad som inte kan läsas');
    expect(page).toContain(`${file}:`);
    const api = (await (await station.app.request(`${O}/api/series/remiss/ledger`)).json()) as { warning: string | null };
    expect(api.warning).toMatch(/Arkivet har 1 rad/);
  });
});
