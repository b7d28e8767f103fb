// The label service: barcode referral labels on demand, from the station's reserved number block.
// It plans each label print (layout, printer, how many numbers, what the one job carries) and hands
// the plan to the one print path (print-path.ts): once per request id → printer check → numbers
// (on disk before anything is rendered) → render in the worker → spool → batch → wake the
// dispatcher. A crash before the batch is stored leaves the numbers as a gap (voided at start-up),
// never a duplicate; a render that fails voids its numbers at once. A reprint prints an issued
// number again marked "KOPIA" and records it in the ledger; it never draws a new number.
import type { PrinterConfig, SeriesConfig, StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { labelsPerPage, roleForLayout, type LabelLayout } from '../catalog/label-layout-schema.js';
import type { Batch, Job } from '../domain/job.js';
import { PlanError } from '../domain/kit-plan.js';
import { labelSeriesOf, layoutPrinterMismatch, LabelPlanError, matchingMedia, placeLabels, previewFirstPage, type PreviewCell } from '../domain/label-plan.js';
import { formatSerial, parseSerial, type SeriesStatus } from '../domain/serials.js';
import { barcodeModules, labelGeometry, layoutForSymbology, renderZpl, zplLabelGeometry, type LabelRenderer, type RenderLabelsInput } from '../render/index.js';
import { formatStationDate, formatStationDateTime } from '../domain/time.js';
import type { Spool } from '../printing/spool.js';
import { parsePatientId, parsePatientName, PatientIdError, type PatientId } from '../domain/patient-id.js';
import type { LedgerEntry, Store } from '../store/store.js';
import { ServiceError } from './errors.js';
import { exhaustedMessage as exhaustedText, labelPrinterFor } from './enqueue-batch.js';
import { PrintPath, type NumberDraw, type PrintPlan, type ReadyJob } from './print-path.js';

export const LABELS_DOCUMENT_ID = 'remissetiketter';
/** Upper bounds of one request: a large outage day, not a runaway loop. */
export const MAX_REFERRALS = 500;
export const MAX_LABELS_PER_REFERRAL = 20;
export const MAX_LABELS_PER_REQUEST = 2000;

export interface LabelServiceDeps {
  config: StationConfig;
  catalog: Pick<Catalog, 'labels'>;
  store: Store;
  spool: Spool;
  renderer: LabelRenderer;
  /** Wakes the dispatcher's queue for a printer. */
  kick: (printerId: string) => void;
  /** What the printer last reported: media-supported, and whether it takes PDF (null: not known yet). */
  printerInfo?: (printerId: string) => { mediaSupported: readonly string[]; acceptsPdf: boolean | null } | undefined;
  now?: () => Date;
}

export interface LabelRequest {
  referrals: number;
  labelsPerReferral: number;
  layout: string;
  /** A printer id from the config; default: the printer for the layout's role. */
  printer?: string;
  /** 1-based position on the first sheet (a partly used sheet). */
  startPosition?: number;
  requestId?: string;
  actor?: string;
}

export interface ReprintRequest {
  number: string;
  /** How many labels of that number; default 1. */
  labels?: number;
  layout: string;
  printer?: string;
  startPosition?: number;
  requestId?: string;
  actor?: string;
}

/** Patient-ID labels: the identity as text and Code 128, K labels, alone or beside new referral labels. */
export interface PatientLabelRequest {
  /** "personnummer" also takes a samordningsnummer; "reservnummer" is free text. */
  kind: 'personnummer' | 'reservnummer';
  identity: string;
  name?: string;
  /** K: labels of the identity, and of each referral number printed beside it. */
  labels: number;
  /** New referral numbers printed in the same job, K labels each (0: the patient-ID labels alone). */
  referrals?: number;
  layout: string;
  printer?: string;
  requestId?: string;
  actor?: string;
}

export interface LabelResult {
  batch: Batch;
  jobs: Job[];
  numbers: string[];
  /** Set when the block is running low (under the series' warnBelowPercent). */
  warning?: string;
  /** The request id was seen before: nothing new was printed or drawn. */
  duplicate: boolean;
}

export interface LayoutView {
  id: string;
  name: string;
  description?: string;
  kind: 'sheet' | 'roll';
  labelsPerPage: number;
  columns: number;
  rows: number;
  label: { width: number; height: number };
  symbology: LabelLayout['barcode']['symbology'];
  media: string;
  role: 'labels-sheet' | 'labels-roll';
  /** Printers (ids) that can take it, by role and, where reported, media. */
  printers: string[];
  defaultPrinter?: string;
}

export interface SeriesView extends SeriesStatus {
  prefix: string;
  /** The block's first and last numbers as printed. */
  firstNumber: string;
  lastNumber: string;
  issued: number;
  voided: number;
  reprinted: number;
  /** The series referral labels draw from. */
  labels: boolean;
  /** Shown when the block is low or used up. */
  warning?: string;
}

export interface LedgerFilter {
  status?: 'issued' | 'voided' | 'reprinted';
  /** YYYY-MM-DD, inclusive, in the station's time zone (the day the number was issued). */
  from?: string;
  to?: string;
  /** Part of the number. */
  q?: string;
  batch?: string;
}

export interface LedgerRow {
  number: string;
  seq: number;
  status: LedgerEntry['status'];
  issuedAt: string;
  batchId?: string;
  reprints: LedgerEntry['reprints'];
  /** The check digit (and prefix and length) verify. */
  valid: boolean;
}

export interface LabelPreview {
  layout: LayoutView;
  cells: Array<PreviewCell & { number?: string }>;
  pages: number;
  labels: number;
  /** The numbers the request would get if printed now (another press may take them first). */
  numbers: string[];
  series: SeriesView;
  /** Why it cannot print as asked, in Swedish (the page shows it instead of the print button). */
  problem?: string;
  warning?: string;
}

/**
 * Whether labels of `labelsPerNumber` each can start at `startPosition` on a layout's first sheet
 * (a roll has none): the one check for label prints and for a referral printed with its labels.
 * Throws ServiceError with the reason in Swedish.
 */
export function checkStartPosition(layout: LabelLayout, labelsPerNumber: number, startPosition: number | undefined): void {
  try {
    placeLabels({ perPage: labelsPerPage(layout), items: 1, labelsPerItem: labelsPerNumber, startPosition });
  } catch (e) {
    if (e instanceof LabelPlanError) throw new ServiceError('invalid', e.message, { reason: 'start-position', field: 'startPosition' });
    throw e;
  }
}

export class LabelService {
  private path: PrintPath;

  constructor(private deps: LabelServiceDeps) {
    this.path = new PrintPath(deps);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  // ---- layouts, printers, series -------------------------------------------------------------

  layouts(): LayoutView[] {
    return [...this.deps.catalog.labels.values()].map((l) => this.layoutView(l));
  }

  private layoutView(l: LabelLayout): LayoutView {
    const role = roleForLayout(l);
    const printers = this.deps.config.printers.filter((p) => !this.printerMismatch(l, p)).map((p) => p.id);
    let defaultPrinter: string | undefined;
    try {
      // The press's own rule (labelPrinterFor), so the page starts on the printer the press takes.
      const p = labelPrinterFor(this.deps.config, l);
      defaultPrinter = printers.includes(p.id) ? p.id : printers[0];
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      defaultPrinter = printers[0];
    }
    return {
      id: l.id,
      name: l.name,
      description: l.description,
      kind: l.kind,
      labelsPerPage: labelsPerPage(l),
      columns: l.kind === 'sheet' ? l.grid.columns : 1,
      rows: l.kind === 'sheet' ? l.grid.rows : 1,
      label: { ...l.label },
      symbology: l.barcode.symbology,
      media: l.media,
      role,
      printers,
      defaultPrinter,
    };
  }

  /** The layout the page starts on: labels.defaultLayout, else the first. */
  defaultLayoutId(): string | undefined {
    return this.deps.config.labels.defaultLayout ?? [...this.deps.catalog.labels.keys()][0];
  }

  layout(id: string): LabelLayout {
    const l = this.deps.catalog.labels.get(id);
    if (!l) {
      const known = [...this.deps.catalog.labels.keys()].join(', ') || 'inga';
      throw new ServiceError('invalid', `Det finns ingen etikettlayout "${id}" (finns: ${known}).`, { reason: 'unknown-layout' });
    }
    return l;
  }

  private printerMismatch(layout: LabelLayout, printer: PrinterConfig): string | undefined {
    const info = this.deps.printerInfo?.(printer.id);
    // A ZPL printer is told the label size in the job itself (^PW, ^LL): its media list is not checked.
    return layoutPrinterMismatch(layout, printer, printer.format === 'zpl' ? [] : (info?.mediaSupported ?? []));
  }

  /** The printer a layout goes to: the one asked for (validated), else the default for its role. */
  resolvePrinter(layout: LabelLayout, printerId?: string): PrinterConfig {
    const { config } = this.deps;
    let printer: PrinterConfig | undefined;
    if (printerId !== undefined) {
      printer = config.printers.find((p) => p.id === printerId);
      if (!printer) throw new ServiceError('invalid', `Det finns ingen skrivare "${printerId}" i konfigurationen.`, { reason: 'unknown-printer' });
    } else {
      try {
        printer = labelPrinterFor(config, layout);
      } catch (e) {
        if (e instanceof PlanError)
          throw new ServiceError('invalid', `Ingen skrivare är inställd för layouten "${layout.name}" (rollen "${roleForLayout(layout)}" saknas i konfigurationen).`, {
            reason: 'no-printer',
          });
        throw e;
      }
    }
    const mismatch = this.printerMismatch(layout, printer);
    if (mismatch) throw new ServiceError('invalid', mismatch, { reason: 'printer-mismatch', printer: printer.id, layout: layout.id });
    // The print path's own check, asked here too so the preview shows what the press would refuse.
    const unsuitable = this.path.problem(printer.id, printer.format ?? 'pdf');
    if (unsuitable) throw unsuitable;
    return printer;
  }

  /** The series labels draw from; 503 when the config has none. */
  labelSeries(): SeriesConfig {
    const s = labelSeriesOf(this.deps.config);
    if (!s) throw new ServiceError('unavailable', 'Ingen nummerserie är konfigurerad för remissetiketter (config: series, labels.series).');
    return s;
  }

  private seriesConfig(id: string): SeriesConfig {
    const s = this.deps.config.series.find((x) => x.id === id);
    if (!s) throw new ServiceError('not-found', `Det finns ingen nummerserie "${id}".`);
    return s;
  }

  /** Starts the label worker ahead of the first print (the label page calls it when it opens). */
  warmUp(): void {
    this.deps.renderer.warmUp?.();
  }

  /** Status of every configured block (remaining, low, exhausted), with ledger counts. */
  seriesList(): SeriesView[] {
    return this.deps.config.series.map((s) => this.seriesView(s));
  }

  seriesView(s: SeriesConfig): SeriesView {
    const status = this.deps.store.ledger.status(s);
    const entries = this.deps.store.ledgerOf(s.id);
    const view: SeriesView = {
      ...status,
      prefix: s.prefix,
      firstNumber: formatSerial(s, s.first),
      lastNumber: formatSerial(s, s.last),
      issued: entries.filter((e) => e.status === 'issued').length,
      voided: entries.filter((e) => e.status === 'voided').length,
      reprinted: entries.filter((e) => e.reprints.length > 0).length,
      labels: labelSeriesOf(this.deps.config)?.id === s.id,
    };
    const warning = status.exhausted ? exhaustedMessage(s, status, 1) : status.low ? lowMessage(s, status) : undefined;
    if (warning) view.warning = warning;
    return view;
  }

  // ---- printing ------------------------------------------------------------------------------

  /** Validates a request without drawing numbers; throws ServiceError with the reason in Swedish. */
  private check(req: LabelRequest): { layout: LabelLayout; printer: PrinterConfig; series: SeriesConfig } {
    const total = req.referrals * req.labelsPerReferral;
    if (total > MAX_LABELS_PER_REQUEST)
      throw new ServiceError('invalid', `Högst ${MAX_LABELS_PER_REQUEST} etiketter per utskrift (${req.referrals} × ${req.labelsPerReferral} = ${total}).`);
    const layout = this.layout(req.layout);
    const printer = this.resolvePrinter(layout, req.printer);
    checkStartPosition(layout, req.labelsPerReferral, req.startPosition);
    return { layout, printer, series: this.labelSeries() };
  }

  /**
   * Prints N referrals × K labels. The same requestId twice prints once (also when both arrive
   * together): the second call gets the first batch and its numbers.
   */
  printLabels(req: LabelRequest): Promise<LabelResult> {
    return this.path.print({
      kind: 'labels',
      requestId: req.requestId,
      actor: req.actor,
      defaultActor: 'personal',
      repeat: repeatNumbers,
      plan: () => {
        const { layout, printer, series } = this.check(req);
        const n = req.referrals;
        const k = req.labelsPerReferral;
        return this.labelPlan({
          layout,
          printer,
          batchTitle: `Remissetiketter: ${n} ${n === 1 ? 'remiss' : 'remisser'} × ${k} ${k === 1 ? 'etikett' : 'etiketter'}`,
          draw: this.draw(series, n),
          labelsPerNumber: k,
          startPosition: req.startPosition,
          job: (numbers) => ({
            items: numbers.map((number) => ({ number })),
            title: `Remissetiketter ${numbers[0]}${numbers.length > 1 ? `–${numbers.at(-1)}` : ''} (${numbers.length} × ${k})`,
          }),
        });
      },
      stored: ({ numbers }) => {
        const series = this.labelSeries();
        const after = this.deps.store.ledger.status(series);
        return { numbers: numbers[0]!, warning: after.low ? lowMessage(series, after) : undefined };
      },
    });
  }

  /** Referral numbers for labels, from the label series: refused in the labels' wording when the block cannot cover them. */
  private draw(series: SeriesConfig, count: number): NumberDraw {
    return { series, count, documentId: LABELS_DOCUMENT_ID, what: 'etiketterna', fewer: labelsFewer };
  }

  /**
   * Prints K patient-ID labels (the identity as text and Code 128, the name on the first line),
   * alone or followed by new referral numbers with K labels each, in one job. The identity lives only
   * in this call and the job's spool file: the batch, the job, the audit log ("patient-ID-etiketter
   * utskrivna: K") and every message leave it out, and the spool file is deleted as soon as the
   * printer has it or the job ends (ephemeral, see printing/ephemeral-spool.ts).
   */
  printPatientLabels(req: PatientLabelRequest): Promise<LabelResult> {
    const referrals = req.referrals ?? 0;
    const k = req.labels;
    return this.path
      .print({
        kind: 'labels',
        requestId: req.requestId,
        actor: req.actor,
        defaultActor: 'personal',
        repeat: repeatNumbers,
        plan: () => {
          const { layout, printer, series } = this.check({ referrals: Math.max(1, referrals) + 1, labelsPerReferral: k, layout: req.layout, printer: req.printer });
          let id: PatientId;
          let name: string | undefined;
          try {
            id = parsePatientId(req.kind, req.identity, this.now());
            name = parsePatientName(req.name);
          } catch (e) {
            if (e instanceof PatientIdError) throw new ServiceError('invalid', e.message, { reason: 'patient-id' });
            throw e;
          }
          const patient = { number: id.barcode, text: id.display, heading: name ?? '', symbology: 'code128' as const };
          if (!this.patientFits(layout, printer, patient))
            throw new ServiceError('invalid', `Numret är för långt för etiketten "${layout.name}" (streckkoden får inte plats med sina marginaler). Välj en bredare etikett eller ett kortare reservnummer.`, {
              reason: 'patient-id-too-wide',
            });
          const what = (numbers: readonly string[]) =>
            `Patient-ID-etiketter (${k})${numbers.length ? ` och remissetiketter ${numbers[0]}${numbers.length > 1 ? `–${numbers.at(-1)}` : ''} (${numbers.length} × ${k})` : ''}`;
          return this.labelPlan({
            layout,
            printer,
            // The batch is named like its one job: with the numbers drawn.
            batchTitle: (numbers) => what(numbers[0] ?? []),
            draw: referrals > 0 ? this.draw(series, referrals) : undefined,
            labelsPerNumber: k,
            ephemeral: true,
            job: (numbers) => ({ items: [patient, ...numbers.map((number) => ({ number }))], title: what(numbers) }),
          });
        },
        stored: async ({ numbers }) => {
          await this.deps.store.audit(req.actor || 'personal', 'patient-id-labels', `patient-ID-etiketter utskrivna: ${k}`);
          return { numbers: numbers[0] ?? [] };
        },
      })
      .catch((e: unknown) => {
        // A renderer's message may quote the identity: it must not reach the server's log.
        if (e instanceof ServiceError) throw e;
        throw new Error('[labels] patient-ID labels could not be rendered or spooled (details withheld: they may carry the identity)');
      });
  }

  /** Whether a patient-ID label fits the layout on that printer (at its resolution for ZPL). */
  private patientFits(layout: LabelLayout, printer: PrinterConfig, item: { number: string; text: string; symbology: 'code128' }): boolean {
    try {
      if (printer.format === 'zpl') zplLabelGeometry(layout, printer.dpi, item.number, item.text, item.symbology);
      else labelGeometry(layoutForSymbology(layout, item.symbology), barcodeModules(item.symbology, item.number), item.text);
      return true;
    } catch {
      return false;
    }
  }

  /** Prints an issued number again, marked "KOPIA"; the ledger records the reprint. No new number is drawn. */
  reprint(req: ReprintRequest): Promise<LabelResult> {
    return this.path.print({
      kind: 'labels',
      requestId: req.requestId,
      actor: req.actor,
      defaultActor: 'personal',
      repeat: repeatNumbers,
      plan: () => {
        const k = req.labels ?? 1;
        const { layout, printer, series } = this.check({ referrals: 1, labelsPerReferral: k, layout: req.layout, printer: req.printer, startPosition: req.startPosition });
        const number = req.number.trim().toUpperCase();
        const entry = this.deps.store.ledgerOf(series.id).find((e) => e.number === number);
        if (!entry) throw new ServiceError('not-found', `Numret ${number} har inte utfärdats av den här stationen (serien "${series.name}").`, { reason: 'not-issued' });
        if (entry.status === 'voided')
          throw new ServiceError('conflict', `Numret ${number} är makulerat (det skrevs aldrig ut) och kan inte skrivas ut igen.`, { reason: 'voided' });
        const plan = this.labelPlan({
          layout,
          printer,
          batchTitle: `Kopia av remissetikett ${number}`,
          labelsPerNumber: k,
          startPosition: req.startPosition,
          job: () => ({ items: [{ number, copy: true }], title: `Remissetikett ${number} KOPIA (${k})` }),
        });
        return {
          ...plan,
          // Recorded first: the ledger may then show a copy that a crash kept from printing, never miss one that printed.
          render: async (ctx) => {
            await this.deps.store.recordReprint(series.id, number, ctx.batchId);
            return plan.render(ctx);
          },
        };
      },
      stored: () => ({ numbers: [req.number.trim().toUpperCase()] }),
    });
  }

  /**
   * A label print's plan for the print path: one job of labels on one printer, its numbers (if
   * any) on disk before the labels that carry them are rendered.
   */
  private labelPlan(p: {
    layout: LabelLayout;
    printer: PrinterConfig;
    batchTitle: PrintPlan['title'];
    draw?: NumberDraw;
    labelsPerNumber: number;
    startPosition?: number;
    /** The labels carry a patient's identity: a random spool name, wiped once the printer has it. */
    ephemeral?: boolean;
    job: (numbers: string[]) => { items: RenderLabelsInput['items']; title: string };
  }): PrintPlan {
    const { config, renderer } = this.deps;
    return {
      title: p.batchTitle,
      printers: [{ id: p.printer.id, sends: p.printer.format ?? 'pdf' }],
      numbers: p.draw ? [p.draw] : [],
      // The labels are rendered before the batch is written (in the worker, for the event-loop
      // stall figure: < 50 ms during 1000 labels, docs/testing.md), so their numbers go to disk first.
      numbersOnDisk: 'before-render',
      render: async ({ printedAt, numbers }) => {
        const { items, title } = p.job(numbers[0] ?? []);
        const input: RenderLabelsInput = {
          layout: p.layout,
          items,
          labelsPerNumber: p.labelsPerNumber,
          startPosition: p.startPosition,
          config: { unit: config.unit, routine: config.routine, timezone: config.timezone },
          printedAt,
          title,
        };
        // A ZPL printer gets the labels written for its resolution (a few hundred bytes a label, on
        // this thread); others get the PDF from the render worker (event-loop stall < 50 ms).
        const zpl = p.printer.format === 'zpl';
        const { bytes, pages } = zpl
          ? (({ zpl: b, labels }) => ({ bytes: b, pages: labels }))(renderZpl(input, p.printer.dpi))
          : await renderer.render(input).then((r) => ({ bytes: r.pdf, pages: r.pages }));
        const job: ReadyJob = {
          documentId: LABELS_DOCUMENT_ID,
          title,
          copies: 1,
          printerId: p.printer.id,
          bytes,
          pages,
          ...(zpl ? { format: 'zpl' as const } : {}),
          ...(p.ephemeral ? { ephemeral: true } : {}),
          // The printer's own name for the stock when it reported one of the same size.
          media: matchingMedia(p.layout.media, this.deps.printerInfo?.(p.printer.id)?.mediaSupported ?? []) ?? p.layout.media,
          sides: 'one-sided',
        };
        return [job];
      },
    };
  }

  // ---- preview (the page shows it before the press) -------------------------------------------

  /** The first page as it would print now, with the numbers it would get (nothing is drawn). */
  preview(req: Omit<LabelRequest, 'requestId' | 'actor'>): LabelPreview {
    const layout = this.layout(req.layout);
    const series = this.labelSeries();
    const view = this.seriesView(series);
    const perPage = labelsPerPage(layout);
    const count = Math.min(req.referrals, view.remaining);
    const numbers = Array.from({ length: count }, (_, i) => formatSerial(series, view.next + i));
    let problem: string | undefined;
    try {
      this.check(req);
      if (view.remaining < req.referrals) problem = exhaustedMessage(series, view, req.referrals);
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      problem = e.message;
    }
    let cells: LabelPreview['cells'] = [];
    let pages = 0;
    try {
      const plan = placeLabels({ perPage, items: Math.max(1, req.referrals), labelsPerItem: req.labelsPerReferral, startPosition: req.startPosition });
      pages = plan.pages;
      cells = previewFirstPage(plan, req.startPosition ?? 1).map((c) => (c.kind === 'label' ? { ...c, number: numbers[c.item] } : c));
    } catch (e) {
      if (!(e instanceof LabelPlanError)) throw e;
      cells = Array.from({ length: perPage }, (_, i) => (i < (req.startPosition ?? 1) - 1 ? { kind: 'used' as const } : { kind: 'empty' as const }));
    }
    return {
      layout: this.layoutView(layout),
      cells,
      pages,
      labels: req.referrals * req.labelsPerReferral,
      numbers,
      series: view,
      problem,
      warning: view.low && !view.exhausted ? lowMessage(series, view) : undefined,
    };
  }

  // ---- the ledger ----------------------------------------------------------------------------

  ledger(seriesId: string, filter: LedgerFilter = {}): { series: SeriesView; total: number; entries: LedgerRow[] } {
    const s = this.seriesConfig(seriesId);
    const tz = this.deps.config.timezone;
    const q = filter.q?.trim().toUpperCase();
    const all = this.deps.store.ledgerOf(s.id);
    const entries = all
      .filter((e) => {
        if (filter.status === 'reprinted' ? e.reprints.length === 0 : filter.status && e.status !== filter.status) return false;
        if (filter.batch && e.batchId !== filter.batch && !e.reprints.some((r) => r.batchId === filter.batch)) return false;
        if (q && !e.number.toUpperCase().includes(q)) return false;
        if (filter.from || filter.to) {
          const day = formatStationDate(new Date(e.issuedAt), tz);
          if (filter.from && day < filter.from) return false;
          if (filter.to && day > filter.to) return false;
        }
        return true;
      })
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({
        number: e.number,
        seq: e.seq,
        status: e.status,
        issuedAt: e.issuedAt,
        batchId: e.batchId,
        reprints: e.reprints,
        valid: parseSerial(s, e.number) === e.seq,
      }));
    return { series: this.seriesView(s), total: all.length, entries };
  }

  /**
   * The ledger as CSV for Excel in Sweden: UTF-8 with a byte-order mark (so å, ä, ö survive),
   * semicolons between fields (Swedish Excel uses the comma as decimal separator), CRLF line ends,
   * times in the station's time zone. The last two columns are left empty for the reconciliation.
   */
  ledgerCsv(seriesId: string, filter: LedgerFilter = {}): { filename: string; csv: string } {
    const { series, entries } = this.ledger(seriesId, filter);
    const tz = this.deps.config.timezone;
    const header = ['Nummer', 'Löpnummer', 'Status', 'Utfärdat', 'Utskrift', 'Antal kopior', 'Senaste kopia', 'Registrerat i PMO', 'E-remiss makulerad'];
    const lines = [header, ...entries.map((e) => [
      e.number,
      String(e.seq),
      e.status === 'issued' ? 'utfärdat' : 'makulerat',
      formatStationDateTime(new Date(e.issuedAt), tz),
      e.batchId ?? '',
      String(e.reprints.length),
      e.reprints.length ? formatStationDateTime(new Date(e.reprints.at(-1)!.at), tz) : '',
      '',
      '',
    ])].map((row) => row.map(csvField).join(';'));
    const day = formatStationDate(this.now(), tz);
    return { filename: `nummerlista-${series.id}-${day}.csv`, csv: '\uFEFF' + lines.join('\r\n') + '\r\n' };
  }
}

/** Quotes a field when it holds a separator, quote or line break; defuses spreadsheet formulas. */
function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function lowMessage(s: SeriesConfig, st: SeriesStatus): string {
  const pct = st.remainingPercent < 1 ? st.remainingPercent.toFixed(1).replace('.', ',') : String(Math.floor(st.remainingPercent));
  return `Nummerblocket "${s.name}" börjar ta slut: ${st.remaining} nummer kvar (${pct} %). Kontakta ${s.contact} i tid för ett nytt block.`;
}

/** What labels print instead when the block is short: as many referrals as it still covers. */
const labelsFewer = (remaining: number): string => `högst ${remaining} ${remaining === 1 ? 'remiss' : 'remisser'}`;

/** The block's refusal for labels, in the one wording (enqueue-batch.ts), as the press refuses it (print-path.ts). */
function exhaustedMessage(s: SeriesConfig, st: SeriesStatus, requested: number): string {
  return exhaustedText(s, st.remaining, requested, 'etiketterna', labelsFewer(st.remaining));
}

/** A label print's request id seen before: its batch, and the numbers it drew. */
function repeatNumbers(batch: Batch): { numbers: string[] } {
  return { numbers: Object.values(batch.serials).flat() };
}
