// The document kinds beyond the plain form, and the union every file in templates/forms/ is checked
// against. "kind" picks the schema: "form" (the default: blocks on A4, see template-schema.ts),
// "overprint" (the prescriber's allowed pre-print fields at absolute positions in mm, printed onto
// official blank receptblanketter) and "ledger" (a list of the numbers issued from a series, e.g.
// the Avstämningslista). Like forms, every object is strict and every length is in millimetres.
import { z } from 'zod';
import { formTemplateSchema, idSchema, type FormTemplate } from './template-schema.js';

const mm = (min: number, max: number) => z.number().min(min, `at least ${min} mm`).max(max, `at most ${max} mm`);
const text = (max: number) => z.string().min(1, 'must not be empty').max(max);

// ---- overprint: the lawful prescription sheet ------------------------------------------------

/**
 * The only things reservkit may print on a receptblankett (Läkemedelsverket's rules): the
 * prescriber's name, profession and förskrivarkod, the workplace's name in plain text ("tjänsteställe
 * i klartext", which some regions require beside the address), address, phone and arbetsplatskod.
 * The schema has no other field and no free text, so no template can add one.
 */
export const overprintFields = ['name', 'profession', 'prescriberCode', 'workplaceName', 'workplaceAddress', 'phone', 'workplaceCode'] as const;
export type OverprintField = (typeof overprintFields)[number];
/** The codes that must also appear as barcodes. */
export const overprintBarcodeFields = ['prescriberCode', 'workplaceCode'] as const;
export type OverprintBarcodeField = (typeof overprintBarcodeFields)[number];

/** Swedish names of the fields, for the calibration page and messages. */
export const overprintFieldNames: Record<OverprintField, string> = {
  name: 'Förskrivarens namn',
  profession: 'Yrke',
  prescriberCode: 'Förskrivarkod',
  workplaceName: 'Arbetsplatsens namn',
  workplaceAddress: 'Arbetsplatsens adress',
  phone: 'Telefon',
  workplaceCode: 'Arbetsplatskod',
};

export const overprintTextSchema = z.strictObject({
  field: z.enum(overprintFields),
  /** Top-left corner of the text, from the sheet's top-left corner. */
  xMm: mm(0, 420),
  yMm: mm(0, 420),
  /** Longer text is shrunk to fit, never wrapped into the form's other boxes. */
  widthMm: mm(10, 400),
  fontSizePt: z.number().min(6, 'at least 6 pt').max(16, 'at most 16 pt').optional(),
  bold: z.boolean().default(false),
});

export const overprintBarcodeSchema = z.strictObject({
  field: z.enum(overprintBarcodeFields),
  xMm: mm(0, 420),
  yMm: mm(0, 420),
  /** Bars at least 8 mm high; pharmacies' scanners read 10 mm and more best. */
  heightMm: mm(8, 30).default(10),
  moduleMm: z.number().min(0.25, 'at least 0.25 mm').max(0.6, 'at most 0.6 mm').default(0.33),
  symbology: z.enum(['code128', 'code39']).default('code128'),
});

export const overprintTemplateSchema = z
  .strictObject({
    $schema: z.string().optional(),
    kind: z.literal('overprint'),
    id: idSchema,
    /** Shown at the station and on the calibration page; never printed on the form. */
    name: text(200),
    description: z.string().max(1000).optional(),
    /** Position in the station's list of documents, lowest first (then by name). */
    order: z.number().int().optional(),
    /** Printer role that takes the blanks (e.g. a printer with a manual feed). */
    role: idSchema.default('a4'),
    /** IPP media keyword sent with the job, e.g. "iso_a5_148x210mm"; default: the printer's own. */
    media: z.string().regex(/^[a-z0-9_.-]+$/, 'an IPP media keyword (a–z, 0–9, _ . -)').optional(),
    /** The blank form's size. */
    page: z.strictObject({ widthMm: mm(50, 420), heightMm: mm(50, 420) }),
    /** Moves every field at once: the printer's feed correction, found with the calibration page. */
    offsetMm: z.strictObject({ x: mm(-30, 30).default(0), y: mm(-30, 30).default(0) }).prefault({}),
    fontSizePt: z.number().min(6).max(16).default(10),
    texts: z.array(overprintTextSchema).min(1).max(overprintFields.length),
    barcodes: z.array(overprintBarcodeSchema).min(1).max(overprintBarcodeFields.length),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.texts.forEach((f, i) => {
      if (seen.has(f.field)) ctx.addIssue({ code: 'custom', path: ['texts', i, 'field'], message: `"${f.field}" is placed twice` });
      seen.add(f.field);
      if (f.xMm + f.widthMm > t.page.widthMm) ctx.addIssue({ code: 'custom', path: ['texts', i, 'widthMm'], message: `reaches ${f.xMm + f.widthMm} mm, past the sheet's width of ${t.page.widthMm} mm` });
      if (f.yMm + 4 > t.page.heightMm) ctx.addIssue({ code: 'custom', path: ['texts', i, 'yMm'], message: `below the sheet (${t.page.heightMm} mm high)` });
    });
    // Both codes must be there as digits and as a barcode.
    for (const code of overprintBarcodeFields) {
      if (!seen.has(code)) ctx.addIssue({ code: 'custom', path: ['texts'], message: `${overprintFieldNames[code]} (${code}) must be printed as digits too` });
      const bars = t.barcodes.filter((b) => b.field === code);
      if (bars.length === 0) ctx.addIssue({ code: 'custom', path: ['barcodes'], message: `${overprintFieldNames[code]} (${code}) must also be printed as a barcode` });
      if (bars.length > 1) ctx.addIssue({ code: 'custom', path: ['barcodes'], message: `${code} has more than one barcode` });
    }
    t.barcodes.forEach((b, i) => {
      if (b.xMm >= t.page.widthMm - 10) ctx.addIssue({ code: 'custom', path: ['barcodes', i, 'xMm'], message: `too close to the sheet's right edge (${t.page.widthMm} mm)` });
      if (b.yMm + b.heightMm > t.page.heightMm) ctx.addIssue({ code: 'custom', path: ['barcodes', i, 'yMm'], message: `the bars reach below the sheet (${t.page.heightMm} mm high)` });
    });
  });

// ---- ledger: lists of issued numbers ---------------------------------------------------------

/** What a ledger column shows: a value from the ledger, or an empty column to fill in by hand. */
export const ledgerSources = ['number', 'issuedAt', 'document', 'status', 'reprints', 'tick', 'blank'] as const;

export const ledgerColumnSchema = z.strictObject({
  /** number, issuedAt (station time), document (which document took it), status (issued/voided),
   * reprints (how often it was reprinted), tick (a box to tick), blank (an empty column). */
  source: z.enum(ledgerSources),
  header: text(80),
  width: z.number().gt(0).max(1).optional(),
  widthMm: mm(5, 280).optional(),
  /** Only for series of these kinds (config series[].kind); default: every series. */
  seriesKinds: z.array(z.enum(['referral', 'receipt', 'other'])).min(1).optional(),
});

export const ledgerTemplateSchema = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal('ledger'),
  id: idSchema,
  name: text(200),
  description: z.string().max(1000).optional(),
  /** Position in the station's list of documents, lowest first (then by name). */
  order: z.number().int().optional(),
  role: z.literal('a4').default('a4'),
  orientation: z.enum(['portrait', 'landscape']).default('landscape'),
  /** Printed under the title: what to do with the list. */
  intro: z.string().min(1).max(2000).optional(),
  columns: z
    .array(ledgerColumnSchema)
    .min(1)
    .max(12)
    .refine((cols) => cols.some((c) => c.source === 'number'), 'needs a column with source "number"'),
  rowHeight: mm(5, 20).default(7.5),
  /** A box at the end for who reconciled the list and when. */
  signature: z.boolean().default(true),
});

// ---- the union ------------------------------------------------------------------------------

/** Every file in templates/forms/ is one of these; "kind" (default "form") says which. */
export const documentTemplateSchema = z.discriminatedUnion('kind', [formTemplateSchema, overprintTemplateSchema, ledgerTemplateSchema]);

export type OverprintTemplate = z.infer<typeof overprintTemplateSchema>;
export type OverprintText = z.infer<typeof overprintTextSchema>;
export type OverprintBarcode = z.infer<typeof overprintBarcodeSchema>;
export type LedgerTemplate = z.infer<typeof ledgerTemplateSchema>;
export type LedgerColumn = z.infer<typeof ledgerColumnSchema>;
export type DocumentTemplate = FormTemplate | OverprintTemplate | LedgerTemplate;
export type DocumentKind = 'form' | 'slips' | 'overprint' | 'ledger';

/** The kind as staff and the API see it: slips are forms laid out several per sheet. */
export function documentKind(d: DocumentTemplate): DocumentKind {
  if (d.kind === 'overprint' || d.kind === 'ledger') return d.kind;
  return d.slips ? 'slips' : 'form';
}

export const isFormTemplate = (d: DocumentTemplate): d is FormTemplate => d.kind === undefined || d.kind === 'form';
