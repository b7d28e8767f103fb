// Middleware factories: origin guard (CSRF) and security headers with a strict CSP.
import type { MiddlewareHandler } from 'hono';

export interface OriginGuardOptions {
  /** Origins allowed besides the request's own (e.g. the kiosk reaching the station by name). */
  allowedOrigins?: string[];
}

const formTypes = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

/**
 * Refuses cross-site writes. A browser always sends Origin (or Sec-Fetch-Site) with a POST:
 * those must be this station. A form post must carry one of them. A request with neither and a
 * JSON body comes from a program (curl, monitoring), not from a page in a browser.
 */
export function originGuard(opts: OriginGuardOptions = {}): MiddlewareHandler {
  const allowed = new Set(opts.allowedOrigins ?? []);
  return async function originGuardMiddleware(c, next) {
    const m = c.req.method;
    if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const own = new URL(c.req.url).origin;
    let ok: boolean;
    if (origin !== undefined) ok = origin === own || allowed.has(origin);
    else if (site !== undefined) ok = site === 'same-origin' || site === 'none';
    else ok = !formTypes.test(c.req.header('content-type') ?? '');
    const message = 'Förfrågan kom från en annan webbplats och avvisades (CSRF-skydd).';
    if (!ok) return c.req.path.startsWith('/api/') ? c.json({ error: 'forbidden', message }, 403) : c.text(message, 403);
    return next();
  };
}

export function securityHeaders(): MiddlewareHandler {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return async function securityHeadersMiddleware(c, next) {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    // same-origin, not no-referrer: with no-referrer Chromium posts forms with `Origin: null`.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}
