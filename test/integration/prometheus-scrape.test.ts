// A real Prometheus (Debian's, on 127.0.0.1 with temp storage) scrapes a running station's metrics
// listener with the bearer token and the shipped alert rules loaded: the series arrive, every
// metric the rules and the dashboard name is one the station exports, and a drill that fails at
// the printer becomes a firing ReservkitScheduledRunFailed alert carrying the station's id.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startPrinter, stopAll, type TestPrinter } from '../helpers/ippeveprinter.js';
import { startStationProcess, stationConfig, waitFor, type StationProcess } from '../helpers/station-process.js';
import { tempDir } from '../helpers/config.js';
import { metricsUrlOf } from '../helpers/metrics-scrape.js';
import { findTool, skipWithout } from '../helpers/system-tools.js';
import { dashboardQueries } from '../helpers/deploy-files.js';

const skip = skipWithout('prometheus', 'prometheus');
const TOKEN = 'prometheus-scrape-token-1';
let printer: TestPrinter;
let station: StationProcess;
let prom: ChildProcess | undefined;
let promUrl = '';
let promLog = '';

beforeAll(async () => {
  if (skip) return;
  const dir = tempDir('reservkit-prom-');
  writeFileSync(path.join(dir, 'token'), TOKEN, { mode: 0o600 });
  printer = await startPrinter();
  station = await startStationProcess(
    stationConfig([{ id: 'a4', name: 'Expeditionen A4', uri: printer.uri, roles: ['a4', 'labels-sheet'] }], {
      stationId: 'vc-prom-01',
      metrics: { listen: '127.0.0.1:0', allow: ['127.0.0.1/32'], tokenFile: path.join(dir, 'token') },
      schedule: { drill: { cron: '' } },
    }),
  );
  const target = new URL(await metricsUrlOf(station)).host;
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(path.resolve('deploy/prometheus/reservkit-rules.yml'))}]`,
      'scrape_configs:',
      '  - job_name: reservkit',
      `    authorization: { type: Bearer, credentials_file: ${JSON.stringify(path.join(dir, 'token'))} }`,
      `    static_configs: [{ targets: [${JSON.stringify(target)}] }]`,
      '',
    ].join('\n'),
  );
  prom = spawn(
    findTool('prometheus')!,
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prom.stdout!.on('data', (d) => (promLog += d));
  prom.stderr!.on('data', (d) => (promLog += d));
  promUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => ((await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok ? true : undefined), 20_000, `prometheus ready\n${promLog}`);
}, 60_000);

afterAll(async () => {
  if (prom && prom.exitCode === null) {
    const exited = new Promise((r) => prom!.once('exit', r));
    prom.kill('SIGTERM');
    await exited;
  }
  await station?.kill();
  await stopAll();
});

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}
async function query(q: string): Promise<Vector[]> {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await r.json()) as { status: string; data: { result: Vector[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
  return body.data.result;
}
const untilSeries = (q: string, what = q) => waitFor(async () => ((await query(q)).length ? query(q) : undefined), 20_000, what);

describe.skipIf(skip)('a real Prometheus scraping a station', () => {
  it('scrapes with the token and the series arrive', async () => {
    const up = await untilSeries('up{job="reservkit"} == 1', `target up\n${promLog}`);
    expect(up).toHaveLength(1);
    const info = await untilSeries('reservkit_build_info');
    expect(info[0]!.metric).toMatchObject({ station: 'vc-prom-01', unit: 'Vårdcentral Exempel', routine_version: '1.0', job: 'reservkit' });
    expect(info[0]!.metric.config_sha256).toMatch(/^[0-9a-f]{64}$/);
    const remaining = await untilSeries('reservkit_series_remaining{series="remiss"}');
    expect(Number(remaining[0]!.value[1])).toBe(5000);
    const toner = await untilSeries('reservkit_printer_marker_level_ratio{type="toner"}');
    expect(Number(toner[0]!.value[1])).toBe(0.75);
  });

  it('the alert rules load, and every metric they and the dashboard name is one the station exports', async () => {
    const r = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> } };
    const loaded = r.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((x) => x.name).sort()).toEqual(
      ['ReservkitJobWaiting', 'ReservkitNoRecentDrill', 'ReservkitNumberBlockLow', 'ReservkitPrinterDown', 'ReservkitScheduledRunFailed', 'ReservkitStationDown'],
    );
    // wait until every rule has been evaluated once without error
    await waitFor(async () => {
      const v = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as typeof r;
      return v.data.groups.flatMap((g) => g.rules).every((x) => x.health === 'ok') ? true : undefined;
    }, 10_000, 'rules evaluated');
    const exported = new Set((await query('group by (__name__) ({job="reservkit"})')).map((v) => v.metric.__name__!));
    const named = new Set(
      [readFileSync('deploy/prometheus/reservkit-rules.yml', 'utf8'), ...dashboardQueries()].flatMap((t) => [...t.matchAll(/\breservkit_[a-z_]+/g)].map((m) => m[0])),
    );
    expect(named.size).toBeGreaterThanOrEqual(10);
    for (const n of named) expect(exported.has(n), `${n} is named in deploy/ but the station does not export it`).toBe(true);
  });

  it('a drill that fails at the printer fires ReservkitScheduledRunFailed with the station id', async () => {
    const api = (p: string, init: RequestInit = {}, cookie = '') =>
      fetch(`${station.url}${p}`, { ...init, headers: { origin: station.url, 'content-type': 'application/json', cookie } });
    const setup = await api('/api/admin/setup', { method: 'POST', body: JSON.stringify({ pin: '135790' }) });
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    await printer.setMode('error');
    expect((await api('/api/admin/drill', { method: 'POST', body: '{}' }, cookie)).status).toBe(202);
    const alert = await waitFor(async () => {
      const a = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as { data: { alerts: Array<{ labels: Record<string, string>; state: string }> } };
      return a.data.alerts.find((x) => x.labels.alertname === 'ReservkitScheduledRunFailed' && x.state === 'firing');
    }, 25_000, 'alert firing');
    expect(alert.labels).toMatchObject({ station: 'vc-prom-01', kind: 'drill', result: 'failed', severity: 'warning' });
  });
});
