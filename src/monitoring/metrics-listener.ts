// The optional second listener for the region's Prometheus (config `metrics`): it serves only
// /metrics and /healthz, to source addresses on an allowlist, and, when a token file is set, only
// with that bearer token. It is a separate small hono app on its own socket, so exposing it to
// the region's network never exposes the touch UI, the API or the admin area.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { ConfigError, type StationConfig } from '../config.js';
import { Allowlist, parseListen } from './addresses.js';
import { METRICS_CONTENT_TYPE } from './metrics.js';

type MetricsConfig = NonNullable<StationConfig['metrics']>;

export interface MetricsAppOptions {
  allowlist: Allowlist;
  /** The bearer token a scrape must carry; undefined: none needed. */
  token?: string | undefined;
  metrics: () => string;
  health: () => unknown;
}

/** The peer's address as node's socket saw it (never a header: X-Forwarded-For is not trusted). */
function remoteAddress(env: unknown): string | undefined {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsApp(opts: MetricsAppOptions) {
  const app = new Hono();
  const want = opts.token === undefined ? undefined : digest(opts.token);
  app.use('*', async function metricsAccess(c, next) {
    if (!opts.allowlist.allows(remoteAddress(c.env))) return c.text('Åtkomst nekad: adressen finns inte i metrics.allow.\n', 403);
    if (want) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
      // Compared as digests: equal length, constant time.
      if (!m || !timingSafeEqual(digest(m[1]!), want))
        return c.text('Åtkomst nekad: token saknas eller är fel.\n', 401, { 'WWW-Authenticate': 'Bearer realm="reservkit-metrics"' });
    }
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.get('/metrics', (c) => c.body(opts.metrics(), 200, { 'Content-Type': METRICS_CONTENT_TYPE }));
  app.get('/healthz', (c) => c.json(opts.health()));
  app.all('/metrics', (c) => c.text('Endast GET.\n', 405, { Allow: 'GET, HEAD' }));
  app.all('/healthz', (c) => c.text('Endast GET.\n', 405, { Allow: 'GET, HEAD' }));
  app.notFound((c) => c.text('Finns inte. Här finns bara /metrics och /healthz.\n', 404));
  return app;
}

/** Reads the bearer token (trimmed). A missing, unreadable or empty file stops start-up. */
export function readToken(file: string, log: (m: string) => void = () => {}): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
    if (statSync(file).mode & 0o004) log(`[metrics] varning: ${file} kan läsas av alla användare (chmod 600 rekommenderas)`);
  } catch (e) {
    throw new ConfigError(`[config] metrics.tokenFile: cannot read ${file}: ${(e as Error).message}`);
  }
  if (!text) throw new ConfigError(`[config] metrics.tokenFile: ${file} is empty`);
  if (/\s/.test(text)) throw new ConfigError(`[config] metrics.tokenFile: ${file} must hold one token without spaces`);
  return text;
}

export interface MetricsListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Checks the allowlist and token file (errors stop start-up), then listens. */
export function prepareMetricsListener(cfg: MetricsConfig, render: { metrics: () => string; health: () => unknown }, log?: (m: string) => void) {
  const addr = parseListen(cfg.listen);
  if (!addr) throw new ConfigError(`[config] metrics.listen: "${cfg.listen}" is not HOST:PORT`);
  const app = metricsApp({ allowlist: new Allowlist(cfg.allow), token: cfg.tokenFile ? readToken(cfg.tokenFile, log) : undefined, ...render });
  return {
    listen(): Promise<MetricsListener> {
      return new Promise((resolve, reject) => {
        const server: ServerType = serve({ fetch: app.fetch, port: addr.port, hostname: addr.host }, (info) =>
          resolve({
            host: addr.host,
            port: info.port,
            close: () =>
              new Promise<void>((r) => {
                server.close(() => r());
                (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
              }),
          }),
        );
        server.on('error', reject);
      });
    },
  };
}
