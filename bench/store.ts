// Store benchmark (issue 10: a store whose cost does not grow with history), on the folder printer,
// through the compiled station process (node dist/main.js) as `npm start` runs it:
//  - 190 kit presses in one day on a fresh store: the data folder and resident memory (idle, after
//    50 and after 190 presses: goal ≤ 100 MB idle, no growth with history);
//  - a data folder built to look like five years of heavy use (about 30 000 jobs, 50 000 numbers,
//    40 000 audit entries in the archive, a retention's worth live): cold start to /healthz and
//    resident memory idle;
//  - POST /api/kits/…/print → 202 in paired rounds, one press each on the day's busy station, a
//    second fresh station (warmed by 20 presses) and the five-year folder, in alternating order:
//    busy / fresh and five-year / fresh as medians of the per-round ratios (goal ≤ 1.2× each);
//  - for the record, the reads that go over the archive (ledger API and page).
//   npm run bench -- store
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, type SeriesConfig } from '../src/config.js';
import type { Batch, Job } from '../src/domain/job.js';
import type { AuditEntry } from '../src/domain/ledger.js';
import { Archive } from '../src/store/archive.js';
import { appendHighWaters } from '../src/store/high-water.js';
import { emptyData, type LedgerRecord } from '../src/store/store-data.js';
import { Store } from '../src/store/store.js';
import { startStationProcess, stationConfig, waitFor, type StationProcess } from '../test/helpers/station-process.js';
import { tempDir } from '../test/helpers/config.js';
import type { Report } from './labels.js';

const DAY = 86_400_000;
const KIT = 'systemuppgradering';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

function rss(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

function folderSize(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    n += st.isDirectory() ? (name === 'spool' || name === 'ut' ? 0 : folderSize(p)) : st.size;
  }
  return n;
}

/** A big block, so five years of numbers fit; otherwise the bench station's config. */
function benchConfig(dataDir: string): Record<string, unknown> {
  return stationConfig([{ id: 'a4', name: 'Mappskrivare', uri: `file://${path.join(dataDir, 'ut')}`, roles: ['a4', 'labels-sheet'] }], {
    dataDir,
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 999999, padding: 7, checkDigit: 'luhn' },
      { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 99999, padding: 5, checkDigit: 'none' },
    ],
  });
}

async function start(cfg: Record<string, unknown>): Promise<{ s: StationProcess; startMs: number }> {
  const t0 = performance.now();
  const s = await startStationProcess(cfg, {}, { built: true });
  await waitFor(async () => ((await fetch(`${s.url}/healthz`)).status === 200 ? true : undefined), 30_000);
  return { s, startMs: performance.now() - t0 };
}

/** One press: POST → 202 time; then waits until the kit has printed (the next press finds a quiet station). */
async function press(s: StationProcess): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${s.url}/api/kits/${KIT}/print`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmRepeat: true }) });
  const took = performance.now() - t0;
  if (res.status !== 202) throw new Error(`press answered ${res.status}: ${await res.text()}`);
  const { batchId } = (await res.json()) as { batchId: string };
  await waitFor(async () => {
    const b = (await (await fetch(`${s.url}/api/batches/${batchId}`)).json()) as { state: string };
    return b.state === 'printing' ? undefined : b;
  }, 60_000);
  return took;
}

/** Writes five years of history before `end` into the archive and the marks; returns the next numbers. */
async function fiveYears(dataDir: string, series: SeriesConfig[], end: Date): Promise<Record<string, number>> {
  const archive = new Archive(dataDir, (m) => console.log(m));
  const next: Record<string, number> = Object.fromEntries(series.map((s) => [s.id, s.first]));
  const fmt = (s: SeriesConfig) => ({ prefix: s.prefix, padding: s.padding, checkDigit: s.checkDigit });
  const [remiss, kvitto] = series as [SeriesConfig, SeriesConfig];
  const jobs: Array<Batch | Job> = [];
  const ledger: Array<LedgerRecord | { kind: 'hwm'; seriesId: string; next: number; blockFirst: number; at: string }> = [];
  const audit: AuditEntry[] = [];
  let n = 0;
  const range = (s: SeriesConfig, count: number, batchId: string, at: string) => {
    ledger.push({ kind: 'issued', id: `n-${n++}`, seriesId: s.id, from: next[s.id]!, to: next[s.id]! + count - 1, format: fmt(s), batchId, documentId: 'x', at });
    ledger.push({ kind: 'hwm', seriesId: s.id, next: next[s.id]! + count, blockFirst: s.first, at });
    audit.push({ at, actor: 'station', action: 'serials-issued', detail: `${s.id} (${count}) för ${batchId}` });
    next[s.id]! += count;
  };
  for (let d = 5 * 365; d > 0; d--) {
    const day = end.getTime() - d * DAY;
    const kits = d % 2 === 0 ? (d % 4 === 0 ? 2 : 1) : 1; // about 1.5 a day: ~2 700 kits, ~30 000 jobs
    for (let k = 0; k < kits; k++) {
      const at = new Date(day + k * 3_600_000).toISOString();
      const id = `b-h${d}-${k}`;
      const js: Job[] = Array.from({ length: 11 }, (_, i) => ({
        id: `${id}-j${i}`, batchId: id, documentId: `dok-${i}`, title: `Dokument ${i}`, copies: 1, printerId: 'a4', state: 'completed',
        reasons: ['job-completed-successfully'], message: '', spoolFile: `${id}-${i}.pdf`, pages: 2, sides: 'one-sided', attempts: 1, sendNo: 1,
        printerJobId: i, createdAt: at, updatedAt: at, completedAt: at,
      }));
      jobs.push({ id, kind: 'kit', title: 'Systemuppgradering', kitId: KIT, requestId: `req-${id}`, jobIds: js.map((j) => j.id), serials: {}, createdAt: at }, ...js);
      range(remiss, 5, id, at);
      range(kvitto, 6, id, at);
      audit.push({ at, actor: 'AB', action: 'batch-created', detail: `${id} Systemuppgradering (11 jobb)` });
      for (const j of js) audit.push({ at, actor: 'station', action: 'job-completed', detail: `${j.id} ${j.title}` });
    }
    const at = new Date(day + 5 * 3_600_000).toISOString();
    range(remiss, 15, `b-l${d}`, at); // a label print a day: with the kits ~50 000 numbers
  }
  await archive.append('jobs', jobs, (r) => ('jobIds' in r ? r.createdAt : r.completedAt!));
  await archive.append('ledger', ledger, (r) => r.at);
  await archive.append('audit', audit, (r) => r.at);
  await appendHighWaters(dataDir, series.map((s) => ({ seriesId: s.id, next: next[s.id]!, blockFirst: s.first, at: end.toISOString() })));
  return next;
}

export async function benchStore(report: Report): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

  // ---- 200 presses on a fresh store ----
  const fresh = tempDir('reservkit-bench-store-');
  const { s, startMs: freshStart } = await start(benchConfig(fresh));
  report('store: cold start → first 200 on /healthz, empty data folder (for comparison)', ms(freshStart));
  const stations: StationProcess[] = [s];
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idle = rss(s.pid);
    const times: number[] = [];
    const sizeAt: number[] = [];
    let rssAt50 = 0;
    for (let i = 0; i < 190; i++) {
      times.push(await press(s));
      if (i === 9 || i === 189) sizeAt.push(folderSize(fresh));
      if (i === 49) rssAt50 = rss(s.pid);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const after = rss(s.pid);
    report('store: POST → 202 on that station, presses 1–10 / 21–30 / 181–190 (median, for the record)', `${ms(median(times.slice(0, 10)))} / ${ms(median(times.slice(20, 30)))} / ${ms(median(times.slice(180)))}`);
    const storeJson = statSync(path.join(fresh, 'store.json')).size;
    const journal = existsSync(path.join(fresh, 'store.journal')) ? statSync(path.join(fresh, 'store.journal')).size : 0;
    report('store: data folder after 190 presses (store.json / store.journal / all but spool)', `${kib(storeJson)} / ${kib(journal)} / ${kib(sizeAt[1]!)}, ${kib((sizeAt[1]! - sizeAt[0]!) / 180)} per press`);
    report('store: resident memory idle (fresh store)', `${idle.toFixed(0)} MB`, '≤ 100 MB', idle <= 100);
    report('store: resident memory after 50 / 190 presses (no growth with history: the same)', `${rssAt50.toFixed(0)} / ${after.toFixed(0)} MB`);

    // ---- paired rounds: the day's station against a fresh one (and, below, the five-year folder) ----
    // A second fresh station, pressed 20 times so that its caches are as warm as the busy one's;
    // then both are pressed in alternating order, one press each per round, and the goal is judged
    // on the median of the per-round ratios (the machine's drift falls on both alike).
    const other = tempDir('reservkit-bench-store-fresh-');
    const b = (await start(benchConfig(other))).s;
    stations.push(b);
    for (let i = 0; i < 20; i++) await press(b);
    const big = await fiveYearFolder(report);
    const c = (await start(big.cfg)).s;
    stations.push(c);
    await new Promise((r) => setTimeout(r, 2000));
    const bigIdle = rss(c.pid);
    for (let i = 0; i < 5; i++) await press(c); // its first presses render every form, as the others' did
    const rounds = 15;
    const busy: number[] = [];
    const fiveYear: number[] = [];
    const at: number[][] = [[], [], []];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      const t: number[] = [];
      for (const k of order) t[k] = await press([s, b, c][k]!);
      t.forEach((x, k) => at[k]!.push(x));
      busy.push(t[0]! / t[1]!);
      fiveYear.push(t[2]! / t[1]!);
    }
    report(`store: POST → 202 after 190 presses that day / fresh store / five-year folder, median of ${rounds} rounds`, `${ms(median(at[0]!))} / ${ms(median(at[1]!))} / ${ms(median(at[2]!))}`);
    report(`store: POST → 202, presses 191–${190 + rounds} vs a fresh store, median of ${rounds} paired ratios`, `${median(busy).toFixed(2)}×`, '≤ 1.2×', median(busy) <= 1.2);
    report(`store: POST → 202, five-year folder vs a fresh store, median of ${rounds} paired ratios`, `${median(fiveYear).toFixed(2)}×`, '≤ 1.2×', median(fiveYear) <= 1.2);
    report('store: resident memory idle, five-year folder', `${bigIdle.toFixed(0)} MB`, '≤ 100 MB', bigIdle <= 100);
    const t1 = performance.now();
    const ledger = (await (await fetch(`${c.url}/api/series/remiss/ledger`)).json()) as { total: number };
    const ledgerMs = performance.now() - t1;
    const t2 = performance.now();
    await fetch(`${c.url}/etiketter/nummer`);
    const pageMs = performance.now() - t2;
    report('store: reads over the archive (five years): ledger API / ledger page', `${ms(ledgerMs)} (${ledger.total} numbers) / ${ms(pageMs)}`);
    report('store: resident memory after those reads', `${rss(c.pid).toFixed(0)} MB`);
  } finally {
    for (const x of stations) await x.kill();
  }
}

/** A data folder that looks like five years of heavy use; also its cold start, median of 3. */
async function fiveYearFolder(report: Report): Promise<{ cfg: Record<string, unknown> }> {
  const big = tempDir('reservkit-bench-store5y-');
  const cfg = benchConfig(big);
  const series = parseConfig(cfg).series;
  const now = new Date();
  const t0 = performance.now();
  // The live store first (with the numbers the history used), then the history into the archive.
  const liveStart = new Date(now.getTime() - 30 * DAY);
  const next = await fiveYears(big, series, liveStart);
  const data = emptyData();
  for (const sr of series) data.series[sr.id] = { next: next[sr.id]!, blockFirst: sr.first };
  writeFileSync(path.join(big, 'store.json'), JSON.stringify(data));
  let clock = liveStart;
  const store = await Store.open(big, { series, now: () => clock, log: () => {} });
  for (let d = 0; d < 45; d++) {
    clock = new Date(liveStart.getTime() + (d * 2 * DAY) / 3);
    const id = `b-live${d}`;
    const at = clock.toISOString();
    const js: Job[] = Array.from({ length: 11 }, (_, i) => ({
      id: `${id}-j${i}`, batchId: id, documentId: `dok-${i}`, title: `Dokument ${i}`, copies: 1, printerId: 'a4', state: 'pending',
      reasons: [], message: '', spoolFile: `${id}-${i}.pdf`, pages: 2, sides: 'one-sided', attempts: 0, createdAt: at, updatedAt: at,
    }));
    await store.allocateSerials(series[0]!, 5, { batchId: id });
    await store.addBatch({ id, kind: 'kit', title: 'Systemuppgradering', kitId: KIT, jobIds: js.map((j) => j.id), serials: {}, createdAt: at, requestId: `req-${id}` }, js);
    await Promise.all(js.map((j) => store.setJobState(j.id, { state: 'completed', reasons: ['+job-completed-successfully'] })));
  }
  await store.close();
  const archived = folderSize(path.join(big, 'archive'));
  report('store: five-year folder built (archive / store.json)', `${(archived / 1024 / 1024).toFixed(1)} MB / ${kib(statSync(path.join(big, 'store.json')).size)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await start(cfg);
    starts.push(r.startMs);
    await r.s.kill();
  }
  const m = median(starts);
  report('store: cold start → first 200 on /healthz with the five-year folder, median of 3', ms(m), '≤ 1000 ms', m <= 1000);
  return { cfg };
}
