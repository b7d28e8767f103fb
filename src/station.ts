// Wires a station together: config → store → catalog → backends → monitor → dispatcher → app.
// main.ts runs it as a process; tests and benchmarks start it in-process.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { StationConfig } from './config.js';
import { CatalogError, loadCatalog, type Catalog } from './catalog/catalog.js';
import { Store } from './store/store.js';
import { Spool } from './printing/spool.js';
import { wipeEphemeralSpool } from './printing/ephemeral-spool.js';
import { createBackend } from './printing/create-backend.js';
import type { PrintBackend } from './printing/backend.js';
import { PrinterMonitor } from './printing/printer-monitor.js';
import { Dispatcher } from './printing/dispatcher.js';
import { FormCache, formFitProblems, renderFitProblemsInWorker, RenderPool } from './render/index.js';
import { PrintService } from './services/print-service.js';
import { createApp } from './app.js';
import { LabelService } from './services/label-service.js';
import { Scheduler } from './schedule/scheduler.js';
import { systemClock, type Clock } from './schedule/clock.js';
import { AdminAuth } from './admin/admin-auth.js';
import { StationPrints } from './services/station-prints.js';
import { ConfigError } from './config.js';
import { scheduleConfigProblems } from './schedule/schedule-config.js';
import { buildInfo } from './monitoring/build-info.js';
import { renderMetrics } from './monitoring/metrics.js';
import { healthReport } from './monitoring/health.js';
import { prepareMetricsListener, type MetricsListener } from './monitoring/metrics-listener.js';
import { CalendarFeed } from './schedule/calendar-feed.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Station {
  config: StationConfig;
  store: Store;
  catalog: Catalog;
  monitor: PrinterMonitor;
  dispatcher: Dispatcher;
  printService: PrintService;
  labelService: LabelService;
  scheduler: Scheduler;
  /** The region's calendar feed (config schedule.calendar), when configured. */
  calendar?: CalendarFeed;
  app: ReturnType<typeof createApp>;
  /** Set once listen() has been called. */
  server?: ServerType;
  port?: number;
  /** The metrics listener (config `metrics`), once listen() has started it. */
  metricsListener?: MetricsListener;
  listen(): Promise<number>;
  stop(): Promise<void>;
}

export interface StationOptions {
  templatesDir?: string;
  /** Replace backends (unit tests). */
  backends?: Map<string, PrintBackend>;
  log?: (msg: string) => void;
  /** The station's clock, for every component: scheduler, store, admin lockout, dispatcher, monitor, backends, pages (a fake one in tests). */
  clock?: Clock;
  /** sha256 of the config file (main.ts); reservkit_build_info reports it. */
  configSha256?: string;
}

export async function createStation(config: StationConfig, opts: StationOptions = {}): Promise<Station> {
  const log = opts.log ?? ((m: string) => console.log(m));
  // One clock for the whole station: every stamp it writes and every "today" it shows. Waits and
  // TTLs are durations and run on real timers (see StampTimer in schedule/clock.ts).
  const clock = opts.clock ?? systemClock;
  // The catalog is checked before the store is touched: a bad template changes nothing.
  const catalog = loadCatalog(opts.templatesDir ?? path.join(projectRoot, 'templates'), config);
  // Every fixed-page form must keep its page count with this unit's name, address and lab.
  // A pass is stamped in data/fit-check.stamp, keyed on the program version, the templates and the
  // config values the forms print, so a restart with the same ones skips the render.
  const build = buildInfo(config, opts.configSha256);
  const fitStamp = existsSync(config.dataDir) ? { file: path.join(config.dataDir, 'fit-check.stamp'), version: build.version } : undefined;
  // The render runs in a thread of its own that exits when done (fit-check.ts).
  const fitProblems = await formFitProblems(catalog, config, clock.now(), fitStamp, renderFitProblemsInWorker);
  if (fitProblems.length) throw new CatalogError(fitProblems);
  const scheduleProblems = scheduleConfigProblems(config.schedule, catalog);
  if (scheduleProblems.length) throw new ConfigError(`[config] the schedule names templates that do not exist:\n${scheduleProblems.join('\n')}`);
  // The metrics listener's allowlist and token file are checked before the store is touched too.
  let metricsSource: { metrics: () => string; health: () => unknown } | undefined;
  const metricsListener = config.metrics ? prepareMetricsListener(config.metrics, { metrics: () => metricsSource?.metrics() ?? '', health: () => metricsSource?.health() }, log) : undefined;
  const store = await Store.open(config.dataDir, { now: () => clock.now(), series: config.series, retentionDays: config.store.retentionDays, log });
  try {
    const spool = new Spool(path.join(config.dataDir, 'spool'));
    // Patient-ID labels' files go as soon as the printer has them (and any a crash left behind now).
    const wiper = wipeEphemeralSpool(store, spool, log);
    await wiper.sweep();
    const voided = await store.voidOrphanSerials();
    if (voided) log(`[reservkit] ${voided} nummer från en avbruten utskrift makulerades (se avstämningslistan)`);
    // What finished before the retention goes to the archive, now and every hour.
    await store.rotate();
    store.keepRetention(undefined, (e) => log(`[store] kunde inte flytta gamla utskrifter till arkivet: ${(e as Error).message}`));
    // Keep the PDFs of unfinished and failed jobs and of the last few hundred (for "skriv ut igen";
    // a job whose file is gone anyway is rendered again or refused, never left blocking its printer).
    await spool.prune(new Set([...store.unfinishedJobs(), ...store.jobs.liveJobs().filter((j) => j.state === 'aborted' || j.state === 'canceled'), ...store.jobs.recentJobs(300)].map((j) => j.spoolFile)));
    const backends = opts.backends ?? new Map(config.printers.map((p) => [p.id, createBackend(p, { stateDir: path.join(config.dataDir, 'printers'), clock })]));
    const monitor = new PrinterMonitor(config.printers, backends, config.monitor.intervalSeconds * 1000, clock);
    // "Skriv ut igen" on a job whose spool file is gone renders it again (printService is set below).
    const dispatcher = new Dispatcher({ config, store, spool, backends, monitor, log, respool: (job) => printService.respool(job), clock });
    const formCache = new FormCache();
    // Large label requests render in a worker thread (started on first use), so they never stall
    // the server; a kit's few label sheets are stamped here in a millisecond or two.
    const labelRenderer = new RenderPool();
    const printService = new PrintService({
      config,
      catalog,
      store,
      spool,
      formCache,
      kick: (id) => dispatcher.kick(id),
      isNextToSend: (id): boolean => dispatcher.isNextToSend(id),
      printerInfo: (id) => monitor.get(id),
      repeatConfirmSeconds: config.repeatConfirmSeconds,
      log,
      labelRenderer,
      now: () => clock.now(),
    });
    const prints = new StationPrints({ config, catalog, store, spool, monitor, kick: (id) => dispatcher.kick(id), now: () => clock.now() });
    const scheduler = new Scheduler({
      config,
      catalog,
      store,
      printer: {
        printKit: (kitId, o) => printService.printKit(kitId, o),
        printDocument: (documentId, copies, o) => printService.printDocument(documentId, copies, o),
        printReadinessSheet: (o) => prints.printReadinessSheet(o),
      },
      clock,
      log,
    });
    const auth = new AdminAuth(config, store, clock);
    const labelService = new LabelService({ config, catalog, store, spool, renderer: labelRenderer, kick: (id) => dispatcher.kick(id), printerInfo: (id) => monitor.get(id), now: () => clock.now() });
    const startedAt = clock.now();
    const app = createApp({ config, catalog, store, monitor, dispatcher, printService, labelService, startedAt, clock, build, admin: { scheduler, auth, prints } });
    metricsSource = {
      metrics: () => renderMetrics({ config, store, monitor, startedAt, build, scheduler }),
      health: () => healthReport({ config, monitor, startedAt }),
    };
    monitor.start();
    dispatcher.start();
    // Documents that were still being prepared when the station stopped are rendered now.
    void printService.resumeRendering().catch((e: unknown) => log(`[reservkit] kunde inte återuppta förberedelser: ${(e as Error).message}`));
    // Catches up runs that were due while the station was off. Printing by hand must work even if this fails.
    await scheduler.start().catch((e: unknown) => log(`[schedule] kunde inte starta schemat: ${(e as Error).message}`));
    // Planned work from the region's calendar; a feed that cannot be read changes nothing.
    const calendar = config.schedule.calendar
      ? new CalendarFeed({ config: config.schedule.calendar, timezone: config.timezone, dataDir: config.dataDir, scheduler, clock, log })
      : undefined;
    await calendar?.start();
    const station: Station = {
      config,
      store,
      catalog,
      monitor,
      dispatcher,
      printService,
      labelService,
      scheduler,
      app,
      async listen() {
        if (metricsListener && !station.metricsListener) station.metricsListener = await metricsListener.listen();
        return new Promise((resolve, reject) => {
          const server = serve({ fetch: app.fetch, port: config.server.port, hostname: config.server.host }, (info) => {
            station.port = info.port;
            resolve(info.port);
          });
          server.on('error', reject);
          station.server = server;
        });
      },
      async stop() {
        calendar?.stop();
        await calendar?.idle();
        scheduler.stop();
        await scheduler.idle();
        monitor.stop();
        await dispatcher.stop();
        if (station.server) {
          const s = station.server;
          await new Promise<void>((r) => {
            s.close(() => r());
            (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          });
        }
        await station.metricsListener?.close();
        await printService.renderingDone();
        await labelRenderer.close();
        wiper.stop();
        await store.close();
      },
    };
    return station;
  } catch (e) {
    await store.close();
    throw e;
  }
}
