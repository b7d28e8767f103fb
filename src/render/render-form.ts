// Renders a form template to PDF bytes: template + context + fonts in, bytes out (pure; no I/O
// beyond the fonts that pdf-engine owns). Lays the template's blocks (form-blocks.ts) out on A4
// pages and stamps every page with the unit, the document, the routine version and the print time,
// so stale paper is easy to spot. Slips forms are render-slips.ts.
import type { Content } from 'pdfmake/interfaces.js';
import type { FormTemplate } from '../catalog/template-schema.js';
import { FORM_MARGIN_MM, FORM_SIZE, PAGE_MM, PT_PER_MM } from '../catalog/form-geometry.js';
import { renderPdf, textWidthPt, FONT_FAMILY, type DocDefinition, type RenderedPdf } from './pdf-engine.js';
import { BlockRenderer, fillPlaceholders, fitSize, placeholderValues, RenderError, type RenderContext } from './form-blocks.js';

const mm = (x: number): number => x * PT_PER_MM;
const PAGE = PAGE_MM;
const MARGIN = FORM_MARGIN_MM;
const SIZE = FORM_SIZE;

/** Builds the pdfmake document for a template. Single-use: pdfmake writes into what it is given. */
export function buildFormDocument(t: FormTemplate, ctx: RenderContext): DocDefinition {
  if (ctx.validFor !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(ctx.validFor))
    throw new RenderError(`[render] ${t.id}: validFor "${ctx.validFor}" is not a date (YYYY-MM-DD)`);
  if (Number.isNaN(ctx.printedAt.getTime())) throw new RenderError(`[render] ${t.id}: printedAt is not a valid date`);

  const values = placeholderValues(t, ctx);
  const page = PAGE[t.orientation];
  const width = page.w - MARGIN.left - MARGIN.right; // mm of content
  const r = new BlockRenderer(t, ctx, width);

  // Placeholders are filled once, in every string of the template, before any block is built.
  const pages = fillPlaceholders(t.pages, values);
  const content: Content[] = pages.map((p, i) => ({
    stack: p.blocks.map((b) => r.block(b)),
    ...(i > 0 ? { pageBreak: 'before' as const } : {}),
  }));

  const { config } = ctx;
  const routineLine = `${config.routine.name} · version ${config.routine.version} · ${config.routine.date}`;
  const printedLine = `Utskriven ${ctx.dateOnly ? values.printDate : values.printDateTime}`;
  const validLine = ctx.validFor ? `Gäller för ${ctx.validFor}` : '';
  const ruleWidth = mm(width);
  const titleWidth = textWidthPt(t.name, SIZE.header);
  const unitRoom = ruleWidth - titleWidth - mm(4);
  const unitSize = fitSize(config.unit.name, unitRoom, SIZE.header, 'sidhuvud (enhetens namn)', ctx.fit, { bold: true });

  return {
    pageSize: 'A4',
    pageOrientation: t.orientation,
    pageMargins: [mm(MARGIN.left), mm(MARGIN.top), mm(MARGIN.right), mm(MARGIN.bottom)],
    defaultStyle: { font: FONT_FAMILY, fontSize: SIZE.base, lineHeight: 1.15, color: '#000000' },
    info: { title: t.name, subject: `${config.unit.name} – ${routineLine}`, author: config.unit.name },
    header: () => ({
      margin: [mm(MARGIN.left), mm(9), mm(MARGIN.right), 0],
      stack: [
        {
          columns: [
            { text: config.unit.name, bold: true, fontSize: unitSize, width: '*' },
            { text: t.name, fontSize: SIZE.header, alignment: 'right', width: 'auto' },
          ],
          columnGap: mm(4),
        },
        { canvas: [{ type: 'line', x1: 0, y1: 2, x2: ruleWidth, y2: 2, lineWidth: 0.6 }] },
      ],
    }),
    footer: (currentPage: number, pageCount: number) => ({
      margin: [mm(MARGIN.left), mm(5), mm(MARGIN.right), 0],
      stack: [
        { canvas: [{ type: 'line', x1: 0, y1: 0, x2: ruleWidth, y2: 0, lineWidth: 0.6 }] },
        {
          margin: [0, 3, 0, 0],
          columns: [
            { text: routineLine, fontSize: SIZE.footer, width: '*' },
            {
              text: [validLine ? `${validLine} · ` : '', `${printedLine} · `, { text: `Sida ${currentPage} av ${pageCount}`, bold: true }],
              fontSize: SIZE.footer,
              alignment: 'right',
              width: 'auto',
            },
          ],
          columnGap: mm(4),
        },
      ],
    }),
    content,
  };
}

/** Renders a form template (not a slips form: render-slips.ts) to PDF bytes and its page count. */
export async function renderForm(t: FormTemplate, ctx: RenderContext): Promise<RenderedPdf> {
  if (t.slips) throw new RenderError(`[render] ${t.id}: a slips form is rendered by renderSlips (render-document.ts picks it)`);
  return renderPdf(buildFormDocument(t, ctx), { title: t.name });
}
