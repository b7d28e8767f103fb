// The live store's journal (src/store/journal.ts; issue 10: a write costs O(change), not
// O(history)). Every kind of change reaches the journal and nothing else is rewritten; a copy of
// the folder taken while the station runs (as a power cut leaves it) opens to exactly what was
// acknowledged; a line cut short by a crash is left out and said; a damaged line refuses start; a
// line store.json already holds is never applied again; a journal that does not continue
// store.json is set aside; store.json is written whole when the journal has grown to its size and
// at a clean stop.
import { describe, it, expect, afterEach } from 'vitest';
import { appendFileSync, copyFileSync, cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Store, StoreCorruptError, StoreRefusedError } from '../../src/store/store.js';
import type { Batch, Job } from '../../src/domain/job.js';
import type { ScheduleRun, Upgrade } from '../../src/schedule/schedule-data.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { storeOnDisk } from '../helpers/store-files.js';

const config = testConfig();
const remiss = config.series.find((s) => s.id === 'remiss')!;
const DAY = 86_400_000;

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function open(dir: string, opts: { now?: () => Date; log?: string[] } = {}): Promise<Store> {
  const s = await Store.open(dir, { series: config.series, now: opts.now, log: (m) => opts.log?.push(m) });
  stores.push(s);
  return s;
}
async function close(s: Store): Promise<void> {
  stores.splice(stores.indexOf(s), 1);
  await s.close();
}

/** The live data in memory, as the store holds it (compared with what the files give back). */
function live(s: Store): Record<string, unknown> {
  const { journalSeq: _seq, ...data } = (s as unknown as { core: { data: Record<string, unknown> } }).core.data;
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}
function fromFiles(dir: string): Record<string, unknown> {
  const { journalSeq: _seq, ...data } = storeOnDisk(dir) as unknown as Record<string, unknown>;
  return data;
}

function kit(id: string, at: Date, n = 2, state: Job['state'] = 'pending'): { batch: Batch; jobs: Job[] } {
  const iso = at.toISOString();
  const jobs: Job[] = Array.from({ length: n }, (_, i) => ({
    id: `${id}-j${i}`, batchId: id, documentId: 'vardkontakt', title: 'Formulär för vårdkontakt', copies: 1, printerId: 'a4', state, reasons: [],
    message: '', spoolFile: `${id}-${i}.pdf`, pages: 1, sides: 'one-sided', attempts: 0, createdAt: iso, updatedAt: iso,
    ...(state === 'completed' ? { completedAt: iso } : {}),
  }));
  return { batch: { id, kind: 'kit', title: 'Systemuppgradering', jobIds: jobs.map((j) => j.id), serials: {}, createdAt: iso, requestId: `req-${id}` }, jobs };
}

/** Every kind of change the store makes, each through its module's named operation. */
async function everyChange(s: Store): Promise<void> {
  const now = new Date();
  const k = kit('b-1', now, 3);
  await s.addBatch(k.batch, k.jobs);
  await s.setJobState('b-1-j0', { state: 'processing', reasons: ['+station-sending'], patch: { sendNo: 1, sendingSince: now.toISOString() } });
  await s.setJobState('b-1-j0', { state: 'completed', reasons: ['-station-sending'], patch: { printerJobId: 7, sendingSince: undefined } });
  await s.patchJobs(['b-1-j1', 'b-1-j2'], () => ({ attempts: 2 }));
  await s.allocateSerials(remiss, 5, { batchId: 'b-1', documentId: 'provtagningsremiss' });
  await s.voidSerialNumbers([s.ledgerOf('remiss')[1]!.number], 'rivet');
  await s.recordReprint('remiss', s.ledgerOf('remiss')[2]!.number, 'b-1');
  const at = now.toISOString();
  const u: Upgrade = { id: 'u-1', kind: 'upgrade', start: at, end: at, note: '', kitId: 'systemuppgradering', createdAt: at, createdBy: 'admin', updatedAt: at };
  await s.schedule.addUpgrade(u, { actor: 'admin', action: 'upgrade-added', detail: 'u-1' });
  await s.schedule.updateUpgrade(s.schedule.upgrade('u-1')!, { note: 'Ny journal' });
  const run: ScheduleRun = { id: 'r-1', kind: 'upgrade', upgradeId: 'u-1', title: 'Systemuppgradering', dueAt: at, status: 'scheduled', createdAt: at, late: false, batchIds: [], message: '', problems: [] };
  await s.schedule.addRun(run);
  await s.schedule.updateRuns([s.schedule.run('r-1')!], { status: 'done', batchIds: ['b-1'] });
  await s.admin.failedAttempt(2, { actor: 'admin', action: 'pin-failed', detail: '' });
  await s.admin.setPin('hash', at, { actor: 'admin', action: 'pin-set', detail: '' });
  const k2 = kit('b-2', now, 1);
  await s.addBatch(k2.batch, k2.jobs);
  await s.schedule.removeUpgrade(s.schedule.upgrade('u-1')!, [], {}, { actor: 'admin', action: 'upgrade-removed', detail: 'u-1' });
}

/** The folder's store files and marks copied as they are now (the store stays open): what a power cut leaves. */
function copyAsCrashed(dir: string): string {
  const to = tempDir();
  for (const name of readdirSync(dir)) if (name !== 'store.lock') cpSync(path.join(dir, name), path.join(to, name), { recursive: true });
  return to;
}

describe('the live store journal', () => {
  it('every change goes to the journal (store.json is not rewritten), and a copy taken while running opens to exactly the live data', async () => {
    const dir = tempDir();
    const s = await open(dir);
    const whole = readFileSync(path.join(dir, 'store.json'), 'utf8');
    await everyChange(s);
    expect(readFileSync(path.join(dir, 'store.json'), 'utf8')).toBe(whole);
    expect(statSync(path.join(dir, 'store.journal')).size).toBeGreaterThan(0);
    expect(fromFiles(dir)).toEqual(live(s));

    const crashed = copyAsCrashed(dir);
    const s2 = await open(crashed);
    expect(live(s2)).toEqual(live(s));
    expect(s2.getJob('b-1-j0')).toMatchObject({ state: 'completed', printerJobId: 7 });
    expect(s2.ledgerOf('remiss').map((e) => e.status)).toEqual(['issued', 'voided', 'issued', 'issued', 'issued']);
    expect(s2.ledgerOf('remiss')[2]!.reprints).toHaveLength(1);
    expect(s2.admin.get()).toMatchObject({ pinHash: 'hash', failedAttempts: 0 });
    expect(s2.schedule.upgrades()).toEqual([]);
    expect(s2.schedule.run('r-1')).toMatchObject({ status: 'done', batchIds: ['b-1'] });
    expect(s2.batchForRequest('req-b-2')?.id).toBe('b-2');
    // Opening wrote store.json whole and emptied the journal.
    expect(statSync(path.join(crashed, 'store.journal')).size).toBe(0);
    expect(JSON.parse(readFileSync(path.join(crashed, 'store.json'), 'utf8')).jobs).toHaveLength(4);
  });

  it('a write costs the size of its change: after 300 batches a job state change appends one line of about one job', async () => {
    const dir = tempDir();
    const s = await open(dir);
    const now = new Date();
    for (let i = 0; i < 300; i++) {
      const k = kit(`b-${i}`, now, 11, 'completed');
      await s.addBatch(k.batch, k.jobs);
    }
    const k = kit('b-last', now, 1);
    await s.addBatch(k.batch, k.jobs);
    const storeBytes = JSON.stringify(live(s)).length;
    expect(storeBytes).toBeGreaterThan(1_000_000);
    const journal = path.join(dir, 'store.journal');
    const before = statSync(journal).size;
    const json = statSync(path.join(dir, 'store.json')).mtimeMs;
    await s.setJobState('b-last-j0', { state: 'processing', reasons: ['+station-sending'] });
    const line = statSync(journal).size - before;
    expect(line).toBeGreaterThan(0);
    expect(line).toBeLessThan(JSON.stringify(s.getJob('b-last-j0')).length + 100);
    expect(statSync(path.join(dir, 'store.json')).mtimeMs).toBe(json);
  });

  it('store.json is written whole, and the journal emptied, once the journal is as large as the store (at least 1 MiB)', async () => {
    const dir = tempDir();
    const s = await open(dir);
    const journal = path.join(dir, 'store.journal');
    const now = new Date();
    let i = 0;
    // Batches of 1000 jobs: each write appends a line of several hundred KiB.
    while (statSync(journal).size < 1 << 20) {
      const k = kit(`big-${i++}`, now, 1000);
      await s.addBatch(k.batch, k.jobs);
    }
    const k = kit('after', now, 1);
    await s.addBatch(k.batch, k.jobs);
    expect(statSync(journal).size).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'store.json'), 'utf8')).batches.map((b: Batch) => b.id)).toContain('after');
    expect(fromFiles(dir)).toEqual(live(s));
  });

  it('a clean stop leaves store.json whole (a copy of it alone is a full backup) and the journal empty', async () => {
    const dir = tempDir();
    const s = await open(dir);
    await everyChange(s);
    const data = live(s);
    await close(s);
    expect(statSync(path.join(dir, 'store.journal')).size).toBe(0);
    const { journalSeq: _seq, ...whole } = JSON.parse(readFileSync(path.join(dir, 'store.json'), 'utf8')) as Record<string, unknown>;
    expect(whole).toEqual(data);
  });

  it('a last line cut short by a crash was never acknowledged: left out, said in the log, and gone before anything is appended', async () => {
    const dir = tempDir();
    const s = await open(dir);
    await everyChange(s);
    const crashed = copyAsCrashed(dir);
    const data = live(s);
    appendFileSync(path.join(crashed, 'store.journal'), '{"seq":999,"jobs":[{"id":"b-1-j1","sta');
    const log: string[] = [];
    const s2 = await open(crashed, { log });
    expect(live(s2)).toEqual(data);
    expect(log.join('\n')).toMatch(/store\.journal: sista raden avbröts/);
    expect(statSync(path.join(crashed, 'store.journal')).size).toBe(0);
  });

  it('a damaged line refuses start, naming store.journal and the line, and changes nothing', async () => {
    const dir = tempDir();
    const s = await open(dir);
    await everyChange(s);
    const crashed = copyAsCrashed(dir);
    const file = path.join(crashed, 'store.journal');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2]!.slice(0, 40) + 'X' + lines[2]!.slice(41);
    writeFileSync(file, lines.join('\n'));
    const before = readFileSync(file, 'utf8');
    const err = await Store.open(crashed, { series: config.series, log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreCorruptError);
    expect((err as Error).message).toContain(`${file} kan inte läsas (rad 3:`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(existsSync(path.join(crashed, 'store.lock'))).toBe(false);
  });

  it('a line store.json already holds is never applied again (a crash between writing store.json whole and emptying the journal)', async () => {
    const dir = tempDir();
    let now = new Date('2026-09-01T10:00:00Z');
    const s = await open(dir, { now: () => now });
    const k = kit('old', now, 2, 'completed');
    await s.addBatch(k.batch, k.jobs);
    const journal = readFileSync(path.join(dir, 'store.journal'));
    now = new Date(now.getTime() + 40 * DAY);
    expect((await s.rotate()).batches).toBe(1);
    expect(s.getBatch('old')).toBeUndefined();
    await close(s);
    // The journal as it was before the rotation wrote store.json whole: its line added the batch.
    writeFileSync(path.join(dir, 'store.journal'), journal);
    const s2 = await open(dir, { now: () => now });
    expect(s2.getBatch('old')).toBeUndefined();
    expect(s2.jobs.liveJobs()).toEqual([]);
    expect(s2.jobs.findBatch('old')?.jobs).toHaveLength(2); // from the archive
  });

  it('a journal that does not continue store.json (an older store.json put back) is set aside, said, and its numbers are gaps, never issued again', async () => {
    const dir = tempDir();
    const s = await open(dir);
    await s.allocateSerials(remiss, 2, { batchId: 'b-1' });
    await close(s);
    const backup = readFileSync(path.join(dir, 'store.json'));
    const s2 = await open(dir);
    await s2.allocateSerials(remiss, 3, { batchId: 'b-2' });
    await close(s2);
    const s3 = await open(dir);
    await s3.allocateSerials(remiss, 1, { batchId: 'b-3' });
    // The station dies with b-3's number in the journal only; an operator puts the older copy back.
    const crashed = copyAsCrashed(dir);
    writeFileSync(path.join(crashed, 'store.json'), backup);
    const log: string[] = [];
    const s4 = await open(crashed, { log });
    expect(log.join('\n')).toMatch(/store\.journal fortsätter inte .*store\.json .*används inte/);
    expect(readdirSync(crashed).filter((f) => /^store\.journal\..*\.oanvänd$/.test(f))).toHaveLength(1);
    // The numbers after the copy are gaps (the marks knew them); the next number comes after them.
    expect((await s4.allocateSerials(remiss, 1, { batchId: 'b-4' }))[0]!.seq).toBe(remiss.first + 6);
    expect(s4.ledgerOf('remiss').filter((e) => e.status === 'voided').map((e) => e.seq)).toEqual([2, 3, 4, 5].map((i) => remiss.first + i));
  });

  it('store.json missing while a journal exists (and no number was issued): refused, naming both', async () => {
    const dir = tempDir();
    const s = await open(dir);
    const k = kit('b-1', new Date(), 1);
    await s.addBatch(k.batch, k.jobs);
    const crashed = copyAsCrashed(dir);
    rmSync(path.join(crashed, 'store.json'));
    const err = await Store.open(crashed, { log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefusedError);
    expect((err as Error).message).toMatch(/store\.json saknas, men .*store\.journal finns/);
  });
});
