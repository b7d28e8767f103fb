// The patient-ID label page and its post, mounted by ui-routes.tsx. The identity arrives only in a
// POST body, goes to the label service and nowhere else: no redirect carries it, refusals answer
// with Cache-Control: no-store, and nothing here logs.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requestIdSchema } from '../http/api-routes.js';
import { initialsSchema } from '../http/validate.js';
import { ServiceError } from '../services/errors.js';
import { MAX_LABELS_PER_REFERRAL } from '../services/label-service.js';
import { sendAsset, sendPage } from './layout.js';
import { patientAssets } from './patient-assets.js';
import { PatientLabelsPage, type PatientLabelsValues } from './pages/patient-labels-page.js';

/** At most this many referral numbers beside one patient's labels (a sampling visit, not a batch). */
export const MAX_REFERRALS_BESIDE_PATIENT = 20;

export const patientFormSchema = z.object({
  requestId: requestIdSchema,
  kind: z.enum(['personnummer', 'reservnummer'], { error: 'Välj typ av nummer.' }),
  identity: z.string().max(40, 'Numret är för långt.'),
  name: z.string().max(100, 'Namnet är för långt.').optional(),
  labels: z.coerce.number({ error: 'Ange antal etiketter.' }).int('Antal etiketter ska vara ett heltal.').min(1, 'Minst 1 etikett.').max(MAX_LABELS_PER_REFERRAL, `Högst ${MAX_LABELS_PER_REFERRAL} etiketter.`),
  referrals: z.preprocess(
    (v) => (v === '' || v === undefined ? 0 : v),
    z.coerce.number().int('Antal remissnummer ska vara ett heltal.').min(0, 'Minst 0.').max(MAX_REFERRALS_BESIDE_PATIENT, `Högst ${MAX_REFERRALS_BESIDE_PATIENT} remissnummer.`),
  ),
  target: z.string().regex(/^[a-z0-9-]+@[a-z0-9-]+$/, 'Välj etikett och skrivare.'),
  actor: initialsSchema.optional(),
});

export function patientUiRoutes(deps: AppDeps) {
  const ui = new Hono();
  const labels = () => deps.labelService;
  const printerNames = new Map(deps.config.printers.map((p) => [p.id, p.name]));

  function props(values: Partial<PatientLabelsValues>, extra: { errors?: string[]; actor?: string } = {}) {
    const layouts = labels().layouts().filter((l) => l.printers.length);
    // Roll layouts first: patient-ID labels go on tubes, from the label printer.
    const sorted = [...layouts].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'roll' ? -1 : 1));
    const first = sorted[0];
    const target = values.target ?? (first ? `${first.id}@${first.defaultPrinter ?? first.printers[0]}` : '');
    return {
      unitName: deps.config.unit.name,
      layouts: sorted,
      printerNames,
      values: { kind: values.kind ?? 'personnummer', identity: values.identity ?? '', name: values.name ?? '', labels: values.labels ?? 3, referrals: values.referrals ?? 0, target },
      requestId: randomUUID(),
      ...extra,
    };
  }

  const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

  ui.get('/etiketter/patient', (c) => {
    noStore(c);
    return sendPage(c, <PatientLabelsPage {...props({})} />);
  });

  ui.post('/etiketter/patient', async (c) => {
    noStore(c);
    const body = await c.req.parseBody();
    const parsed = patientFormSchema.safeParse(body);
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    if (!parsed.success) {
      const errors = [...new Set(parsed.error.issues.map((i) => (i.path[0] === 'requestId' ? 'Sidan var inaktuell. Kontrollera och tryck på Skriv ut igen.' : i.message)))];
      const kind = body.kind === 'reservnummer' ? 'reservnummer' : 'personnummer';
      return sendPage(c, <PatientLabelsPage {...props({ kind, identity: str(body.identity).slice(0, 40), name: str(body.name).slice(0, 100) }, { errors })} />, 400);
    }
    const f = parsed.data;
    const [layout, printer] = f.target.split('@') as [string, string];
    try {
      const r = await labels().printPatientLabels({
        kind: f.kind,
        identity: f.identity,
        name: f.name,
        labels: f.labels,
        referrals: f.referrals,
        layout,
        printer,
        requestId: f.requestId,
        actor: f.actor || undefined,
      });
      return c.redirect(`/batches/${encodeURIComponent(r.batch.id)}`, 303);
    } catch (e) {
      if (!(e instanceof ServiceError) || !['invalid', 'exhausted', 'conflict', 'unavailable'].includes(e.code)) throw e;
      // Nothing was printed: the page again with the reason (the typed values only in this answer).
      const status = e.code === 'invalid' ? 400 : e.code === 'unavailable' ? 503 : 409;
      return sendPage(c, <PatientLabelsPage {...props({ ...f, name: f.name ?? '' }, { errors: [e.message], actor: f.actor })} />, status);
    }
  });

  ui.get('/static/:file{patient-labels\\.js}', (c) => sendAsset(c, patientAssets['patient-labels.js']));

  return ui;
}
