// The admin area's HTTP gate: the session cookie (HttpOnly, SameSite=Strict, Path=/, random id,
// expiry kept on the server), the middleware that lets only a live session through, and the
// checks for first-run PIN setup (the station's own page, on the station itself).
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AdminAuth, Session } from '../admin/admin-auth.js';
import { SESSION_COOKIE } from '../admin/admin-auth.js';
import { isLoopback, peerAddress, stationOrigins, type ServerConfig } from './station-origin.js';

export type AdminEnv = { Variables: { adminSession: Session } };

export function sessionId(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function setSessionCookie(c: Context, session: Session): void {
  setCookie(c, SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    // Browsers take Secure cookies over http only from localhost; set it when the page came over https.
    secure: new URL(c.req.url).protocol === 'https:',
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/**
 * Lets a request through only with a live admin session. Without one, the API answers 401 and a
 * page redirects to the login (303, remembering where it was going).
 */
export function requireAdmin(auth: AdminAuth, opts: { api: boolean }): MiddlewareHandler<AdminEnv> {
  return async function requireAdminMiddleware(c, next) {
    const s = auth.session(sessionId(c));
    if (!s) {
      if (opts.api) return c.json({ error: 'unauthorized', message: 'Logga in i administrationen med PIN-koden först.' }, 401);
      const url = new URL(c.req.url);
      const back = c.req.method === 'GET' ? url.pathname + url.search : '/admin';
      return c.redirect(`/admin/login?next=${encodeURIComponent(back)}`, 303);
    }
    c.set('adminSession', s);
    await next();
  };
}

/**
 * Only the station's own screen may choose the first PIN: a page of the station's own origin (or
 * a configured one), over loopback. Both, because either alone can be had from outside: a
 * rebinding page is on loopback, and another computer can send any Origin it likes.
 */
export function mayChooseFirstPin(c: Context, server: ServerConfig): { ok: true } | { ok: false; message: string } {
  if (!stationOrigins(server).isStationOrigin(c, c.req.header('origin'))) return { ok: false, message: 'PIN-koden kan bara väljas från stationens egen sida.' };
  if (!isLoopback(peerAddress(c))) return { ok: false, message: 'PIN-koden kan bara väljas på stationen själv (inte från en annan dator).' };
  return { ok: true };
}

/** Who the session acts as in the audit log: "admin" or "admin AB" when initials were given at login. */
export function adminActor(s: Session): string {
  return s.initials ? `admin ${s.initials}` : 'admin';
}
