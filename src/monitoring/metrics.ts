// /metrics in the Prometheus text format (version 0.0.4), so the region's existing Prometheus sees
// every station's printers, queue, number blocks and readiness without anything new to run.
// Names follow Prometheus' conventions: base units (seconds, ratios), _timestamp_seconds for Unix
// times, an _info metric carrying the station's identity. Other series carry only their own labels
// (printer, series, state …): Prometheus adds the target's, and rules or dashboards join
// reservkit_build_info for the station and unit names.
import type { StationConfig } from '../config.js';
import type { Store } from '../store/store.js';
import type { PrinterMonitor } from '../printing/printer-monitor.js';
import type { Scheduler } from '../schedule/scheduler.js';
import { jobStates } from '../domain/job.js';
import type { BuildInfo } from './build-info.js';
import { lastCompleteKit } from '../services/station-prints.js';

export interface MetricsDeps {
  config: StationConfig;
  store: Store;
  monitor: Pick<PrinterMonitor, 'all'>;
  startedAt: Date;
  build: BuildInfo;
  /** Absent in tests of other parts: the schedule's metrics are then left out. */
  scheduler?: Pick<Scheduler, 'pastRunViews' | 'calendarState'> | undefined;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Row = [Record<string, string>, number];

const escLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const seconds = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);

/** Scheduled runs' results as the alert rules name them; other results (planned, printing, canceled) are not counted. */
const runResultLabel: Partial<Record<string, 'ok' | 'failed' | 'missed'>> = { completed: 'ok', failed: 'failed', missed: 'missed' };

export function renderMetrics(deps: MetricsDeps): string {
  const { config, store, monitor, build } = deps;
  const out: string[] = [];
  const metric = (name: string, help: string, type: 'gauge' | 'counter', rows: Row[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of rows) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${escLabel(v)}"`)
        .join(',');
      out.push(`${name}${l ? `{${l}}` : ''} ${Number.isFinite(value) ? value : 'NaN'}`);
    }
  };
  const now = Date.parse(store.nowIso());

  metric('reservkit_build_info', 'The station: build version, routine version, sha256 of its config file, station id and unit (always 1).', 'gauge', [
    [{ version: build.version, routine_version: build.routineVersion, config_sha256: build.configSha256, station: build.station, unit: build.unit }, 1],
  ]);
  metric('reservkit_up', 'The station is running (always 1; a scrape that fails is the station down).', 'gauge', [[{}, 1]]);
  metric('reservkit_start_time_seconds', 'When the station process started (Unix time).', 'gauge', [[{}, Math.floor(deps.startedAt.getTime() / 1000)]]);

  // ---- printers
  const printers = monitor.all();
  metric('reservkit_printer_reachable', 'The printer answered its last status request (1) or not (0).', 'gauge', printers.map((p) => [{ printer: p.id }, p.reachable ? 1 : 0]));
  metric(
    'reservkit_printer_accepts_pdf',
    'The printer lists application/pdf (1), does not (0), or has not answered yet (-1).',
    'gauge',
    printers.map((p) => [{ printer: p.id }, p.acceptsPdf === null ? -1 : p.acceptsPdf ? 1 : 0]),
  );
  metric(
    'reservkit_printer_state',
    'The IPP printer-state (1 for the current one; unknown: not answering).',
    'gauge',
    printers.flatMap((p) => (['idle', 'processing', 'stopped', 'unknown'] as const).map((s): Row => [{ printer: p.id, state: s }, p.state === s ? 1 : 0])),
  );
  metric(
    'reservkit_printer_reason',
    'A printer-state-reasons keyword the printer reports now (station-* are the station\'s own, e.g. station-unreachable).',
    'gauge',
    printers.flatMap((p) => p.reasons.map((r): Row => [{ printer: p.id, reason: r }, 1])),
  );
  metric(
    'reservkit_printer_marker_level_ratio',
    'Toner/ink level (0–1) where the printer reports it (marker-levels or printer-supply); unknown levels are left out.',
    'gauge',
    printers.flatMap((p) => p.markers.filter((m) => m.level >= 0).map((m): Row => [{ printer: p.id, marker: m.name, type: m.type }, Math.min(100, m.level) / 100])),
  );

  // ---- number blocks
  const series = config.series.map((s) => store.ledger.status(s));
  metric('reservkit_series_first', 'First number of the reserved block.', 'gauge', series.map((s) => [{ series: s.id }, s.first]));
  metric('reservkit_series_last', 'Last number of the reserved block.', 'gauge', series.map((s) => [{ series: s.id }, s.last]));
  metric('reservkit_series_next', 'The next number the station will hand out.', 'gauge', series.map((s) => [{ series: s.id }, s.next]));
  metric('reservkit_series_remaining', 'Numbers left in the reserved block.', 'gauge', series.map((s) => [{ series: s.id }, s.remaining]));
  metric('reservkit_series_low', 'The block is below its warning level, series[].warnBelowPercent (1) or not (0).', 'gauge', series.map((s) => [{ series: s.id }, s.low ? 1 : 0]));

  // ---- jobs
  const counts = new Map<string, number>(jobStates.map((s) => [s, 0]));
  for (const [s, n] of store.jobs.countByState()) counts.set(s, n);
  metric('reservkit_jobs', 'Jobs in the station\'s live store (finished ones are archived after a while) by IPP job state.', 'gauge', [...counts].map(([s, n]) => [{ state: s }, n]));
  const oldest = store.unfinishedJobs().reduce((min, j) => Math.min(min, Date.parse(j.createdAt)), Infinity);
  metric(
    'reservkit_oldest_unfinished_job_age_seconds',
    'Age of the oldest job not yet completed, aborted or canceled (0 when none waits).',
    'gauge',
    [[{}, oldest === Infinity ? 0 : Math.max(0, Math.round((now - oldest) / 1000))]],
  );
  metric('reservkit_last_kit_success_timestamp_seconds', 'When the last kit whose every job completed finished printing (Unix time; 0: never).', 'gauge', [[{}, seconds(lastCompleteKit(store)?.at)]]);

  // ---- schedule
  if (deps.scheduler) {
    const runs = deps.scheduler.pastRunViews();
    const byResult = new Map<string, number>();
    const attention = new Map<string, number>();
    for (const kind of ['upgrade', 'drill'])
      for (const r of ['ok', 'failed', 'missed']) {
        byResult.set(`${kind}/${r}`, 0);
        if (r !== 'ok') attention.set(`${kind}/${r}`, 0);
      }
    for (const r of runs) {
      const label = runResultLabel[r.result];
      if (!label) continue;
      byResult.set(`${r.kind}/${label}`, (byResult.get(`${r.kind}/${label}`) ?? 0) + 1);
      if (r.needsAttention) attention.set(`${r.kind}/${label}`, (attention.get(`${r.kind}/${label}`) ?? 0) + 1);
    }
    const rows = (m: Map<string, number>): Row[] => [...m].map(([k, n]) => [{ kind: k.split('/')[0]!, result: k.split('/')[1]! }, n]);
    metric('reservkit_schedule_runs', 'Scheduled runs kept in the store by kind (upgrade, drill) and result (ok: every job printed).', 'gauge', rows(byResult));
    metric('reservkit_schedule_runs_unacknowledged', 'Failed or missed runs nobody has acknowledged in the admin area yet.', 'gauge', rows(attention));
    const drill = runs.find((r) => r.kind === 'drill' && r.result === 'completed');
    const calendar = deps.scheduler.calendarState();
    if (calendar) {
      metric('reservkit_calendar_feed_ok', 'The region\'s calendar feed was read without error at the last attempt (1) or not (0: planned runs kept, the admin page warns).', 'gauge', [[{}, calendar.error ? 0 : 1]]);
      metric('reservkit_calendar_last_success_timestamp_seconds', 'When the calendar feed was last read without error (Unix time; 0: never).', 'gauge', [[{}, seconds(calendar.lastSuccessAt)]]);
    }
    metric('reservkit_last_drill_success_timestamp_seconds', 'When the last readiness drill whose sheet printed ran (Unix time; 0: never).', 'gauge', [[{}, seconds(drill?.finishedAt)]]);
  }
  return out.join('\n') + '\n';
}
