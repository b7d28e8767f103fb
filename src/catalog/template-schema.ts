// The zod schema of a form template (templates/forms/*.json) and of a kit (templates/kits/*.json).
// Templates are data: a unit edits JSON, start-up validates it here, the renderer trusts the result.
// Every object is strict, so a misspelt key ("heigth") is an error rather than a silently ignored
// setting. Lengths are in millimetres.
import { z } from 'zod';

/** Same rule as ids in the station config. */
export const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'only a–z, 0–9 and hyphens (starting with a letter or digit)');

/**
 * Placeholders a template text may use, written {name}. Everything except printDate, printDateTime,
 * validFor and shredAfter is fixed by the station config; validFor (and shredAfter, validFor plus the
 * form's shredAfterDays) makes a form vary per print. copy is the copy's caption on a slip
 * ("Patientens exemplar"), empty elsewhere.
 */
export const placeholderNames = [
  'unit.name',
  'unit.address',
  'unit.phone',
  'unit.region',
  'unit.workplaceCode',
  'unit.workplaceName',
  'unit.organisation',
  'unit.organisationNumber',
  'lab.name',
  'lab.customerNumber',
  'routine.name',
  'routine.version',
  'routine.date',
  'document.name',
  'printDate',
  'printDateTime',
  'validFor',
  'shredAfter',
  'copy',
] as const;
export type PlaceholderName = (typeof placeholderNames)[number];
const placeholderSet: ReadonlySet<string> = new Set(placeholderNames);
export const placeholderPattern = /\{([^{}\s]*)\}/g;

function checkPlaceholders(s: string, ctx: z.RefinementCtx): void {
    for (const m of s.matchAll(placeholderPattern)) {
      if (!placeholderSet.has(m[1] ?? ''))
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {${m[1]}}; known: ${placeholderNames.map((n) => `{${n}}`).join(', ')}` });
    }
}
/** Any printed text may hold {placeholders}; unknown names are rejected at start-up, not printed raw. */
const templateText = z.string().min(1, 'must not be empty').max(2000).superRefine(checkPlaceholders);
/** A short printed text: label, title, option, column header. */
const label = z.string().min(1, 'must not be empty').max(200).superRefine(checkPlaceholders);

/** A length in mm with sane bounds, so a typo (120 instead of 12) fails at start-up. */
const mm = (min: number, max: number) => z.number().min(min, `at least ${min} mm`).max(max, `at most ${max} mm`);

/** Width of a cell or column: a fraction of the row (0–1] or a fixed width in mm. Neither: share the rest. */
const widthProps = {
  width: z.number().gt(0, 'a fraction above 0').max(1, 'a fraction of the row, at most 1').optional(),
  widthMm: mm(5, 280).optional(),
};
function checkWidths(cells: readonly { width?: number | undefined; widthMm?: number | undefined }[], ctx: z.RefinementCtx, key: string) {
  let fractions = 0;
  cells.forEach((c, i) => {
    if (c.width !== undefined && c.widthMm !== undefined)
      ctx.addIssue({ code: 'custom', path: [key, i, 'widthMm'], message: 'give width (fraction) or widthMm, not both' });
    fractions += c.width ?? 0;
  });
  if (fractions > 1.0001) ctx.addIssue({ code: 'custom', path: [key], message: `width fractions add up to ${fractions.toFixed(3)}, more than 1` });
}

export const headingBlockSchema = z.strictObject({
  type: z.literal('heading'),
  text: templateText,
  /** 1: document title, 2: section, 3: sub-section. */
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
});

export const textBlockSchema = z.strictObject({
  type: z.literal('text'),
  text: templateText,
  size: z.enum(['normal', 'small']).default('normal'),
  bold: z.boolean().default(false),
  italic: z.boolean().default(false),
  /** Framed, for notices staff must not miss. */
  boxed: z.boolean().default(false),
  align: z.enum(['left', 'center', 'right']).default('left'),
  /** Shrink each line to stay on one line (down to a floor), e.g. a unit's name and address on a slip. */
  fit: z.boolean().default(false),
});

export const fieldCellSchema = z.strictObject({
  label,
  ...widthProps,
  /** Small print at the bottom of the box, e.g. a format ("ÅÅÅÅMMDD-NNNN"). */
  hint: label.optional(),
  /** Pre-printed content, e.g. "{unit.name}". */
  value: templateText.optional(),
  /** Tick boxes printed inside the box under the label (e.g. which kind of identity number). */
  choices: z.array(label).min(1).max(12).optional(),
  /**
   * Staff write in this box by hand, so it must meet the writing-space rules (form-geometry.ts).
   * Default: yes for a box without a value or tick boxes; a tick-box cell that also takes a word
   * ("Ja, mot: …") says true.
   */
  writeIn: z.boolean().optional(),
});

export const fieldRowSchema = z
  .strictObject({
    /** Box height: 10 mm or more leaves room for handwriting under the label. */
    height: mm(6, 200).default(12),
    cells: z.array(fieldCellSchema).min(1).max(8),
  })
  .superRefine((row, ctx) => checkWidths(row.cells, ctx, 'cells'));

export const fieldsBlockSchema = z.strictObject({
  type: z.literal('fields'),
  title: label.optional(),
  /** Heavier frame, for boxes that must stand out (e.g. "Inskrivet i PMO"). */
  emphasis: z.boolean().default(false),
  rows: z.array(fieldRowSchema).min(1).max(40),
});

export const checkboxesBlockSchema = z.strictObject({
  type: z.literal('checkboxes'),
  label,
  options: z.array(label).min(1).max(40),
  /** Options per line; default: all on one line when they fit. */
  columns: z.number().int().min(1).max(6).optional(),
  /** Adds a last option with a write-in line, e.g. "Annat". */
  other: label.optional(),
  /** Frame the group like a field box. */
  boxed: z.boolean().default(true),
});

export const checklistItemSchema = z.union([
  label,
  z.strictObject({
    text: label,
    /** Ruled lines under the item for notes. */
    lines: z.number().int().min(0).max(20).default(0),
  }),
]);

export const checklistBlockSchema = z.strictObject({
  type: z.literal('checklist'),
  title: label.optional(),
  /** Text under the title, before the items. */
  intro: templateText.optional(),
  items: z.array(checklistItemSchema).max(100).default([]),
  /** Empty boxes with a writing line, for the unit's own additions. */
  blankItems: z.number().int().min(0).max(40).default(0),
  /** Adds columns for who did it and when. */
  signColumns: z.boolean().default(false),
});

export const linesBlockSchema = z.strictObject({
  type: z.literal('lines'),
  label: label.optional(),
  count: z.number().int().min(1).max(60),
  /** Distance between ruled lines; 8 mm suits handwriting. */
  spacing: mm(5, 20).default(8),
  /** Frame the lines as a note box with the label inside its top-left corner. */
  box: z.boolean().default(false),
});

export const tableColumnSchema = z.strictObject({
  header: label,
  ...widthProps,
});

export const tableBlockSchema = z
  .strictObject({
    type: z.literal('table'),
    title: label.optional(),
    columns: z.array(tableColumnSchema).min(1).max(12),
    rows: z.number().int().min(1).max(80),
    rowHeight: mm(5, 60).default(8),
    /** Prints 1, 2, 3 … in a narrow first column (one number per item when rowsPerItem > 1). */
    numbered: z.boolean().default(false),
    /**
     * Several rows per item, e.g. one row per dose time of a drug: the first `spanColumns` columns
     * span the item's rows, a heavier rule separates items; `rows` then counts items.
     */
    perItem: z.strictObject({ rows: z.number().int().min(2).max(8), spanColumns: z.number().int().min(1).max(4).default(1) }).optional(),
    /** Header row this tall (mm), for headers staff write in (e.g. "Datum:" over a day's column). */
    headerHeight: mm(7, 30).optional(),
  })
  .superRefine((t, ctx) => {
    checkWidths(t.columns, ctx, 'columns');
    if (t.perItem && t.perItem.spanColumns >= t.columns.length)
      ctx.addIssue({ code: 'custom', path: ['perItem', 'spanColumns'], message: 'at least one column must be left to split into rows' });
  });

export const phoneListBlockSchema = z.strictObject({
  type: z.literal('phoneList'),
  title: label.optional(),
  headers: z
    .strictObject({ name: label.default('Namn'), number: label.default('Nummer'), note: label.default('Anteckning') })
    .prefault({}),
  /** Empty rows after the configured numbers, to fill in by hand. */
  blankRows: z.number().int().min(0).max(40).default(4),
  rowHeight: mm(6, 30).default(9),
});

export const signatureBlockSchema = z.strictObject({
  type: z.literal('signature'),
  title: label.optional(),
  parts: z.array(label).min(1).max(4).default(['Signatur', 'Namnförtydligande', 'Datum']),
  height: mm(8, 40).default(14),
});

export const spacerBlockSchema = z.strictObject({
  type: z.literal('spacer'),
  height: mm(1, 250),
});

/** A number drawn from a configured series, printed as digits and as a barcode (RenderContext.serial). */
export const serialBlockSchema = z.strictObject({
  type: z.literal('serial'),
  /** Id of a series in config.series. */
  series: idSchema,
  label: label.default('Nummer'),
  symbology: z.enum(['code128', 'code39']).default('code128'),
  /** Lab practice: bars at least 10 mm high. */
  barHeight: mm(10, 40).default(12),
  moduleMm: z.number().min(0.19, 'at least 0.19 mm').max(1, 'at most 1 mm').default(0.33),
  align: z.enum(['left', 'right']).default('right'),
  /** Lines printed beside the number, in the free part of the row (e.g. the document's title). */
  aside: z
    .array(
      z.strictObject({
        text: templateText,
        size: z.enum(['large', 'normal', 'small']).default('normal'),
        bold: z.boolean().default(false),
      }),
    )
    .max(8)
    .optional(),
});

/**
 * The analyses a lab takes, as tick boxes: the list comes from templates/labs/<config lab.analyses>.json
 * (the list the lab approved), filled in by the catalog at start-up.
 */
export const analysesBlockSchema = z.strictObject({
  type: z.literal('analyses'),
  label: label.default('Analyser (kryssa)'),
  columns: z.number().int().min(1).max(6).default(4),
  other: label.optional(),
  /** Set by the catalog from the lab's list; not written in a template. */
  options: z.array(label).max(60).optional(),
});

/** The fee kinds of config.fees as tick boxes, each with its fixed text (högkostnadsskydd, VAT). */
export const feesBlockSchema = z.strictObject({
  type: z.literal('fees'),
  label: label.default('Avgiften avser (kryssa)'),
  columns: z.number().int().min(1).max(3).default(1),
});

export const blockSchema = z.discriminatedUnion('type', [
  headingBlockSchema,
  textBlockSchema,
  fieldsBlockSchema,
  checkboxesBlockSchema,
  checklistBlockSchema,
  linesBlockSchema,
  tableBlockSchema,
  phoneListBlockSchema,
  signatureBlockSchema,
  spacerBlockSchema,
  serialBlockSchema,
  analysesBlockSchema,
  feesBlockSchema,
]);

export const pageSchema = z.strictObject({
  blocks: z.array(blockSchema).min(1),
});

/**
 * Several numbered slips per sheet, cut apart along printed cut marks (Kvittoblock). The form's one
 * page holds the blocks of one slip; each number is printed once per copy, side by side.
 */
export const slipsLayoutSchema = z
  .strictObject({
    rows: z.number().int().min(1).max(8),
    columns: z.number().int().min(1).max(4),
    /** One caption per copy of a number, e.g. ["Patientens exemplar", "Enhetens exemplar"]; {copy} prints it. */
    copies: z.array(label).min(1).max(4).default(['']),
    /**
     * Unprinted border of the sheet: crop marks are drawn in it, from the printable limit (5 mm from
     * the edge, where most lasers start printing) to 1.5 mm short of the cut.
     */
    marginMm: mm(8, 30).default(10),
    /** Space between a slip's cut line and its content. */
    paddingMm: mm(1, 15).default(3.5),
  })
  .superRefine((s, ctx) => {
    if (s.columns % s.copies.length !== 0)
      ctx.addIssue({ code: 'custom', path: ['copies'], message: `${s.copies.length} copies do not fit side by side in ${s.columns} columns (columns must be a multiple of the copies)` });
  });

/** Referral labels printed with a numbered form, as one set: the same number on the form and its labels. */
export const formLabelsSchema = z.strictObject({
  /** Id of a layout in templates/labels. */
  layout: idSchema,
  /** Labels per number: one for the referral, the rest for tubes and containers. */
  perNumber: z.number().int().min(1).max(20).default(4),
});

export const formTemplateSchema = z.strictObject({
  /** Lets an editor find a JSON schema; ignored. */
  $schema: z.string().optional(),
  /** Document kind; "form" (the default) is a sheet of blocks. Other kinds: see document-schema.ts. */
  kind: z.literal('form').optional(),
  id: idSchema,
  name: label,
  description: z.string().max(1000).optional(),
  /** Printer role (config.defaultPrinter) that takes this document. */
  role: z.literal('a4').default('a4'),
  /** Position in the station's list of documents, lowest first (then by name). */
  order: z.number().int().optional(),
  /** Print two-sided where the printer can (page 2 on the back of page 1). */
  duplex: z.boolean().default(false),
  orientation: z.enum(['portrait', 'landscape']).default('portrait'),
  /** Each page starts on a new sheet side; content that does not fit flows onto another page. */
  pages: z.array(pageSchema).min(1).max(20),
  /** Days after {validFor} when a list is to be shredded: fills {shredAfter}. */
  shredAfterDays: z.number().int().min(0).max(3650).optional(),
  /** Print as slips, several per sheet with cut marks; the one page is one slip. */
  slips: slipsLayoutSchema.optional(),
  /** Print the form's number also on labels (one set: form + labels); needs a serial block. */
  labels: formLabelsSchema.optional(),
}).superRefine((t, ctx) => {
  const serials = t.pages.flatMap((p) => p.blocks.filter((b) => b.type === 'serial'));
  if (serials.length > 1) ctx.addIssue({ code: 'custom', path: ['pages'], message: 'at most one serial block: a form carries one number' });
  if (t.slips && t.pages.length !== 1) ctx.addIssue({ code: 'custom', path: ['pages'], message: 'a slips form has exactly one page: the content of one slip' });
  if (t.labels && serials.length === 0) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'labels need a number: add a serial block' });
  if (t.labels && t.slips) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'labels cannot be combined with slips' });
});

/** The series a form draws its number from, if it has a serial block. */
export function formSeries(t: FormTemplate): string | undefined {
  for (const p of t.pages) for (const b of p.blocks) if (b.type === 'serial') return b.series;
  return undefined;
}

export const scenarioSchema = z.union([z.enum(['upgrade', 'shutdown', 'unplanned', 'attack']), idSchema]);

export const kitItemSchema = z.strictObject({
  /** Id of a form in templates/forms. */
  document: idSchema,
  copies: z.number().int().min(1, 'at least 1 copy').max(500, 'at most 500 copies'),
});

export const kitSchema = z.strictObject({
  $schema: z.string().optional(),
  id: idSchema,
  /** What the button says, e.g. "Systemuppgradering". */
  name: label,
  scenario: scenarioSchema,
  description: z.string().max(1000),
  /** Position on the touchscreen, lowest first. */
  order: z.number().int(),
  items: z.array(kitItemSchema).min(1),
});

/** An analysis list (templates/labs/*.json): what the unit's lab takes on a paper referral. */
export const labAnalysesSchema = z.strictObject({
  $schema: z.string().optional(),
  id: idSchema,
  name: z.string().min(1).max(200),
  description: z.string().max(1000).optional(),
  /** As the lab names them, with system prefix ("P-Glukos", "P-Troponin T"). */
  analyses: z.array(z.string().min(1).max(60)).min(1).max(60),
});
export type LabAnalyses = z.infer<typeof labAnalysesSchema>;

export type FormTemplate = z.infer<typeof formTemplateSchema>;
export type FormTemplateInput = z.input<typeof formTemplateSchema>;
export type Page = z.infer<typeof pageSchema>;
export type Block = z.infer<typeof blockSchema>;
export type BlockType = Block['type'];
export type HeadingBlock = z.infer<typeof headingBlockSchema>;
export type TextBlock = z.infer<typeof textBlockSchema>;
export type FieldsBlock = z.infer<typeof fieldsBlockSchema>;
export type FieldRow = z.infer<typeof fieldRowSchema>;
export type FieldCell = z.infer<typeof fieldCellSchema>;
export type CheckboxesBlock = z.infer<typeof checkboxesBlockSchema>;
export type ChecklistBlock = z.infer<typeof checklistBlockSchema>;
export type ChecklistItem = z.infer<typeof checklistItemSchema>;
export type LinesBlock = z.infer<typeof linesBlockSchema>;
export type TableBlock = z.infer<typeof tableBlockSchema>;
export type PhoneListBlock = z.infer<typeof phoneListBlockSchema>;
export type SignatureBlock = z.infer<typeof signatureBlockSchema>;
export type SpacerBlock = z.infer<typeof spacerBlockSchema>;
export type SerialBlock = z.infer<typeof serialBlockSchema>;
export type AnalysesBlock = z.infer<typeof analysesBlockSchema>;
export type FeesBlock = z.infer<typeof feesBlockSchema>;
export type SlipsLayout = z.infer<typeof slipsLayoutSchema>;
export type FormLabels = z.infer<typeof formLabelsSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export type KitItem = z.infer<typeof kitItemSchema>;
export type Kit = z.infer<typeof kitSchema>;
export type KitInput = z.input<typeof kitSchema>;
