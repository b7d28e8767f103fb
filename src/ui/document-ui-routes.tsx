// Touchscreen pages of the single documents, mounted by ui-routes.tsx: the list of every document,
// the print page of one (copies and what it needs), the form post that prints it (→ the batch page),
// and the pages' own static files. Each handler parses its input with zod, calls the print service
// and renders; a refusal comes back on the same page with the reason in Swedish.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { StationConfig } from '../config.js';
import { requestIdSchema } from '../http/api-routes.js';
import { initialsSchema, textInt } from '../http/validate.js';
import { prescriberSchema } from '../http/document-routes.js';
import { printerForRole, PlanError } from '../domain/kit-plan.js';
import { labelPrinterFor } from '../services/enqueue-batch.js';
import { addDays, formatStationDate } from '../domain/time.js';
import { entriesInRange, isCalendarDate } from '../domain/reconciliation.js';
import { blockShortText } from '../domain/wording.js';
import { describeDocument, describeDocuments, MAX_DOCUMENT_COPIES, type DocumentInfo } from '../services/document-info.js';
import type { DocumentRequest } from '../services/document-jobs.js';
import { ServiceError } from '../services/errors.js';
import { documentAssets } from './document-assets.js';
import { printerChoices } from './views/printer-choice.js';
import { labelsPerPage } from '../catalog/label-layout-schema.js';
import { sendAsset, sendPage } from './layout.js';
import { DocumentPrintPage, DocumentsPage, type DocumentPrintValues } from './pages/documents-page.js';

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional());
const optionalDate = z.preprocess(blankToUndefined, z.string().refine(isCalendarDate, 'Ange ett giltigt datum (ÅÅÅÅ-MM-DD).').optional());

const printForm = z.object({
  requestId: requestIdSchema,
  copies: textInt(1, MAX_DOCUMENT_COPIES, { missing: 'Ange antal.', notInt: 'Antal ska vara ett heltal.', tooSmall: 'Minst 1.', tooBig: `Högst ${MAX_DOCUMENT_COPIES} åt gången.` }),
  actor: z.preprocess(blankToUndefined, initialsSchema.optional()),
  validFor: optionalDate,
  prescriber: optionalText(20),
  name: optionalText(200),
  profession: optionalText(200),
  prescriberCode: optionalText(20),
  calibration: z.preprocess(blankToUndefined, z.literal('1').optional()),
  series: optionalText(64),
  from: optionalDate,
  to: optionalDate,
  printer: optionalText(64),
  labelsPerNumber: z.preprocess(
    blankToUndefined,
    textInt(1, 20, { notInt: 'Etiketter per remiss ska vara ett heltal.', tooSmall: 'Minst 1 etikett per remiss.', tooBig: 'Högst 20 etiketter per remiss.' }).optional(),
  ),
  // the sheet's own bound is checked by the print service (checkStartPosition), with its message
  startPosition: z.preprocess(
    blankToUndefined,
    textInt(1, 400, { notInt: 'Etikettpositionen ska vara ett heltal.', tooSmall: 'Etikettpositionen börjar på 1.', tooBig: 'Etikettpositionen får vara högst 400.' }).optional(),
  ),
});
type PrintForm = z.infer<typeof printForm>;

/** What the page shows before anything is posted; lenient (a bad value falls back to the default). */
const viewQuery = z.object({
  validFor: z.string().refine(isCalendarDate).optional().catch(undefined),
  series: z.string().max(64).optional().catch(undefined),
  from: z.string().refine(isCalendarDate).optional().catch(undefined),
  to: z.string().refine(isCalendarDate).optional().catch(undefined),
  copies: textInt(1, MAX_DOCUMENT_COPIES).optional().catch(undefined),
});

const fieldNames: Record<string, string> = { name: 'Namn', profession: 'Yrke', prescriberCode: 'Förskrivarkod' };

export function documentUiRoutes(deps: AppDeps) {
  const { config, catalog, store, monitor } = deps;
  const unitName = config.unit.name;
  const ui = new Hono();

  ui.get('/dokument', (c) => sendPage(c, <DocumentsPage unitName={unitName} documents={describeDocuments(catalog, config, store)} />));

  ui.get('/dokument/:id', (c) => {
    const info = documentInfo(c.req.param('id'));
    const q = viewQuery.parse(c.req.query());
    deps.printService.warmUp();
    return sendPage(c, <DocumentPrintPage {...pageProps(info, defaults(info, q))} />);
  });

  ui.post('/dokument/:id/print', async (c) => {
    const info = documentInfo(c.req.param('id'));
    const parsed = printForm.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      // Nothing was printed: the same page again with what to fix (and a fresh request id).
      const raw = (await c.req.parseBody()) as Record<string, string>;
      const errors = [...new Set(parsed.error.issues.map((i) => (i.path[0] === 'requestId' ? 'Sidan var inaktuell. Kontrollera och tryck på Skriv ut igen.' : i.message)))];
      return again(c, info, { ...defaults(info, {}), ...looseValues(raw) }, errors, 400);
    }
    const f = parsed.data;
    let req: DocumentRequest;
    try {
      req = toRequest(f);
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      return again(c, info, formValues(f), [e.message], 400);
    }
    try {
      const r = await deps.printService.printDocument(info.id, f.copies, { ...req, requestId: f.requestId, actor: f.actor, printer: f.printer });
      return c.redirect(`/batches/${encodeURIComponent(r.batch.id)}`, 303);
    } catch (e) {
      // A refusal (bad input, used-up block, missing setting) is shown on the page; anything else is a fault.
      if (!(e instanceof ServiceError) || !['invalid', 'conflict', 'exhausted', 'not-found', 'unavailable'].includes(e.code)) throw e;
      return again(c, info, formValues(f), [e.message], e.code === 'invalid' ? 400 : e.code === 'not-found' ? 404 : e.code === 'unavailable' ? 503 : 409);
    }
  });

  ui.get('/static/:file{documents\\.(css|js)}', (c) => {
    const asset = documentAssets[c.req.param('file') as keyof typeof documentAssets];
    return sendAsset(c, asset);
  });

  function documentInfo(id: string): DocumentInfo {
    const doc = catalog.documents.get(id);
    if (!doc) throw new ServiceError('not-found', `Det finns inget dokument som heter ”${id}”.`);
    return describeDocument(doc, config, store);
  }

  /** Start values: today's list, the first prescriber, the labels' series and today's numbers. */
  function defaults(info: DocumentInfo, q: z.infer<typeof viewQuery>): DocumentPrintValues {
    const today = formatStationDate(deps.clock.now(), config.timezone);
    const v: DocumentPrintValues = { copies: q.copies ?? 1 };
    if (info.needs.includes('validFor')) v.validFor = q.validFor ?? today;
    if (info.needs.includes('prescriber')) v.prescriber = config.prescribers[0] ? `code:${config.prescribers[0].prescriberCode}` : 'other';
    if (info.needs.includes('range')) {
      v.series = q.series && config.series.some((s) => s.id === q.series) ? q.series : config.series[0]?.id;
      v.from = q.from ?? today;
      v.to = q.to ?? today;
    }
    return v;
  }

  function pageProps(info: DocumentInfo, values: DocumentPrintValues, extra: { errors?: string[] } = {}) {
    const today = formatStationDate(deps.clock.now(), config.timezone);
    const range = info.needs.includes('range') && values.series && values.from && values.to && values.from <= values.to ? values : undefined;
    const rangeCount = range ? entriesInRange(store.ledgerOf(range.series!), range.from!, range.to!, config.timezone).length : undefined;
    const role = catalog.documents.get(info.id)?.role ?? 'a4';
    const printerIds = printersFor(role, config);
    return {
      unitName,
      doc: info,
      values,
      maxCopies: MAX_DOCUMENT_COPIES,
      requestId: randomUUID(),
      printers: printerIds.map((id) => monitor.get(id)).filter((p) => p !== undefined),
      choices: printerChoices(config, monitor, { roles: [role], media: docMedia(info.id) }, printerIds),
      itSupport: config.unit.itSupport,
      prescribers: config.prescribers,
      series: config.series.map((s) => ({ id: s.id, name: s.name, issued: store.ledgerOf(s.id).length })),
      today,
      tomorrow: addDays(today, 1),
      rangeCount,
      labelsNote: labelsNote(info),
      labelSheet: labelSheet(info),
      blocked: info.numbered?.exhausted
        ? blockShortText({ name: info.numbered.seriesName, contact: info.numbered.contact }, 0, 1, info.name, 'cannot')
        : undefined,
      ...extra,
    };
  }

  /** A document's own media (receptblanketter), which another printer must have too. */
  function docMedia(id: string): string | undefined {
    const d = catalog.documents.get(id);
    return d?.kind === 'overprint' ? d.media : undefined;
  }

  function labelsNote(info: DocumentInfo): string | undefined {
    if (!info.labels) return undefined;
    const layout = catalog.labels.get(info.labels.layout);
    if (!layout) return undefined;
    let printer: string;
    try {
      // The press's own rule (labelPrinterFor); with no label printer, sheets go with the referrals.
      printer = labelPrinterFor(config, layout).name;
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      printer = 'samma skrivare som remisserna';
    }
    return `Etiketterna skrivs ut på ${layout.name} (${printer}), med samma nummer som remissen.`;
  }

  /** Positions per sheet when a referral's labels go to a sheet layout (a roll has no start position). */
  function labelSheet(info: DocumentInfo): { perPage: number } | undefined {
    const layout = info.labels ? catalog.labels.get(info.labels.layout) : undefined;
    return layout?.kind === 'sheet' ? { perPage: labelsPerPage(layout) } : undefined;
  }

  function again(c: Context, info: DocumentInfo, values: DocumentPrintValues, errors: string[], status: 400 | 404 | 409 | 503) {
    return sendPage(c, <DocumentPrintPage {...pageProps(info, values, { errors })} />, status);
  }

  return ui;
}

/** The printer a document goes to (its role's), for the state shown beside "Skriv ut". */
function printersFor(role: string, config: StationConfig): string[] {
  try {
    return [printerForRole(config, role).id];
  } catch (e) {
    if (e instanceof PlanError) return [];
    throw e;
  }
}

/** Turns the posted fields into what the print service takes; the prescriber is checked here. */
function toRequest(f: PrintForm): DocumentRequest {
  const req: DocumentRequest = {};
  if (f.validFor) req.validFor = f.validFor;
  if (f.series) req.series = f.series;
  if (f.from) req.from = f.from;
  if (f.to) req.to = f.to;
  if (f.labelsPerNumber !== undefined) req.labelsPerNumber = f.labelsPerNumber;
  if (f.startPosition !== undefined) req.startPosition = f.startPosition;
  if (f.calibration) req.calibration = true;
  if (f.prescriber?.startsWith('code:')) req.prescriberCode = f.prescriber.slice('code:'.length);
  else if (f.prescriber === 'other' && (!f.calibration || f.name || f.profession || f.prescriberCode)) {
    const p = prescriberSchema.safeParse({ name: f.name ?? '', profession: f.profession ?? '', prescriberCode: f.prescriberCode ?? '' });
    if (!p.success) {
      const why = p.error.issues.map((i) => `${fieldNames[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`);
      throw new ServiceError('invalid', `Fyll i förskrivaren: ${why.join('; ')}.`);
    }
    req.prescriber = p.data;
  }
  return req;
}

function formValues(f: PrintForm): DocumentPrintValues {
  return {
    copies: f.copies,
    validFor: f.validFor,
    prescriber: f.prescriber,
    name: f.name,
    profession: f.profession,
    prescriberCode: f.prescriberCode,
    series: f.series,
    from: f.from,
    to: f.to,
    labelsPerNumber: f.labelsPerNumber,
    startPosition: f.startPosition,
    actor: f.actor,
    printer: f.printer,
  };
}

/** What was posted, kept as typed when the form came back invalid (so nothing has to be typed again). */
function looseValues(raw: Record<string, string>): Partial<DocumentPrintValues> {
  const n = Number(raw.copies);
  const keep = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? String(raw[k]).slice(0, 200) : undefined);
  const out: Partial<DocumentPrintValues> = {};
  if (Number.isInteger(n) && n >= 1 && n <= MAX_DOCUMENT_COPIES) out.copies = n;
  const start = Number(raw.startPosition);
  if (Number.isInteger(start) && start >= 1 && start <= 400) out.startPosition = start;
  for (const k of ['validFor', 'prescriber', 'name', 'profession', 'prescriberCode', 'series', 'from', 'to', 'actor', 'printer'] as const) {
    const v = keep(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
