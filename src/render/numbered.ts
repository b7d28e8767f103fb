// Numbered documents (a referral per number, sheets of receipt slips) by stamping: the form is laid
// out once as a template whose serial blocks keep their place but stay empty, pdfmake reports where
// each block's bars and number go, and each print renders only the numbers and their barcodes, as a
// small overlay, which pdf-stamp.ts lays over the template's pages. A page then costs a few
// milliseconds instead of a full layout. The result looks as the form rendered whole would (tests
// compare the two as images); anything the stamp cannot do exactly is refused with a StampError, and
// the caller renders the whole document instead.
import type { Content } from 'pdfmake/interfaces.js';
import type { FormTemplate } from '../catalog/template-schema.js';
import { barcodeModules } from './barcode-modules.js';
import { renderPdf, type DocDefinition, type RenderedPdf } from './pdf-engine.js';
import { rectsElement } from './pdfmake-rects.js';
import { parsePdf, stampPages, StampError, type ParsedPdf } from './pdf-stamp.js';
import { buildFormDocument, SERIAL_TEXT_STYLE, type RenderContext, type SerialSlotSpec } from './render-form.js';
import { buildSlipsDocument, slipsGeometry } from './render-slips.js';

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

/**
 * The template once per group of numbers (a copy of the form, or a sheet of slips), each with its
 * numbers and barcodes stamped in. Refuses (StampError) numbers that do not fill whole groups or whose
 * barcode is not as wide as the template's place for it.
 */
export async function stampNumbers(tpl: NumberedTemplate, serials: readonly string[]): Promise<RenderedPdf> {
  if (serials.length === 0 || serials.length % tpl.numbersPerGroup !== 0)
    throw new StampError(`${tpl.formId}: ${serials.length} numbers do not fill whole sheets of ${tpl.numbersPerGroup}`);
  const groups = serials.length / tpl.numbersPerGroup;
  const content: Content[] = [];
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < tpl.pages; k++) {
      const items: Content[] = [];
      for (const slot of tpl.slots) {
        if (slot.bars.page !== k) continue;
        const serial = serials[g * tpl.numbersPerGroup + slot.numberIndex]!;
        const code = barcodeModules(slot.symbology, serial);
        if (code.widthModules !== slot.widthModules)
          throw new StampError(`${tpl.formId}: the barcode of ${serial} is ${code.widthModules} modules wide, the template's place ${slot.widthModules}`);
        const pt = (modules: number) => modules * slot.moduleMm * PT_PER_MM;
        const rects = code.rects.map(([x, , w]) => [pt(x), 0, pt(w), slot.barHeightMm * PT_PER_MM] as const);
        items.push({ canvas: [rectsElement(rects, '#000000')], absolutePosition: { x: slot.bars.x, y: slot.bars.y } });
        items.push({ columns: [{ width: slot.boxWidth, text: serial, ...SERIAL_TEXT_STYLE }], columnGap: 0, absolutePosition: { x: slot.text.x, y: slot.text.y } });
      }
      const first = g === 0 && k === 0;
      content.push(items.length ? { stack: items, ...(first ? {} : { pageBreak: 'before' as const }) } : { text: '', ...(first ? {} : { pageBreak: 'before' as const }) });
    }
  }
  const overlay = await renderPdf({ ...tpl.page, pageMargins: [0, 0, 0, 0], content });
  const pages = groups * tpl.pages;
  if (overlay.pages !== pages) throw new StampError(`${tpl.formId}: the overlay has ${overlay.pages} pages, not ${pages}`);
  return { pdf: stampPages(tpl.pdf, parsePdf(overlay.pdf), (i) => i % tpl.pages), pages };
}
