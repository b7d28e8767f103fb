// The app's one error handler: every refusal and fault, from a route, a service or a middleware,
// becomes one answer here: JSON { error, message } under /api/, the Swedish error page elsewhere.
// A service's error code maps to its status (services/errors.ts); a middleware's refusal carries
// its own status (HttpError); anything else is a 500 that is logged and says only "internal".
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ServiceError, statusOf } from '../services/errors.js';
import { sendPage } from '../ui/layout.js';
import { ErrorPage } from '../ui/pages/error-page.js';

/** A refusal of the HTTP layer itself (Host check, CSRF guard, body size, unreadable form). */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    /** Swedish, shown as is. */
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The answer to a refused request: JSON for the API, the error page for the touchscreen. */
export function errorResponse(c: Context, unitName: string, status: ContentfulStatusCode, code: string, message: string, details?: unknown): Response | Promise<Response> {
  if (c.req.path.startsWith('/api/')) return c.json({ error: code, message, ...(details === undefined ? {} : { details }) }, status);
  return sendPage(c, <ErrorPage unitName={unitName} status={status} message={message} />, status);
}

export function onAppError(unitName: string): ErrorHandler {
  return function appErrorHandler(err, c) {
    if (err instanceof ServiceError) return errorResponse(c, unitName, statusOf(err.code), err.code, err.message, err.details);
    if (err instanceof HttpError) return errorResponse(c, unitName, err.status, err.code, err.message);
    if (err instanceof HTTPException) return err.getResponse();
    console.error('[app]', err);
    return errorResponse(c, unitName, 500, 'internal', 'Ett internt fel uppstod. Se stationens logg.');
  };
}
