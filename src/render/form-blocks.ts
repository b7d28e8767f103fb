// The blocks of a form template as pdfmake content: turns each block of the template vocabulary
// into pdfmake content, A4 geometry, black only, with placeholders filled and pre-printed text
// shrunk to fit its box. Shared by the two layouts that place those blocks (render-form.ts: pages
// with a header and footer; render-slips.ts: slips cut from a sheet), which therefore never import
// each other. Also the render context both take and the render error they throw.
import type { Column, Content, ContentTable, ContentCanvas, TableCell, CustomTableLayout } from 'pdfmake/interfaces.js';
import type { StationConfig } from '../config.js';
import {
  placeholderPattern,
  type Block,
  type CheckboxesBlock,
  type ChecklistBlock,
  type FieldsBlock,
  type FieldRow,
  type FormTemplate,
  type LinesBlock,
  type PhoneListBlock,
  type PlaceholderName,
  type SerialBlock,
  type SignatureBlock,
  type TableBlock,
  type TextBlock,
} from '../catalog/template-schema.js';
import { feeKindText } from '../domain/fees.js';
import { barcodeModules, MIN_QUIET_ZONE_MODULES } from '../domain/barcode-symbol.js';
import {
  CELL_INSET_MM,
  CELL_PAD,
  CHECKLIST,
  columnWidthsMm,
  FIT_FLOOR_PT,
  FORM_LINE,
  FORM_SIZE,
  PT_PER_MM,
} from '../catalog/form-geometry.js';
import { textWidthPt, MONO_FAMILY } from './pdf-engine.js';
import { markRect, type MarkSink } from './pdfmake-rects.js';
import { addDays, formatStationDate, formatStationDateTime } from '../domain/time.js';

export interface RenderContext {
  config: StationConfig;
  printedAt: Date;
  /** The number drawn for a form with a serial block (prefix and check digit included). */
  serial?: string;
  /** YYYY-MM-DD: the day a list is for (the {validFor} placeholder and the footer). */
  validFor?: string;
  /** Print the date without the time: the cache reuses a blank form all day, so a time would be stale. */
  dateOnly?: boolean;
  /** The caption of this copy on a slip ({copy}, e.g. "Patientens exemplar"). */
  copy?: string;
  /** Numbers for a slips form: one per slip, in order (see render-slips.ts). */
  serials?: readonly string[];
  /**
   * Lay the form out as a template for stamped numbers (numbered.ts): each serial block keeps its
   * place, sized for `serial`, but leaves its bars and its number out and reports where they go.
   */
  slots?: SlotSink;
  /** Which of the page's (or sheet's) numbers this serial block shows: 0 for a form, per slip for slips. */
  slotNumber?: number;
  /** Told about every pre-printed text that does not fit its box even at the floor size (start-up check). */
  fit?: FitSink;
}

/** A serial block left empty in a template: what its number and barcode need to be stamped in place. */
export interface SerialSlotSpec {
  numberIndex: number;
  symbology: SerialBlock['symbology'];
  moduleMm: number;
  barHeightMm: number;
  /** The symbol's width in modules the place was sized for. */
  widthModules: number;
  /** Width of the box the number is centred in (pt). */
  boxWidth: number;
}

export interface SlotSink {
  /** Records a slot; pdfmake reports where its bars and its number's line were placed. */
  add(spec: SerialSlotSpec): { bars: MarkSink; text: MarkSink };
}

/** The serial's number under its barcode: in templates and overlays alike (numbered.ts). */
export const SERIAL_TEXT_STYLE = { font: MONO_FAMILY, fontSize: 11, alignment: 'center' } as const;

export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

// ---- geometry ---------------------------------------------------------------------------------

const mm = (x: number): number => x * PT_PER_MM;
const BLOCK_GAP = 3; // mm between blocks
const SIZE = FORM_SIZE;
const LINE = FORM_LINE;

// ---- fitting pre-printed text -----------------------------------------------------------------

/** A pre-printed text that does not fit its box even at the smallest size: it wraps, and may add a page. */
export interface FitOverflow {
  /** Which box: the field's label, "sidhuvud" for the page header, "{unit.name} i …" for a slip. */
  field: string;
  text: string;
  /** Width the text needs at the floor size, and the width it has (mm). */
  needMm: number;
  haveMm: number;
}
export type FitSink = (o: FitOverflow) => void;

/**
 * The size `text` is printed at to stay on one line `widthPt` wide: `sizePt`, or smaller down to
 * FIT_FLOOR_PT. A long unit name or address then shrinks inside its cell instead of wrapping and
 * pushing the form onto another page; what does not fit even at the floor is reported to `sink`.
 */
export function fitSize(text: string, widthPt: number, sizePt: number, field: string, sink: FitSink | undefined, style: { bold?: boolean } = {}): number {
  const widest = Math.max(...text.split('\n').map((line) => textWidthPt(line, sizePt, style)));
  // 1 % slack: pdfkit's line breaking compares the same advance widths, summed word by word.
  const room = widthPt * 0.99;
  if (widest <= room) return sizePt;
  const size = (sizePt * room) / widest;
  if (size >= FIT_FLOOR_PT) return Math.floor(size * 20) / 20;
  sink?.({ field, text, needMm: (widest * (FIT_FLOOR_PT / sizePt)) / PT_PER_MM, haveMm: widthPt / PT_PER_MM });
  return FIT_FLOOR_PT;
}

// ---- placeholders -----------------------------------------------------------------------------

const BLANK_DATE = '____________';

export function placeholderValues(t: FormTemplate, ctx: RenderContext): Record<PlaceholderName, string> {
  const { config } = ctx;
  return {
    'unit.name': config.unit.name,
    'unit.address': config.unit.address,
    'unit.phone': config.unit.phone,
    'unit.region': config.unit.region,
    'unit.workplaceCode': config.unit.workplaceCode,
    'unit.workplaceName': config.unit.workplaceName ?? config.unit.name,
    'unit.organisation': config.unit.organisation ?? config.unit.region,
    'unit.organisationNumber': config.unit.organisationNumber,
    'lab.name': config.lab.name,
    'lab.customerNumber': config.lab.customerNumber,
    'routine.name': config.routine.name,
    'routine.version': config.routine.version,
    'routine.date': config.routine.date,
    'document.name': t.name,
    printDate: formatStationDate(ctx.printedAt, config.timezone),
    printDateTime: formatStationDateTime(ctx.printedAt, config.timezone),
    validFor: ctx.validFor ?? BLANK_DATE,
    shredAfter: ctx.validFor && t.shredAfterDays !== undefined ? addDays(ctx.validFor, t.shredAfterDays) : BLANK_DATE,
    copy: ctx.copy ?? '',
  };
}

/** A copy of `data` with {placeholders} replaced in every string. Values are not scanned again. */
export function fillPlaceholders<T>(data: T, values: Record<PlaceholderName, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(placeholderPattern, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as PlaceholderName] : whole));
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(data) as T;
}

/**
 * The blocks of one page of `t` as pdfmake content, placeholders filled, laid out `widthMm` wide:
 * for layouts that place a page's content themselves (slips).
 */
export function layoutPageBlocks(t: FormTemplate, ctx: RenderContext, pageIndex: number, widthMm: number): Content[] {
  const page = fillPlaceholders(t.pages[pageIndex], placeholderValues(t, ctx));
  if (!page) throw new RenderError(`[render] ${t.id}: no page ${pageIndex}`);
  const r = new BlockRenderer(t, ctx, widthMm);
  return page.blocks.map((b) => r.block(b));
}

// ---- blocks -----------------------------------------------------------------------------------

/** Percent strings for pdfmake: a table's % widths are of the whole row, padding and rules included. */
function percentWidths(cols: readonly { width?: number | undefined; widthMm?: number | undefined }[], widthMm: number): string[] {
  return columnWidthsMm(cols, widthMm).map((w) => `${(w / widthMm) * 100}%`);
}

/**
 * The size a column header is printed at so that no word of it is broken mid-word in its column
 * ("Omutskriven" split as "Omutskrive/n"): the header's longest word fitted to the column.
 */
export function headerSize(header: string, columnMm: number, sizePt: number): number {
  const room = mm(columnMm - CELL_INSET_MM) * 0.97;
  const widest = Math.max(...header.split(/\s+/).map((w) => textWidthPt(w, sizePt, { bold: true })));
  return widest <= room ? sizePt : Math.max(5, Math.floor(((sizePt * room) / widest) * 20) / 20);
}

function boxLayout(lineWidth: number, opts: { top?: boolean; rowLines?: number } = {}): CustomTableLayout {
  return {
    hLineWidth: (i, node) => {
      if (i === 0) return opts.top === false ? 0 : lineWidth;
      if (i === node.table.body.length) return lineWidth;
      return opts.rowLines ?? lineWidth;
    },
    vLineWidth: () => lineWidth,
    hLineColor: () => '#000000',
    vLineColor: () => '#000000',
    paddingLeft: () => CELL_PAD.x,
    paddingRight: () => CELL_PAD.x,
    paddingTop: () => CELL_PAD.top,
    paddingBottom: () => CELL_PAD.bottom,
  };
}

/** Inner height of a table row so that the whole row, padding and rule included, is `heightMm`. */
const innerHeight = (heightMm: number, lineWidth: number): number => Math.max(4, mm(heightMm) - CELL_PAD.top - CELL_PAD.bottom - lineWidth);

const checkbox = (sizeMm = 4): ContentCanvas => ({
  canvas: [{ type: 'rect', x: 0, y: 0.5, w: mm(sizeMm), h: mm(sizeMm), lineWidth: 0.8, lineColor: '#000000' }],
});

/** ☐ glyph for boxes inside running text; a little larger than the text so it can take a tick. */
const boxGlyph = (fontSize: number = SIZE.base): { text: string; fontSize: number } => ({ text: '☐\u00a0', fontSize: fontSize + 3 });

/** Turns blocks into pdfmake content, `width` mm wide. */
export class BlockRenderer {
  constructor(
    private readonly t: FormTemplate,
    private readonly ctx: RenderContext,
    /** Content width in mm. */
    private readonly width: number,
  ) {}

  block(b: Block): Content {
    switch (b.type) {
      case 'heading':
        return {
          text: b.text,
          bold: true,
          fontSize: b.level === 1 ? SIZE.h1 : b.level === 2 ? SIZE.h2 : SIZE.h3,
          margin: b.level === 1 ? [0, 0, 0, mm(3)] : [0, mm(1.5), 0, mm(1.5)],
          headlineLevel: b.level,
        };
      case 'text':
        return this.text(b);
      case 'fields':
        return this.fields(b);
      case 'checkboxes':
        return this.checkboxes(b);
      case 'checklist':
        return this.checklist(b);
      case 'lines':
        return this.lines(b);
      case 'table':
        return this.table(b);
      case 'phoneList':
        return this.phoneList(b);
      case 'signature':
        return this.signature(b);
      case 'spacer':
        return { text: '', margin: [0, mm(b.height), 0, 0] };
      case 'serial':
        return this.serial(b);
      case 'analyses':
        if (!b.options?.length) throw new RenderError(`[render] ${this.t.id}: the analysis list was not loaded (templates/labs)`);
        // A lab's list is long: a size smaller than running text keeps most names on one line.
        return this.checkboxes({ type: 'checkboxes', label: b.label, options: b.options, columns: b.columns, other: b.other, boxed: true }, SIZE.small + 0.5);
      case 'fees':
      {
        // Each kind's fixed text stays on one line of its column: one size for all, fitted to the longest.
        const options = this.ctx.config.fees.map(feeKindText);
        const room = mm((this.width - CELL_INSET_MM) / b.columns - 6); // 6 mm: the tick box and its gap
        const size = Math.min(...options.map((o) => fitSize(o, room, SIZE.small, `${b.label}: ${o}`, this.ctx.fit)));
        return this.checkboxes({ type: 'checkboxes', label: b.label, options, columns: b.columns, boxed: true }, size);
      }
      default: {
        const never: never = b;
        throw new RenderError(`[render] ${this.t.id}: unknown block ${JSON.stringify(never)}`);
      }
    }
  }

  private gap(content: Content, mmBelow = BLOCK_GAP): Content {
    return { stack: [content], margin: [0, 0, 0, mm(mmBelow)] };
  }

  private title(text: string | undefined): Content[] {
    return text ? [{ text, bold: true, fontSize: SIZE.base, margin: [0, 0, 0, mm(1)] }] : [];
  }

  private text(b: TextBlock): Content {
    const size = b.size === 'small' ? SIZE.small : SIZE.base;
    const node: Content = {
      // Fitted text: each line at its own size, so a long address does not shrink the name above it.
      text: b.fit ? b.text.split('\n').map((line, i, all) => ({ text: i < all.length - 1 ? `${line}\n` : line, fontSize: fitSize(line, mm(this.width) - (b.boxed ? 10 : 0), size, `text "${line.slice(0, 30)}"`, this.ctx.fit, { bold: b.bold }) })) : b.text,
      fontSize: size,
      bold: b.bold,
      italics: b.italic,
      alignment: b.align,
    };
    if (!b.boxed) return this.gap(node, 2.5);
    return this.gap({
      table: { widths: ['*'], body: [[{ ...node, margin: [2, 2, 2, 2] }]] },
      layout: boxLayout(LINE.strong),
    });
  }

  private fieldCell(c: FieldRow['cells'][number], widthMm: number): TableCell {
    const stack: Content[] = [
      {
        text: c.hint ? [c.label, { text: `  ${c.hint}`, italics: true }] : c.label,
        fontSize: SIZE.label,
      },
    ];
    if (c.choices)
      stack.push({
        text: c.choices.flatMap((choice, i) => [boxGlyph(SIZE.small), { text: choice }, i < c.choices!.length - 1 ? '\u00a0\u00a0\u00a0 ' : '']),
        fontSize: SIZE.small + 0.5,
        margin: [0, 1, 0, 0],
      });
    if (c.value) stack.push({ text: c.value, fontSize: fitSize(c.value, mm(widthMm - CELL_INSET_MM), SIZE.base + 1, c.label, this.ctx.fit), margin: [0, 1, 0, 0] });
    return { stack };
  }

  private fieldRows(rows: readonly FieldRow[], lineWidth: number): Content[] {
    return rows.map((row, i): ContentTable => {
      const cellMm = columnWidthsMm(row.cells, this.width);
      return {
      table: {
        widths: percentWidths(row.cells, this.width),
        heights: [innerHeight(row.height, lineWidth)],
        body: [row.cells.map((c, ci) => this.fieldCell(c, cellMm[ci]!))],
        dontBreakRows: true,
      },
      // Rows are stacked tables; only the first draws a top rule so joins are not doubled.
      layout: boxLayout(lineWidth, { top: i === 0 }),
      };
    });
  }

  private fields(b: FieldsBlock): Content {
    const lw = b.emphasis ? LINE.strong : LINE.box;
    return this.gap({ stack: [...this.title(b.title), ...this.fieldRows(b.rows, lw)], unbreakable: b.rows.length <= 6 });
  }

  private signature(b: SignatureBlock): Content {
    const row: FieldRow = { height: b.height, cells: b.parts.map((label) => ({ label })) };
    return this.gap({ stack: [...this.title(b.title), ...this.fieldRows([row], LINE.box)], unbreakable: true });
  }

  private checkboxes(b: CheckboxesBlock, fontSize: number = SIZE.base): Content {
    type Run = string | { text: string; fontSize: number };
    const items: Run[][] = b.options.map((o) => [boxGlyph(fontSize), { text: o, fontSize }]);
    const other: Run[] | undefined = b.other ? [boxGlyph(), `${b.other}:\u00a0`] : undefined;
    let options: Content;
    if (b.columns) {
      const cols = b.columns;
      const body: TableCell[][] = [];
      for (let i = 0; i < items.length; i += cols) body.push(items.slice(i, i + cols).map((runs) => ({ text: runs })));
      // "Annan: ____" takes the rest of the last row (or a row of its own), with a line to write on.
      if (other) {
        let last = body[body.length - 1];
        if (!last || last.length === cols) body.push((last = []));
        const span = cols - last.length;
        last.push({ colSpan: span, columns: [{ text: other, width: 'auto' }, this.writeLine()] });
      }
      for (const row of body) while (row.length < cols) row.push({ text: '' });
      const layout: CustomTableLayout = { ...boxLayout(0), paddingLeft: () => 0, paddingTop: () => 1, paddingBottom: () => 1 };
      options = { table: { widths: Array<string>(cols).fill('*'), body }, layout };
    } else {
      // One flowing line; non-breaking spaces keep each box with its word.
      const runs = items.flatMap((r, i) => [...r, i < items.length - 1 ? '\u00a0\u00a0\u00a0\u00a0 ' : '']);
      options = other
        ? { columns: [{ text: [...runs, '\u00a0\u00a0\u00a0\u00a0 ', ...other], width: 'auto' }, this.writeLine()] }
        : { text: runs };
    }
    const inner: Content = { stack: [{ text: b.label, fontSize: SIZE.label }, { stack: [options], margin: [0, 1, 0, 1] }] };
    if (!b.boxed) return this.gap(inner);
    return this.gap({
      table: { widths: ['*'], body: [[inner]], dontBreakRows: true },
      layout: boxLayout(LINE.box),
    });
  }

  private checklist(b: ChecklistBlock): Content {
    const sign = b.signColumns;
    const widths = [mm(CHECKLIST.boxWidthMm), '*', ...(sign ? [CHECKLIST.signWidthMm, CHECKLIST.timeWidthMm].map(mm) : [])];
    const rowH = innerHeight(sign ? CHECKLIST.signedRowHeightMm : CHECKLIST.rowHeightMm, LINE.rule);
    const body: TableCell[][] = [];
    const heights: number[] = [];
    if (sign) {
      body.push([{ text: '' }, { text: '' }, { text: 'Sign.', fontSize: SIZE.label }, { text: 'Datum/tid', fontSize: SIZE.label }]);
      heights.push(0);
    }
    const empty = (): TableCell[] => (sign ? [{ text: '' }, { text: '' }] : []);
    for (const item of b.items) {
      const text = typeof item === 'string' ? item : item.text;
      const lines = typeof item === 'string' ? 0 : item.lines;
      body.push([checkbox(), { text: text, margin: [0, 1, 0, 0] }, ...empty()]);
      heights.push(rowH);
      for (let i = 0; i < lines; i++) {
        body.push([{ text: '' }, { text: '' }, ...empty()]);
        heights.push(innerHeight(8, LINE.rule));
      }
    }
    for (let i = 0; i < b.blankItems; i++) {
      body.push([checkbox(), { text: '' }, ...empty()]);
      heights.push(innerHeight(8, LINE.rule));
    }
    const headerRows = sign ? 1 : 0;
    const layout: CustomTableLayout = {
      hLineWidth: (i, node) => (i === 0 || (sign && i === 1) ? (sign && i === 1 ? LINE.box : 0) : i === node.table.body.length ? LINE.box : LINE.rule),
      vLineWidth: (i) => (sign && i >= 2 && i <= 3 ? LINE.rule : 0),
      hLineColor: () => '#000000',
      vLineColor: () => '#000000',
      paddingLeft: (i) => (i === 0 ? 0 : CELL_PAD.x),
      paddingRight: () => CELL_PAD.x,
      paddingTop: () => CELL_PAD.top + 1,
      paddingBottom: () => CELL_PAD.bottom,
    };
    const stack: Content[] = [...this.title(b.title)];
    if (b.intro) stack.push({ text: b.intro, margin: [0, 0, 0, mm(1.5)] });
    if (body.length > headerRows) stack.push({ table: { widths, heights, body, headerRows, dontBreakRows: true }, layout });
    return this.gap({ stack }, 4);
  }

  /** A write-in line filling the rest of a column: an empty cell with only its bottom rule. */
  private writeLine(): Column {
    return {
      width: '*',
      margin: [2, 0, 6, 0],
      table: { widths: ['*'], body: [[{ text: ' ' }]] },
      layout: {
        hLineWidth: (i, node) => (i === node.table.body.length ? LINE.rule : 0),
        vLineWidth: () => 0,
        hLineColor: () => '#000000',
        paddingLeft: () => 0,
        paddingRight: () => 0,
        paddingTop: () => 0,
        paddingBottom: () => 0,
      },
    };
  }

  private ruled(count: number, spacingMm: number, widthPt: number): ContentCanvas {
    // Lines sit a little above each spacing step, so the label takes the first step's head room
    // and the last line keeps clear of the frame.
    return {
      canvas: Array.from({ length: count }, (_, i) => {
        const y = mm(spacingMm * (i + 1) - 2.5);
        return { type: 'line' as const, x1: 0, y1: y, x2: widthPt, y2: y, lineWidth: LINE.rule, lineColor: '#000000' };
      }),
    };
  }

  private lines(b: LinesBlock): Content {
    if (!b.box) {
      return this.gap({
        stack: [...(b.label ? [{ text: b.label, fontSize: SIZE.label }] : []), this.ruled(b.count, b.spacing, mm(this.width))],
        unbreakable: b.count <= 12,
      });
    }
    // A framed note box: label in the corner, ruled lines to the frame.
    const inner = mm(this.width) - 2 * CELL_PAD.x - 2 * LINE.box;
    return this.gap({
      table: {
        widths: ['*'],
        body: [[{ stack: [...(b.label ? [{ text: b.label, fontSize: SIZE.label, bold: true }] : []), this.ruled(b.count, b.spacing, inner)] }]],
        heights: [innerHeight(b.spacing * b.count + 3.5, LINE.box)],
        dontBreakRows: true,
      },
      layout: boxLayout(LINE.box),
    });
  }

  private gridTable(
    title: string | undefined,
    headers: string[],
    cols: readonly { width?: number | undefined; widthMm?: number | undefined }[],
    rows: TableCell[][],
    rowHeightMm: number,
    opts: { headerHeightMm?: number; groupRows?: number } = {},
  ): Content {
    const widths = percentWidths(cols, this.width);
    const colMm = columnWidthsMm(cols, this.width);
    const body: TableCell[][] = [headers.map((h, i) => ({ text: h, bold: true, fontSize: headerSize(h, colMm[i]!, SIZE.small) }))];
    const heights: number[] = [opts.headerHeightMm !== undefined ? innerHeight(opts.headerHeightMm, LINE.box) : 0];
    for (const r of rows) {
      body.push(r);
      heights.push(innerHeight(rowHeightMm, LINE.rule));
    }
    const group = opts.groupRows ?? 1;
    const layout: CustomTableLayout = {
      ...boxLayout(LINE.box, { rowLines: LINE.rule }),
      // Heavier rules round the header and between items (a drug's dose rows stay together).
      hLineWidth: (i, node) => (i === 0 || i === 1 || i === node.table.body.length || (i - 1) % group === 0 ? LINE.box : LINE.rule),
      vLineWidth: () => LINE.rule,
    };
    return this.gap({
      stack: [...this.title(title), { table: { widths, heights, headerRows: 1, dontBreakRows: true, body }, layout }],
    }, 4);
  }

  private table(b: TableBlock): Content {
    const cols = b.numbered ? [{ widthMm: 8 }, ...b.columns] : b.columns;
    const headers = [...(b.numbered ? ['Nr'] : []), ...b.columns.map((c) => c.header)];
    const per = b.perItem?.rows ?? 1;
    const span = b.perItem?.spanColumns ?? 0;
    const rows: TableCell[][] = [];
    for (let item = 0; item < b.rows; item++)
      for (let r = 0; r < per; r++) {
        const first = r === 0;
        // Columns that span an item's rows are written once, in its first row; pdfmake wants an
        // empty placeholder in the rows they cover.
        const spanned = (cell: TableCell): TableCell => (per === 1 ? cell : first ? ({ ...(cell as object), rowSpan: per } as TableCell) : {});
        rows.push([
          ...(b.numbered ? [spanned({ text: String(item + 1), fontSize: SIZE.small, alignment: 'right' as const })] : []),
          ...b.columns.map((_, ci) => (ci < span ? spanned({ text: '' }) : { text: '' })),
        ]);
      }
    return this.gridTable(b.title, headers, cols, rows, b.rowHeight, { headerHeightMm: b.headerHeight, groupRows: per });
  }

  private phoneList(b: PhoneListBlock): Content {
    const rows: TableCell[][] = this.ctx.config.phoneList.map((p) => [
      { text: p.name },
      { text: p.number, bold: true, fontSize: SIZE.base + 1 },
      { text: p.note, fontSize: SIZE.small },
    ]);
    for (let i = 0; i < b.blankRows; i++) rows.push([{ text: '' }, { text: '' }, { text: '' }]);
    return this.gridTable(b.title, [b.headers.name, b.headers.number, b.headers.note], [{ width: 0.38 }, { width: 0.24 }, {}], rows, b.rowHeight);
  }

  private serial(b: SerialBlock): Content {
    const serial = this.ctx.serial;
    if (serial === undefined || serial === '')
      throw new RenderError(`[render] ${this.t.id}: the form has a number from series "${b.series}" but no serial was given`);
    // Bars as vector rectangles from the module pattern: a numbered document prints many copies,
    // and an SVG per copy costs pdfmake about a third of the page's rendering time.
    const code = barcodeModules(b.symbology, serial);
    const symbolMm = code.widthModules * b.moduleMm;
    const boxW = Math.max(symbolMm + 2 * MIN_QUIET_ZONE_MODULES * b.moduleMm, 40);
    const slot = this.ctx.slots?.add({
      numberIndex: this.ctx.slotNumber ?? 0,
      symbology: b.symbology,
      moduleMm: b.moduleMm,
      barHeightMm: b.barHeight,
      widthModules: code.widthModules,
      boxWidth: mm(boxW),
    });
    // In a template the bars' place is kept by an invisible mark of the same size, the number's line
    // by a no-break space in the same font after a mark of no height: the layout is unchanged, and
    // the marks say where the stamp goes.
    const bars: ContentCanvas = slot
      ? { canvas: [markRect(mm(symbolMm), mm(b.barHeight), slot.bars)] }
      : { canvas: code.rects.map(([x, , w]) => ({ type: 'rect' as const, x: mm(x * b.moduleMm), y: 0, w: mm(w * b.moduleMm), h: mm(b.barHeight), color: '#000000' })) };
    const number: Content[] = slot ? [{ canvas: [markRect(0, 0, slot.text)] }, { text: '\u00a0', ...SERIAL_TEXT_STYLE }] : [{ text: serial, ...SERIAL_TEXT_STYLE }];
    const box: Column = {
      width: mm(boxW),
      stack: [
        { text: b.label, fontSize: SIZE.label, alignment: 'center' },
        // Centred in a box at least 10 modules wider on each side: the quiet zone stays clear.
        { columns: [{ width: '*', text: '' }, { width: mm(symbolMm), ...bars }, { width: '*', text: '' }], columnGap: 0, margin: [0, 2, 0, 1] },
        ...number,
      ],
    };
    const asideSize = { large: SIZE.h2 + 1.5, normal: SIZE.base, small: SIZE.small } as const;
    // The aside shares the row with the number's box; each line is fitted to what is left of it.
    const asideMm = this.width - boxW - 3;
    const spacer: Column = b.aside
      ? {
          width: '*',
          stack: b.aside.map((a) => ({
            text: a.text,
            bold: a.bold,
            fontSize: fitSize(a.text, mm(asideMm), asideSize[a.size], `rad bredvid numret ("${a.text.slice(0, 30)}")`, this.ctx.fit, { bold: a.bold }),
            margin: [0, 0, 0, mm(0.8)],
          })),
        }
      : { width: '*', text: '' };
    return this.gap({ columns: b.align === 'right' ? [spacer, box] : [box, spacer], columnGap: b.aside ? mm(3) : 0, unbreakable: true });
  }
}
