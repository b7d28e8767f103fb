// The schedule's JSON API, mounted at /api/schedule: anyone may read it and acknowledge a failed
// or missed run; planning upgrades and running a planned run early need an admin session.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { upgradeKinds } from '../schedule/schedule-data.js';
import { ServiceError } from '../services/errors.js';
import { jsonBody } from './validate.js';
import { adminActor, requireAdmin, type AdminEnv } from './admin-session.js';
import { adminInitialsSchema, type AdminDeps } from './admin-routes.js';

export const upgradeBodySchema = z
  .object({
    kind: z.enum(upgradeKinds, { message: 'upgrade eller shutdown' }).optional(),
    /** "2026-03-30T07:00" (station time) or an ISO instant with offset. */
    start: z.string().max(40).optional(),
    end: z.string().max(40).optional(),
    note: z.string().trim().max(500).optional(),
    kit: z.string().max(60).optional(),
  })
  .strict();

export function scheduleRoutes(_deps: AppDeps, admin: AdminDeps) {
  const { scheduler, auth } = admin;
  const api = new Hono<AdminEnv>();
  const guard = requireAdmin(auth, { api: true });

  api.get('/', (c) => c.json(scheduler.view()));

  api.post('/upgrades', guard, async (c) => {
    const body = await jsonBody(c, upgradeBodySchema);
    const u = await scheduler.addUpgrade(body, adminActor(c.get('adminSession')));
    return c.json(u, 201);
  });

  api.put('/upgrades/:id', guard, async (c) => {
    const body = await jsonBody(c, upgradeBodySchema);
    return c.json(await scheduler.updateUpgrade(c.req.param('id'), body, adminActor(c.get('adminSession'))));
  });

  api.delete('/upgrades/:id', guard, async (c) => {
    const r = await scheduler.removeUpgrade(c.req.param('id'), adminActor(c.get('adminSession')));
    return c.json({ removed: r.removed.id, canceledRuns: r.canceledRuns });
  });

  // An upgrade from the region's calendar: not edited here, only hidden for this unit, with a reason.
  api.post('/upgrades/:id/hide', guard, async (c) => {
    const body = await jsonBody(c, z.object({ reason: z.string().max(500) }).strict());
    return c.json(await scheduler.hideUpgrade(c.req.param('id'), body.reason, adminActor(c.get('adminSession'))));
  });

  api.post('/upgrades/:id/show', guard, async (c) => {
    await jsonBody(c, z.object({}).strict());
    return c.json(await scheduler.showUpgrade(c.req.param('id'), adminActor(c.get('adminSession'))));
  });

  api.get('/upgrades/:id', (c) => {
    const u = scheduler.upgradeView(c.req.param('id'));
    if (!u) throw new ServiceError('not-found', 'Den planerade uppgraderingen finns inte.');
    return c.json(u);
  });

  api.post('/runs/:id/run-now', guard, async (c) => c.json(await scheduler.runNow(c.req.param('id'), adminActor(c.get('adminSession'))), 202));

  api.post('/runs/:id/acknowledge', async (c) => {
    const body = await jsonBody(c, z.object({ actor: adminInitialsSchema.optional() }).strict());
    return c.json(await scheduler.acknowledge(c.req.param('id'), body.actor || 'personal'));
  });

  return api;
}
