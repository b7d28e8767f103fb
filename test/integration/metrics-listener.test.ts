// The metrics listener of a running station (config `metrics`), scraped over loopback: a client
// outside the allowlist (bound to 127.0.0.2) is refused, a client without the token is refused,
// with the token it scrapes; after a kit, a drill, a failed drill and with one printer down,
// every metric the region's alert rules use is present with the value the station's state implies;
// the calendar feed (a file) planned its upgrade at start.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startPrinter, stopAll, type TestPrinter } from '../helpers/ippeveprinter.js';
import { startStationProcess, stationConfig, waitFor, type StationProcess } from '../helpers/station-process.js';
import { tempDir } from '../helpers/config.js';
import { metricsUrlOf, parseSamples, sample, scrape } from '../helpers/metrics-scrape.js';
import { ics } from '../helpers/ics-server.js';

const TOKEN = 'c2VjcmV0LXNjcmFwZS10b2tlbg';
let printer: TestPrinter;
let station: StationProcess;
let metricsUrl = '';
let cookie = '';

beforeAll(async () => {
  printer = await startPrinter();
  const dir = tempDir('reservkit-metrics-');
  const tokenFile = path.join(dir, 'metrics.token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const deadPort = await freePort();
  // the region's calendar as a file the region pushes: one planned upgrade next year
  const feedFile = path.join(dir, 'pmo.ics');
  const y = new Date().getUTCFullYear() + 1;
  writeFileSync(feedFile, ics([{ uid: 'pmo-1@region.example', summary: 'PMO uppgradering', times: [`DTSTART;TZID=Europe/Stockholm:${y}0602T180000`, `DTEND;TZID=Europe/Stockholm:${y}0602T220000`] }]));
  station = await startStationProcess(
    stationConfig(
      [
        { id: 'a4', name: 'Expeditionen A4', uri: printer.uri, roles: ['a4', 'labels-sheet'] },
        { id: 'etikett', name: 'Etikettskrivaren', uri: `ipp://127.0.0.1:${deadPort}/ipp/print`, roles: ['labels-roll'], timeoutMs: 1000 },
      ],
      { stationId: 'vc-exempel-01', metrics: { listen: '127.0.0.1:0', allow: ['127.0.0.1/32', '::1/128'], tokenFile }, schedule: { drill: { cron: '' }, calendar: { source: feedFile } } },
    ),
  );
  metricsUrl = await metricsUrlOf(station);
}, 60_000);
afterAll(async () => {
  await station?.kill();
  await stopAll();
});

const api = (p: string, init: RequestInit = {}) =>
  fetch(`${station.url}${p}`, { ...init, headers: { origin: station.url, 'content-type': 'application/json', cookie, ...(init.headers as Record<string, string>) } });

async function drill(): Promise<{ id: string; result: string }> {
  const r = await api('/api/admin/drill', { method: 'POST', body: '{}' });
  expect(r.status).toBe(202);
  const run = (await r.json()) as { id: string };
  return waitFor(async () => {
    const s = (await (await api('/api/schedule')).json()) as { past: Array<{ id: string; result: string }> };
    const v = s.past.find((x) => x.id === run.id);
    return v && v.result !== 'printing' && v.result !== 'running' ? v : undefined;
  }, 60_000, 'drill finished');
}

describe('metrics listener', () => {
  it('serves only loopback here: a client at 127.0.0.2 (outside the allowlist) gets 403, whatever it sends', async () => {
    const r = await scrape(`${metricsUrl}/metrics`, { localAddress: '127.0.0.2', token: TOKEN });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/Åtkomst nekad/);
    expect(r.body).not.toMatch(/reservkit_/);
    expect((await scrape(`${metricsUrl}/healthz`, { localAddress: '127.0.0.2' })).status).toBe(403);
  });

  it('an allowed address without the token, or with a wrong one, gets 401', async () => {
    const none = await scrape(`${metricsUrl}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await scrape(`${metricsUrl}/metrics`, { token: `${TOKEN}x` })).status).toBe(401);
  });

  it('with the token it serves /metrics and /healthz, and nothing else of the station', async () => {
    const r = await scrape(`${metricsUrl}/metrics`, { token: TOKEN });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const h = await scrape(`${metricsUrl}/healthz`, { token: TOKEN });
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body)).toMatchObject({ status: 'ok', unit: 'Vårdcentral Exempel' });
    for (const p of ['/', '/api/kits', '/admin', '/api/printers']) expect((await scrape(`${metricsUrl}${p}`, { token: TOKEN })).status, p).toBe(404);
    expect((await scrape(`${metricsUrl}/metrics`, { token: TOKEN, method: 'POST' })).status).toBe(405);
  });

  it('after a kit, a drill and a failed drill every metric is there with a sensible value', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 1;
    // a kit, printed to the end
    const press = await api('/api/kits/it-attack/print', { method: 'POST', body: '{}' });
    expect(press.status).toBe(202);
    const { batchId } = (await press.json()) as { batchId: string };
    await waitFor(async () => ((await (await api(`/api/batches/${batchId}`)).json()).state === 'completed' ? true : undefined), 60_000, 'kit printed');
    // the admin, a drill that prints, then one that fails at the printer
    const setup = await api('/api/admin/setup', { method: 'POST', body: JSON.stringify({ pin: '246813' }) });
    expect(setup.status).toBe(201);
    cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    expect((await drill()).result).toBe('completed');
    await printer.setMode('error');
    expect((await drill()).result).toBe('failed');
    await printer.setMode('ok');
    // the dead label printer has been asked at least once
    await waitFor(async () => ((await (await api('/api/printers')).json()) as Array<{ id: string; reachable: boolean | null }>).find((p) => p.id === 'etikett')?.reachable === false || undefined);

    const r = await scrape(`${metricsUrl}/metrics`, { token: TOKEN });
    expect(r.status).toBe(200);
    const text = r.body;
    const s = parseSamples(text);
    const now = Math.floor(Date.now() / 1000) + 1;

    // every family has HELP and TYPE, once, before its samples
    const families = [...new Set(s.map((x) => x.name))];
    for (const f of families) {
      expect(text.match(new RegExp(`^# HELP ${f} \\S`, 'gm')), f).toHaveLength(1);
      expect(text.match(new RegExp(`^# TYPE ${f} (gauge|counter)$`, 'gm')), f).toHaveLength(1);
    }

    const config = readFileSync(station.configPath);
    const info = sample(s, 'reservkit_build_info');
    expect(info.value).toBe(1);
    expect(info.labels).toEqual({
      version: JSON.parse(readFileSync('package.json', 'utf8')).version,
      routine_version: '1.0',
      config_sha256: createHash('sha256').update(config).digest('hex'),
      station: 'vc-exempel-01',
      unit: 'Vårdcentral Exempel',
    });

    // printers: the A4 printer up and idle with its toner levels, the label printer down and why
    expect(sample(s, 'reservkit_printer_reachable', { printer: 'a4' }).value).toBe(1);
    expect(sample(s, 'reservkit_printer_reachable', { printer: 'etikett' }).value).toBe(0);
    expect(sample(s, 'reservkit_printer_state', { printer: 'etikett', state: 'unknown' }).value).toBe(1);
    expect(sample(s, 'reservkit_printer_reason', { printer: 'etikett', reason: 'station-unreachable' }).value).toBe(1);
    expect(s.filter((x) => x.name === 'reservkit_printer_state' && x.labels.printer === 'a4' && x.value === 1)).toHaveLength(1);
    expect(sample(s, 'reservkit_printer_accepts_pdf', { printer: 'a4' }).value).toBe(1);
    // ippeveprinter reports printer-supply: toner 75 %, waste toner 25 %
    expect(sample(s, 'reservkit_printer_marker_level_ratio', { printer: 'a4', type: 'toner' }).value).toBe(0.75);
    expect(sample(s, 'reservkit_printer_marker_level_ratio', { printer: 'a4', type: 'waste-toner' }).value).toBe(0.25);
    expect(s.some((x) => x.name === 'reservkit_printer_marker_level_ratio' && x.labels.printer === 'etikett')).toBe(false);

    // number blocks: the kit drew no numbers from remiss, so next is first
    expect(sample(s, 'reservkit_series_first', { series: 'remiss' }).value).toBe(900000);
    expect(sample(s, 'reservkit_series_last', { series: 'remiss' }).value).toBe(904999);
    const next = sample(s, 'reservkit_series_next', { series: 'remiss' }).value;
    expect(next).toBeGreaterThanOrEqual(900000);
    expect(sample(s, 'reservkit_series_remaining', { series: 'remiss' }).value).toBe(904999 - next + 1);
    expect(sample(s, 'reservkit_series_low', { series: 'remiss' }).value).toBe(0);

    // last kit and last drill: now-ish Unix times
    for (const name of ['reservkit_last_kit_success_timestamp_seconds', 'reservkit_last_drill_success_timestamp_seconds']) {
      const v = sample(s, name).value;
      expect(v, name).toBeGreaterThanOrEqual(t0);
      expect(v, name).toBeLessThanOrEqual(now);
    }
    // runs by result: one drill ok, one failed (and unacknowledged), nothing missed
    expect(sample(s, 'reservkit_schedule_runs', { kind: 'drill', result: 'ok' }).value).toBe(1);
    expect(sample(s, 'reservkit_schedule_runs', { kind: 'drill', result: 'failed' }).value).toBe(1);
    expect(sample(s, 'reservkit_schedule_runs', { kind: 'upgrade', result: 'missed' }).value).toBe(0);
    expect(sample(s, 'reservkit_schedule_runs_unacknowledged', { kind: 'drill', result: 'failed' }).value).toBe(1);

    // jobs: the kit's and the first drill's completed, the failed drill's aborted, nothing waiting
    expect(sample(s, 'reservkit_jobs', { state: 'completed' }).value).toBeGreaterThanOrEqual(2);
    expect(sample(s, 'reservkit_jobs', { state: 'aborted' }).value).toBe(1);
    expect(sample(s, 'reservkit_oldest_unfinished_job_age_seconds').value).toBe(0);
    expect(sample(s, 'reservkit_start_time_seconds').value).toBeLessThanOrEqual(now);

    // the calendar feed was read at start: its upgrade is planned, marked as the feed's
    expect(sample(s, 'reservkit_calendar_feed_ok').value).toBe(1);
    expect(sample(s, 'reservkit_calendar_last_success_timestamp_seconds').value).toBeGreaterThanOrEqual(t0 - 120);
    const sched = (await (await api('/api/schedule')).json()) as { upgrades: Array<{ feed?: { uid: string }; createdBy: string; run: { result: string } | null }>; calendar: { error: string | null; events: number } };
    expect(sched.calendar).toMatchObject({ error: null, events: 1 });
    expect(sched.upgrades).toEqual([expect.objectContaining({ feed: expect.objectContaining({ uid: 'pmo-1@region.example' }), createdBy: 'kalender', run: expect.objectContaining({ result: 'scheduled' }) })]);
  });

  it('a job that cannot be sent shows as the age of the oldest unfinished job', async () => {
    await printer.kill();
    // another kit than before (a second press of the same kit within seconds asks "print again?")
    const press = await api('/api/kits/oplanerad-driftstorning/print', { method: 'POST', body: '{}' });
    expect(press.status).toBe(202);
    const age = await waitFor(async () => {
      const s = parseSamples((await scrape(`${metricsUrl}/metrics`, { token: TOKEN })).body);
      const v = sample(s, 'reservkit_oldest_unfinished_job_age_seconds').value;
      return v >= 2 ? v : undefined;
    }, 20_000, 'a job waiting 2 s');
    expect(age).toBeLessThan(60);
  });
});
