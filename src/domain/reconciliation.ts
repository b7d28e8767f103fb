// Reconciliation (avstämning) after an outage: which numbers of a series were issued in a date range.
// Pure: the ledger's entries in, the ones to list out. Dates are calendar days in the station's time
// zone, both ends included, so "2026-11-25 – 2026-11-25" is everything issued that day.
import type { LedgerEntry } from '../store/store.js';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-25": the calendar day of an instant in a time zone. */
export function dayIn(date: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** A real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

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
