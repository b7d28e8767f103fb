// JSON API for automation, tests and the live page: kits, batches, printers, live events.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { ServiceError } from '../services/errors.js';
import type { StoreEvent } from '../store/store.js';
import type { PrinterView } from '../printing/printer-monitor.js';
import { initialsSchema, jsonBody, parseWith, textInt } from './validate.js';
import { cancelBatch, moveBatch, retryBatch } from '../services/batch-actions.js';
import { batchShownView, batchView, jobView, printerApiView } from './views.js';
import { labelApiRoutes } from './label-routes.js';
import { documentApiRoutes } from './document-routes.js';

export const requestIdSchema = z.string().min(8, 'minst 8 tecken').max(100).regex(/^[A-Za-z0-9._:-]+$/, 'endast A–Z, 0–9 och . _ : -');
const actorSchema = initialsSchema;

const printKitBody = z
  .object({ requestId: requestIdSchema.optional(), actor: actorSchema.optional(), confirmRepeat: z.boolean().optional() })
  .strict();

export function apiRoutes(deps: AppDeps) {
  const { config, catalog, store, monitor } = deps;
  const api = new Hono();

  api.get('/kits', (c) =>
    c.json(
      [...catalog.kits.values()].map((k) => ({
        id: k.id,
        name: k.name,
        scenario: k.scenario,
        description: k.description,
        documents: k.items.map((i) => ({ id: i.document, name: catalog.documents.get(i.document)?.name ?? i.document, copies: i.copies })),
      })),
    ),
  );

  api.post('/kits/:id/print', async (c) => {
    const body = await jsonBody(c, printKitBody);
    const r = await deps.printService.printKit(c.req.param('id'), body);
    return c.json({ batchId: r.batch.id, duplicate: r.duplicate, jobs: r.jobs.map((j) => jobView(store.getJob(j.id) ?? j, config)) }, r.duplicate ? 200 : 202);
  });

  api.get('/batches/:id', (c) => {
    const batch = store.getBatch(c.req.param('id'));
    if (!batch) throw new ServiceError('not-found', 'Utskriften finns inte.');
    return c.json(batchView(batch, store, config));
  });

  api.get('/batches/:id/events', (c) => {
    const batch = store.getBatch(c.req.param('id'));
    if (!batch) throw new ServiceError('not-found', 'Utskriften finns inte.');
    return streamSSE(c, async (stream) => {
      const queue: Array<{ event: string; data: string }> = [];
      let wake: (() => void) | null = null;
      const push = (event: string, data: unknown) => {
        queue.push({ event, data: JSON.stringify(data) });
        wake?.();
      };
      const onStore = (e: StoreEvent) => {
        // by batch, not by the ids known when the stream opened
        if (e.type !== 'job' || e.job.batchId !== batch.id) return;
        push('job', jobView(e.job, config));
        // the banner and batch buttons after this change, decided here (the page's script decides nothing)
        const now = store.getBatch(batch.id) ?? batch;
        push('summary', batchShownView(now, store.jobsOf(now)));
      };
      const onPrinter = (p: PrinterView) => push('printer', printerApiView(p, config));
      store.events.on('event', onStore);
      monitor.events.on('printer', onPrinter);
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      try {
        push('batch', batchView(batch, store, config));
        for (const p of monitor.all()) push('printer', printerApiView(p, config));
        while (open) {
          while (queue.length) await stream.writeSSE(queue.shift()!);
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 15_000);
          });
          wake = null;
          if (!queue.length && open) await stream.writeSSE({ event: 'ping', data: '{}' });
        }
      } finally {
        store.events.off('event', onStore);
        monitor.events.off('printer', onPrinter);
      }
    });
  });

  api.post('/jobs/:id/cancel', async (c) => {
    const job = store.getJob(c.req.param('id'));
    if (!job) throw new ServiceError('not-found', 'Jobbet finns inte.');
    const body = await jsonBody(c, z.object({ actor: actorSchema.optional() }).strict());
    const done = await deps.dispatcher.cancel(job.id, body.actor || 'personal');
    return c.json(jobView(done ?? job, config));
  });

  api.post('/jobs/:id/retry', async (c) => {
    const job = store.getJob(c.req.param('id'));
    if (!job) throw new ServiceError('not-found', 'Jobbet finns inte.');
    const body = await jsonBody(c, z.object({ actor: actorSchema.optional() }).strict());
    const again = await deps.dispatcher.retry(job.id, body.actor || 'personal');
    if (!again) throw new ServiceError('conflict', 'Bara ett misslyckat eller avbrutet jobb kan skrivas ut igen.');
    return c.json(jobView(again, config), 202);
  });

  api.post('/batches/:id/retry', async (c) => {
    const batch = store.getBatch(c.req.param('id'));
    if (!batch) throw new ServiceError('not-found', 'Utskriften finns inte.');
    const body = await jsonBody(c, z.object({ actor: actorSchema.optional() }).strict());
    const again = await retryBatch(deps, batch.id, body.actor || 'personal');
    return c.json({ batchId: batch.id, jobs: again.map((j) => jobView(j, config)) }, 202);
  });

  api.post('/batches/:id/cancel', async (c) => {
    const body = await jsonBody(c, z.object({ actor: actorSchema.optional() }).strict());
    const done = await cancelBatch(deps, c.req.param('id'), body.actor || 'personal');
    return c.json({ batchId: c.req.param('id'), jobs: done.map((j) => jobView(j, config)) });
  });

  /** Sends every waiting or failed document the printer can take to that printer (the screen's "Skriv ut på …"). */
  api.post('/batches/:id/move', async (c) => {
    const body = await jsonBody(c, z.object({ printer: z.string().min(1).max(64), actor: actorSchema.optional() }).strict());
    const moved = await moveBatch(deps, c.req.param('id'), body.printer, body.actor || 'personal');
    return c.json({ batchId: c.req.param('id'), jobs: moved.map((j) => jobView(j, config)) }, 202);
  });

  api.get('/jobs', (c) => {
    const { limit } = parseWith(z.object({ limit: textInt(1, 500).default(50) }).strict(), c.req.query());
    return c.json(store.jobs.recentJobs(limit).map((j) => jobView(j, config)));
  });

  api.get('/printers', (c) => c.json(monitor.all().map((p) => printerApiView(p, config))));

  // Referral labels and number series: /labels/…, /series/….
  api.route('/', labelApiRoutes(deps));
  api.route('/', documentApiRoutes(deps));

  return api;
}
