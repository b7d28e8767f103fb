// Who the station is on the network, for the Host check, the CSRF guard and first-PIN setup: the
// names it answers to and the origins its own pages are served from. Everything here comes from
// the config and the socket, never from the request's Host header: with DNS rebinding an outside
// page reaches 127.0.0.1 under its own name (Host and Origin both "evil.example:8080"), so an origin
// built from Host would always match.
import type { Context } from 'hono';
import type { StationConfig } from '../config.js';

export type ServerConfig = Pick<StationConfig['server'], 'host' | 'allowedOrigins'> & { port?: number };

/** The loopback names; the kiosk's browser runs on the station itself. */
const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];

/** An address to bind to, not a name anyone can reach the station by. */
const isWildcard = (host: string) => host === '' || host === '0.0.0.0' || host === '::' || host === '[::]';

/** "station-12", "[::1]": a host as URL.hostname spells it (lower case, IPv6 in brackets). */
function hostnameOf(host: string): string | undefined {
  try {
    // A bare IPv6 address (server.host "::1") gets its brackets; "name:port" keeps its port.
    const bareIpv6 = (host.match(/:/g)?.length ?? 0) > 1 && !host.startsWith('[');
    return new URL(`http://${bareIpv6 ? `[${host}]` : host}`).hostname;
  } catch {
    return undefined;
  }
}

/** The station's own names: loopback, the configured host (unless it is 0.0.0.0 or ::). */
function ownNames(server: ServerConfig): Set<string> {
  const names = new Set(loopbackNames);
  const host = isWildcard(server.host) ? undefined : hostnameOf(server.host);
  if (host) names.add(host);
  return names;
}

export interface StationOrigins {
  /** True when the request's Host (name, port ignored) is one the station answers to. */
  isStationHost(hostHeader: string | undefined): boolean;
  /** True when an Origin header is one of the station's own pages or a configured origin. */
  isStationOrigin(c: Context, origin: string | undefined): boolean;
}

/**
 * The names and origins of a station. Its own pages' origins are http://NAME:PORT for its own
 * names, PORT being the socket's local port (the configured one under app.request in tests, any
 * when that is 0). server.allowedOrigins are allowed exactly as written, and their names pass the
 * Host check too.
 */
export function stationOrigins(server: ServerConfig): StationOrigins {
  const names = ownNames(server);
  const extra = new Set(server.allowedOrigins);
  const hosts = new Set(names);
  for (const o of extra) {
    try {
      hosts.add(new URL(o).hostname);
    } catch {
      // not an origin: the config schema refuses it, tests may pass anything
    }
  }
  return {
    isStationHost(hostHeader) {
      if (!hostHeader) return false;
      const name = hostnameOf(hostHeader);
      return name !== undefined && hosts.has(name);
    },
    isStationOrigin(c, origin) {
      if (!origin) return false;
      if (extra.has(origin)) return true;
      let u: URL;
      try {
        u = new URL(origin);
      } catch {
        return false;
      }
      if (u.protocol !== 'http:' || u.origin !== origin || !names.has(u.hostname)) return false;
      const port = localPort(c) ?? server.port ?? 0;
      return port === 0 || Number(u.port || 80) === port;
    },
  };
}

/** The Host the request was sent to (the header; under app.request, the URL's host). */
export function requestHost(c: Context): string | undefined {
  return c.req.header('host') ?? new URL(c.req.url).host;
}

type NodeEnv = { incoming?: { socket?: { remoteAddress?: string; localPort?: number } } } | undefined;

/** The peer's address when the request came over a socket (undefined under app.request in tests). */
export function peerAddress(c: Context): string | undefined {
  return (c.env as NodeEnv)?.incoming?.socket?.remoteAddress;
}

/** The port the request arrived on, from the socket (undefined under app.request in tests). */
function localPort(c: Context): number | undefined {
  return (c.env as NodeEnv)?.incoming?.socket?.localPort;
}

export const isLoopback = (address: string | undefined): boolean =>
  !!address && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));
