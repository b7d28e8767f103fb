// Label planning (pure): where each label of a request lands on the sheets, and whether a layout
// may go to a printer. No I/O here; the label service, the renderer and the preview share it.
import { mediaDimensionsMm } from './media.js';

/** One label: on which page and grid position (0-based, row by row), for which number. */
export interface LabelSlot {
  page: number;
  position: number;
  /** Index of the number (referral) in the request. */
  item: number;
  /** Which of the number's labels this is (0 = the first, for the paper referral). */
  copy: number;
}

export interface LabelPlan {
  slots: LabelSlot[];
  pages: number;
  perPage: number;
}

export class LabelPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelPlanError';
  }
}

/**
 * Places `items` numbers × `labelsPerItem` labels, starting at `startPosition` (1-based) on the first
 * sheet. The labels of one number sit together in order; a number whose labels would straddle two
 * sheets starts on the next sheet instead (unless it has more labels than a sheet holds), so a
 * referral and its tubes are never on different sheets. Throws when not even the first number fits
 * after the start position.
 */
export function placeLabels(opts: { perPage: number; items: number; labelsPerItem: number; startPosition?: number }): LabelPlan {
  const { perPage, items, labelsPerItem } = opts;
  const start = opts.startPosition ?? 1;
  if (perPage === 1 && start !== 1) throw new LabelPlanError('En etikettrulle har ingen startposition.');
  if (!Number.isInteger(start) || start < 1 || start > perPage)
    throw new LabelPlanError(`Startpositionen måste vara mellan 1 och ${perPage}.`);
  const slots: LabelSlot[] = [];
  let page = 0;
  let pos = start - 1;
  for (let item = 0; item < items; item++) {
    const fitsOnASheet = labelsPerItem <= perPage;
    if (pos > 0 && (fitsOnASheet ? pos + labelsPerItem > perPage : true)) {
      if (item === 0)
        throw new LabelPlanError(
          `${labelsPerItem} etiketter för en remiss får inte plats från position ${start} (arket har ${perPage} platser). Välj en lägre startposition eller lägg i ett nytt ark.`,
        );
      page++;
      pos = 0;
    }
    for (let copy = 0; copy < labelsPerItem; copy++) {
      if (pos === perPage) {
        page++;
        pos = 0;
      }
      slots.push({ page, position: pos, item, copy });
      pos++;
    }
  }
  return { slots, pages: slots.length ? (slots.at(-1)!.page + 1) : 0, perPage };
}

/** What a first-page preview shows at each grid position. */
export type PreviewCell = { kind: 'used' } | { kind: 'empty' } | { kind: 'label'; item: number; copy: number };

/** The first page as the grid positions in reading order: used (before the start), labels, empty. */
export function previewFirstPage(plan: LabelPlan, startPosition = 1): PreviewCell[] {
  const cells: PreviewCell[] = Array.from({ length: plan.perPage }, (_, i) => (i < startPosition - 1 ? { kind: 'used' } : { kind: 'empty' }));
  for (const s of plan.slots) {
    if (s.page !== 0) break;
    cells[s.position] = { kind: 'label', item: s.item, copy: s.copy };
  }
  return cells;
}

/**
 * The size of a PWG self-describing media name ("om_50x25mm_50x25mm", "custom_62x29mm_62x29mm",
 * "iso_a4_210x297mm", "na_letter_8.5x11in") in mm, short edge first; undefined for other names.
 */
export function mediaSizeMm(keyword: string): [number, number] | undefined {
  const size = mediaDimensionsMm(keyword);
  if (!size) return undefined;
  return size.width <= size.height ? [size.width, size.height] : [size.height, size.width];
}

/**
 * The printer's own keyword for a layout's media: the same keyword, else one of the same size
 * (within 1 mm, either orientation). A CUPS queue or a label printer may name a 50 × 25 mm roll
 * "custom_50x25mm_50x25mm" or "oe_…" where the layout says "om_50x25mm_50x25mm".
 */
export function matchingMedia(media: string, supported: readonly string[]): string | undefined {
  if (supported.includes(media)) return media;
  const want = mediaSizeMm(media);
  if (!want) return undefined;
  return supported.find((s) => {
    const got = mediaSizeMm(s);
    return got !== undefined && Math.abs(got[0] - want[0]) <= 1 && Math.abs(got[1] - want[1]) <= 1;
  });
}

/**
 * The one rule for "this printer can take this job": it has the job's role and, once it has
 * reported its media-supported, the job's media (by name or size), and it takes PDF (unknown counts
 * as yes until the monitor has asked). Used for label layouts (below) and for moving a waiting or
 * failed job to another printer from the screen.
 */
export function printerCanTake(
  need: { role: string; media?: string | undefined; sends?: 'pdf' | 'zpl' },
  printer: { roles: readonly string[]; format?: 'pdf' | 'zpl' | undefined },
  info: { mediaSupported?: readonly string[]; acceptsPdf?: boolean | null } = {},
): { role: boolean; media: boolean; pdf: boolean } {
  const supported = info.mediaSupported ?? [];
  return {
    role: printer.roles.includes(need.role),
    media: !need.media || supported.length === 0 || matchingMedia(need.media, supported) !== undefined,
    pdf: takesFormat(printer, info, need.sends),
  };
}

/**
 * "Does the printer take what the station would send it": a document (PDF) needs a printer set up
 * for PDF, a ZPL job one set up for ZPL, and the printer must not have said it refuses that format
 * (`acceptsPdf` is "takes its configured format"; not asked yet counts as yes). The one rule: the
 * print path refuses with it (pdfProblem words it), and the printer choices and "move to another
 * printer" offer only printers that pass it.
 */
export function takesFormat(printer: { format?: 'pdf' | 'zpl' | undefined }, info: { acceptsPdf?: boolean | null } | undefined, sends: 'pdf' | 'zpl' = 'pdf'): boolean {
  return (printer.format ?? 'pdf') === sends && info?.acceptsPdf !== false;
}

/**
 * Why a layout cannot go to a printer, in Swedish, or undefined when it can. A sheet layout needs a
 * printer with the role "labels-sheet", a roll layout one with "labels-roll"; when the printer has
 * reported its media-supported, the layout's media (by name or by size) must be among them.
 */
export function layoutPrinterMismatch(
  layout: { kind: 'sheet' | 'roll'; name: string; media: string },
  printer: { name: string; roles: readonly string[] },
  mediaSupported: readonly string[] = [],
): string | undefined {
  const role = layout.kind === 'sheet' ? 'labels-sheet' : 'labels-roll';
  const can = printerCanTake({ role, media: layout.media }, printer, { mediaSupported });
  if (!can.role) {
    const what = layout.kind === 'sheet' ? 'etikettark' : 'etikettrulle';
    return `${printer.name} är inte inställd för ${what} (rollen "${role}" saknas), så layouten "${layout.name}" kan inte skrivas ut där. Välj en annan skrivare eller layout.`;
  }
  if (!can.media)
    return `${printer.name} har inte materialet ${layout.media} som layouten "${layout.name}" behöver (skrivaren har: ${mediaSupported.join(', ')}). Välj en annan skrivare eller layout.`;
  return undefined;
}

/** The series referral labels draw from: `labels.series`, else "remiss", else the first series. */
export function labelSeriesOf<S extends { id: string }>(config: { series: readonly S[]; labels?: { series?: string | undefined } }): S | undefined {
  const id = config.labels?.series;
  if (id) return config.series.find((s) => s.id === id);
  return config.series.find((s) => s.id === 'remiss') ?? config.series[0];
}
