// The zod schema of a label layout (templates/labels/*.json): an A4 sheet grid or one label per page
// for a roll printer. Layouts are data: a unit adds its own label stock without a build, and start-up
// checks the geometry (the grid fits the page, the text and bars fit the label). Lengths are in mm,
// font sizes in points. Objects are strict, so a misspelt key is an error, not a silent default.
import { z } from 'zod';
import { idSchema } from './template-schema.js';

const mm = (min: number, max: number) => z.number().min(min, `at least ${min} mm`).max(max, `at most ${max} mm`);
const pt = (min: number, max: number) => z.number().min(min, `at least ${min} pt`).max(max, `at most ${max} pt`);

/** Lab practice (CLSI AUTO2): bars at least 10 mm high wherever the label has room for them. */
export const MIN_BAR_HEIGHT_MM = 10;
/** DejaVu's line height (ascender + descender) as a share of the font size. */
export const LINE_HEIGHT_EM = 1.164;
export const PT_MM = 25.4 / 72;
/** Space between the unit line and the bars, and between the bars and the number. */
export const TEXT_GAP_MM = 0.8;

export const labelBarcodeSchema = z
  .strictObject({
    /** Code 128 is what lab scanners expect (CLSI AUTO2); Code 39 is the common alternative. */
    symbology: z.enum(['code128', 'code39', 'datamatrix']).default('code128'),
    /** Width of the narrowest bar (a DataMatrix cell). */
    moduleMm: z.number().min(0.19, 'at least 0.19 mm').max(1, 'at most 1 mm').optional(),
    /** Bar height of a linear code; a DataMatrix is as high as it is wide. */
    height: mm(5, 60).default(12),
    /** Blank space on each side of the bars, in modules; lab practice asks for at least 10. */
    quietZoneModules: z.number().int().min(10, 'at least 10 modules (lab practice)').max(40).default(10),
  })
  .transform((b) => ({ ...b, moduleMm: b.moduleMm ?? (b.symbology === 'datamatrix' ? 0.4 : 0.33) }));

export const labelTextSchema = z
  .strictObject({
    /** The unit's name on the first line of each label. */
    unitSize: pt(4, 14).default(6.5),
    /** The human-readable number under the bars (DejaVu Sans Mono). */
    numberSize: pt(6, 20).default(10),
  })
  .prefault({});

const common = {
  $schema: z.string().optional(),
  id: idSchema,
  /** Shown on the touchscreen, e.g. "A4-ark 3 × 8 (63,5 × 33,9 mm)". */
  name: z.string().min(1, 'must not be empty').max(100),
  description: z.string().max(500).optional(),
  label: z.strictObject({ width: mm(15, 200), height: mm(10, 200) }),
  /** Blank border inside each label: printers and die-cut edges are not exact. */
  padding: mm(0, 10).default(2),
  barcode: labelBarcodeSchema.prefault({}),
  text: labelTextSchema,
  /** Position on the touchscreen, lowest first. */
  order: z.number().int().default(100),
  /**
   * Lines under the number for the two patient identifiers a specimen needs, written by hand
   * ("Namn", "Personnr"). Drawn only where the label has room for them (label-geometry.ts decides
   * from the geometry); false leaves them off a label that has room.
   */
  handwriteLines: z.boolean().default(true),
};

export const sheetLayoutSchema = z.strictObject({
  ...common,
  kind: z.literal('sheet'),
  /** The sheet; A4 unless given. */
  page: z.strictObject({ width: mm(50, 500), height: mm(50, 500) }).prefault({ width: 210, height: 297 }),
  grid: z.strictObject({
    columns: z.number().int().min(1).max(10),
    rows: z.number().int().min(1).max(40),
    /** From the sheet's top edge to the first row, and from the left edge to the first column. */
    marginTop: mm(0, 150),
    marginLeft: mm(0, 150),
    /** Between columns and between rows. */
    gapX: mm(0, 50).default(0),
    gapY: mm(0, 50).default(0),
  }),
  /** IPP media keyword of the sheet (sent with the job and checked against the printer's media-supported). */
  media: z.string().regex(/^[a-z0-9_.-]+$/, 'an IPP media keyword, e.g. iso_a4_210x297mm').default('iso_a4_210x297mm'),
});

export const rollLayoutSchema = z.strictObject({
  ...common,
  kind: z.literal('roll'),
  /** IPP media keyword of the roll, e.g. om_50x25mm_50x25mm (the printer must list it in media-supported). */
  media: z.string().regex(/^[a-z0-9_.-]+$/, 'an IPP media keyword, e.g. om_50x25mm_50x25mm'),
});

/** The two patient identifiers written by hand on a label, as captioned lines (domain.md: every specimen needs both). */
export const HANDWRITE_CAPTIONS = ['Namn', 'Personnr'] as const;
/** Height of one handwriting line's row: room above the line to write a name or a personnummer. */
export const HANDWRITE_ROW_MM = 5;
/** The shortest line worth writing a 12-digit personnummer on by hand. */
export const HANDWRITE_MIN_LINE_MM = 25;
/** The captions' font size (small, left of each line). */
export const HANDWRITE_CAPTION_PT = 5;

/** Height the text lines and gaps take besides the symbol, in mm. */
export function textHeightMm(text: { unitSize: number; numberSize: number }): number {
  return (text.unitSize + text.numberSize) * LINE_HEIGHT_EM * PT_MM + 2 * TEXT_GAP_MM;
}

export const labelLayoutSchema = z.discriminatedUnion('kind', [sheetLayoutSchema, rollLayoutSchema]).superRefine((l, ctx) => {
  const room = l.label.height - 2 * l.padding - textHeightMm(l.text);
  if (l.barcode.symbology !== 'datamatrix') {
    if (l.barcode.height > room + 1e-6)
      ctx.addIssue({
        code: 'custom',
        path: ['barcode', 'height'],
        message: `bars of ${l.barcode.height} mm and the two text lines do not fit in a label ${l.label.height} mm high (room for ${Math.max(0, room).toFixed(1)} mm of bars)`,
      });
    else if (l.barcode.height < MIN_BAR_HEIGHT_MM && room >= MIN_BAR_HEIGHT_MM)
      ctx.addIssue({
        code: 'custom',
        path: ['barcode', 'height'],
        message: `bars must be at least ${MIN_BAR_HEIGHT_MM} mm high when the label has room for them (it has room for ${room.toFixed(1)} mm)`,
      });
  }
  if (l.kind === 'sheet') {
    const g = l.grid;
    const w = g.marginLeft + g.columns * l.label.width + (g.columns - 1) * g.gapX;
    const h = g.marginTop + g.rows * l.label.height + (g.rows - 1) * g.gapY;
    if (w > l.page.width + 0.01)
      ctx.addIssue({ code: 'custom', path: ['grid', 'columns'], message: `${g.columns} columns need ${w.toFixed(1)} mm, the page is ${l.page.width} mm wide` });
    if (h > l.page.height + 0.01)
      ctx.addIssue({ code: 'custom', path: ['grid', 'rows'], message: `${g.rows} rows need ${h.toFixed(1)} mm, the page is ${l.page.height} mm high` });
  }
});

export type LabelLayout = z.infer<typeof labelLayoutSchema>;
export type LabelLayoutInput = z.input<typeof labelLayoutSchema>;
export type SheetLayout = z.infer<typeof sheetLayoutSchema>;
export type RollLayout = z.infer<typeof rollLayoutSchema>;
export type LabelBarcode = LabelLayout['barcode'];

/** Labels on one page: the grid for a sheet, one for a roll. */
export const labelsPerPage = (l: Pick<LabelLayout, 'kind'> & { grid?: { columns: number; rows: number } }): number =>
  l.kind === 'sheet' && l.grid ? l.grid.columns * l.grid.rows : 1;

/** The printer role a layout needs: sheets go to "labels-sheet" printers, rolls to "labels-roll". */
export const roleForLayout = (l: Pick<LabelLayout, 'kind'>): 'labels-sheet' | 'labels-roll' => (l.kind === 'sheet' ? 'labels-sheet' : 'labels-roll');
