// Renders a ledger document (Avstämningslista): every number issued from a series in a date range,
// one row each, with the template's columns — values from the ledger and empty columns to tick by
// hand ("Registrerat i PMO", "E-remiss makulerad"). The page frame (unit, document, routine version,
// print time, page numbers) is the same as every form's.
import type { Content, CustomTableLayout, TableCell } from 'pdfmake/interfaces.js';
import type { SeriesConfig } from '../config.js';
import type { LedgerColumn, LedgerTemplate } from '../catalog/document-schema.js';
import { formTemplateSchema, type FormTemplate } from '../catalog/template-schema.js';
import { formatBlock } from '../domain/serials.js';
import { columnsForKind, summarize, type SeriesKind } from '../domain/reconciliation.js';
import { columnWidthsMm, contentWidthMm, PT_PER_MM } from '../catalog/form-geometry.js';
import type { LedgerEntry } from '../domain/ledger.js';
import { MONO_FAMILY, renderPdf, type RenderedPdf } from './pdf-engine.js';
import { formatStationDateTime } from '../domain/time.js';
import { buildFormDocument } from './render-form.js';
import { headerSize, layoutPageBlocks, type RenderContext } from './form-blocks.js';

const mm = (x: number): number => x * PT_PER_MM;
const PAD = 3; // pt, left and right in each cell

export interface LedgerInput {
  series: SeriesConfig;
  from: string;
  to: string;
  /** The ledger's entries in the range, in number order (domain/reconciliation.ts). */
  entries: readonly LedgerEntry[];
  /** Name of the document that took a number, for the "document" column. */
  documentName: (documentId: string | undefined) => string;
  /** What the series' numbers are for (domain/reconciliation.ts seriesKind): picks the columns. */
  kind?: SeriesKind;
}

/** Braces would read as placeholders in the frame's template; config text never needs them. */
const plain = (s: string) => s.replace(/[{}]/g, '');

export async function renderLedger(t: LedgerTemplate, ctx: RenderContext, input: LedgerInput): Promise<RenderedPdf> {
  const sum = summarize(input.entries);
  const s = input.series;
  const block = formatBlock(s);
  // The parts above and below the list are ordinary blocks, laid out by the form renderer.
  const frame: FormTemplate = formTemplateSchema.parse({
    id: t.id,
    name: t.name,
    orientation: t.orientation,
    pages: [
      {
        blocks: [
          { type: 'heading', level: 1, text: t.name },
          ...(t.intro ? [{ type: 'text', size: 'small', text: plain(t.intro) }] : []),
          {
            type: 'fields',
            rows: [
              {
                height: 10,
                cells: [
                  { label: 'Nummerserie', value: plain(s.name), width: 0.34 },
                  { label: 'Reserverat block', value: block, width: 0.3 },
                  { label: 'Period (utfärdade)', value: `${input.from} – ${input.to}` },
                ],
              },
              {
                height: 10,
                cells: [
                  { label: 'Antal nummer i perioden', value: `${sum.total} (${sum.issued} utfärdade, ${sum.voided} makulerade)`, width: 0.34 },
                  { label: 'Första – sista', value: sum.total ? `${sum.first} – ${sum.last}` : '–', width: 0.3 },
                  { label: 'Kontakt om nummerblocket', value: plain(s.contact) },
                ],
              },
            ],
          },
        ],
      },
      ...(t.signature
        ? [{ blocks: [{ type: 'signature', title: 'Avstämningen utförd', parts: ['Datum', 'Signatur', 'Namnförtydligande'], height: 12 }] }]
        : []),
    ],
  });
  const width = contentWidthMm(t.orientation);
  const head = layoutPageBlocks(frame, ctx, 0, width);
  const tail = t.signature ? layoutPageBlocks(frame, ctx, 1, width) : [];
  const list: Content = input.entries.length
    ? ledgerTable(t, input, ctx, width)
    : { text: 'Inga nummer utfärdades ur serien under perioden.', italics: true, margin: [0, mm(2), 0, mm(4)] };

  const doc = buildFormDocument(frame, ctx);
  doc.content = [...head, list, ...tail];
  return renderPdf(doc, { title: t.name });
}

function ledgerTable(t: LedgerTemplate, input: LedgerInput, ctx: RenderContext, widthMm: number): Content {
  const columns = columnsForKind(t.columns, input.kind ?? 'other');
  const colMm = columnWidthsMm(columns, widthMm);
  // Headers shrink until their longest word fits its column: never "Omutskrive" / "n".
  const header: TableCell[] = columns.map((c, i) => ({ text: c.header, bold: true, fontSize: headerSize(c.header, colMm[i]!, 7.5) }));
  const rows: TableCell[][] = input.entries.map((e) => columns.map((c) => cell(c, e, input, ctx)));
  const rowH = Math.max(4, mm(t.rowHeight) - 4 - 0.4);
  const layout: CustomTableLayout = {
    hLineWidth: (i, node) => (i === 0 || i === 1 || i === node.table.body.length ? 0.75 : 0.4),
    vLineWidth: () => 0.4,
    hLineColor: () => '#000000',
    vLineColor: () => '#000000',
    paddingLeft: () => PAD,
    paddingRight: () => PAD,
    paddingTop: () => 2,
    paddingBottom: () => 2,
  };
  return {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      // pdfmake's % widths are of the whole row, padding and rules included.
      widths: colMm.map((w) => `${(w / widthMm) * 100}%`),
      heights: [0, ...rows.map(() => rowH)],
      body: [header, ...rows],
    },
    layout,
    margin: [0, 0, 0, mm(4)],
  };
}

function cell(c: LedgerColumn, e: LedgerEntry, input: LedgerInput, ctx: RenderContext): TableCell {
  switch (c.source) {
    case 'number':
      return { text: e.number, font: MONO_FAMILY, fontSize: 9.5 };
    case 'issuedAt':
      return { text: formatStationDateTime(new Date(e.issuedAt), ctx.config.timezone), fontSize: 8 };
    case 'document':
      return { text: input.documentName(e.documentId), fontSize: 8 };
    case 'status':
      return e.status === 'voided' ? { text: 'Makulerat (avbruten utskrift)', fontSize: 8, bold: true } : { text: 'Utfärdat', fontSize: 8 };
    case 'reprints':
      return { text: e.reprints.length === 0 ? '' : e.reprints.length === 1 ? '1 gång' : `${e.reprints.length} gånger`, fontSize: 8 };
    case 'tick':
      return { text: '☐', fontSize: 12, alignment: 'center', lineHeight: 1 };
    case 'blank':
      return { text: '' };
  }
}
