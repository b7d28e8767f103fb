// JSON API of the admin area, mounted at /api/admin: first-run PIN, login and logout (session
// cookie), and what only an administrator may do — start a kit now, a test page on every printer,
// a readiness sheet now, the audit log, changing a PIN chosen at the station.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AdminAuth } from '../admin/admin-auth.js';
import type { Scheduler } from '../schedule/scheduler.js';
import type { StationPrints } from '../services/station-prints.js';
import { ServiceError } from '../services/errors.js';
import type { AuditEntry } from '../domain/ledger.js';
import { initialsSchema, jsonBody, parseWith, textInt } from './validate.js';
import { requestIdSchema } from './api-routes.js';
import { adminActor, clearSessionCookie, mayChooseFirstPin, requireAdmin, sessionId, setSessionCookie, type AdminEnv } from './admin-session.js';
import { dateFormat } from '../domain/time.js';

/** What the admin area and the schedule need besides the app's usual dependencies. */
export interface AdminDeps {
  scheduler: Scheduler;
  auth: AdminAuth;
  prints: StationPrints;
}

/** Staff initials for the audit log, stored in capitals as people write them ("ab" → "AB"). */
/** The admin's initials (the shared rule), in capitals as the session shows them. */
export const adminInitialsSchema = initialsSchema.transform((s) => s.toUpperCase());
const pinSchema = z.string().max(64);

export const auditQuery = z.object({
  limit: textInt(1, 500).default(100),
  offset: textInt(0, 1_000_000).default(0),
  /** Only entries whose actor, action or detail contains this text. */
  q: z.string().trim().max(100).default(''),
});

/** The audit log newest first, a page at a time. */
export function auditPage(entries: readonly AuditEntry[], query: z.infer<typeof auditQuery>): { total: number; entries: AuditEntry[] } {
  const q = query.q.toLowerCase();
  const all = q ? entries.filter((e) => `${e.actor} ${e.action} ${e.detail}`.toLowerCase().includes(q)) : entries;
  const end = all.length - query.offset;
  return { total: all.length, entries: all.slice(Math.max(0, end - query.limit), Math.max(0, end)).reverse() };
}

export function lockedMessage(until: string, timeZone: string): string {
  const t = dateFormat(timeZone, { hour: '2-digit', minute: '2-digit' }).format(new Date(until));
  return `För många fel PIN-koder. Inloggningen är spärrad till ${t}.`;
}

export function adminApiRoutes(deps: AppDeps, admin: AdminDeps) {
  const { auth, scheduler, prints } = admin;
  const api = new Hono<AdminEnv>();
  const guard = requireAdmin(auth, { api: true });

  api.get('/session', (c) =>
    c.json({
      loggedIn: !!auth.session(sessionId(c)),
      pin: auth.pinSource(),
      lockedUntil: auth.lockedUntil()?.toISOString() ?? null,
    }),
  );

  api.post('/setup', async (c) => {
    const body = await jsonBody(c, z.object({ pin: pinSchema }).strict());
    const allowed = mayChooseFirstPin(c, deps.config.server);
    if (!allowed.ok) throw new ServiceError('forbidden', allowed.message);
    const r = await auth.setInitialPin(body.pin);
    if (!r.ok) throw new ServiceError(auth.pinSource() === 'unset' ? 'invalid' : 'conflict', r.message);
    setSessionCookie(c, r.session);
    return c.json({ loggedIn: true }, 201);
  });

  api.post('/login', async (c) => {
    const body = await jsonBody(c, z.object({ pin: pinSchema, initials: adminInitialsSchema.optional() }).strict());
    const r = await auth.login(body.pin, body.initials || undefined);
    if (r.ok) {
      setSessionCookie(c, r.session);
      return c.json({ loggedIn: true });
    }
    if (r.reason === 'no-pin') return c.json({ error: 'no-pin', message: 'Ingen PIN-kod är vald än. Välj en på stationen (Administration).' }, 409);
    if (r.reason === 'locked') {
      c.header('Retry-After', String(Math.max(1, Math.ceil((Date.parse(r.lockedUntil) - deps.clock.now().getTime()) / 1000))));
      return c.json({ error: 'locked', message: lockedMessage(r.lockedUntil, deps.config.timezone), lockedUntil: r.lockedUntil }, 429);
    }
    return c.json({ error: 'unauthorized', message: `Fel PIN-kod. ${r.attemptsLeft} försök kvar innan inloggningen spärras.`, attemptsLeft: r.attemptsLeft }, 401);
  });

  api.post('/logout', (c) => {
    auth.logout(sessionId(c));
    clearSessionCookie(c);
    return c.json({ loggedIn: false });
  });

  api.post('/pin', guard, async (c) => {
    const body = await jsonBody(c, z.object({ current: pinSchema, next: pinSchema }).strict());
    const r = await auth.changePin(body.current, body.next);
    if (!r.ok) throw new ServiceError('invalid', r.message);
    return c.json({ changed: true });
  });

  api.post('/kits/:id/print', guard, async (c) => {
    const body = await jsonBody(c, z.object({ requestId: requestIdSchema.optional() }).strict());
    const r = await deps.printService.printKit(c.req.param('id'), { requestId: body.requestId, actor: adminActor(c.get('adminSession')), confirmRepeat: true });
    return c.json({ batchId: r.batch.id, duplicate: r.duplicate }, r.duplicate ? 200 : 202);
  });

  api.post('/test-pages', guard, async (c) => {
    const body = await jsonBody(c, z.object({ requestId: requestIdSchema.optional() }).strict());
    const r = await prints.printTestPages({ requestId: body.requestId, actor: adminActor(c.get('adminSession')) });
    return c.json({ batchId: r.batch.id, duplicate: r.duplicate, printers: r.batch.jobIds.length }, r.duplicate ? 200 : 202);
  });

  api.post('/drill', guard, async (c) => {
    await jsonBody(c, z.object({}).strict());
    const run = await scheduler.drillNow(adminActor(c.get('adminSession')));
    return c.json(run, 202);
  });

  api.get('/audit', guard, (c) => {
    const query = parseWith(auditQuery, c.req.query());
    return c.json({ ...auditPage(deps.store.auditLog.all(), query), warning: deps.store.auditLog.warning() ?? null });
  });

  return api;
}
