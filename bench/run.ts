// Benchmarks, printed as figures (goals are checked here, not in timed tests). Everything runs
// against a local ippeveprinter on 127.0.0.1 and station processes on 127.0.0.1.
//   npm run bench            all
//   npm run bench -- kit     only the kit figures (also: start, memory, labels, store)
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseConfig } from '../src/config.js';
import { createStation } from '../src/station.js';
import { IppBackend } from '../src/printing/ipp-backend.js';
import { PrintError, type SubmitRequest } from '../src/printing/backend.js';
import type { StoreEvent } from '../src/store/store.js';
import { startPrinter, stopAll, type TestPrinter } from '../test/helpers/ippeveprinter.js';
import { startStationProcess, stationConfig, waitFor } from '../test/helpers/station-process.js';
import { tempDir } from '../test/helpers/config.js';
import { benchLabels } from './labels.js';
import { benchStore } from './store.js';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const results: Array<{ name: string; value: string; goal: string; ok: boolean | null }> = [];

function report(name: string, value: string, goal = '', ok: boolean | null = null): void {
  results.push({ name, value, goal, ok });
  console.log(`${ok === null ? '  ' : ok ? 'OK' : '!!'} ${name}: ${value}${goal ? `  (goal ${goal})` : ''}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

interface BareJob {
  file: string;
  copies: number;
  media?: string;
  sides?: SubmitRequest['sides'];
}

/** The upgrade kit through an in-process station (HTTP on 127.0.0.1), against a bare IPP client sending the same PDFs. */
async function benchKit(printer: TestPrinter): Promise<void> {
  const config = parseConfig(
    stationConfig([{ id: 'a4', name: 'Bench A4', uri: printer.uri, roles: ['a4', 'labels-sheet'] }], {
      dataDir: tempDir('reservkit-bench-'),
      retry: { intervalSeconds: 0.5, maxIntervalSeconds: 5, limit: 50, pollSeconds: 0.25 },
    }),
  );
  const station = await createStation(config, { log: () => {} });
  const port = await station.listen();
  const kitId = [...station.catalog.kits.keys()][0]!;
  const rounds = 15;
  const firstAccepted: number[] = [];
  const allAccepted: number[] = [];
  const bare: number[] = [];
  let jobsPerKit = 0;
  try {
    // the first press after start renders every form (nothing cached yet); the rest reuse blank forms
    const cold = await runStationKit();
    report('first press after start (cold cache): POST → first job accepted / every job accepted', `${ms(cold.first)} / ${ms(cold.all)}`);
    for (let r = 0; r < rounds; r++) {
      const s = await runStationKit();
      firstAccepted.push(s.first);
      allAccepted.push(s.all);
      bare.push(await runBare(s.jobs));
    }
  } finally {
    await station.stop();
  }
  // Each round runs the station and then the bare client on the same PDFs, back to back: the ratio
  // of each pair is what the goal is about (this machine's speed drifts between rounds, and a pair
  // sees the same drift); the ratio of the two medians is shown beside it.
  const paired = median(allAccepted.map((a, i) => a / bare[i]!));
  report(`kit "${kitId}" (${jobsPerKit} jobs): POST → every job accepted, median of ${rounds}`, ms(median(allAccepted)));
  report(`bare IPP client, same PDFs, median of ${rounds}`, ms(median(bare)));
  report('station / bare, ratio of the medians', (median(allAccepted) / median(bare)).toFixed(2));
  report('station / bare, median of the paired ratios', paired.toFixed(2), '≤ 1.2', paired <= 1.2);
  report('POST → first job accepted, median', ms(median(firstAccepted)), '≤ 50 ms', median(firstAccepted) <= 50);

  async function runStationKit(): Promise<{ first: number; all: number; jobs: BareJob[] }> {
    // Acceptance times of every job (a referral's label job is added to the batch while it renders).
    const accepted = new Map<string, number>();
    const listener = (e: StoreEvent) => {
      if (e.type === 'job' && e.job.printerJobId !== undefined && !accepted.has(e.job.id)) accepted.set(e.job.id, performance.now());
    };
    station.store.events.on('event', listener);
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/kits/${kitId}/print`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirmRepeat: true }),
    });
    const body = (await res.json()) as { batchId: string };
    const batch = station.store.getBatch(body.batchId)!;
    await waitFor(() => (station.store.jobsOf(batch).every((j) => accepted.has(j.id)) ? true : undefined), 60_000, 'kit accepted');
    station.store.events.off('event', listener);
    const jobs = station.store.jobsOf(batch);
    jobsPerKit = jobs.length;
    const times = jobs.map((j) => accepted.get(j.id)! - t0);
    // let the printer finish before the next measurement
    await waitFor(() => (station.store.jobsOf(batch).every((j) => j.state === 'completed') ? true : undefined), 60_000, 'kit completed');
    return {
      first: Math.min(...times),
      all: Math.max(...times),
      jobs: jobs.map((j) => ({ file: path.join(config.dataDir, 'spool', j.spoolFile), copies: j.copies, media: j.media, sides: j.sides })),
    };
  }

  /** The same jobs as the station's: the same PDFs with the same copies, media and sides. */
  async function runBare(jobs: BareJob[]): Promise<number> {
    const backend = new IppBackend(printer.uri, { timeoutMs: 10_000 });
    const pdfs = jobs.map((j) => ({ ...j, pdf: readFileSync(j.file) }));
    await backend.getStatus();
    const t0 = performance.now();
    const ids: number[] = [];
    for (const [i, j] of pdfs.entries()) {
      for (;;) {
        try {
          ids.push((await backend.submit({ jobName: `bare-${i}`, pdf: j.pdf, copies: j.copies, media: j.media, sides: j.sides })).printerJobId);
          break;
        } catch (e) {
          if (!(e instanceof PrintError && e.kind === 'busy')) throw e;
          // A good bare client retries a busy printer at once (5 ms): the baseline is the best case.
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    }
    const t = performance.now() - t0;
    for (const id of ids) await waitFor(async () => ((await backend.getJob(id)).state === 'completed' ? true : undefined), 60_000);
    return t;
  }
}

/**
 * Cold start of the real process (compiled, as `npm start` runs it) to the first 200 on /healthz,
 * and its resident memory.
 */
async function benchProcess(printer: TestPrinter): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const s = await startStationProcess(stationConfig([{ id: 'a4', name: 'Bench A4', uri: printer.uri, roles: ['a4', 'labels-sheet'] }]), {}, { built: true });
    await waitFor(async () => ((await fetch(`${s.url}/healthz`)).status === 200 ? true : undefined), 10_000);
    starts.push(performance.now() - t0);
    if (i < 2 || !want('memory')) {
      await s.kill();
      continue;
    }
    await new Promise((r) => setTimeout(r, 2000));
    const idle = rss(s.pid);
    const res = (await (await fetch(`${s.url}/api/kits/systemuppgradering/print`, { method: 'POST' })).json()) as { batchId: string };
    await waitFor(async () => {
      const b = (await (await fetch(`${s.url}/api/batches/${res.batchId}`)).json()) as { state: string };
      return b.state === 'printing' ? undefined : b;
    }, 60_000);
    const after = rss(s.pid);
    await s.kill();
    report('resident memory idle', `${idle.toFixed(0)} MB`, '≤ 120 MB', idle <= 120);
    report('resident memory after a kit', `${after.toFixed(0)} MB`);
  }
  const m = median(starts);
  report('cold start → first 200 on /healthz (node dist/main.js), median of 3', ms(m), '≤ 1000 ms', m <= 1000);
}

function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  const printer = await startPrinter({ twoSided: true });
  try {
    console.log(`reservkit benchmarks, ${new Date().toISOString()}, node ${process.version}, printer ${printer.uri}`);
    if (want('kit')) await benchKit(printer);
    if (want('start') || want('memory')) await benchProcess(printer);
    if (want('labels')) await benchLabels(report);
    if (want('store')) await benchStore(report);
  } finally {
    await stopAll();
  }
  const failed = results.filter((r) => r.ok === false);
  console.log(failed.length ? `\n${failed.length} goal(s) missed` : '\nall goals met');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
