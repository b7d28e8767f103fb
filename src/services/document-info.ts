// What the station says about each document it can print (the documents page and GET /api/documents):
// its kind, what a print asks for (a date, a prescriber, a series and a range), what a copy is, and
// for numbered documents how many numbers are left in the block.
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { formSeries } from '../catalog/catalog.js';
import { documentKind, type DocumentKind, type DocumentTemplate } from '../catalog/document-schema.js';
import { slipsGeometry } from '../catalog/form-geometry.js';
import type { Store } from '../store/store.js';

/** Upper bound of copies in one single-document print (kits allow up to 500 per document). */
export const MAX_DOCUMENT_COPIES = 200;

export type DocumentNeed = 'validFor' | 'prescriber' | 'range';

export interface DocumentInfo {
  id: string;
  name: string;
  description?: string;
  kind: DocumentKind;
  /** What one copy is, in Swedish ("exemplar", "ark", "blanketter"). */
  copyUnit: string;
  /** A line for staff under the copies stepper, e.g. "3 kvitton per ark". */
  copyNote?: string;
  /** What a print of it asks for. */
  needs: DocumentNeed[];
  /** Numbered documents: the series, numbers per copy and what is left of the block. */
  numbered?: { series: string; seriesName: string; perCopy: number; remaining: number; low: boolean; exhausted: boolean; contact: string };
  /** A referral printed with its labels. */
  labels?: { layout: string; perNumber: number };
  /** Can be part of a kit (prints without asking anything). */
  inKits: boolean;
}

/** A form whose text uses the date it is printed for. */
export const usesValidFor = (d: DocumentTemplate): boolean =>
  (d.kind === undefined || d.kind === 'form') && /\{(validFor|shredAfter)\}/.test(JSON.stringify(d.pages));

export function describeDocument(d: DocumentTemplate, config: StationConfig, store: Store): DocumentInfo {
  const kind = documentKind(d);
  const needs: DocumentNeed[] = [];
  if (usesValidFor(d)) needs.push('validFor');
  if (d.kind === 'overprint') needs.push('prescriber');
  if (d.kind === 'ledger') needs.push('range');
  const info: DocumentInfo = {
    id: d.id,
    name: d.name,
    description: d.description,
    kind,
    copyUnit: kind === 'slips' ? 'ark' : kind === 'overprint' ? 'blanketter' : 'exemplar',
    needs,
    inKits: kind === 'form' || kind === 'slips',
  };
  if (d.kind === 'overprint') info.copyNote = 'Lägg i lika många tomma receptblanketter i skrivaren.';
  if (d.kind !== 'overprint' && d.kind !== 'ledger') {
    const seriesId = formSeries(d);
    const series = seriesId ? config.series.find((s) => s.id === seriesId) : undefined;
    if (series) {
      const perCopy = d.slips ? slipsGeometry({ orientation: d.orientation, slips: d.slips }).numbersPerSheet : 1;
      const st = store.ledger.status(series);
      info.numbered = { series: series.id, seriesName: series.name, perCopy, remaining: st.remaining, low: st.low, exhausted: st.exhausted, contact: series.contact };
      info.copyNote = d.slips
        ? `${perCopy} ${perCopy === 1 ? 'kvitto' : 'kvitton'} per ark, vart och ett med eget nummer`
        : 'Varje exemplar får ett eget nummer';
    }
    if (d.labels) {
      info.labels = { layout: d.labels.layout, perNumber: d.labels.perNumber };
      info.copyNote = `Varje exemplar får ett eget remissnummer och ${d.labels.perNumber} etiketter med samma nummer`;
    }
  }
  return info;
}

/** Every document, in the templates' `order`, then forms before overprints and lists, then by name. */
export function describeDocuments(catalog: Pick<Catalog, 'documents'>, config: StationConfig, store: Store): DocumentInfo[] {
  const rank = (d: DocumentTemplate) => (d.kind === 'overprint' ? 1 : d.kind === 'ledger' ? 2 : 0);
  const order = (d: DocumentTemplate) => d.order ?? Number.MAX_SAFE_INTEGER;
  return [...catalog.documents.values()]
    .sort((a, b) => order(a) - order(b) || rank(a) - rank(b) || a.name.localeCompare(b.name, 'sv'))
    .map((d) => describeDocument(d, config, store));
}

/** The ledger document reconciliation lists print with (the first of kind "ledger"). */
export function reconciliationDocument(catalog: Pick<Catalog, 'documents'>): DocumentTemplate | undefined {
  return [...catalog.documents.values()].filter((d) => d.kind === 'ledger').sort((a, b) => a.id.localeCompare(b.id))[0];
}
