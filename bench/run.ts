// Benchmarks, printed as figures (goals are checked here, not in timed tests). Everything runs
// against a local ippeveprinter on 127.0.0.1 and station processes on 127.0.0.1.
//   npm run bench            all
//   npm run bench -- kit     only the kit figures (also: start, memory, labels, store;
//                            memory also runs bench/memory.ts, 50 mixed rounds)
// The kit is compared with a peer, ipptool (CUPS' reference IPP client), sending the same PDFs.
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { parseConfig } from '../src/config.js';
import { createStation } from '../src/station.js';
import { IppBackend } from '../src/printing/ipp-backend.js';
import type { SubmitRequest } from '../src/printing/backend.js';
import type { StoreEvent } from '../src/store/store.js';
import { startPrinter, stopAll, type TestPrinter } from '../test/helpers/ippeveprinter.js';
import { startStationProcess, stationConfig, waitFor } from '../test/helpers/station-process.js';
import { tempDir } from '../test/helpers/config.js';
import { benchLabels } from './labels.js';
import { benchStore } from './store.js';
import { benchMemory } from './memory.js';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const results: Array<{ name: string; value: string; goal: string; ok: boolean | null }> = [];

function report(name: string, value: string, goal = '', ok: boolean | null = null): void {
  results.push({ name, value, goal, ok });
  console.log(`${ok === null ? '  ' : ok ? 'OK' : '!!'} ${name}: ${value}${goal ? `  (goal ${goal})` : ''}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

interface PeerJob {
  file: string;
  copies: number;
  media?: string;
  sides?: SubmitRequest['sides'];
}

/**
 * An ipptool test file for one job as the station sends it: Print-Job with the same copies, media
 * and sides (only values the printer lists, as the station sends them). ipptool's own repeat on
 * busy (REPEAT-MATCH) waits seconds, and with DELAY it reuses a connection ippeveprinter has given
 * up on (a 60 s stall): so each try is a fresh ipptool run, retried 5 ms after a busy answer.
 */
function ipptoolFile(j: PeerJob, i: number, caps: { media: string[]; sides: string[] }): string {
  const job = [
    j.copies > 1 ? `\tATTR integer copies ${j.copies}` : '',
    j.media && caps.media.includes(j.media) ? `\tATTR keyword media ${j.media}` : '',
    j.sides && caps.sides.includes(j.sides) ? `\tATTR keyword sides ${j.sides}` : '',
  ].filter(Boolean);
  return `{
\tNAME "job ${i + 1}"
\tOPERATION Print-Job
\tGROUP operation-attributes-tag
\tATTR charset attributes-charset utf-8
\tATTR language attributes-natural-language en
\tATTR uri printer-uri $uri
\tATTR name requesting-user-name reservkit
\tATTR name job-name "peer-${i + 1}"
\tATTR mimeMediaType document-format application/pdf
${job.length ? `\tGROUP job-attributes-tag\n${job.join('\n')}\n` : ''}\tFILE ${j.file}
\tSTATUS successful-ok
\tEXPECT job-id
}
`;
}

/** When the printer had every job of a round: the newest spooled file's mtime (the same clock for every client). */
function lastSpooled(printer: TestPrinter, before: ReadonlySet<string>): Promise<number> {
  return printer.received().then((files) => Math.max(...files.filter((f) => !before.has(f)).map((f) => statSync(f).mtimeMs)));
}

/**
 * The upgrade kit through an in-process station (HTTP on 127.0.0.1) against the peer, ipptool,
 * sending the same PDFs with the same attributes; paired rounds in alternating order, with an
 * instant printer and with one that takes 0.25 s per job. Acceptance is read at the printer in the
 * same way for both: the spooled files' times.
 */
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
  const caps = await new IppBackend(printer.uri).getStatus();
  const rounds = 11;
  let jobsPerKit = 0;
  try {
    // the first press after start renders every form (nothing cached yet); the rest reuse blank forms
    const cold = await runStationKit();
    report('first press after start: POST → first job accepted / every job accepted', `${ms(cold.first)} / ${ms(cold.all)}`, '≤ 1000 ms (first)', cold.first <= 1000);
    let jobs = cold.jobs;
    for (const [label, mode] of [['instant printer', 'ok'], ['printer taking 0.25 s per job', { sleep: 0.25 }]] as const) {
      await printer.setMode(mode);
      const ratios: number[] = [];
      const stationAll: number[] = [];
      const peerAll: number[] = [];
      const firsts: number[] = [];
      const stalls: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternate who goes first, so neither always meets the machine in the same state.
        let st!: Awaited<ReturnType<typeof runStationKit>>;
        let peer!: number;
        if (r % 2 === 0) {
          st = await runStationKit();
          peer = await runIpptool(st.jobs);
        } else {
          peer = await runIpptool(jobs);
          st = await runStationKit();
        }
        jobs = st.jobs;
        ratios.push(st.all / peer);
        stationAll.push(st.all);
        peerAll.push(peer);
        firsts.push(st.first);
        stalls.push(st.stall);
      }
      const paired = median(ratios);
      report(`${label}: kit "${kitId}" (${jobsPerKit} jobs), POST → every job at the printer, median of ${rounds}`, ms(median(stationAll)));
      report(`${label}: ipptool, same PDFs and attributes, busy retried every 5 ms, median of ${rounds}`, ms(median(peerAll)));
      report(`${label}: station / ipptool, median of the ${rounds} paired ratios`, paired.toFixed(2), label.startsWith('printer') ? '≤ 1.0' : '', label.startsWith('printer') ? paired <= 1.0 : null);
      report(`${label}: POST → first job accepted (warm), median`, ms(median(firsts)), '≤ 50 ms', median(firsts) <= 50);
      report(`${label}: longest event-loop stall during a kit, max of ${rounds}`, ms(Math.max(...stalls)), '< 50 ms', Math.max(...stalls) < 50);
    }
    await printer.setMode('ok');
  } finally {
    await station.stop();
  }

  async function runStationKit(): Promise<{ first: number; all: number; stall: number; jobs: PeerJob[] }> {
    const before = new Set(await printer.received());
    // When the station recorded each acceptance (the printer's answer to Print-Job), for "first".
    const accepted = new Map<string, number>();
    const listener = (e: StoreEvent) => {
      if (e.type === 'job' && e.job.printerJobId !== undefined && !accepted.has(e.job.id)) accepted.set(e.job.id, performance.now());
    };
    station.store.events.on('event', listener);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const wall0 = Date.now();
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/kits/${kitId}/print`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirmRepeat: true }),
    });
    const body = (await res.json()) as { batchId: string };
    const batch = station.store.getBatch(body.batchId)!;
    await waitFor(() => (station.store.jobsOf(batch).every((j) => accepted.has(j.id)) ? true : undefined), 60_000, 'kit accepted');
    loop.disable();
    station.store.events.off('event', listener);
    const jobs = station.store.jobsOf(batch);
    jobsPerKit = jobs.length;
    const first = Math.min(...jobs.map((j) => accepted.get(j.id)! - t0));
    const all = (await lastSpooled(printer, before)) - wall0;
    // let the printer finish before the next measurement
    await waitFor(() => (station.store.jobsOf(batch).every((j) => j.state === 'completed') ? true : undefined), 120_000, 'kit completed');
    return {
      first,
      all,
      stall: loop.max / 1e6,
      jobs: jobs.map((j) => ({ file: path.join(config.dataDir, 'spool', j.spoolFile), copies: j.copies, media: j.media, sides: j.sides })),
    };
  }

  function runOnce(testFile: string): Promise<boolean> {
    return new Promise((resolve) => execFile('ipptool', ['-q', '-L', printer.uri, testFile], (err) => resolve(!err)));
  }

  /** ipptool sends the same jobs; returns start → the last one spooled at the printer. */
  async function runIpptool(jobs: readonly PeerJob[]): Promise<number> {
    const dir = tempDir('reservkit-bench-ipptool-');
    // The PDFs copied aside: the station's spool may drop them meanwhile.
    const copies = jobs.map((j, i) => {
      const f = path.join(dir, `${i}.pdf`);
      copyFileSync(j.file, f);
      return { ...j, file: f };
    });
    const files = copies.map((j, i) => {
      const f = path.join(dir, `${i}.test`);
      writeFileSync(f, ipptoolFile(j, i, { media: caps.mediaSupported, sides: caps.sidesSupported }));
      return f;
    });
    const before = new Set(await printer.received());
    const wall0 = Date.now();
    for (const f of files) {
      const end = Date.now() + 60_000;
      // A failed run here is the printer's busy answer (it takes one job at a time): again in 5 ms.
      while (!(await runOnce(f))) {
        if (Date.now() > end) throw new Error(`ipptool: ${f} not accepted within 60 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const all = (await lastSpooled(printer, before)) - wall0;
    const received = (await printer.received()).filter((f) => !before.has(f));
    if (received.length !== jobs.length) throw new Error(`ipptool: the printer got ${received.length} of ${jobs.length} jobs`);
    // let the printer finish before the next measurement
    await waitFor(async () => ((await printer.started()).length >= (await printer.received()).length ? true : undefined), 120_000, 'ipptool jobs started');
    await new Promise((r) => setTimeout(r, 300));
    return all;
  }
}

/**
 * Cold start of the real process (compiled, as `npm start` runs it) to the first 200 on /healthz,
 * and its resident memory.
 */
async function benchProcess(printer: TestPrinter): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const starts: number[] = [];
  // One data folder for the three starts: the first is a fresh install (the start-up fit check
  // renders every form), the others restarts (the check's stamp matches; no form is rendered).
  const config = stationConfig([{ id: 'a4', name: 'Bench A4', uri: printer.uri, roles: ['a4', 'labels-sheet'] }]);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const s = await startStationProcess(config, {}, { built: true });
    await waitFor(async () => ((await fetch(`${s.url}/healthz`)).status === 200 ? true : undefined), 10_000);
    starts.push(performance.now() - t0);
    if (i === 0 && want('memory')) {
      await new Promise((r) => setTimeout(r, 2000));
      report('resident memory idle, first start (fit check rendered every form)', `${rss(s.pid).toFixed(0)} MB`);
    }
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
    report('resident memory idle, restart', `${idle.toFixed(0)} MB`, '≤ 100 MB', idle <= 100);
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
    if (want('memory')) await benchMemory(report);
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
