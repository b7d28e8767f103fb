// /metrics in the Prometheus text format, so the region's existing monitoring sees every station's
// printers, queue and number blocks without anything new to run.
import type { AppDeps } from '../app.js';
import { jobStates } from '../domain/job.js';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderMetrics(deps: Pick<AppDeps, 'config' | 'store' | 'monitor' | 'startedAt'>): string {
  const { config, store, monitor } = deps;
  const out: string[] = [];
  const metric = (name: string, help: string, type: 'gauge' | 'counter', rows: Array<[Record<string, string>, number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of rows) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(',');
      out.push(`${name}${l ? `{${l}}` : ''} ${value}`);
    }
  };
  const unit = { unit: config.unit.name };
  metric('reservkit_up', 'The station is running.', 'gauge', [[unit, 1]]);
  metric('reservkit_start_time_seconds', 'When the station started (Unix time).', 'gauge', [[unit, Math.floor(deps.startedAt.getTime() / 1000)]]);
  const printers = monitor.all();
  metric('reservkit_printer_reachable', 'The printer answered its last status request (1) or not (0).', 'gauge', printers.map((p) => [{ ...unit, printer: p.id }, p.reachable ? 1 : 0]));
  metric(
    'reservkit_printer_accepts_pdf',
    'The printer lists application/pdf (1), does not (0), or has not answered yet (-1).',
    'gauge',
    printers.map((p) => [{ ...unit, printer: p.id }, p.acceptsPdf === null ? -1 : p.acceptsPdf ? 1 : 0]),
  );
  metric(
    'reservkit_printer_state',
    'The printer state (1 for the current one).',
    'gauge',
    printers.flatMap((p) => (['idle', 'processing', 'stopped', 'unknown'] as const).map((s): [Record<string, string>, number] => [{ ...unit, printer: p.id, state: s }, p.state === s ? 1 : 0])),
  );
  metric(
    'reservkit_printer_reason',
    'A printer-state-reasons keyword the printer reports now.',
    'gauge',
    printers.flatMap((p) => p.reasons.map((r): [Record<string, string>, number] => [{ ...unit, printer: p.id, reason: r }, 1])),
  );
  const counts = new Map<string, number>(jobStates.map((s) => [s, 0]));
  for (const [s, n] of store.jobs.countByState()) counts.set(s, n);
  metric('reservkit_jobs', 'Jobs in the store by state.', 'gauge', [...counts].map(([s, n]) => [{ ...unit, state: s }, n]));
  metric(
    'reservkit_series_remaining',
    'Numbers left in each reserved block.',
    'gauge',
    config.series.map((s) => [{ ...unit, series: s.id }, store.ledger.status(s).remaining]),
  );
  metric(
    'reservkit_series_low',
    'The block is below its warning level (1) or not (0).',
    'gauge',
    config.series.map((s) => [{ ...unit, series: s.id }, store.ledger.status(s).low ? 1 : 0]),
  );
  return out.join('\n') + '\n';
}
