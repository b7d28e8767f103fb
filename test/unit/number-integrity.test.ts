// Numbers are never issued twice whatever happens to the data folder's files (issue 11): falsy and
// unreadable stores, a store moved aside while the high-water mark remembers the numbers, an older
// copy restored, blocks moved up or below used numbers, overlapping series, stale and live locks.
// Every refusal changes nothing in the folder.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { recoverStore } from '../../src/store/recover-store.js';
import path from 'node:path';
import { Store, StoreCorruptError, StoreRefusedError } from '../../src/store/store.js';
import { selfOwner } from '../../src/store/lock.js';
import { formatSerial, blockStart } from '../../src/domain/serials.js';
import { parseConfig, type SeriesConfig } from '../../src/config.js';
import { createStation } from '../../src/station.js';
import { testConfig, tempDir } from '../helpers/config.js';

const base = testConfig().series.find((s) => s.id === 'remiss')!;
const remiss = (over: Partial<SeriesConfig> = {}): SeriesConfig => ({ ...base, ...over });

const children: ChildProcess[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const c of children.splice(0)) c.kill();
});

async function open(dir: string, series: SeriesConfig[] = [remiss()], log: string[] = []): Promise<Store> {
  const s = await Store.open(dir, { series, log: (m) => log.push(m) });
  stores.push(s);
  return s;
}
async function closeLast(): Promise<void> {
  await stores.pop()!.close();
}

/** Every file in the folder with its bytes: what "changes nothing" is checked against. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

/** A folder whose station issued RV09000001–RV09000043 (5 numbers) and stopped. */
async function usedFolder(): Promise<string> {
  const dir = tempDir();
  const s = await open(dir);
  await s.allocateSerials(remiss(), 5, { batchId: 'b-1' });
  await closeLast();
  return dir;
}

describe('a store that says nothing is never read as "no store"', () => {
  it.each([
    ['null', 'null'],
    ['false', 'false'],
    ['0', '0'],
    ['""', '""'],
    ['an empty file', ''],
    ['half a file', '{"version":2,"jobs":['],
  ])('store.json holding %s: refused, naming the file, and nothing changes', async (_what, text) => {
    const dir = await usedFolder();
    writeFileSync(path.join(dir, 'store.json'), text);
    const before = snapshot(dir);
    const err = await Store.open(dir, { series: [remiss()], log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreCorruptError);
    expect((err as Error).message).toContain(path.join(dir, 'store.json'));
    expect((err as Error).message).toMatch(/Återställ den från en säkerhetskopia/);
    expect((err as Error).message).not.toMatch(/flytta den åt sidan/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('holding null in a fresh folder (no numbers issued yet) is refused too', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'store.json'), 'null');
    await expect(Store.open(dir, { log: () => {} })).rejects.toBeInstanceOf(StoreCorruptError);
    expect(readFileSync(path.join(dir, 'store.json'), 'utf8')).toBe('null');
  });
});

describe('the high-water mark', () => {
  it('is on disk with every allocation, in the data folder and in the archive', async () => {
    const dir = await usedFolder();
    const lines = readFileSync(path.join(dir, 'serials', 'remiss.hwm'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { next: number; blockFirst: number });
    expect(lines.at(-1)).toMatchObject({ next: remiss().first + 5, blockFirst: remiss().first });
    const archived = readdirSync(path.join(dir, 'archive')).filter((f) => f.endsWith('.ledger.jsonl'));
    const marks = archived.flatMap((f) => readFileSync(path.join(dir, 'archive', f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; next?: number }));
    expect(marks.filter((m) => m.kind === 'hwm').at(-1)).toMatchObject({ next: remiss().first + 5 });
  });

  it('a store moved aside makes the station refuse to start and name the file to restore; restored, it continues', async () => {
    const dir = await usedFolder();
    renameSync(path.join(dir, 'store.json'), path.join(dir, 'store.json.broken'));
    const before = snapshot(dir);
    const err = await Store.open(dir, { series: [remiss()], log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefusedError);
    expect((err as Error).message).toContain(`${path.join(dir, 'store.json')} saknas`);
    expect((err as Error).message).toContain(`remiss: upp till ${formatSerial(remiss(), remiss().first + 4)}`);
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, 'store.lock'))).toBe(false);

    renameSync(path.join(dir, 'store.json.broken'), path.join(dir, 'store.json'));
    const s = await open(dir);
    expect((await s.allocateSerials(remiss(), 1, { batchId: 'b-2' }))[0]!.seq).toBe(remiss().first + 5);
  });

  it('an older copy of the store restored: the next number comes after the mark, and the numbers in between are listed as gaps to check', async () => {
    const dir = tempDir();
    const s = await open(dir);
    await s.allocateSerials(remiss(), 2, { batchId: 'b-1' });
    await closeLast();
    copyFileSync(path.join(dir, 'store.json'), path.join(dir, 'backup.json'));
    const s2 = await open(dir);
    await s2.allocateSerials(remiss(), 3, { batchId: 'b-2' });
    await closeLast();
    copyFileSync(path.join(dir, 'backup.json'), path.join(dir, 'store.json'));

    const log: string[] = [];
    const s3 = await open(dir, [remiss()], log);
    expect((await s3.allocateSerials(remiss(), 1, { batchId: 'b-3' }))[0]!.seq).toBe(remiss().first + 5);
    const entries = s3.ledgerOf('remiss');
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5].map((i) => remiss().first + i));
    expect(entries.slice(2, 5).every((e) => e.status === 'voided' && e.batchId === undefined)).toBe(true);
    expect(log.join('\n')).toMatch(/saknades i lagret \(avbrott eller återställd kopia\); kontrollera mot pappret; lämnas aldrig ut igen/);
    expect(s3.auditLog.all().some((a) => a.action === 'serials-recovered')).toBe(true);
  });
});

describe('a store lost with no copy (npm run store:recover)', () => {
  it('makes a new store that continues after the mark; numbers after the archive are listed as gaps to check', async () => {
    const dir = tempDir();
    let now = new Date('2026-09-01T10:00:00Z');
    const s = await Store.open(dir, { series: [remiss()], now: () => now, log: () => {} });
    await s.addBatch({ id: 'b-1', kind: 'labels', title: 'x', jobIds: [], serials: {}, createdAt: now.toISOString() }, []);
    await s.allocateSerials(remiss(), 3, { batchId: 'b-1' });
    now = new Date(now.getTime() + 40 * 86_400_000);
    await s.rotate(); // the first three are in the archive
    await s.addBatch({ id: 'b-2', kind: 'labels', title: 'y', jobIds: [], serials: {}, createdAt: now.toISOString() }, []);
    await s.allocateSerials(remiss(), 2, { batchId: 'b-2' });
    await s.close();
    renameSync(path.join(dir, 'store.json'), path.join(dir, 'lost.json'));
    await expect(Store.open(dir, { series: [remiss()], log: () => {} })).rejects.toBeInstanceOf(StoreRefusedError);

    const said = await recoverStore(dir, [remiss()]);
    expect(said).toMatch(/remiss: fortsätter efter löpnummer 900004 \(2 nummer efter arkivet listas som luckor att kontrollera\)/);
    await expect(recoverStore(dir, [remiss()])).rejects.toThrow(/finns redan; inget gjordes/);
    const r = await open(dir);
    expect((await r.allocateSerials(remiss(), 1, { batchId: 'b-3' }))[0]!.seq).toBe(900005);
    expect(r.ledgerOf('remiss').map((e) => [e.seq, e.batchId])).toEqual([
      [900000, 'b-1'], [900001, 'b-1'], [900002, 'b-1'], [900003, undefined], [900004, undefined], [900005, 'b-3'],
    ]);
    expect(r.auditLog.all().some((a) => a.action === 'store-recovered')).toBe(true);
  });

  it('the marks in the archive count when serials/ was lost too', async () => {
    const dir = await usedFolder();
    copyFileSync(path.join(dir, 'store.json'), path.join(dir, 'old.json'));
    const s = await open(dir);
    await s.allocateSerials(remiss(), 2, { batchId: 'b-2' });
    await closeLast();
    rmSync(path.join(dir, 'serials'), { recursive: true });
    copyFileSync(path.join(dir, 'old.json'), path.join(dir, 'store.json'));
    const again = await open(dir);
    expect((await again.allocateSerials(remiss(), 1, { batchId: 'b-3' }))[0]!.seq).toBe(remiss().first + 7);
  });

  it('refuses in a folder that never issued a number, changing nothing', async () => {
    const dir = tempDir();
    await expect(recoverStore(dir, [remiss()])).rejects.toThrow(/inga nummermärken/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a changed block', () => {
  it('moved up: starts at the new block’s first number; status and percent are on the configured block', async () => {
    const dir = await usedFolder();
    const moved = remiss({ first: 950000, last: 954999 });
    const s = await open(dir, [moved]);
    expect(s.ledger.status(moved)).toMatchObject({ next: 950000, total: 5000, remaining: 5000, remainingPercent: 100 });
    const drawn = await s.allocateSerials(moved, 2, { batchId: 'b-2' });
    expect(drawn.map((e) => e.number)).toEqual([formatSerial(moved, 950000), formatSerial(moved, 950001)]);
    expect(s.ledger.status(moved)).toMatchObject({ remaining: 4998 });
    await closeLast();
    // And it continues there after a restart.
    const again = await open(dir, [moved]);
    expect((await again.allocateSerials(moved, 1, { batchId: 'b-3' }))[0]!.seq).toBe(950002);
  });

  it('the same block with its last number moved continues after the numbers used', async () => {
    const dir = await usedFolder();
    const longer = remiss({ last: 900199 });
    const s = await open(dir, [longer]);
    expect(s.ledger.status(longer)).toMatchObject({ next: remiss().first + 5, remaining: 195 });
  });

  it.each([
    ['below the numbers used', { first: 800000, last: 800099 }],
    ['overlapping the numbers used', { first: 900002, last: 900099 }],
    ['ending before the last number used', { first: 900000, last: 900002 }],
  ])('a block %s is refused at start, naming the series and the numbers, and nothing changes', async (_what, block) => {
    const dir = await usedFolder();
    const before = snapshot(dir);
    const err = await Store.open(dir, { series: [remiss(block)], log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefusedError);
    const msg = (err as Error).message;
    expect(msg).toContain('Nummerserien "Remissnummer" (remiss)');
    expect(msg).toContain(`${formatSerial(remiss(), 900000)}–${formatSerial(remiss(), 900004)}`);
    expect(msg).toContain('börjar på 900005 eller högre');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a block moved up and then back below the numbers of the new block is refused', async () => {
    const dir = await usedFolder();
    const moved = remiss({ first: 950000, last: 954999 });
    const s = await open(dir, [moved]);
    await s.allocateSerials(moved, 1, { batchId: 'b-2' });
    await closeLast();
    await expect(Store.open(dir, { series: [remiss()], log: () => {} })).rejects.toThrow(/börjar på 950001 eller högre/);
  });

  it('the rule itself (blockStart), case by case', () => {
    const used = { next: 900005, blockFirst: 900000 };
    expect(blockStart({ first: 900000, last: 900099 }, undefined)).toEqual({ ok: true, next: 900000, moved: false });
    expect(blockStart({ first: 900000, last: 900099 }, used)).toEqual({ ok: true, next: 900005, moved: false });
    expect(blockStart({ first: 900000, last: 900004 }, used)).toEqual({ ok: true, next: 900005, moved: false }); // used up, not refused
    expect(blockStart({ first: 900005, last: 900099 }, used)).toEqual({ ok: true, next: 900005, moved: true });
    expect(blockStart({ first: 900004, last: 900099 }, used)).toEqual({ ok: false, highestIssued: 900004 });
    expect(blockStart({ first: 800000, last: 800099 }, used)).toEqual({ ok: false, highestIssued: 900004 });
  });
});

describe('two series that could print the same number', () => {
  const cfg = (series: unknown[]) => ({
    unit: { name: 'Test' },
    routine: { version: '1', date: '2026-01-01' },
    printers: [{ id: 'a4', name: 'A4', uri: 'file:///tmp/x', roles: ['a4'] }],
    series,
  });

  it('same prefix and overlapping ranges are refused at start, naming both', () => {
    expect(() =>
      parseConfig(cfg([
        { id: 'remiss', name: 'Remiss', prefix: 'RV', first: 900000, last: 900099 },
        { id: 'remiss2', name: 'Remiss 2', prefix: 'RV', first: 900050, last: 900199 },
      ])),
    ).toThrow(/series "remiss2" .* can print the same numbers as series "remiss"/);
  });

  it('the same numbers written with the prefix split differently are refused too', () => {
    expect(() =>
      parseConfig(cfg([
        { id: 'a', name: 'A', prefix: 'RV', first: 900000, last: 900099, padding: 7 },
        { id: 'b', name: 'B', prefix: 'RV0', first: 900050, last: 900199, padding: 6 },
      ])),
    ).toThrow(/can print the same numbers/);
  });

  it('disjoint blocks with the same prefix start', () => {
    expect(() =>
      parseConfig(cfg([
        { id: 'a', name: 'A', prefix: 'RV', first: 900000, last: 900099 },
        { id: 'b', name: 'B', prefix: 'RV', first: 900100, last: 900199 },
      ])),
    ).not.toThrow();
  });
});

describe('the lock', () => {
  function spawnSleep(): ChildProcess {
    const c = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(c);
    return c;
  }

  it.each([
    ['as a bare pid (the old lock format)', (pid: number) => String(pid)],
    ['with the start time of another process', (pid: number) => JSON.stringify({ ...selfOwner(), pid, start: '1' })],
    ['naming it exactly, but it is another program', (pid: number) => JSON.stringify({ ...selfOwner(), pid, start: undefined })],
  ])('a lock naming a live unrelated process (sleep) %s is taken over and logged', async (_how, content) => {
    const dir = tempDir();
    const sleeper = spawnSleep();
    writeFileSync(path.join(dir, 'store.lock'), content(sleeper.pid!));
    const log: string[] = [];
    const s = await open(dir, [remiss()], log);
    expect(log.join('\n')).toMatch(new RegExp(`tog över .*store\\.lock: .*${sleeper.pid}`));
    expect(JSON.parse(readFileSync(path.join(dir, 'store.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(s).toBeDefined();
  });

  it('a lock from before a reboot (another boot id) is taken over', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'store.lock'), JSON.stringify({ ...selfOwner(), boot: 'a-boot-long-ago' }));
    const log: string[] = [];
    await open(dir, [remiss()], log);
    expect(log.join('\n')).toMatch(/före en omstart av datorn/);
  });

  it('two live stations on one folder are still refused, and the second changes nothing', async () => {
    const dir = await usedFolder();
    await open(dir);
    const before = snapshot(dir);
    await expect(Store.open(dir, { series: [remiss()], log: () => {} })).rejects.toThrow(/används redan av process \d+/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a lock held by another live station process (node, its own start time) is refused', async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    children.push(other);
    await new Promise((r) => setTimeout(r, 100)); // its /proc entry names node once exec has happened
    const start = readFileSync(`/proc/${other.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
    writeFileSync(path.join(dir, 'store.lock'), JSON.stringify({ ...selfOwner(), pid: other.pid, start }));
    await expect(Store.open(dir, { log: () => {} })).rejects.toThrow(new RegExp(`används redan av process ${other.pid}`));
  });
});

describe('the station', () => {
  it('refuses to start on a store moved aside, and says which file to restore', async () => {
    const config = testConfig();
    const s = await Store.open(config.dataDir, { series: config.series, log: () => {} });
    await s.allocateSerials(config.series[0]!, 3, { batchId: 'b-1' });
    await s.close();
    renameSync(path.join(config.dataDir, 'store.json'), path.join(config.dataDir, 'old.json'));
    await expect(createStation(config, { log: () => {} })).rejects.toThrow(/store\.json saknas.*Återställ/s);
  });
});
