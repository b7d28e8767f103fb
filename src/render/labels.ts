// Renders barcode referral labels to PDF: a layout (A4 sheet grid or roll) + numbers in, bytes out.
// Pure apart from the fonts pdf-engine owns. Bars are vector rectangles from bwip-js's module pattern
// (an SVG per label costs pdfmake about five times as much), the human-readable number is real text
// under the bars, the unit's name is on every label, black only. The labels of one number sit
// together in order (domain/label-plan.ts). For a server that must stay responsive, render through
// label-render-pool.ts, which runs this in a worker thread.
import type { Content, CanvasElement } from 'pdfmake/interfaces.js';
import type { StationConfig } from '../config.js';
import { HANDWRITE_CAPTION_PT, PT_MM, labelsPerPage, type LabelLayout } from '../catalog/label-layout-schema.js';
import { placeLabels } from '../domain/label-plan.js';
import { barcodeModules, type BarcodeModules, type Symbology } from '../domain/barcode-symbol.js';
import { labelGeometry, layoutForSymbology, MONO_ADVANCE_EM, type LabelGeometry } from '../catalog/label-geometry.js';
import { COPY_MARK, fitText, wantsHandwriteLines } from './label-text.js';

export { COPY_MARK } from './label-text.js';
import { renderPdf, MONO_FAMILY, type DocDefinition, type RenderedPdf } from './pdf-engine.js';
import { rectsElement, type Rect } from './pdfmake-rects.js';
import { formatStationDate } from '../domain/time.js';
import { parsePdf, composeStamped, pageHeight, StampError, type ParsedPdf } from './pdf-stamp.js';
import { barsOp, glyphsOf, serialFont, textOp } from './numbered.js';

export type { LabelLayout, SheetLayout, RollLayout } from '../catalog/label-layout-schema.js';
export { labelLayoutSchema, labelsPerPage, roleForLayout } from '../catalog/label-layout-schema.js';

export interface LabelItem {
  /** The printed number (prefix, padded number and check digit), as the ledger has it. */
  number: string;
  /** A reprint of an issued number: the label says "KOPIA". */
  copy?: boolean;
  /** Printed under the bars instead of `number` (a patient identity "19121212-1212" whose bars carry 191212121212). */
  text?: string;
  /** The first line instead of the unit's name (a patient's name; "" leaves it blank to write by hand). */
  heading?: string;
  /** Symbology instead of the layout's (patient-ID labels are always Code 128). */
  symbology?: Symbology;
}

export interface RenderLabelsInput {
  layout: LabelLayout;
  /** One entry per number (referral), in order. */
  items: readonly LabelItem[];
  /** Labels per number, side by side in order (one for the referral, the rest for tubes). Default 1. */
  labelsPerNumber?: number;
  /** 1-based grid position to start at on the first sheet (a partly used sheet). Default 1. */
  startPosition?: number;
  config: Pick<StationConfig, 'unit' | 'routine' | 'timezone'>;
  printedAt: Date;
  /** The document's title (PDF metadata); default "Remissetiketter <first>–<last>". */
  title?: string;
}

const pt = (mm: number) => mm / PT_MM;
const DOC_NAME = 'Remissetiketter';


/** Checks the input, places every label and encodes every number (once each, drawn k times). */
function prepareLabels(input: RenderLabelsInput) {
  const { layout, items } = input;
  const k = input.labelsPerNumber ?? 1;
  if (items.length === 0) throw new Error('[labels] no numbers to print');
  if (!Number.isInteger(k) || k < 1) throw new Error(`[labels] labelsPerNumber must be a whole number ≥ 1 (got ${k})`);
  const plan = placeLabels({ perPage: labelsPerPage(layout), items: items.length, labelsPerItem: k, startPosition: input.startPosition });
  const encoded = items.map((item) => {
    const itemLayout = layoutForSymbology(layout, item.symbology);
    const modules: BarcodeModules = barcodeModules(itemLayout.barcode.symbology, item.number);
    let geo: LabelGeometry;
    try {
      geo = labelGeometry(itemLayout, modules, item.text ?? item.number, wantsHandwriteLines(item));
    } catch (e) {
      throw new Error(`[labels] layout "${layout.id}": ${(e as Error).message}`);
    }
    return { item, modules, geo };
  });
  const pageW = layout.kind === 'sheet' ? layout.page.width : layout.label.width;
  const pageH = layout.kind === 'sheet' ? layout.page.height : layout.label.height;
  /** A label's top-left corner on its page, in mm. */
  const origin = (position: number): [number, number] => {
    if (layout.kind === 'roll') return [0, 0];
    const g = layout.grid;
    const col = position % g.columns;
    const row = Math.floor(position / g.columns);
    return [g.marginLeft + col * (layout.label.width + g.gapX), g.marginTop + row * (layout.label.height + g.gapY)];
  };
  return { plan, encoded, pageW, pageH, origin };
}

/**
 * Builds the pdfmake document for the labels; exported for tests that inspect the layout. `blank`
 * leaves the bars and the numbers out: the sheets as a template to stamp them onto (renderLabels).
 */
export function buildLabelsDocument(
  input: RenderLabelsInput,
  opts: { blank?: boolean; prepared?: ReturnType<typeof prepareLabels> } = {},
): { doc: DocDefinition; pages: number } {
  const { layout, items, config } = input;
  const { plan, encoded, pageW, pageH, origin } = opts.prepared ?? prepareLabels(input);

  const unitName = config.unit.name;
  const unitSize = layout.text.unitSize;
  const numberSize = layout.text.numberSize;
  const copyW = COPY_MARK.length * MONO_ADVANCE_EM * unitSize * PT_MM + 1.2;
  const unitPlain = fitText(unitName, unitSize, layout.label.width - 2 * layout.padding);
  const unitWithCopy = fitText(unitName, unitSize, layout.label.width - 2 * layout.padding - copyW - 1);

  const pages: Content[][] = Array.from({ length: plan.pages }, () => []);
  // Per page: every bar in one "rects" element (one path, one fill), and the few stroked frames.
  const bars: Rect[][] = Array.from({ length: plan.pages }, () => []);
  const frames: CanvasElement[][] = Array.from({ length: plan.pages }, () => []);
  for (const slot of plan.slots) {
    const { item, modules, geo } = encoded[slot.item]!;
    const [lx, ly] = origin(slot.position);
    const content = pages[slot.page]!;
    const canvas = bars[slot.page]!;
    const frame = frames[slot.page]!;
    const m = geo.module;
    // Unit line (or the item's own heading); a copy carries a framed "KOPIA" at its right end.
    const heading =
      item.heading === undefined ? (item.copy ? unitWithCopy : unitPlain) : fitText(item.heading, unitSize, layout.label.width - 2 * layout.padding - (item.copy ? copyW + 1 : 0));
    content.push({ text: heading, fontSize: unitSize, absolutePosition: { x: pt(lx + layout.padding), y: pt(ly + geo.unitY) } });
    if (item.copy) {
      const cx = lx + layout.label.width - layout.padding - copyW;
      content.push({ text: COPY_MARK, font: MONO_FAMILY, fontSize: unitSize, absolutePosition: { x: pt(cx + 0.6), y: pt(ly + geo.unitY) } });
      frame.push({ type: 'rect', x: pt(cx), y: pt(ly + geo.unitY - 0.3), w: pt(copyW), h: pt(unitSize * 1.164 * PT_MM + 0.4), lineWidth: 0.6, lineColor: 'black' });
    }
    // Lines for the patient's name and personnummer, written by hand (static: part of a template).
    for (const l of geo.handwrite) {
      content.push({ text: l.caption, fontSize: HANDWRITE_CAPTION_PT, absolutePosition: { x: pt(lx + l.captionX), y: pt(ly + l.captionY) } });
      frame.push({ type: 'line', x1: pt(lx + l.x1), y1: pt(ly + l.y), x2: pt(lx + l.x2), y2: pt(ly + l.y), lineWidth: 0.5, lineColor: 'black' });
    }
    if (opts.blank) continue;
    // The symbol: one rectangle per bar (per run of dark cells in a DataMatrix row).
    const sx = pt(lx + geo.symbolX);
    const sy = pt(ly + geo.symbolY);
    const mp = pt(m);
    const rowH = pt(modules.heightModules === 1 ? geo.symbolHeight : m);
    for (const [x, y, w, h] of modules.rects) canvas.push([sx + x * mp, sy + y * rowH, w * mp, h * rowH]);
    // The human-readable number, centred under the symbol (monospaced, so its width is exact).
    const shown = item.text ?? item.number;
    const numberW = shown.length * MONO_ADVANCE_EM * numberSize * PT_MM;
    content.push({
      text: shown,
      font: MONO_FAMILY,
      fontSize: numberSize,
      absolutePosition: { x: pt(lx + (layout.label.width - numberW) / 2), y: pt(ly + geo.numberY) },
    });
  }

  // A sheet names itself in its bottom margin (the label stock's waste edge), like every document
  // does, with the print date (no time: the sheets of a day are laid out once, see renderLabels).
  const printed = formatStationDate(input.printedAt, config.timezone);
  if (layout.kind === 'sheet') {
    const g = layout.grid;
    const gridBottom = g.marginTop + g.rows * layout.label.height + (g.rows - 1) * g.gapY;
    if (pageH - gridBottom >= 8) {
      pages.forEach((content, i) =>
        content.push({
          text: fitText(`${DOC_NAME} · ${unitName} · ${config.routine.name} ${config.routine.version} · utskrivet ${printed} · ark ${i + 1} av ${plan.pages}`, 6, pageW - 2 * g.marginLeft),
          fontSize: 6,
          absolutePosition: { x: pt(g.marginLeft), y: pt(gridBottom + (pageH - gridBottom) / 2 - 1) },
        }),
      );
    }
  }

  const content: Content[] = pages.map((p, i) => ({
    stack: [{ canvas: [rectsElement(bars[i]!), ...frames[i]!], absolutePosition: { x: 0, y: 0 } }, ...p],
    ...(i > 0 ? { pageBreak: 'before' as const } : {}),
  }));
  return {
    doc: {
      pageSize: { width: pt(pageW), height: pt(pageH) },
      pageMargins: [0, 0, 0, 0],
      content,
      // The title names the numbers, never a patient identity (a printer may show or log it).
      info: { title: input.title ?? `${DOC_NAME} ${items[0]!.number}${items.length > 1 ? `–${items.at(-1)!.number}` : ''}`, subject: `${unitName}, ${printed}` },
    },
    pages: plan.pages,
  };
}

/**
 * Renders the labels: each number gets `labelsPerNumber` labels, side by side in order, starting at
 * `startPosition` on the first sheet. A copy is marked "KOPIA". Rejects with `[labels] …` or
 * `[barcode] …` when a number cannot be encoded or does not fit the layout.
 *
 * The sheets' unit lines and footers are laid out by pdfmake once per layout, count and day (a
 * template, see pdf-stamp.ts) and the bars and numbers stamped onto them; reprints (KOPIA) and
 * anything the stamp cannot reproduce exactly are rendered whole (renderLabelsWhole).
 */
export async function renderLabels(input: RenderLabelsInput): Promise<RenderedPdf> {
  // Copies and labels with their own text (patient identities) are laid out whole: nothing of a
  // patient's is kept in the template cache.
  if (input.items.some((i) => i.copy || i.text !== undefined || i.heading !== undefined || i.symbology !== undefined)) return renderLabelsWhole(input);
  const prepared = prepareLabels(input);
  try {
    return await stampLabels(input, prepared);
  } catch (e) {
    if (!(e instanceof StampError)) throw e;
    return renderLabelsWhole(input);
  }
}

/** The labels laid out whole by pdfmake (also what the stamped labels are checked against). */
export async function renderLabelsWhole(input: RenderLabelsInput): Promise<RenderedPdf> {
  const { doc, pages } = buildLabelsDocument(input);
  const r = await renderPdf(doc);
  return { pdf: r.pdf, pages: r.pages || pages };
}

/** Label templates of this thread (the last few layouts and counts of the day). */
const templates = new Map<string, { layout: LabelLayout; pdf: Promise<ParsedPdf> }>();
const MAX_TEMPLATES = 16;

async function stampLabels(input: RenderLabelsInput, p: ReturnType<typeof prepareLabels>): Promise<RenderedPdf> {
  const { layout, config } = input;
  // Every label's unit line sits where the template's does (it depends on the symbol's height).
  const unitY = p.encoded[0]!.geo.unitY;
  if (p.encoded.some((e) => Math.abs(e.geo.unitY - unitY) > 1e-9)) throw new StampError('labels of different heights');
  const key = [layout.id, input.items.length, input.labelsPerNumber ?? 1, input.startPosition ?? 1, unitY, config.unit.name, config.routine.name, config.routine.version, formatStationDate(input.printedAt, config.timezone)].join('|');
  let tpl = templates.get(key);
  if (!tpl || tpl.layout !== layout) {
    tpl = { layout, pdf: renderPdf(buildLabelsDocument(input, { blank: true, prepared: p }).doc).then((r) => parsePdf(r.pdf)) };
    templates.delete(key);
    templates.set(key, tpl);
    const entry = tpl;
    entry.pdf.catch(() => templates.get(key) === entry && templates.delete(key));
    while (templates.size > MAX_TEMPLATES) templates.delete(templates.keys().next().value!);
  }
  const template = await tpl.pdf;
  if (template.pages.length !== p.plan.pages) throw new StampError(`the label template has ${template.pages.length} pages, not ${p.plan.pages}`);
  const font = await serialFont(undefined, layout.text.numberSize);
  const ops: string[][] = Array.from({ length: p.plan.pages }, () => []);
  const height = pageHeight(template, 0);
  for (const slot of p.plan.slots) {
    const { item, modules, geo } = p.encoded[slot.item]!;
    const [lx, ly] = p.origin(slot.position);
    const mp = pt(geo.module);
    const rowH = pt(modules.heightModules === 1 ? geo.symbolHeight : geo.module);
    const sx = pt(lx + geo.symbolX);
    const sy = pt(ly + geo.symbolY);
    const page = ops[slot.page]!;
    page.push(barsOp(modules.rects.map(([x, y, w, h]) => [sx + x * mp, height - (sy + y * rowH) - h * rowH, w * mp, h * rowH] as const)));
    const numberW = item.number.length * MONO_ADVANCE_EM * layout.text.numberSize * PT_MM;
    page.push(textOp(font, glyphsOf(font, item.number), pt(lx + (layout.label.width - numberW) / 2), height - pt(ly + geo.numberY) - font.baseline));
  }
  const pdf = composeStamped(template, font, ops.map((o, i) => ({ templatePage: i, ops: o.join('\n') })));
  return { pdf, pages: p.plan.pages };
}
