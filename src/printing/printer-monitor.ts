// Asks every printer for its state on a timer (each printer on its own, so a hanging one delays
// nobody) and keeps the last answer for the UI, /api/printers and the dispatcher.
import { EventEmitter } from 'node:events';
import type { PrinterConfig } from '../config.js';
import { sendFormatFor, PrintError, type Marker, type PrintBackend, type PrinterStatus } from './backend.js';
import { systemClock, type Clock } from '../schedule/clock.js';

export interface PrinterView {
  id: string;
  name: string;
  uri: string;
  roles: string[];
  /** False when the last request failed (network, timeout, not IPP). */
  reachable: boolean | null;
  state: PrinterStatus['state'];
  reasons: string[];
  message: string;
  /**
   * Takes the format the station sends it: PDF, or ZPL for a printer configured with format "zpl"
   * (the name stayed from when every printer took PDF). null until the printer has answered once.
   */
  acceptsPdf: boolean | null;
  /** What the station sends it. */
  format?: 'pdf' | 'zpl';
  mediaReady: string[];
  mediaSupported: string[];
  operations: string[];
  sidesSupported: string[];
  /** Toner/ink levels from the last answer ([] when the printer reports none). */
  markers: Marker[];
  error: string | null;
  checkedAt: string | null;
}

export class PrinterMonitor {
  readonly events = new EventEmitter();
  private views = new Map<string, PrinterView>();
  private timers = new Map<string, NodeJS.Timeout>();
  private inflight = new Map<string, Promise<PrinterView>>();
  private stopped = false;
  private formats: Map<string, 'pdf' | 'zpl'>;

  constructor(
    private printers: readonly PrinterConfig[],
    private backends: ReadonlyMap<string, PrintBackend>,
    private intervalMs: number,
    /** The station's clock: checkedAt is station time (the poll interval is a duration on real timers). */
    private clock: Pick<Clock, 'now'> = systemClock,
  ) {
    this.events.setMaxListeners(0);
    this.formats = new Map(printers.map((p) => [p.id, p.format ?? 'pdf']));
    for (const p of printers) {
      this.views.set(p.id, {
        id: p.id,
        name: p.name,
        uri: redactUri(p.uri),
        roles: p.roles,
        format: p.format ?? 'pdf',
        reachable: null,
        state: 'unknown',
        reasons: [],
        message: '',
        acceptsPdf: null,
        mediaReady: [],
        mediaSupported: [],
        operations: [],
        sidesSupported: [],
        markers: [],
        error: null,
        checkedAt: null,
      });
    }
  }

  start(): void {
    for (const p of this.printers) void this.loop(p.id);
  }

  private async loop(id: string): Promise<void> {
    if (this.stopped) return;
    await this.refresh(id);
    if (this.stopped) return;
    this.timers.set(id, setTimeout(() => void this.loop(id), this.intervalMs));
  }

  get(id: string): PrinterView | undefined {
    return this.views.get(id);
  }
  all(): PrinterView[] {
    return [...this.views.values()];
  }

  /** Asks the printer now (one request at a time per printer). */
  refresh(id: string): Promise<PrinterView> {
    const running = this.inflight.get(id);
    if (running) return running;
    const p = this.doRefresh(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, p);
    return p;
  }

  private async doRefresh(id: string): Promise<PrinterView> {
    const view = this.views.get(id);
    const backend = this.backends.get(id);
    if (!view || !backend) throw new Error(`[monitor] unknown printer ${id}`);
    let next: PrinterView;
    try {
      const s = await backend.getStatus();
      next = {
        ...view,
        reachable: true,
        state: s.state,
        reasons: s.reasons,
        message: s.message,
        acceptsPdf: sendFormatFor(s.formats, this.formats.get(id)) !== undefined,
        mediaReady: s.mediaReady,
        mediaSupported: s.mediaSupported,
        operations: s.operations,
        sidesSupported: s.sidesSupported,
        markers: s.markers ?? [],
        error: null,
        checkedAt: this.clock.now().toISOString(),
      };
    } catch (e) {
      const kind = e instanceof PrintError ? e.kind : 'network';
      next = {
        ...view,
        reachable: false,
        state: 'unknown',
        reasons: [kind === 'timeout' ? 'station-timeout' : 'station-unreachable'],
        message: '',
        error: (e as Error).message,
        checkedAt: this.clock.now().toISOString(),
      };
    }
    const changed = JSON.stringify({ ...view, checkedAt: null }) !== JSON.stringify({ ...next, checkedAt: null });
    this.views.set(id, next);
    if (changed) this.events.emit('printer', next);
    return next;
  }

  /** Marks a printer unreachable right away when a job's request failed (no need to wait for the timer). */
  noteFailure(id: string, error: PrintError): void {
    const view = this.views.get(id);
    if (!view || !(error.kind === 'network' || error.kind === 'refused' || error.kind === 'timeout')) return;
    if (view.reachable === false) return;
    const next = { ...view, reachable: false, state: 'unknown' as const, reasons: [error.kind === 'timeout' ? 'station-timeout' : 'station-unreachable'], error: error.message };
    this.views.set(id, next);
    this.events.emit('printer', next);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** Printer URIs may carry credentials; never show them. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^/@]*@/, '//***@');
}
