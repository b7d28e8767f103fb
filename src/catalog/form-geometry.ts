// Where a form's boxes sit and how big they are, in millimetres, from the template alone: the page
// and margins, column widths, and the writing-space rules a form must meet to be filled in by hand
// (a nurse's pen needs 7 mm of height, a 12-digit personnummer 40 mm of width, a signature 8 mm).
// The renderer lays forms out with these figures and the catalog refuses a template that breaks a
// rule, so the rule lives here once. No pdfmake here: the catalog must not load the PDF engine.
import { formSeries, type FormTemplate, type FieldCell, type SlipsLayout, type TableBlock } from './template-schema.js';
import type { LedgerTemplate } from './document-schema.js';

export const PT_PER_MM = 72 / 25.4;
export const PAGE_MM = { portrait: { w: 210, h: 297 }, landscape: { w: 297, h: 210 } } as const;
/** The margins of a form page; the header and footer sit in the top and bottom margins. */
export const FORM_MARGIN_MM = { left: 15, right: 15, top: 21, bottom: 17 } as const;

/** Most office lasers cannot print closer than this to the paper's edge: nothing we need is drawn there. */
export const PRINTABLE_EDGE_MM = 5;

/** Type sizes (pt) of the form vocabulary. */
export const FORM_SIZE = { base: 9.5, small: 8, label: 7, h1: 16, h2: 11.5, h3: 10, header: 8.5, footer: 7 } as const;
/** pdfmake's line height for every form text. */
export const LINE_HEIGHT = 1.15;
/** Rule widths (pt). */
export const FORM_LINE = { box: 0.75, strong: 1.6, rule: 0.4 } as const;
/** Cell padding (pt). */
export const CELL_PAD = { x: 3, top: 2, bottom: 2 } as const;
/** The smallest size a pre-printed value is shrunk to so it stays on its line (pt). */
export const FIT_FLOOR_PT = 6.5;
/** Size of a tick-box line inside a field cell (pt): options at SIZE.small + 0.5, the ☐ glyph 3 pt larger. */
const CHOICE_LINE_PT = (FORM_SIZE.small + 3) * LINE_HEIGHT + 1;

/** The writing-space rules (mm). */
export const WRITING_RULES = {
  /** Height left for handwriting in a box, under its label. */
  minWritingHeightMm: 7,
  /** Width of a box for a personnummer, samordningsnummer or reservnummer (12 digits and a hyphen). */
  minIdWidthMm: 40,
  /** Height of a box or table cell for a signature. */
  minSignatureHeightMm: 8,
} as const;

/** Content width of a form page (mm). */
export function contentWidthMm(orientation: 'portrait' | 'landscape'): number {
  return PAGE_MM[orientation].w - FORM_MARGIN_MM.left - FORM_MARGIN_MM.right;
}

type Widths = readonly { width?: number | undefined; widthMm?: number | undefined }[];

/** Column widths in mm: fixed mm and fractions of the row as given, the rest shared equally. */
export function columnWidthsMm(cols: Widths, widthMm: number): number[] {
  const fixed = cols.map((c) => (c.widthMm !== undefined ? c.widthMm : c.width !== undefined ? c.width * widthMm : undefined));
  const used = fixed.reduce<number>((s, f) => s + (f ?? 0), 0);
  const free = fixed.filter((f) => f === undefined).length;
  const share = free ? Math.max(0, widthMm - used) / free : 0;
  return fixed.map((f) => f ?? share);
}

/** Height of a field cell's label band (padding, one label line, the rule above), mm. */
export const FIELD_LABEL_BAND_MM = (CELL_PAD.top + FORM_SIZE.label * LINE_HEIGHT + FORM_LINE.box) / PT_PER_MM;
/** Height of the tick-box line a cell with choices adds under its label, mm. */
export const CHOICE_BAND_MM = CHOICE_LINE_PT / PT_PER_MM;
/** Width a box's own padding and rules take from the text inside it, mm. */
export const CELL_INSET_MM = (2 * CELL_PAD.x + FORM_LINE.box) / PT_PER_MM;

/** A box staff fill in by hand: which rules apply to it. */
export type WritingKind = 'id' | 'signature' | 'text';

const ID_WORDS = /personnummer|samordningsn|reservnummer|id-nummer|patient-id|\bpnr\b|person-\//i;
const SIGNATURE_WORDS = /sign(atur|\.|\b)|signering/i;

/** What a box is for, read from its label (or column header): an id number, a signature, or other text. */
export function writingKind(label: string): WritingKind {
  if (ID_WORDS.test(label)) return 'id';
  if (SIGNATURE_WORDS.test(label)) return 'signature';
  return 'text';
}

/** One box measured from the template: where it is, what it is for and its writing space. */
export interface WritingBox {
  where: string;
  label: string;
  kind: WritingKind;
  widthMm: number;
  /** Height left for writing, under the label (and any tick boxes). */
  heightMm: number;
}

/** Every box of a form that staff write in, measured from the template geometry. */
export function formWritingBoxes(t: FormTemplate): WritingBox[] {
  const width = t.slips ? slipsGeometry({ orientation: t.orientation, slips: t.slips }).contentWidthMm : contentWidthMm(t.orientation);
  const boxes: WritingBox[] = [];
  t.pages.forEach((page, pi) =>
    page.blocks.forEach((b, bi) => {
      const at = `pages.${pi}.blocks.${bi}`;
      if (b.type === 'fields') {
        b.rows.forEach((row, ri) => {
          const widths = columnWidthsMm(row.cells, width);
          row.cells.forEach((c, ci) => {
            // Pre-printed values and plain tick boxes are not written in; an id number always is.
            const writeIn = c.writeIn ?? (c.value === undefined && (c.choices === undefined || writingKind(c.label) === 'id'));
            if (!writeIn) return;
            boxes.push(fieldBox(`${at}.rows.${ri}.cells.${ci}`, c, widths[ci]!, row.height));
          });
        });
      } else if (b.type === 'signature') {
        const widths = columnWidthsMm(b.parts.map(() => ({})), width);
        b.parts.forEach((label, i) => boxes.push(fieldBox(`${at}.parts.${i}`, { label }, widths[i]!, b.height)));
      } else if (b.type === 'table') {
        boxes.push(...tableBoxes(at, b, width));
      } else if (b.type === 'checklist' && b.signColumns) {
        boxes.push({ where: `${at}.signColumns`, label: 'Sign.', kind: 'signature', widthMm: CHECKLIST.signWidthMm, heightMm: CHECKLIST.signedRowHeightMm });
      }
    }),
  );
  return boxes;
}

/** A checklist's row and its sign column (mm); the renderer draws them from these. */
export const CHECKLIST = { boxWidthMm: 7, rowHeightMm: 7.5, signedRowHeightMm: 8, signWidthMm: 20, timeWidthMm: 24 } as const;

function fieldBox(where: string, c: Pick<FieldCell, 'label' | 'choices'>, widthMm: number, heightMm: number): WritingBox {
  const kind = writingKind(c.label);
  const used = FIELD_LABEL_BAND_MM + (c.choices ? CHOICE_BAND_MM : 0);
  return { where, label: c.label, kind, widthMm, heightMm: heightMm - used };
}

function tableBoxes(at: string, b: TableBlock, width: number): WritingBox[] {
  const cols = b.numbered ? [{ widthMm: 8, header: 'Nr' }, ...b.columns] : b.columns;
  const widths = columnWidthsMm(cols, width);
  const out: WritingBox[] = [];
  cols.forEach((c, i) => {
    if (b.numbered && i === 0) return;
    const kind = writingKind(c.header);
    out.push({ where: `${at}.columns.${b.numbered ? i - 1 : i}`, label: c.header, kind, widthMm: widths[i]!, heightMm: b.rowHeight - FORM_LINE.rule / PT_PER_MM });
  });
  const headerHeight = b.headerHeight;
  if (headerHeight !== undefined)
    b.columns.forEach((c, i) => out.push({ where: `${at}.columns.${i}.header`, label: c.header, kind: 'text', widthMm: widths[b.numbered ? i + 1 : i]!, heightMm: headerHeight - FORM_LINE.box / PT_PER_MM }));
  return out;
}

/** The hand-filled columns of a ledger list (tick and blank columns). */
export function ledgerWritingBoxes(t: LedgerTemplate): WritingBox[] {
  const widths = columnWidthsMm(t.columns, contentWidthMm(t.orientation));
  return t.columns.flatMap((c, i) =>
    c.source === 'blank' || c.source === 'tick'
      ? [{ where: `columns.${i}`, label: c.header, kind: writingKind(c.header), widthMm: widths[i]!, heightMm: t.rowHeight - FORM_LINE.rule / PT_PER_MM }]
      : [],
  );
}

/** Why a box is too small to write in, or undefined when it meets the rules. */
export function writingProblem(box: WritingBox): string | undefined {
  const r = WRITING_RULES;
  const h = box.heightMm;
  const minH = box.kind === 'signature' ? r.minSignatureHeightMm : r.minWritingHeightMm;
  if (h < minH - 1e-6)
    return `"${box.label}" leaves ${h.toFixed(1)} mm to write in; a ${box.kind === 'signature' ? 'signature' : 'handwritten'} box needs ${minH} mm (raise the row height)`;
  if (box.kind === 'id' && box.widthMm < r.minIdWidthMm - 1e-6)
    return `"${box.label}" is ${box.widthMm.toFixed(1)} mm wide; an id number needs ${r.minIdWidthMm} mm`;
  return undefined;
}

// ---- slips (Kvittoblock) ----------------------------------------------------------------------

export interface SlipsGeometry {
  /** Slip (cell) size between cut lines. */
  slipWidthMm: number;
  slipHeightMm: number;
  /** Width the slip's blocks are laid out in. */
  contentWidthMm: number;
  /** Numbers per sheet: slips per sheet / copies per number. */
  numbersPerSheet: number;
}

export function slipsGeometry(t: Pick<FormTemplate, 'orientation'> & { slips: SlipsLayout }): SlipsGeometry {
  const page = PAGE_MM[t.orientation];
  const s = t.slips;
  const slipWidthMm = (page.w - 2 * s.marginMm) / s.columns;
  const slipHeightMm = (page.h - 2 * s.marginMm) / s.rows;
  return {
    slipWidthMm,
    slipHeightMm,
    contentWidthMm: slipWidthMm - 2 * s.paddingMm,
    numbersPerSheet: (s.rows * s.columns) / s.copies.length,
  };
}

/** Numbers a slips form takes for `sheets` sheets (0 when it carries no number). */
export function slipsNumbersFor(t: FormTemplate, sheets: number): number {
  if (!t.slips || formSeries(t) === undefined) return 0;
  return slipsGeometry({ orientation: t.orientation, slips: t.slips }).numbersPerSheet * sheets;
}
