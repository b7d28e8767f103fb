// Numbered documents (a referral per number, sheets of receipt slips) by stamping: the form is laid
// out once as a template whose serial blocks keep their place but stay empty, pdfmake reports where
// each block's bars and number go, and each print renders only the numbers and their barcodes, as a
// small overlay, which pdf-stamp.ts lays over the template's pages. A page then costs a few
// milliseconds instead of a full layout. The result looks as the form rendered whole would (tests
// compare the two as images); anything the stamp cannot do exactly is refused with a StampError, and
// the caller renders the whole document instead.
import type { FormTemplate } from '../catalog/template-schema.js';
import { barcodeModules } from '../domain/barcode-symbol.js';
import { renderPdf, type DocDefinition, type RenderedPdf } from './pdf-engine.js';
import { carriedFont, composeStamped, pageHeight, parsePdf, StampError, type CarriedFont, type ParsedPdf } from './pdf-stamp.js';
import { buildFormDocument } from './render-form.js';
import { SERIAL_TEXT_STYLE, type RenderContext, type SerialSlotSpec } from './form-blocks.js';
import { buildSlipsDocument } from './render-slips.js';
import { slipsGeometry } from '../catalog/form-geometry.js';

const PT_PER_MM = 72 / 25.4;

/** Where a mark was placed: page (0-based) and its top-left corner in points from the page's top-left. */
export interface NodePosition {
  page: number;
  x: number;
  y: number;
}

export interface NumberedTemplate {
  formId: string;
  pdf: ParsedPdf;
  /** Template pages per group: the form's pages, or one sheet of slips. */
  pages: number;
  /** Numbers per group: one per copy of a form, numbers per sheet for slips. */
  numbersPerGroup: number;
  slots: Array<SerialSlotSpec & { bars: NodePosition; text: NodePosition }>;
  /** What the overlay must share with the template for text to land where the template's would. */
  page: Pick<DocDefinition, 'pageSize' | 'pageOrientation' | 'defaultStyle'>;
}

/**
 * Lays `t` out once as a stamping template, its serial blocks sized for `sample` (a number of the
 * series: the width of a barcode depends on what it encodes). The print date is without time,
 * as on every form the station caches for the day.
 */
export async function renderNumberedTemplate(t: FormTemplate, ctx: RenderContext, sample: string): Promise<NumberedTemplate> {
  const specs: Array<SerialSlotSpec & { bars?: NodePosition; text?: NodePosition }> = [];
  const slots = {
    add(spec: SerialSlotSpec) {
      const s: (typeof specs)[number] = { ...spec };
      specs.push(s);
      return { bars: (page: number, x: number, y: number) => (s.bars = { page, x, y }), text: (page: number, x: number, y: number) => (s.text = { page, x, y }) };
    },
  };
  const base: RenderContext = { ...ctx, dateOnly: true, slots };
  const numbersPerGroup = t.slips ? slipsGeometry({ orientation: t.orientation, slips: t.slips }).numbersPerSheet : 1;
  const doc = t.slips ? buildSlipsDocument(t, { ...base, serials: Array<string>(numbersPerGroup).fill(sample) }) : buildFormDocument(t, { ...base, serial: sample });
  const page = { pageSize: doc.pageSize, pageOrientation: doc.pageOrientation, defaultStyle: doc.defaultStyle };
  const r = await renderPdf(doc, { title: t.name });
  if (t.slips && r.pages !== 1) throw new StampError(`${t.id}: a sheet of slips took ${r.pages} pages`);
  const placed = specs.map(({ bars, text, ...spec }, i) => {
    if (!bars || !text || bars.page !== text.page) throw new StampError(`${t.id}: pdfmake did not report where serial block ${i + 1} went`);
    return { ...spec, bars, text };
  });
  if (placed.length === 0) throw new StampError(`${t.id}: the form has no serial block`);
  return { formId: t.id, pdf: parsePdf(r.pdf), pages: r.pages, numbersPerGroup, slots: placed, page };
}

/** Every character a serial number may have: digits, capital letters (prefixes) and hyphens. */
const SERIAL_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-';

/** The serial font of this thread, per default style (line height decides where the baseline sits) and size. */
const carriers = new Map<string, Promise<CarriedFont>>();

/**
 * The font numbers are set in (DejaVu Sans Mono), carried over from a one-line PDF that pdfmake
 * renders once per thread, style and size, as the documents' own number lines are set.
 */
export function serialFont(style: DocDefinition['defaultStyle'], fontSize: number = SERIAL_TEXT_STYLE.fontSize): Promise<CarriedFont> {
  const key = `${fontSize}|${JSON.stringify(style ?? {})}`;
  let font = carriers.get(key);
  if (!font) {
    font = renderPdf({
      pageSize: 'A4',
      pageMargins: [0, 0, 0, 0],
      ...(style ? { defaultStyle: style } : {}),
      content: [{ text: SERIAL_CHARS, font: SERIAL_TEXT_STYLE.font, fontSize, absolutePosition: { x: 0, y: 0 } }],
    }).then((r) => carriedFont(parsePdf(r.pdf), SERIAL_CHARS, fontSize));
    carriers.set(key, font);
    font.catch(() => carriers.delete(key));
  }
  return font;
}

/** A number for PDF operators: three decimals are a thousandth of a point. */
export const num = (x: number) => (Math.round(x * 1000) / 1000).toString();

/**
 * The template once per group of numbers (a copy of the form, or a sheet of slips), each with its
 * numbers and barcodes stamped in. Refuses (StampError) numbers that do not fill whole groups, that
 * have a character the serial font lacks, or whose barcode is not as wide as the template's place.
 */
export async function stampNumbers(tpl: NumberedTemplate, serials: readonly string[]): Promise<RenderedPdf> {
  if (serials.length === 0 || serials.length % tpl.numbersPerGroup !== 0)
    throw new StampError(`${tpl.formId}: ${serials.length} numbers do not fill whole sheets of ${tpl.numbersPerGroup}`);
  const font = await serialFont(tpl.page.defaultStyle);
  const groups = serials.length / tpl.numbersPerGroup;
  const pages: Array<{ templatePage: number; ops: string }> = [];
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < tpl.pages; k++) {
      const height = pageHeight(tpl.pdf, k);
      const ops: string[] = [];
      for (const slot of tpl.slots) {
        if (slot.bars.page !== k) continue;
        const serial = serials[g * tpl.numbersPerGroup + slot.numberIndex]!;
        const code = barcodeModules(slot.symbology, serial);
        if (code.widthModules !== slot.widthModules)
          throw new StampError(`${tpl.formId}: the barcode of ${serial} is ${code.widthModules} modules wide, the template's place ${slot.widthModules}`);
        const glyphs = glyphsOf(font, serial);
        // Bars: page coordinates (origin bottom-left), as pdfkit would draw them.
        const pt = slot.moduleMm * PT_PER_MM;
        const h = slot.barHeightMm * PT_PER_MM;
        const y = height - slot.bars.y - h;
        ops.push(barsOp(code.rects.map(([x, , w]) => [slot.bars.x + x * pt, y, w * pt, h] as const), { each: true }));
        // The number, centred in its box on the template's line, as pdfmake sets a centred line.
        const x = slot.text.x + (slot.boxWidth - serial.length * font.advance) / 2;
        ops.push(textOp(font, glyphs, x, height - slot.text.y - font.baseline));
      }
      pages.push({ templatePage: k, ops: ops.join('\n') });
    }
  }
  return { pdf: composeStamped(tpl.pdf, font, pages), pages: pages.length };
}

/** The glyph codes of `text` in the carried font; StampError if it lacks a character. */
export function glyphsOf(font: CarriedFont, text: string): string {
  let codes = '';
  for (const c of text) {
    const code = font.codes.get(c);
    if (code === undefined) throw new StampError(`"${text}" has a character (${c}) the serial font lacks`);
    codes += code;
  }
  return codes;
}

/** Sets glyphs in the carried font with their baseline starting at (x, y), page coordinates. */
export function textOp(font: CarriedFont, glyphs: string, x: number, y: number): string {
  return `BT /RkF ${font.size} Tf 1 0 0 1 ${num(x)} ${num(y)} Tm <${glyphs}> Tj ET`;
}

/**
 * The bars of a barcode, filled black: rectangles [x, y, w, h] in page coordinates (origin
 * bottom-left). `each` fills every bar on its own, as a form's serial block draws them (one filled
 * rect per bar); without it they are one path, as label sheets draw them. Rasterisers round the two
 * differently at the edges, so each stamp does as the whole rendering does.
 */
export function barsOp(rects: ReadonlyArray<readonly [number, number, number, number]>, opts: { each?: boolean } = {}): string {
  let ops = '0 0 0 rg\n';
  for (const [x, y, w, h] of rects) ops += `${num(x)} ${num(y)} ${num(w)} ${num(h)} re${opts.each ? ' f' : ''}\n`;
  return opts.each ? ops.trimEnd() : `${ops}f`;
}

