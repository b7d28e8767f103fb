// Turns planned documents into print jobs, for kits and single documents alike: checks what a
// document needs (a date, a prescriber, a series and a range), says which numbers each numbered
// document draws (numberDraws; the print path checks, draws and records them durably before
// anything carrying them is rendered), renders, and keeps each job's recipe so it can be rendered
// again after a restart or when its spool file is gone.
import { z } from 'zod';
import type { SeriesConfig, StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { formSeries } from '../catalog/catalog.js';
import { documentKind, type DocumentTemplate } from '../catalog/document-schema.js';
import type { LabelLayout } from '../catalog/label-layout-schema.js';
import type { FormTemplate } from '../catalog/template-schema.js';
import { PlanError, type PlanItem, type PlannableDoc } from '../domain/kit-plan.js';
import { entriesInRange, isCalendarDate, seriesKind } from '../domain/reconciliation.js';
import { labelSeriesOf } from '../domain/label-plan.js';
import { formatSerial } from '../domain/serials.js';
import { checkOverprint, renderDocument, renderLabels, RenderError, type FormCache, type LabelRenderer, type Prescriber, type RenderedPdf } from '../render/index.js';
import { coverPlan, type Shortfall } from '../domain/number-cover.js';
import { blockInfo, blockShortText, type BlockInfo } from '../domain/wording.js';
import { slipsNumbersFor } from '../catalog/form-geometry.js';
import type { Store } from '../store/store.js';
import { ServiceError } from './errors.js';
import { labelPrinterFor } from './enqueue-batch.js';
import type { NumberDraw } from './print-path.js';
import { checkStartPosition, LABELS_DOCUMENT_ID } from './label-service.js';

/** What a single print may add to "which document, how many". */
export interface DocumentRequest {
  /** YYYY-MM-DD: the day a list is for (Mottagningslista). */
  validFor?: string;
  /** The overprint's prescriber, entered at the station. */
  prescriber?: Prescriber;
  /** Or one of config.prescribers, by förskrivarkod. */
  prescriberCode?: string;
  /** The overprint's calibration page instead of the overprint. */
  calibration?: boolean;
  /** A ledger list (Avstämningslista): which series, issued from … to (YYYY-MM-DD, inclusive). */
  series?: string;
  from?: string;
  to?: string;
  /** A numbered form printed with labels: labels per number and layout (defaults from the template). */
  labelsPerNumber?: number;
  labelLayout?: string;
  /** Where the referral's labels start on a partly used sheet (1-based), as for a label print. */
  startPosition?: number;
}

/**
 * Labels of a referral set up to this many render on the calling thread; more go to the worker.
 * For the longest event-loop stall during a kit (goal < 50 ms, bench/run.ts): a few sheets stamp in
 * a millisecond or two, a large set would hold the loop for tens of ms.
 */
export const IN_PROCESS_LABELS = 240;

/** A request checked against its document: what rendering needs, nothing left to look up. */
export interface ResolvedRequest {
  validFor?: string;
  prescriber?: Prescriber;
  calibration?: boolean;
  ledger?: { series: SeriesConfig; from: string; to: string };
  labels?: { layout: LabelLayout; perNumber: number; startPosition?: number };
}

export interface PreparedJob {
  documentId: string;
  title: string;
  pdf: Uint8Array;
  pages: number;
  copies: number;
  printerId: string;
  duplex: boolean;
  /** IPP media for this job when it is not the printer's own (labels, receptblanketter). */
  media?: string;
}

/** A recipe as stored on a job: checked again when read back after a restart. */
const renderRecipeSchema = z.object({
  /** Of a numbered referral with labels: which of its two jobs this is. */
  part: z.enum(['form', 'labels']).optional(),
  item: z.object({
    documentId: z.string(),
    title: z.string(),
    copies: z.number().int().min(1),
    printerId: z.string(),
    role: z.string(),
    duplex: z.boolean(),
    seriesId: z.string().optional(),
  }),
  serials: z.array(z.string()).optional(),
  printedAt: z.string(),
  req: z.object({
    validFor: z.string().optional(),
    prescriber: z.object({ name: z.string(), profession: z.string(), prescriberCode: z.string() }).optional(),
    calibration: z.boolean().optional(),
    ledger: z.object({ series: z.string(), from: z.string(), to: z.string() }).optional(),
    labels: z.object({ layout: z.string(), perNumber: z.number().int().min(1), startPosition: z.number().int().min(1).optional() }).optional(),
  }),
});
export type RenderRecipe = z.infer<typeof renderRecipeSchema>;

export interface DocumentJobsDeps {
  config: StationConfig;
  catalog: Pick<Catalog, 'forms' | 'documents' | 'labels'>;
  store: Store;
  formCache: FormCache;
  /** Renders label sheets for referral sets (the label service's worker). */
  labelRenderer?: LabelRenderer;
}

/** What the planner needs of every document; numbered forms carry their series. */
export function plannableDocuments(catalog: Pick<Catalog, 'documents'>): Map<string, PlannableDoc> {
  return new Map(
    [...catalog.documents.values()].map((d) => [
      d.id,
      { id: d.id, name: d.name, role: d.role, duplex: d.kind === 'overprint' || d.kind === 'ledger' ? false : d.duplex, seriesId: d.kind === 'overprint' || d.kind === 'ledger' ? undefined : formSeries(d) },
    ]),
  );
}

/**
 * What a plan prints, line by line as staff see it before pressing: each planned document, and
 * right after a referral printed with labels, its labels (one line per referral × labels each).
 */
export function printedLines(
  plan: readonly PlanItem[],
  catalog: Pick<Catalog, 'documents' | 'labels'>,
  config: StationConfig,
): Array<{ documentId: string; title: string; copies: number; printerId: string; item: PlanItem }> {
  return plan.flatMap((item) => {
    const line = { documentId: item.documentId, title: item.title, copies: item.copies, printerId: item.printerId, item };
    const doc = catalog.documents.get(item.documentId);
    const layout = doc && doc.kind !== 'overprint' && doc.kind !== 'ledger' && doc.labels ? catalog.labels.get(doc.labels.layout) : undefined;
    if (!doc || !layout || doc.kind === 'overprint' || doc.kind === 'ledger' || !doc.labels) return [line];
    // What the press will do (labelPrinterFor); a plan it would refuse shows the form's printer.
    let printerId = item.printerId;
    try {
      printerId = labelPrinterFor(config, layout, item.printerId).id;
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
    }
    return [line, { documentId: LABELS_DOCUMENT_ID, title: `Remissetiketter, ${doc.labels.perNumber} per remiss`, copies: item.copies, printerId, item }];
  });
}

/** How many numbers `copies` of a document take: one per copy, or per slip number on each sheet. */
export function numbersFor(doc: DocumentTemplate, copies: number): number {
  if (doc.kind === 'overprint' || doc.kind === 'ledger' || formSeries(doc) === undefined) return 0;
  return doc.slips ? slipsNumbersFor(doc, copies) : copies;
}

/** A numbered document of a kit that its block could not (fully) cover: kept on the batch. */
export interface NotPrinted {
  documentId: string;
  title: string;
  seriesId: string;
  wanted: number;
  printed: number;
  /** The one wording (blockShortText, 'partial'): what did not print, why, whom to call. */
  text: string;
}

type CoverDeps = Pick<DocumentJobsDeps, 'config' | 'store'> & { catalog: Pick<Catalog, 'documents'> };

function coverWith(deps: CoverDeps, plan: readonly PlanItem[]) {
  const { config, catalog, store } = deps;
  return coverPlan(
    plan,
    (item, copies) => numbersFor(catalog.documents.get(item.documentId)!, copies),
    (sid) => {
      const s = config.series.find((x) => x.id === sid);
      return s ? store.ledger.status(s).remaining : 0;
    },
  );
}

function notPrintedOf(config: StationConfig, s: Shortfall<PlanItem>, outcome: 'before' | 'partial'): NotPrinted {
  const series = config.series.find((x) => x.id === s.seriesId);
  const info: BlockInfo = series ? blockInfo(series) : { name: s.seriesId, contact: 'enhetens administratör' };
  return { documentId: s.item.documentId, title: s.item.title, seriesId: s.seriesId, wanted: s.wanted, printed: s.printed, text: blockShortText(info, s.printed, s.wanted, s.item.title, outcome) };
}

/**
 * A kit prints what it can: each numbered item is cut to what its block still covers (in kit
 * order), items the block cannot cover at all are dropped, and what did not print is returned
 * with the reason, for the batch, the progress page and the audit log. Draws nothing.
 */
export function coverNumbers(deps: CoverDeps, plan: readonly PlanItem[]): { plan: PlanItem[]; notPrinted: NotPrinted[] } {
  const { covered, short } = coverWith(deps, plan);
  return {
    plan: covered.filter((c) => c.copies > 0).map((c) => (c.copies === c.item.copies ? c.item : { ...c.item, copies: c.copies })),
    notPrinted: short.map((s) => notPrintedOf(deps.config, s, 'partial')),
  };
}

/** The confirm page's view of the same rule, before the press: per item the copies that will print. */
export function coverPreview(deps: CoverDeps, plan: readonly PlanItem[]): { copies: Map<PlanItem, number>; warnings: NotPrinted[] } {
  const { covered, short } = coverWith(deps, plan);
  return { copies: new Map(covered.map((c) => [c.item, c.copies])), warnings: short.map((s) => notPrintedOf(deps.config, s, 'before')) };
}

export class DocumentJobs {
  constructor(private deps: DocumentJobsDeps) {}

  /**
   * Checks what a single print asks for against its document, before anything is drawn or
   * rendered. Throws ServiceError (400/404/409) with the reason in Swedish.
   */
  resolve(doc: DocumentTemplate, req: DocumentRequest): ResolvedRequest {
    const { config } = this.deps;
    const kind = documentKind(doc);
    const out: ResolvedRequest = {};
    const refuse = (field: string, what: string) => {
      throw new ServiceError('invalid', `${field} gäller inte ${doc.name}: ${what}`, { reason: 'not-for-document', field });
    };
    if (req.validFor !== undefined) {
      if (kind === 'overprint' || kind === 'ledger') refuse('validFor', 'datum anges bara för listor som Mottagningslista.');
      if (!isCalendarDate(req.validFor)) throw new ServiceError('invalid', `Datumet "${req.validFor}" är inte ett giltigt datum (ÅÅÅÅ-MM-DD).`, { field: 'validFor' });
      out.validFor = req.validFor;
    }
    if (kind !== 'overprint' && (req.prescriber || req.prescriberCode || req.calibration)) refuse('prescriber', 'förskrivare och kalibrering gäller bara receptöverskriften.');
    if (kind !== 'ledger' && (req.series || req.from || req.to)) refuse('series', 'nummerserie och period gäller bara avstämningslistan.');
    const form = doc.kind === 'overprint' || doc.kind === 'ledger' ? undefined : doc;
    if (!form?.labels && (req.labelsPerNumber !== undefined || req.labelLayout !== undefined || req.startPosition !== undefined)) refuse('labels', 'etiketter skrivs bara ut med numrerade remisser.');

    if (doc.kind === 'overprint') {
      if (req.prescriber && req.prescriberCode) throw new ServiceError('invalid', 'Ange antingen en förskrivare från listan eller en ny förskrivare, inte båda.', { field: 'prescriber' });
      if (req.prescriberCode) {
        const p = config.prescribers.find((x) => x.prescriberCode === req.prescriberCode);
        if (!p) throw new ServiceError('invalid', `Det finns ingen förskrivare med förskrivarkod ${req.prescriberCode} i stationens lista.`, { field: 'prescriberCode' });
        out.prescriber = { name: p.name, profession: p.profession, prescriberCode: p.prescriberCode };
      } else if (req.prescriber) out.prescriber = { ...req.prescriber };
      out.calibration = req.calibration ?? false;
      if (!out.calibration) {
        if (!out.prescriber) throw new ServiceError('invalid', 'Välj förskrivare (eller fyll i namn, yrke och förskrivarkod) innan receptblanketterna skrivs ut.', { field: 'prescriber' });
        try {
          checkOverprint(doc, config, out.prescriber);
        } catch (e) {
          if (e instanceof RenderError) throw new ServiceError('conflict', e.message, { reason: 'overprint' });
          throw e;
        }
      }
    }

    if (doc.kind === 'ledger') {
      if (!req.series) throw new ServiceError('invalid', 'Välj vilken nummerserie listan gäller.', { field: 'series' });
      const series = config.series.find((s) => s.id === req.series);
      if (!series) throw new ServiceError('not-found', `Det finns ingen nummerserie "${req.series}".`, { field: 'series' });
      if (!req.from || !req.to) throw new ServiceError('invalid', 'Ange perioden: från och till (ÅÅÅÅ-MM-DD).', { field: 'from' });
      for (const [field, v] of [['from', req.from], ['to', req.to]] as const)
        if (!isCalendarDate(v)) throw new ServiceError('invalid', `Datumet "${v}" är inte ett giltigt datum (ÅÅÅÅ-MM-DD).`, { field });
      if (req.from > req.to) throw new ServiceError('invalid', `Perioden börjar (${req.from}) efter att den slutar (${req.to}).`, { field: 'to' });
      out.ledger = { series, from: req.from, to: req.to };
    }

    if (form?.labels) {
      const id = req.labelLayout ?? form.labels.layout;
      const layout = this.deps.catalog.labels.get(id);
      if (!layout) throw new ServiceError('invalid', `Det finns ingen etikettlayout "${id}" (finns: ${[...this.deps.catalog.labels.keys()].join(', ') || 'inga'}).`, { field: 'labelLayout' });
      const perNumber = req.labelsPerNumber ?? form.labels.perNumber;
      checkStartPosition(layout, perNumber, req.startPosition);
      out.labels = { layout, perNumber, ...(req.startPosition !== undefined ? { startPosition: req.startPosition } : {}) };
    }
    return out;
  }

  /** A kit prints what it can (coverNumbers below), with this station's blocks. */
  coverNumbers(plan: readonly PlanItem[]): { plan: PlanItem[]; notPrinted: NotPrinted[] } {
    return coverNumbers(this.deps, plan);
  }

  /**
   * The numbers each numbered item draws (one per copy, or per slip number on each sheet), from
   * which series: the print path checks them against the blocks and draws them, in this order.
   */
  numberDraws(plan: readonly PlanItem[]): Array<{ item: PlanItem; draw: NumberDraw }> {
    const { config, catalog } = this.deps;
    const out: Array<{ item: PlanItem; draw: NumberDraw }> = [];
    for (const item of plan) {
      const doc = catalog.documents.get(item.documentId)!;
      const count = numbersFor(doc, item.copies);
      if (!count || !item.seriesId) continue;
      const series = config.series.find((x) => x.id === item.seriesId);
      if (!series) throw new ServiceError('unavailable', `Nummerserien "${item.seriesId}" finns inte i stationens konfiguration.`);
      out.push({ item, draw: { series, count, documentId: doc.id, what: doc.name } });
    }
    return out;
  }

  /**
   * True when an item is in the day's form cache already (no numbers, nothing per print but its
   * date, rendered earlier today): it can be spooled before the answer. Everything else renders after
   * (held; see print-path.ts HeldJob for the figures that keeps).
   */
  isCached(item: PlanItem, req: ResolvedRequest, serials: readonly string[] | undefined, printedAt: Date): boolean {
    const doc = this.deps.catalog.documents.get(item.documentId)!;
    return !serials?.length && doc.kind !== 'overprint' && doc.kind !== 'ledger' && this.deps.formCache.has(doc, { config: this.deps.config, printedAt, validFor: req.validFor });
  }

  /** Renders one plan item: one job, or a referral and its labels (two). */
  renderPlanItem(item: PlanItem, req: ResolvedRequest, serials: string[] | undefined, printedAt: Date, part?: 'form' | 'labels'): Promise<PreparedJob[]> {
    return this.renderItem(this.deps.catalog.documents.get(item.documentId)!, item, req, serials, printedAt, part);
  }

  /** The jobs an item will make, before rendering: its own, and its labels' for a numbered referral. */
  parts(item: PlanItem, req: ResolvedRequest, serials: string[] | undefined): Array<{ part?: 'form' | 'labels'; documentId: string; title: string; printerId: string; media?: string }> {
    const doc = this.deps.catalog.documents.get(item.documentId)!;
    if (!serials?.length || doc.kind === 'overprint' || doc.kind === 'ledger' || !doc.labels) return [{ documentId: item.documentId, title: item.title, printerId: item.printerId }];
    const l = this.labelPlan(doc, serials, req, item.printerId);
    return [
      { part: 'form', documentId: item.documentId, title: item.title, printerId: item.printerId },
      { part: 'labels', documentId: LABELS_DOCUMENT_ID, title: l.title, printerId: l.printerId, media: l.layout.media },
    ];
  }

  /**
   * What rendering an item needs, as plain data to keep on its job: a station that dies before
   * the document is rendered renders it after the restart, with the same numbers.
   */
  recipe(item: PlanItem, req: ResolvedRequest, serials: string[] | undefined, printedAt: Date, part?: 'form' | 'labels'): RenderRecipe {
    return {
      part,
      item: { ...item },
      serials,
      printedAt: printedAt.toISOString(),
      req: {
        validFor: req.validFor,
        prescriber: req.prescriber,
        calibration: req.calibration,
        ledger: req.ledger && { series: req.ledger.series.id, from: req.ledger.from, to: req.ledger.to },
        labels: req.labels && { layout: req.labels.layout.id, perNumber: req.labels.perNumber, startPosition: req.labels.startPosition },
      },
    };
  }

  /** Renders from a recipe kept on a job (see recipe()). */
  renderRecipe(raw: unknown): Promise<PreparedJob[]> {
    const r = renderRecipeSchema.parse(raw);
    const { config, catalog } = this.deps;
    if (!catalog.documents.has(r.item.documentId)) throw new ServiceError('not-found', `Dokumentet "${r.item.documentId}" finns inte längre på stationen.`);
    const series = r.req.ledger && config.series.find((s) => s.id === r.req.ledger!.series);
    const layout = r.req.labels && catalog.labels.get(r.req.labels.layout);
    if (r.req.ledger && !series) throw new ServiceError('not-found', `Nummerserien "${r.req.ledger.series}" finns inte längre.`);
    if (r.req.labels && !layout) throw new ServiceError('not-found', `Etikettlayouten "${r.req.labels.layout}" finns inte längre.`);
    const req: ResolvedRequest = {
      validFor: r.req.validFor,
      prescriber: r.req.prescriber,
      calibration: r.req.calibration,
      ledger: r.req.ledger && series ? { series, from: r.req.ledger.from, to: r.req.ledger.to } : undefined,
      labels: r.req.labels && layout ? { layout, perNumber: r.req.labels.perNumber, startPosition: r.req.labels.startPosition } : undefined,
    };
    return this.renderPlanItem(r.item, req, r.serials, new Date(r.printedAt), r.part);
  }

  /**
   * Renders an item: one job, or a numbered referral and its labels (two). `part` renders just the
   * form or just the labels (each has a job of its own while it waits to be rendered).
   */
  private async renderItem(doc: DocumentTemplate, item: PlanItem, req: ResolvedRequest, serials: string[] | undefined, printedAt: Date, part?: 'form' | 'labels'): Promise<PreparedJob[]> {
    const { config } = this.deps;
    const base = { documentId: doc.id, title: item.title, printerId: item.printerId, duplex: item.duplex };
    if (doc.kind === 'overprint') {
      const r = await this.render(doc, { prescriber: req.prescriber, calibration: req.calibration }, printedAt);
      return [{ ...base, ...r, copies: item.copies, title: req.calibration ? `${doc.name} – kalibreringssida` : `${doc.name} (${req.prescriber!.name})`, media: doc.media }];
    }
    if (doc.kind === 'ledger') {
      const l = req.ledger!;
      const entries = entriesInRange(this.deps.store.ledgerOf(l.series.id), l.from, l.to, config.timezone);
      const kind = seriesKind(l.series, labelSeriesOf(config)?.id);
      const r = await this.render(doc, { ledger: { ...l, entries, kind, documentName: (id) => this.documentName(id) } }, printedAt);
      return [{ ...base, ...r, copies: item.copies, title: `${doc.name} ${l.series.name} ${l.from}–${l.to}` }];
    }
    if (serials?.length) {
      // A numbered document: one job, one copy per number (or a sheet of slips per few numbers).
      if (part === 'labels' && doc.labels) return [await this.labelJob(doc, serials, req, printedAt, item.printerId)];
      // Stamped onto the day's template of the form (numbered.ts): milliseconds a copy, where a
      // layout by pdfmake costs a whole form's render. Kept for the kit figures in docs/testing.md
      // (kit vs ipptool ≤ 1.0 with a 0.25 s printer; longest event-loop stall during a kit < 50 ms).
      const r = await this.deps.formCache.numbered(doc, { config, printedAt, validFor: req.validFor }, serials);
      const jobs: PreparedJob[] = [{ ...base, ...r, copies: 1 }];
      if (doc.labels && part !== 'form') jobs.push(await this.labelJob(doc, serials, req, printedAt, item.printerId));
      return jobs;
    }
    const r = await this.deps.formCache.get(doc, { config, printedAt, validFor: req.validFor });
    return [{ ...base, ...r, copies: item.copies }];
  }

  private render(doc: DocumentTemplate, input: Omit<Parameters<typeof renderDocument>[1], 'config' | 'printedAt'>, printedAt: Date): Promise<RenderedPdf> {
    return renderDocument(doc, { ...input, config: this.deps.config, printedAt });
  }

  /** The referral's labels: the same numbers, K labels each, on the layout's printer. */
  /** Where and as what a referral's labels print: known before anything is rendered. */
  labelPlan(form: FormTemplate, numbers: readonly string[], req: ResolvedRequest, formPrinterId: string): { layout: LabelLayout; perNumber: number; startPosition?: number; printerId: string; title: string } {
    const { config } = this.deps;
    const labels = req.labels ?? { layout: this.deps.catalog.labels.get(form.labels!.layout)!, perNumber: form.labels!.perNumber };
    if (!labels.layout) throw new ServiceError('unavailable', `Etikettlayouten "${form.labels!.layout}" finns inte på stationen.`);
    let printerId: string;
    try {
      printerId = labelPrinterFor(config, labels.layout, formPrinterId).id;
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      throw new ServiceError('unavailable', `Ingen skrivare tar etiketterna till ${form.name}: ${e.message}`);
    }
    const range = numbers.length > 1 ? `${numbers[0]}–${numbers.at(-1)}` : numbers[0]!;
    return { ...labels, printerId, title: `Remissetiketter till ${form.name.toLowerCase()} ${range} (${numbers.length} × ${labels.perNumber})` };
  }

  private async labelJob(form: FormTemplate, numbers: string[], req: ResolvedRequest, printedAt: Date, formPrinterId: string): Promise<PreparedJob> {
    const { config } = this.deps;
    const plan = this.labelPlan(form, numbers, req, formPrinterId);
    const input = {
      layout: plan.layout,
      items: numbers.map((number) => ({ number })),
      labelsPerNumber: plan.perNumber,
      startPosition: plan.startPosition,
      config: { unit: config.unit, routine: config.routine, timezone: config.timezone },
      printedAt,
    };
    // A set's few sheets are stamped here in a millisecond or two (less than handing them to the
    // worker costs); only a large set goes to the worker.
    const large = numbers.length * plan.perNumber > IN_PROCESS_LABELS;
    const { pdf, pages } = large && this.deps.labelRenderer ? await this.deps.labelRenderer.render(input) : await renderLabels(input);
    return { documentId: LABELS_DOCUMENT_ID, title: plan.title, pdf, pages, copies: 1, printerId: plan.printerId, duplex: false, media: plan.layout.media };
  }

  /** The name of the document that drew a number, for the avstämningslista. */
  documentName(id: string | undefined): string {
    if (!id) return '–';
    if (id === LABELS_DOCUMENT_ID) return 'Remissetiketter';
    return this.deps.catalog.documents.get(id)?.name ?? id;
  }
}
