// Power cut at any moment: the station process is SIGKILLed while kits print, again and again.
// Each kill is timed from the moment the press was acknowledged (202), not from wall time, so the
// test exercises the same moments on a slow machine as on a fast one: most kills land while the
// acknowledged kit is being rendered and sent, some while a press is still being answered. At the
// end every acknowledged kit is there, every document printed exactly once (none lost, none twice),
// and no number was issued twice. No speed floors: a slow machine only makes the test take longer.
// Runs under CPU load too (RESERVKIT_TEST_LOAD=4).
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import path from 'node:path';
import { startPrinter, stopAll } from '../helpers/ippeveprinter.js';
import { startStationProcess, stationConfig, waitFor, type StationProcess } from '../helpers/station-process.js';
import { cpuLoadFromEnv, type CpuLoad } from '../helpers/cpu-load.js';
import { Store } from '../../src/store/store.js';

let current: StationProcess | undefined;
let load: CpuLoad | undefined;
beforeAll(() => {
  load = cpuLoadFromEnv();
});
afterAll(async () => {
  await current?.kill('SIGKILL');
  await stopAll();
  await load?.stop();
});

interface JobV { id: string; batchId: string; state: string; title: string; reasons: string[] }

const MIN_ACKED = 30;
const MIN_KILLS = 30;

describe('crash safety', () => {
  it(`SIGKILL timed from each acknowledgement, ≥ ${MIN_KILLS} times: nothing acknowledged lost, nothing printed twice, no number twice`, async () => {
    const printer = await startPrinter();
    const config = stationConfig([{ id: 'a4', name: 'Expeditionen', uri: printer.uri, roles: ['a4'], timeoutMs: 2000 }], {
      retry: { intervalSeconds: 0.1, maxIntervalSeconds: 0.5, limit: 1000, pollSeconds: 0.05 },
      repeatConfirmSeconds: 0,
    });
    const kits = ['it-attack', 'systemuppgradering', 'oplanerad-driftstorning', 'planerad-nedslackning'];
    const acknowledged: string[] = [];
    // A fixed seed keeps a failure reproducible; the moments still vary across the run.
    let seed = 20261130;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let kills = 0;
    let beforeAck = 0;
    let lastAckMs = 200;
    const started = Date.now();
    for (let round = 0; (acknowledged.length < MIN_ACKED || kills < MIN_KILLS) && round < 80; round++) {
      current = await startStationProcess(config);
      const s = current;
      const pressed = Date.now();
      const ack = fetch(`${s.url}/api/kits/${kits[round % kits.length]}/print`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestId: `crash-round-${round}` }),
      }).then(
        async (r) => (r.status === 202 ? ((await r.json()) as { batchId: string }).batchId : undefined),
        () => undefined,
      );
      if (round % 5 === 4) {
        // Every fifth kill lands while the press is being answered: somewhere within the time the
        // last press took to be acknowledged (so it scales with the machine).
        await new Promise((r) => setTimeout(r, Math.floor(random() * lastAckMs)));
        const early = await Promise.race([ack, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
        if (early === 'pending') beforeAck++;
      } else {
        const batchId = await ack;
        expect(batchId, `round ${round}: the press was not acknowledged`).toBeDefined();
        lastAckMs = Math.max(20, Date.now() - pressed);
        // Then 0–600 ms after the acknowledgement: while the kit is being rendered and sent.
        await new Promise((r) => setTimeout(r, Math.floor(random() * 600)));
      }
      expect(await s.kill('SIGKILL')).toBe('SIGKILL');
      kills++;
      const batchId = await ack;
      if (batchId) acknowledged.push(batchId);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(MIN_ACKED);
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);

    current = await startStationProcess(config);
    const s = current;
    const jobs = await waitFor(async () => {
      const all = (await (await fetch(`${s.url}/api/jobs?limit=500`)).json()) as JobV[];
      return all.every((j) => ['completed', 'aborted', 'canceled'].includes(j.state)) ? all : undefined;
    }, 300_000, 'all jobs finished');

    // Nothing acknowledged lost: every acknowledged kit is there, and each of its documents printed.
    for (const b of acknowledged) expect((await fetch(`${s.url}/api/batches/${b}`)).status, `batch ${b} lost`).toBe(200);
    expect(jobs.filter((j) => j.state !== 'completed')).toEqual([]);
    const received = (await printer.received()).map((f) => path.basename(f));
    // Nothing printed twice.
    for (const j of jobs) {
      const copies = received.filter((f) => f.includes(j.id));
      expect(copies, `${j.title} (${j.id}) printed ${copies.length} times`).toHaveLength(1);
    }
    // Every received file belongs to a job the station knows.
    expect(received.length).toBe(jobs.length);
    const resumed = jobs.filter((j) => j.reasons.includes('station-resumed')).length;
    await s.kill('SIGKILL');

    // No number issued twice, and none on two batches.
    const store = await Store.open(String(config.dataDir));
    try {
      for (const series of ['remiss', 'kvitto']) {
        const ledger = store.ledgerOf(series);
        expect(new Set(ledger.map((e) => e.number)).size, `${series}: a number issued twice`).toBe(ledger.length);
      }
      const onBatches = store.jobs.batches().flatMap((b) => Object.values(b.serials).flat());
      expect(new Set(onBatches).size).toBe(onBatches.length);
      for (const b of acknowledged) expect(store.getBatch(b)).toBeDefined();
    } finally {
      await store.close();
    }
    console.log(
      `crash test: ${kills} kills (${beforeAck} before the answer) in ${((Date.now() - started) / 1000).toFixed(0)} s, ${acknowledged.length} presses acknowledged, ` +
        `${jobs.length} documents printed once each, ${resumed} found on the printer after a restart${load ? `, under a CPU load of ${load.processes}` : ''}`,
    );
  }, 900_000);
});
