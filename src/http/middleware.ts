// The HTTP layer's guards, one module (hono's csrf and secure-headers middleware are not used):
// the Host check against DNS rebinding, the origin guard (CSRF), the request size limit, the form
// body reader, and security headers with a strict CSP. Each refusal is an HttpError that the app's
// one error handler (errors.tsx) answers; a refused request reaches no route.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from './errors.js';
import { requestHost, type StationOrigins } from './station-origin.js';

/**
 * Answers 421 to a request sent to a name that is not the station's. With DNS rebinding a page on
 * the internet gets its own name (evil.example) to resolve to 127.0.0.1 and then talks to the
 * station from the kiosk's browser as "same origin"; its Host header still says evil.example.
 */
export function hostCheck(origins: StationOrigins): MiddlewareHandler {
  return async function hostCheckMiddleware(c, next) {
    if (!origins.isStationHost(requestHost(c)))
      throw new HttpError(421, 'misdirected', 'Okänt värdnamn: stationen svarar bara på sina egna namn (se server.allowedOrigins).');
    return next();
  };
}

const formTypes = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

/**
 * Refuses cross-site writes. A browser always sends Origin (or Sec-Fetch-Site) with a POST:
 * those must be the station's own (compared with the configured names and origins, never with
 * the request's Host). A form post must carry one of them. A request with neither and a JSON body
 * comes from a program (curl, monitoring), not from a page in a browser.
 */
export function originGuard(origins: StationOrigins): MiddlewareHandler {
  return async function originGuardMiddleware(c, next) {
    const m = c.req.method;
    if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    let ok: boolean;
    if (origin !== undefined) ok = origins.isStationOrigin(c, origin);
    else if (site !== undefined) ok = site === 'same-origin' || site === 'none';
    else ok = !formTypes.test(c.req.header('content-type') ?? '');
    if (!ok) throw new HttpError(403, 'forbidden', 'Förfrågan kom från en annan webbplats och avvisades (CSRF-skydd).');
    return next();
  };
}

/** Request bodies above 64 kB are refused (413) before anything reads them. */
export function requestSizeLimit(maxBytes = 64 * 1024): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpError(413, 'too-large', `Förfrågan är för stor (högst ${Math.round(maxBytes / 1024)} kB).`);
    },
  });
}

const formMedia = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * Reads a form post's body once, before any route: a body that is not the form it says it is
 * (e.g. "multipart/form-data; boundary=x" with "--broken") is a 400 here, so no route sees it.
 * Routes then get the parsed fields from hono's cache with c.req.parseBody().
 */
export function formBodyReader(): MiddlewareHandler {
  return async function formBodyReaderMiddleware(c, next) {
    if (formMedia.test(c.req.header('content-type') ?? '') && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      try {
        await c.req.parseBody();
      } catch {
        throw new HttpError(400, 'invalid', 'Formuläret kunde inte läsas (förfrågan var trasig). Ladda om sidan och försök igen.');
      }
    }
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
