// Reconciliation (avstämning) after an outage: which numbers of a series were issued in a date range.
// Pure: the ledger's entries in, the ones to list out. Dates are calendar days in the station's time
// zone, both ends included, so "2026-11-25 – 2026-11-25" is everything issued that day.
import type { LedgerEntry } from './ledger.js';
import { isCalendarDate, localDate } from './time.js';

/** "2026-11-25": the calendar day of an instant in a time zone. */
export const dayIn = (date: Date, timeZone: string): string => localDate(date, timeZone);

export { isCalendarDate };

/**
 * Every entry of the ledger issued from `from` to `to` (inclusive, station days), voided ones too:
 * a voided number is a gap that must be accounted for. In number order.
 */
export function entriesInRange(entries: readonly LedgerEntry[], from: string, to: string, timeZone: string): LedgerEntry[] {
  return entries
    .filter((e) => {
      const day = dayIn(new Date(e.issuedAt), timeZone);
      return day >= from && day <= to;
    })
    .sort((a, b) => a.seq - b.seq);
}

export interface ReconciliationSummary {
  total: number;
  issued: number;
  voided: number;
  first?: string;
  last?: string;
}

export function summarize(entries: readonly LedgerEntry[]): ReconciliationSummary {
  return {
    total: entries.length,
    issued: entries.filter((e) => e.status === 'issued').length,
    voided: entries.filter((e) => e.status === 'voided').length,
    first: entries[0]?.number,
    last: entries.at(-1)?.number,
  };
}

export type SeriesKind = 'referral' | 'receipt' | 'other';

/** What a series' numbers are for: as configured, else "referral" for the label series, else "other". */
export function seriesKind(series: { id: string; kind?: SeriesKind | undefined }, labelSeriesId: string | undefined): SeriesKind {
  return series.kind ?? (series.id === labelSeriesId ? 'referral' : 'other');
}

/** The columns of a ledger list that apply to a series of this kind. */
export function columnsForKind<C extends { seriesKinds?: readonly SeriesKind[] | undefined }>(columns: readonly C[], kind: SeriesKind): C[] {
  return columns.filter((c) => !c.seriesKinds || c.seriesKinds.includes(kind));
}
