// JSON API of the referral labels and the number series: layouts, print, reprint, preview, series
// status, the ledger as JSON and as CSV. Mounted under /api by api-routes.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { MAX_LABELS_PER_REFERRAL, MAX_REFERRALS } from '../services/label-service.js';
import { initialsSchema, jsonBody, jsonInt, parseWith, textInt } from './validate.js';
import { jobView } from './views.js';

// Same rules as the kit API (api-routes.ts).
const requestId = z.string().min(8, 'minst 8 tecken').max(100).regex(/^[A-Za-z0-9._:-]+$/, 'endast A–Z, 0–9 och . _ : -');
const actor = initialsSchema;
const ref = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'ett id: a–z, 0–9 och bindestreck');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ÅÅÅÅ-MM-DD');

/** A count in a JSON body (a JSON number), or in a query string (decimal digits). */
type Count = (max: number) => z.ZodType<number>;
const jsonCount: Count = (max) => jsonInt(1, max);
const queryCount: Count = (max) => textInt(1, max, { missing: 'ett heltal', notInt: 'ett heltal (bara siffror)', tooSmall: 'minst 1', tooBig: `högst ${max}` });

/** Where labels go and who asked: the same for new labels and for a reprint. */
const placement = (count: Count) => ({
  layout: ref,
  printer: ref.optional(),
  startPosition: count(200).optional(),
  requestId: requestId.optional(),
  actor: actor.optional(),
});

/** N referrals × K labels, with their placement. */
const labelRequest = (count: Count) =>
  z
    .object({
      referrals: count(MAX_REFERRALS),
      labelsPerReferral: count(MAX_LABELS_PER_REFERRAL),
      ...placement(count),
    })
    .strict();

export const labelRequestSchema = labelRequest(jsonCount);

export const reprintRequestSchema = z
  .object({
    number: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9]+$/, 'endast A–Z och 0–9'),
    labels: jsonCount(MAX_LABELS_PER_REFERRAL).optional(),
    ...placement(jsonCount),
  })
  .strict();

export const ledgerFilterSchema = z
  .object({
    status: z.enum(['issued', 'voided', 'reprinted']).optional(),
    from: date.optional(),
    to: date.optional(),
    q: z.string().trim().max(40).optional(),
    batch: z.string().max(100).optional(),
  })
  .strict();

/** Patient-ID labels (POST only: the identity never goes into a URL). */
export const patientLabelRequestSchema = z
  .object({
    kind: z.enum(['personnummer', 'reservnummer']),
    identity: z.string().max(40),
    name: z.string().max(100).optional(),
    labels: jsonCount(MAX_LABELS_PER_REFERRAL),
    referrals: jsonInt(0, 20).optional(),
    ...placement(jsonCount),
  })
  .strict();

/** The preview is asked with a query string, so its counts are digits. */
const previewSchema = labelRequest(queryCount).omit({ requestId: true, actor: true });

export function labelApiRoutes(deps: AppDeps) {
  const api = new Hono();
  // Looked up per request: a test app may be built without the label service.
  const labels = () => deps.labelService;

  api.get('/labels/layouts', (c) => c.json(labels().layouts()));

  api.get('/labels/preview', (c) => c.json(labels().preview(parseWith(previewSchema, c.req.query()))));

  api.post('/labels', async (c) => {
    const body = await jsonBody(c, labelRequestSchema);
    const r = await labels().printLabels(body);
    return c.json(
      {
        batchId: r.batch.id,
        numbers: r.numbers,
        ...(r.warning ? { warning: r.warning } : {}),
        duplicate: r.duplicate,
        jobs: r.jobs.map((j) => jobView(deps.store.getJob(j.id) ?? j, deps.config)),
      },
      r.duplicate ? 200 : 202,
    );
  });

  api.post('/labels/reprint', async (c) => {
    const body = await jsonBody(c, reprintRequestSchema);
    const r = await labels().reprint(body);
    return c.json(
      { batchId: r.batch.id, numbers: r.numbers, duplicate: r.duplicate, jobs: r.jobs.map((j) => jobView(deps.store.getJob(j.id) ?? j, deps.config)) },
      r.duplicate ? 200 : 202,
    );
  });

  api.post('/labels/patient', async (c) => {
    c.header('Cache-Control', 'no-store');
    const body = await jsonBody(c, patientLabelRequestSchema);
    const r = await labels().printPatientLabels(body);
    return c.json(
      { batchId: r.batch.id, numbers: r.numbers, duplicate: r.duplicate, jobs: r.jobs.map((j) => jobView(deps.store.getJob(j.id) ?? j, deps.config)) },
      r.duplicate ? 200 : 202,
    );
  });

  api.get('/series', (c) => c.json(labels().seriesList()));

  api.get('/series/:id/ledger', (c) => c.json({ ...labels().ledger(c.req.param('id'), parseWith(ledgerFilterSchema, c.req.query())), warning: deps.store.ledger.warning() ?? null }));

  api.get('/series/:id/ledger.csv', (c) => {
    const { filename, csv } = labels().ledgerCsv(c.req.param('id'), parseWith(ledgerFilterSchema, c.req.query()));
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    });
  });

  return api;
}
