// The touchscreen's pages: start (scenarios), confirm, print, live progress, cancel, printers, and
// the two static files. Each handler parses its input with zod, calls one service and renders.
// Errors become a Swedish page with the service's own sentence and a link home (the app's one
// onError, http/errors.tsx).
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requestIdSchema } from '../http/api-routes.js';
import { initialsSchema } from '../http/validate.js';
import { jobView } from '../http/views.js';
import { ServiceError, statusOf } from '../services/errors.js';
import { sendAsset, sendPage, staticAssets } from './layout.js';
import { HomePage } from './pages/home-page.js';
import { homePageProps } from './views/home-view.js';
import { KitPage } from './pages/kit-page.js';
import { kitPageProps } from './views/kit-view.js';
import { BatchPage } from './pages/batch-page.js';
import { batchPageProps } from './views/batch-view.js';
import { cancelBatch, moveBatch, retryBatch } from '../services/batch-actions.js';
import { PrintersPage } from './pages/printers-page.js';
import { ErrorPage } from './pages/error-page.js';
import { HistoryPage } from './pages/history-page.js';
import { labelUiRoutes } from './label-ui-routes.js';
import { patientUiRoutes } from './patient-ui-routes.js';
import { documentUiRoutes } from './document-ui-routes.js';

const actorField = initialsSchema;

const printForm = z.object({
  requestId: requestIdSchema,
  actor: actorField.optional(),
  confirmRepeat: z.literal('1').optional(),
  /** Another printer chosen on the page ("" or absent: as planned). */
  printer: z.string().max(64).optional(),
});

const cancelForm = z.object({ actor: actorField.optional() });

const batchForm = z.object({ actor: actorField.optional(), printer: z.string().max(64).optional() });

/** Pages and static files of the touchscreen UI, mounted at "/". */
export function uiRoutes(deps: AppDeps) {
  const { config, store, monitor } = deps;
  const unitName = config.unit.name;
  const timeZone = config.timezone;
  const ui = new Hono();

  ui.get('/', (c) => sendPage(c, <HomePage {...homePageProps(deps)} />));

  ui.get('/kits/:id', (c) => {
    deps.printService.warmUp();
    return sendPage(c, <KitPage {...kitPageProps(deps, c.req.param('id'), randomUUID())} />);
  });

  ui.post('/kits/:id/print', async (c) => {
    const id = c.req.param('id');
    const parsed = printForm.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      // Nothing was printed: show the same page again with what to fix (and a fresh request id).
      const props = kitPageProps(deps, id, randomUUID());
      const errors = [
        ...new Set(parsed.error.issues.map((i) => (i.path[0] === 'requestId' ? 'Sidan var inaktuell. Kontrollera listan och tryck på Skriv ut igen.' : i.message))),
      ];
      return sendPage(c, <KitPage {...props} errors={errors} />, 400);
    }
    try {
      const r = await deps.printService.printKit(id, {
        requestId: parsed.data.requestId,
        actor: parsed.data.actor || undefined,
        confirmRepeat: parsed.data.confirmRepeat === '1',
        printer: parsed.data.printer || undefined,
      });
      return c.redirect(`/batches/${encodeURIComponent(r.batch.id)}`, 303);
    } catch (e) {
      const details = e instanceof ServiceError ? (e.details as { reason?: string; batchId?: string } | undefined) : undefined;
      if (details?.reason !== 'recent-repeat') throw e;
      // The same kit went out seconds ago: ask before printing it again (a new press gets a new id).
      const props = kitPageProps(deps, id, randomUUID());
      return sendPage(c, <KitPage {...props} actor={parsed.data.actor} chosen={parsed.data.printer || undefined} repeat={{ message: (e as Error).message, batchId: details.batchId }} />, 409);
    }
  });

  ui.get('/batches/:id', (c) => sendPage(c, <BatchPage {...batchPageProps(deps, c.req.param('id'))} />));

  // One tap for the whole batch: print again what failed, cancel what is left, or send what waits
  // to another printer. A refusal comes back on the same page with the reason.
  const batchAction = (name: 'retry' | 'cancel' | 'move') =>
    ui.post(`/batches/:id/${name}`, async (c) => {
      const id = c.req.param('id');
      const parsed = batchForm.safeParse(await c.req.parseBody());
      if (!parsed.success) throw new ServiceError('invalid', parsed.error.issues.map((i) => i.message).join(' '));
      const actor = parsed.data.actor || 'personal';
      try {
        if (name === 'retry') await retryBatch(deps, id, actor);
        else if (name === 'cancel') await cancelBatch(deps, id, actor);
        else {
          if (!parsed.data.printer) throw new ServiceError('invalid', 'Välj en skrivare.');
          await moveBatch(deps, id, parsed.data.printer, actor);
        }
      } catch (e) {
        if (!(e instanceof ServiceError) || e.code === 'not-found') throw e;
        return sendPage(c, <BatchPage {...batchPageProps(deps, id, [e.message])} />, statusOf(e.code));
      }
      return c.redirect(`/batches/${encodeURIComponent(id)}`, 303);
    });
  batchAction('retry');
  batchAction('cancel');
  batchAction('move');

  ui.post('/jobs/:id/cancel', async (c) => {
    const job = store.getJob(c.req.param('id'));
    if (!job) throw new ServiceError('not-found', 'Dokumentet finns inte i någon utskrift.');
    const parsed = cancelForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new ServiceError('invalid', parsed.error.issues.map((i) => i.message).join(' '));
    await deps.dispatcher.cancel(job.id, parsed.data.actor || 'personal');
    return c.redirect(`/batches/${encodeURIComponent(job.batchId)}`, 303);
  });

  ui.post('/jobs/:id/retry', async (c) => {
    const job = store.getJob(c.req.param('id'));
    if (!job) throw new ServiceError('not-found', 'Dokumentet finns inte i någon utskrift.');
    const parsed = cancelForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new ServiceError('invalid', parsed.error.issues.map((i) => i.message).join(' '));
    const again = await deps.dispatcher.retry(job.id, parsed.data.actor || 'personal');
    if (!again) throw new ServiceError('conflict', 'Bara ett misslyckat eller avbrutet dokument kan skrivas ut igen.');
    return c.redirect(`/batches/${encodeURIComponent(job.batchId)}`, 303);
  });

  ui.get('/history', (c) => {
    const jobs = store.jobs.recentJobs(100).map((j) => jobView(j, config));
    return sendPage(c, <HistoryPage unitName={unitName} timeZone={timeZone} jobs={jobs} now={deps.clock.now()} />);
  });

  ui.get('/printers', (c) => sendPage(c, <PrintersPage unitName={unitName} timeZone={timeZone} printers={monitor.all()} itSupport={config.unit.itSupport} />));

  // Referral labels: /etiketter (print), /etiketter/nummer (ledger), /etiketter/kopia (reprint).
  ui.route('/', patientUiRoutes(deps));
  ui.route('/', labelUiRoutes(deps));
  ui.route('/', documentUiRoutes(deps));

  ui.get('/static/:file{app\\.(css|js)}', (c) => {
    return sendAsset(c, staticAssets[c.req.param('file') as keyof typeof staticAssets]);
  });

  return ui;
}

/** The Swedish "page not found" for paths outside the UI's routes (app.notFound can use it). */
export function notFoundPage(c: Context, unitName: string) {
  return sendPage(c, <ErrorPage unitName={unitName} status={404} message="Sidan finns inte." />, 404);
}
