// Touchscreen pages of the referral labels, mounted by ui-routes.tsx: the label page (N × K,
// layout, printer, start position, preview, one press → the batch page), its live part, the
// number ledger with CSV link, the reprint page, and the pages' own static files.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requestIdSchema } from '../http/api-routes.js';
import { ledgerFilterSchema } from '../http/label-routes.js';
import { initialsSchema, textInt } from '../http/validate.js';
import { ServiceError } from '../services/errors.js';
import { MAX_LABELS_PER_REFERRAL, MAX_REFERRALS, type LabelService } from '../services/label-service.js';
import { formatStationDate } from '../domain/time.js';
import { sendAsset, sendPage } from './layout.js';
import { labelAssets } from './label-assets.js';
import { LabelsDynamic, LabelsPage, type LabelsFormValues } from './pages/labels-page.js';
import { LedgerPage, ReprintPage } from './pages/ledger-page.js';

/** A form or query number: empty means "not given". */
const optionalCount = (max: number) => z.preprocess((v) => (v === '' ? undefined : v), textInt(1, max).optional());

/** What the page is showing; lenient (a bad value falls back to the default instead of an error page). */
const viewQuery = z.object({
  referrals: textInt(1, MAX_REFERRALS).catch(1),
  labelsPerReferral: textInt(1, MAX_LABELS_PER_REFERRAL).catch(3),
  layout: z.string().max(64).optional().catch(undefined),
  printer: z.string().max(64).optional().catch(undefined),
  startPosition: textInt(1, 200).optional().catch(undefined),
});

const printForm = z.object({
  requestId: requestIdSchema,
  referrals: textInt(1, MAX_REFERRALS, {
    missing: 'Ange antal remisser.',
    notInt: 'Antal remisser ska vara ett heltal.',
    tooSmall: 'Minst 1 remiss.',
    tooBig: `Högst ${MAX_REFERRALS} remisser per utskrift.`,
  }),
  labelsPerReferral: textInt(1, MAX_LABELS_PER_REFERRAL, {
    missing: 'Ange antal etiketter per remiss.',
    notInt: 'Etiketter per remiss ska vara ett heltal.',
    tooSmall: 'Minst 1 etikett per remiss.',
    tooBig: `Högst ${MAX_LABELS_PER_REFERRAL} etiketter per remiss.`,
  }),
  layout: z.string().min(1, 'Välj en layout.').max(64),
  printer: z.string().max(64).optional(),
  startPosition: optionalCount(200),
  actor: initialsSchema.optional(),
});

const reprintForm = z.object({
  requestId: requestIdSchema,
  number: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9]+$/, 'Ogiltigt nummer.'),
  labels: optionalCount(MAX_LABELS_PER_REFERRAL),
  target: z.string().regex(/^[a-z0-9-]+@[a-z0-9-]+$/, 'Välj layout och skrivare.'),
  startPosition: optionalCount(200),
});

const LEDGER_ROWS_SHOWN = 300;

export function labelUiRoutes(deps: AppDeps) {
  const { config, monitor, store } = deps;
  const unitName = config.unit.name;
  const ui = new Hono();
  const labels = (): LabelService => deps.labelService;

  /** Fills in the defaults: the layout the station starts on, its default printer, position 1. */
  function normalize(v: z.infer<typeof viewQuery> | LabelsFormValues): LabelsFormValues {
    const svc = labels();
    const layouts = svc.layouts();
    const layout = layouts.find((l) => l.id === v.layout) ?? layouts.find((l) => l.id === svc.defaultLayoutId()) ?? layouts[0];
    const printer = layout && v.printer && layout.printers.includes(v.printer) ? v.printer : layout?.defaultPrinter;
    return {
      referrals: v.referrals,
      labelsPerReferral: v.labelsPerReferral,
      layout: layout?.id ?? '',
      printer,
      startPosition: layout?.kind === 'sheet' ? Math.min(v.startPosition ?? 1, layout.labelsPerPage) : undefined,
    };
  }

  function pageProps(values: LabelsFormValues, extra: { errors?: string[]; actor?: string } = {}) {
    const svc = labels();
    const layouts = svc.layouts();
    const preview = values.layout ? svc.preview(values) : undefined;
    return { unitName, layouts, printers: monitor.all(), values, preview, requestId: randomUUID(), ...extra };
  }

  ui.get('/etiketter', (c) => {
    labels().warmUp();
    const values = normalize(viewQuery.parse(c.req.query()));
    return sendPage(c, <LabelsPage {...pageProps(values)} />);
  });

  // The layout-dependent part of the form, fetched again by static/labels.js on every change.
  ui.get('/etiketter/del', async (c) => {
    const values = normalize(viewQuery.parse(c.req.query()));
    const p = pageProps(values);
    const fragment = <LabelsDynamic layouts={p.layouts} printers={p.printers} values={values} preview={p.preview} />;
    c.header('Cache-Control', 'no-store');
    return c.html(await (fragment as unknown as { toString(): string | Promise<string> }).toString());
  });

  ui.post('/etiketter/skriv-ut', async (c) => {
    const body = await c.req.parseBody();
    const parsed = printForm.safeParse(body);
    if (!parsed.success) {
      const fallback = normalize(viewQuery.parse(body));
      const errors = [...new Set(parsed.error.issues.map((i) => (i.path[0] === 'requestId' ? 'Sidan var inaktuell. Kontrollera och tryck på Skriv ut igen.' : i.message)))];
      return sendPage(c, <LabelsPage {...pageProps(fallback, { errors })} />, 400);
    }
    const f = parsed.data;
    const layout = labels().layouts().find((l) => l.id === f.layout);
    try {
      const r = await labels().printLabels({
        referrals: f.referrals,
        labelsPerReferral: f.labelsPerReferral,
        layout: f.layout,
        printer: f.printer || undefined,
        startPosition: layout?.kind === 'sheet' ? f.startPosition : undefined,
        requestId: f.requestId,
        actor: f.actor || undefined,
      });
      return c.redirect(`/batches/${encodeURIComponent(r.batch.id)}`, 303);
    } catch (e) {
      if (!(e instanceof ServiceError) || !['invalid', 'exhausted', 'conflict', 'unavailable'].includes(e.code)) throw e;
      // Nothing was printed: the same page with the reason, and a fresh request id for the next press.
      const values = normalize({ ...f, printer: f.printer || undefined });
      return sendPage(c, <LabelsPage {...pageProps(values, { errors: [e.message], actor: f.actor })} />, e.code === 'invalid' ? 400 : e.code === 'unavailable' ? 503 : 409);
    }
  });

  ui.get('/etiketter/nummer', (c) => {
    const svc = labels();
    const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
    const filter = ledgerFilterSchema.safeParse(raw);
    if (!filter.success) throw new ServiceError('invalid', 'Ogiltigt filter: ange dagar som ÅÅÅÅ-MM-DD.');
    const series = svc.labelSeries();
    const { entries, total, series: view } = svc.ledger(series.id, filter.data);
    const q = new URLSearchParams(Object.entries(filter.data).filter((kv): kv is [string, string] => typeof kv[1] === 'string' && kv[1] !== ''));
    const csvUrl = `/api/series/${encodeURIComponent(series.id)}/ledger.csv${q.size ? `?${q}` : ''}`;
    return sendPage(
      c,
      <LedgerPage
        unitName={unitName}
        timeZone={config.timezone}
        series={view}
        filter={filter.data}
        rows={entries}
        total={total}
        shown={Math.min(entries.length, LEDGER_ROWS_SHOWN)}
        csvUrl={csvUrl}
        today={formatStationDate(deps.clock.now(), config.timezone)}
        dayOf={(iso) => formatStationDate(new Date(iso), config.timezone)}
        warning={store.ledger.warning()}
      />,
    );
  });

  function reprintProps(number: string, values: { layout?: string; labels?: number; printer?: string; startPosition?: number }, errors?: string[]) {
    const svc = labels();
    const series = svc.labelSeries();
    const entry = store.ledgerOf(series.id).find((e) => e.number === number);
    if (!entry) throw new ServiceError('not-found', `Numret ${number} har inte utfärdats av den här stationen.`);
    if (entry.status !== 'issued') throw new ServiceError('conflict', `Numret ${number} är makulerat (det skrevs aldrig ut) och kan inte skrivas ut igen.`);
    const layouts = svc.layouts().filter((l) => l.printers.length);
    const layout = layouts.find((l) => l.id === values.layout) ?? layouts.find((l) => l.id === svc.defaultLayoutId()) ?? layouts[0];
    return {
      unitName,
      number,
      issuedAt: entry.issuedAt,
      reprints: entry.reprints.length,
      layouts,
      printers: config.printers.map((p) => ({ id: p.id, name: p.name })),
      values: { layout: layout?.id ?? '', labels: values.labels ?? 1, printer: values.printer, startPosition: values.startPosition },
      requestId: randomUUID(),
      errors,
    };
  }

  ui.get('/etiketter/kopia', (c) => {
    const number = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{1,40}$/).safeParse(c.req.query('number'));
    if (!number.success) throw new ServiceError('invalid', 'Ange numret som ska skrivas ut igen.');
    return sendPage(c, <ReprintPage {...reprintProps(number.data, {})} />);
  });

  ui.post('/etiketter/kopia', async (c) => {
    const body = await c.req.parseBody();
    const parsed = reprintForm.safeParse(body);
    const number = typeof body.number === 'string' ? body.number.trim().toUpperCase() : '';
    if (!parsed.success) {
      const errors = [...new Set(parsed.error.issues.map((i) => (i.path[0] === 'requestId' ? 'Sidan var inaktuell. Tryck på Skriv ut kopia igen.' : i.message)))];
      return sendPage(c, <ReprintPage {...reprintProps(number, {}, errors)} />, 400);
    }
    const f = parsed.data;
    const [layoutId, printerId] = f.target.split('@') as [string, string];
    const layout = labels().layouts().find((l) => l.id === layoutId);
    try {
      const r = await labels().reprint({
        number: f.number,
        labels: f.labels ?? 1,
        layout: layoutId,
        printer: printerId,
        startPosition: layout?.kind === 'sheet' ? f.startPosition : undefined,
        requestId: f.requestId,
      });
      return c.redirect(`/batches/${encodeURIComponent(r.batch.id)}`, 303);
    } catch (e) {
      if (!(e instanceof ServiceError) || e.code !== 'invalid') throw e;
      return sendPage(c, <ReprintPage {...reprintProps(f.number.toUpperCase(), { layout: layoutId, printer: printerId, labels: f.labels, startPosition: f.startPosition }, [e.message])} />, 400);
    }
  });

  ui.get('/static/:file{labels\\.(css|js)}', (c) => {
    const asset = labelAssets[c.req.param('file') as keyof typeof labelAssets];
    return sendAsset(c, asset);
  });

  return ui;
}
