// The /healthz answer, the same on the UI's listener and on the metrics listener.
import type { StationConfig } from '../config.js';
import type { PrinterMonitor } from '../printing/printer-monitor.js';

export function healthReport(deps: { config: StationConfig; monitor: Pick<PrinterMonitor, 'all'>; startedAt: Date }) {
  return {
    status: 'ok' as const,
    unit: deps.config.unit.name,
    startedAt: deps.startedAt.toISOString(),
    printers: deps.monitor.all().map((p) => ({ id: p.id, reachable: p.reachable, state: p.state, acceptsPdf: p.acceptsPdf })),
  };
}
