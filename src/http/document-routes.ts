// JSON API of the documents: list them, print any one with a chosen number of copies (and what it
// needs: a date, a prescriber, a series and a range), the reconciliation list of a series, and the
// configured prescribers. Mounted under /api by api-routes.ts. Every body is zod-validated; errors
// come back as 400/404/409 with the reason in Swedish.
import { prescriberCodeProblem } from '../domain/prescriber-code.js';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { entriesInRange, isCalendarDate } from '../domain/reconciliation.js';
import { ServiceError } from '../services/errors.js';
import { describeDocument, describeDocuments, MAX_DOCUMENT_COPIES, reconciliationDocument } from '../services/document-info.js';
import { formatStationDateTime } from '../domain/time.js';
import { initialsSchema, jsonBody, parseWith } from './validate.js';
import { jobView } from './views.js';

// Same rules as the kit API (api-routes.ts, which mounts this file, so they are not imported from it).
const requestIdSchema = z.string().min(8, 'minst 8 tecken').max(100).regex(/^[A-Za-z0-9._:-]+$/, 'endast A–Z, 0–9 och . _ : -');
const actor = initialsSchema;
const ref = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'ett id: a–z, 0–9 och bindestreck');
const date = z.string().refine(isCalendarDate, 'ett datum ÅÅÅÅ-MM-DD');
const prescriberCode = z.string().refine((c) => prescriberCodeProblem(c) === undefined, 'förskrivarkoden är 7 siffror');
/** Names as people write them: letters (å, ä, ö, é …), spaces, hyphens, apostrophes, dots. */
const personText = (max: number) =>
  z.string().trim().min(1, 'får inte vara tomt').max(max, `högst ${max} tecken`).regex(/^[\p{L}\p{M} .,'()/-]+$/u, 'endast bokstäver, mellanslag och - . , \' ( ) /');

export const prescriberSchema = z.object({ name: personText(80), profession: personText(60), prescriberCode }).strict();

export const printDocumentBody = z
  .object({
    copies: z.number().int('ett heltal').min(1, 'minst 1').max(MAX_DOCUMENT_COPIES, `högst ${MAX_DOCUMENT_COPIES}`).default(1),
    requestId: requestIdSchema.optional(),
    actor: actor.optional(),
    validFor: date.optional(),
    prescriber: prescriberSchema.optional(),
    prescriberCode: prescriberCode.optional(),
    calibration: z.boolean().optional(),
    series: ref.optional(),
    from: date.optional(),
    to: date.optional(),
    labelsPerNumber: z.number().int().min(1).max(20).optional(),
    labelLayout: ref.optional(),
    /** Where a referral's labels start on a partly used sheet (1-based), as for a label print. */
    startPosition: z.number().int('ett heltal').min(1, 'minst 1').max(400, 'högst 400').optional(),
  })
  .strict();

const reconciliationBody = z
  .object({
    from: date,
    to: date,
    copies: z.number().int().min(1).max(10).default(1),
    requestId: requestIdSchema.optional(),
    actor: actor.optional(),
  })
  .strict();

const rangeQuery = z.object({ from: date, to: date }).strict();

export function documentApiRoutes(deps: AppDeps) {
  const { config, catalog, store } = deps;
  const api = new Hono();

  api.get('/documents', (c) => c.json(describeDocuments(catalog, config, store)));

  api.get('/documents/:id', (c) => {
    const doc = catalog.documents.get(c.req.param('id'));
    if (!doc) throw new ServiceError('not-found', `Det finns inget dokument med id "${c.req.param('id')}".`);
    return c.json(describeDocument(doc, config, store));
  });

  api.post('/documents/:id/print', async (c) => {
    const { copies, ...opts } = await jsonBody(c, printDocumentBody);
    const r = await deps.printService.printDocument(c.req.param('id'), copies, opts);
    return c.json(
      { batchId: r.batch.id, duplicate: r.duplicate, serials: r.batch.serials, jobs: r.jobs.map((j) => jobView(store.getJob(j.id) ?? j, config)) },
      r.duplicate ? 200 : 202,
    );
  });

  api.get('/prescribers', (c) => c.json(config.prescribers.map((p) => ({ name: p.name, profession: p.profession, prescriberCode: p.prescriberCode }))));

  /** The numbers a reconciliation list of the range would hold (what the page shows before printing). */
  api.get('/series/:id/reconciliation', (c) => {
    const series = config.series.find((s) => s.id === c.req.param('id'));
    if (!series) throw new ServiceError('not-found', `Det finns ingen nummerserie "${c.req.param('id')}".`);
    const q = parseWith(rangeQuery, c.req.query());
    if (q.from > q.to) throw new ServiceError('invalid', `Perioden börjar (${q.from}) efter att den slutar (${q.to}).`);
    const entries = entriesInRange(store.ledgerOf(series.id), q.from, q.to, config.timezone);
    const name = (id: string | undefined) => deps.printService.documents.documentName(id);
    return c.json({
      series: { id: series.id, name: series.name },
      from: q.from,
      to: q.to,
      entries: entries.map((e) => ({ number: e.number, status: e.status, issuedAt: e.issuedAt, issuedAtLocal: formatStationDateTime(new Date(e.issuedAt), config.timezone), document: name(e.documentId), reprints: e.reprints.length })),
    });
  });

  /** Prints the avstämningslista of a series for a range: sugar for printing the ledger document. */
  api.post('/series/:id/reconciliation/print', async (c) => {
    const seriesId = c.req.param('id');
    if (!config.series.some((s) => s.id === seriesId)) throw new ServiceError('not-found', `Det finns ingen nummerserie "${seriesId}".`);
    const body = await jsonBody(c, reconciliationBody);
    const doc = reconciliationDocument(catalog);
    if (!doc) throw new ServiceError('not-found', 'Det finns ingen avstämningslista bland stationens mallar.');
    const { copies, ...opts } = body;
    const r = await deps.printService.printDocument(doc.id, copies, { ...opts, series: seriesId });
    return c.json(
      { batchId: r.batch.id, duplicate: r.duplicate, jobs: r.jobs.map((j) => jobView(store.getJob(j.id) ?? j, config)) },
      r.duplicate ? 200 : 202,
    );
  });

  return api;
}
