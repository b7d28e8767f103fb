// One entry point that renders any document of the catalog: plain forms (blank or dated), numbered
// forms (one copy per number, all in one PDF), slips, the prescription overprint and its calibration
// page, and ledger lists. Pure like the renderers it calls: template + inputs in, PDF bytes out.
import type { DynamicContent } from 'pdfmake/interfaces.js';
import type { StationConfig } from '../config.js';
import { formSeries } from '../catalog/catalog.js';
import type { DocumentTemplate } from '../catalog/document-schema.js';
import type { FormTemplate } from '../catalog/template-schema.js';
import { renderPdf, type RenderedPdf } from './pdf-engine.js';
import { buildFormDocument, renderForm } from './render-form.js';
import { RenderError, type FitSink, type RenderContext } from './form-blocks.js';
import { renderLedger, type LedgerInput } from './render-ledger.js';
import { renderSlips } from './render-slips.js';
import { renderOverprint, renderOverprintCalibration, type Prescriber } from './render-overprint.js';

export interface DocumentInput {
  config: StationConfig;
  printedAt: Date;
  /** Numbers for a numbered form or slips: one copy (or slip) per number. */
  serials?: readonly string[];
  /** YYYY-MM-DD for lists ({validFor}, {shredAfter}). */
  validFor?: string;
  /** The overprint's prescriber; for the calibration page, optional. */
  prescriber?: Prescriber;
  /** The overprint's calibration page instead of the overprint. */
  calibration?: boolean;
  /** What a ledger lists. */
  ledger?: LedgerInput;
  /** Told about pre-printed text that does not fit its box even at the floor size (start-up check). */
  fit?: FitSink;
}

export async function renderDocument(doc: DocumentTemplate, input: DocumentInput): Promise<RenderedPdf> {
  const ctx: RenderContext = { config: input.config, printedAt: input.printedAt, validFor: input.validFor, fit: input.fit };
  switch (doc.kind) {
    case 'overprint':
      if (input.calibration) return renderOverprintCalibration(doc, { config: input.config, printedAt: input.printedAt, prescriber: input.prescriber });
      if (!input.prescriber) throw new RenderError(`[render] ${doc.id}: the overprint needs a prescriber`);
      return renderOverprint(doc, { config: input.config, printedAt: input.printedAt, prescriber: input.prescriber });
    case 'ledger':
      if (!input.ledger) throw new RenderError(`[render] ${doc.id}: a ledger list needs a series and a range`);
      return renderLedger(doc, ctx, input.ledger);
    default:
      if (doc.slips) return renderFormOrSlips(doc, { ...ctx, serials: input.serials });
      if (formSeries(doc) !== undefined) {
        if (!input.serials?.length) throw new RenderError(`[render] ${doc.id}: a numbered form needs its numbers`);
        return renderNumberedForm(doc, ctx, input.serials);
      }
      return renderForm(doc, ctx);
  }
}

/** A form of blocks or a slips form (several per sheet): each by its own renderer. */
export function renderFormOrSlips(t: FormTemplate, ctx: RenderContext): Promise<RenderedPdf> {
  return t.slips ? renderSlips(t, ctx) : renderForm(t, ctx);
}

/**
 * A numbered form once per number, in one PDF: each copy starts on a new page and is numbered
 * "Sida 1 av n" on its own (n = the form's pages), so a copy reads as a document of its own.
 */
export async function renderNumberedForm(t: FormTemplate, ctx: RenderContext, serials: readonly string[]): Promise<RenderedPdf> {
  if (serials.length === 1) return renderForm(t, { ...ctx, serial: serials[0] });
  const docs = serials.map((serial) => buildFormDocument(t, { ...ctx, serial }));
  const first = docs[0]!;
  const footer = first.footer as DynamicContent;
  return renderPdf(
    {
      ...first,
      content: docs.map((d, i) => ({ stack: Array.isArray(d.content) ? d.content : [d.content], ...(i > 0 ? { pageBreak: 'before' as const } : {}) })),
      // Per-copy page numbers while every copy has the same number of pages (it has, unless a
      // copy's content overflowed; then the whole PDF is numbered through).
      footer: (page, pages, size) => {
        const per = pages / serials.length;
        return Number.isInteger(per) ? footer(((page - 1) % per) + 1, per, size) : footer(page, pages, size);
      },
    },
    { title: t.name },
  );
}
