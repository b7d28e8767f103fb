// Renders a slips form (Kvittoblock): the form's one page is one slip, laid out rows × columns per
// sheet with cut marks, each number printed once per copy side by side ("Patientens exemplar",
// "Enhetens exemplar"). A slip is cut off the sheet, so each carries its own unit, document, routine
// and print date (the template's blocks say so); the sheet has no page header or footer.
import type { CanvasElement, Content, ContentTable, CustomTableLayout } from 'pdfmake/interfaces.js';
import { formSeries } from '../catalog/catalog.js';
import { PAGE_MM, PRINTABLE_EDGE_MM, PT_PER_MM, slipsGeometry, type SlipsGeometry } from '../catalog/form-geometry.js';
import type { FormTemplate, SlipsLayout } from '../catalog/template-schema.js';
import { renderPdf, FONT_FAMILY, type DocDefinition, type RenderedPdf } from './pdf-engine.js';
import { layoutPageBlocks, RenderError, type RenderContext } from './form-blocks.js';

const mm = (x: number): number => x * PT_PER_MM;
const PAGE = PAGE_MM;

/**
 * Renders the sheets. Numbered slips take their numbers from ctx.serials (one per number, each
 * printed once per copy); a sheet is filled in reading order and the last sheet may have empty
 * slips. Unnumbered slips render one full sheet.
 */
export async function renderSlips(t: FormTemplate, ctx: RenderContext): Promise<RenderedPdf> {
  return renderPdf(buildSlipsDocument(t, ctx), { title: t.name });
}

/** The pdfmake document of renderSlips (single-use). */
export function buildSlipsDocument(t: FormTemplate, ctx: RenderContext): DocDefinition {
  if (!t.slips) throw new RenderError(`[render] ${t.id}: not a slips form`);
  const slips = t.slips;
  const g = slipsGeometry({ orientation: t.orientation, slips });
  const numbered = formSeries(t) !== undefined;
  const serials = ctx.serials ?? (ctx.serial !== undefined ? [ctx.serial] : []);
  if (numbered && serials.length === 0) throw new RenderError(`[render] ${t.id}: the slips carry numbers but none were given`);
  if (g.contentWidthMm < 40) throw new RenderError(`[render] ${t.id}: slips of ${g.slipWidthMm.toFixed(1)} mm are too narrow to write on`);

  // Slip by slip in reading order: each number once per copy.
  const cells: Array<{ serial?: string; copy: string } | null> = [];
  if (numbered) for (const serial of serials) for (const copy of slips.copies) cells.push({ serial, copy });
  else for (let i = 0; i < g.numbersPerSheet; i++) for (const copy of slips.copies) cells.push({ copy });
  const perSheet = slips.rows * slips.columns;
  while (cells.length % perSheet !== 0) cells.push(null);

  const pad = mm(slips.paddingMm);
  const noLines: CustomTableLayout = {
    hLineWidth: () => 0,
    vLineWidth: () => 0,
    paddingLeft: () => pad,
    paddingRight: () => pad,
    paddingTop: () => pad,
    paddingBottom: () => 0,
  };
  const sheets: Content[] = [];
  for (let start = 0; start < cells.length; start += perSheet) {
    const body: Content[][] = [];
    for (let r = 0; r < slips.rows; r++) {
      const row: Content[] = [];
      for (let c = 0; c < slips.columns; c++) {
        const index = start + r * slips.columns + c;
        const cell = cells[index];
        const slotNumber = Math.floor(index / slips.copies.length) % g.numbersPerSheet;
        const slipCtx: RenderContext = { ...ctx, serial: cell?.serial, copy: cell?.copy, serials: undefined, slotNumber };
        row.push(cell ? { stack: layoutPageBlocks(t, slipCtx, 0, g.contentWidthMm) } : { text: '' });
      }
      body.push(row);
    }
    const table: ContentTable = {
      table: {
        // pdfmake's widths and heights exclude the cell padding: content box = slip minus padding.
        widths: Array<number>(slips.columns).fill(mm(g.contentWidthMm)),
        // Fixed rows: the cut marks are drawn where the rows are meant to be, not where they end up.
        // A hair under the exact height, or rounding pushes the last row onto the next sheet.
        heights: Array<number>(slips.rows).fill(mm(g.slipHeightMm) - pad - 0.5),
        body,
        dontBreakRows: true,
      },
      layout: noLines,
      ...(start > 0 ? { pageBreak: 'before' as const } : {}),
    };
    sheets.push(table);
  }

  const page = PAGE[t.orientation];
  return {
    pageSize: 'A4',
    pageOrientation: t.orientation,
    pageMargins: [mm(slips.marginMm), mm(slips.marginMm), mm(slips.marginMm), mm(slips.marginMm)],
    defaultStyle: { font: FONT_FAMILY, fontSize: 9.5, lineHeight: 1.15, color: '#000000' },
    info: { title: t.name, author: ctx.config.unit.name, subject: `${ctx.config.unit.name} – ${ctx.config.routine.name} ${ctx.config.routine.version}` },
    background: () => cutMarks(page.w, page.h, slips, g),
    content: sheets,
  };
}

/**
 * Dashed cut lines between the slips, with a ✂ in the margin, and short solid crop marks in the
 * margins at every cut (the outer ones too), for a paper cutter.
 */
function cutMarks(pageW: number, pageH: number, s: SlipsLayout, g: SlipsGeometry): Content {
  const m = s.marginMm;
  const dash = { length: 3, space: 2.5 };
  const lines: CanvasElement[] = [];
  const tick = (x1: number, y1: number, x2: number, y2: number) =>
    lines.push({ type: 'line', x1: mm(x1), y1: mm(y1), x2: mm(x2), y2: mm(y2), lineWidth: 0.5, lineColor: '#000000' });
  const dashed = (x1: number, y1: number, x2: number, y2: number) =>
    lines.push({ type: 'line', x1: mm(x1), y1: mm(y1), x2: mm(x2), y2: mm(y2), lineWidth: 0.4, lineColor: '#000000', dash });
  // Crop marks stay inside the printable area (PRINTABLE_EDGE_MM from the paper's edge) and stop
  // short of the slip's corner, so a printer that cannot print near the edge still prints them whole.
  const from = PRINTABLE_EDGE_MM;
  const to = m - 1.5;
  for (let c = 0; c <= s.columns; c++) {
    const x = m + c * g.slipWidthMm;
    tick(x, from, x, to);
    tick(x, pageH - to, x, pageH - from);
    if (c > 0 && c < s.columns) dashed(x, m, x, pageH - m);
  }
  const scissors: Content[] = [];
  for (let r = 0; r <= s.rows; r++) {
    const y = m + r * g.slipHeightMm;
    tick(from, y, to, y);
    tick(pageW - to, y, pageW - from, y);
    if (r > 0 && r < s.rows) {
      dashed(m, y, pageW - m, y);
      scissors.push({ text: '✂', fontSize: 9, absolutePosition: { x: mm(m + 1.5), y: mm(y) - 6.5 } });
    }
  }
  return { stack: [{ canvas: lines, absolutePosition: { x: 0, y: 0 } }, ...scissors] };
}
