// createApp(deps): the hono app. Middleware (Host check, headers, CSRF guard, size limit, form
// reader), then routes mounted as sub-apps; the one onError (http/errors.tsx) maps every refusal
// to its status, so a bad request is a 4xx with the reason, never a 500.
import { Hono } from 'hono';
import type { StationConfig } from './config.js';
import type { Catalog } from './catalog/catalog.js';
import type { Store } from './store/store.js';
import type { PrinterMonitor } from './printing/printer-monitor.js';
import type { Dispatcher } from './printing/dispatcher.js';
import type { PrintService } from './services/print-service.js';
import type { LabelService } from './services/label-service.js';
import { formBodyReader, hostCheck, originGuard, requestSizeLimit, securityHeaders } from './http/middleware.js';
import { onAppError } from './http/errors.js';
import { stationOrigins } from './http/station-origin.js';
import { apiRoutes } from './http/api-routes.js';
import { renderMetrics, METRICS_CONTENT_TYPE } from './monitoring/metrics.js';
import { buildInfo, type BuildInfo } from './monitoring/build-info.js';
import { healthReport } from './monitoring/health.js';
import { uiRoutes, notFoundPage } from './ui/ui-routes.js';
import { adminApiRoutes, type AdminDeps } from './http/admin-routes.js';
import type { Clock } from './schedule/clock.js';
import { scheduleRoutes } from './http/schedule-routes.js';
import { adminUiRoutes, scheduleUiRoutes } from './ui/admin-ui-routes.js';

export interface AppDeps {
  config: StationConfig;
  catalog: Catalog;
  store: Store;
  monitor: PrinterMonitor;
  dispatcher: Pick<Dispatcher, 'cancel' | 'kick' | 'retry' | 'moveTo'>;
  printService: PrintService;
  /** Referral labels and the number series (services/label-service.ts). */
  labelService: LabelService;
  startedAt: Date;
  /** The station's clock (schedule/clock.ts): what the pages and answers call "now" and "today". */
  clock: Pick<Clock, 'now'>;
  /** What reservkit_build_info reports (default: from the config). */
  build?: BuildInfo;
  /** Schedule, admin PIN and station prints (absent in tests of other parts). */
  admin?: AdminDeps;
}

export function createApp(deps: AppDeps) {
  const app = new Hono();
  const origins = stationOrigins(deps.config.server);
  app.use('*', securityHeaders());
  app.use('*', hostCheck(origins));
  app.use('*', originGuard(origins));
  app.use('*', requestSizeLimit());
  app.use('*', formBodyReader());

  app.get('/healthz', (c) => c.json(healthReport(deps)));

  if (deps.admin) {
    app.route('/api/schedule', scheduleRoutes(deps, deps.admin));
    app.route('/api/admin', adminApiRoutes(deps, deps.admin));
    app.route('/admin', adminUiRoutes(deps, deps.admin));
    app.route('/schedule', scheduleUiRoutes(deps, deps.admin));
  }
  const build = deps.build ?? buildInfo(deps.config);
  app.get('/metrics', (c) => c.body(renderMetrics({ ...deps, build, scheduler: deps.admin?.scheduler }), 200, { 'Content-Type': METRICS_CONTENT_TYPE }));

  app.route('/api', apiRoutes(deps));
  app.route('/', uiRoutes(deps));

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? c.json({ error: 'not-found', message: 'Finns inte.' }, 404) : notFoundPage(c, deps.config.unit.name),
  );

  app.onError(onAppError(deps.config.unit.name));
  return app;
}
