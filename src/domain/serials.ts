// Serial numbers from a reserved block: formatting, check digits (Luhn mod 10, mod 11) and the
// block's remaining size. Pure; the store allocates and records them.
import type { SeriesConfig } from '../config.js';

/** Luhn mod 10 check digit over a string of digits (weights 2,1,2,… from the right). */
export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Mod 11 check digit (weights 2–7 repeating from the right); 10 is written "X", 11 becomes 0. */
export function mod11Digit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (2 + (i % 6));
  const c = 11 - (sum % 11);
  return c === 11 ? '0' : c === 10 ? 'X' : String(c);
}

export function checkDigit(kind: SeriesConfig['checkDigit'], digits: string): string {
  return kind === 'luhn' ? luhnDigit(digits) : kind === 'mod11' ? mod11Digit(digits) : '';
}

/** The printed number: prefix + zero-padded running number + check digit. */
export function formatSerial(series: Pick<SeriesConfig, 'prefix' | 'padding' | 'checkDigit'>, seq: number): string {
  const digits = String(seq).padStart(series.padding, '0');
  return `${series.prefix}${digits}${checkDigit(series.checkDigit, digits)}`;
}

/** Parses a printed number back to its running number; undefined when prefix, length or check digit is wrong. */
export function parseSerial(series: Pick<SeriesConfig, 'prefix' | 'padding' | 'checkDigit'>, text: string): number | undefined {
  if (!text.startsWith(series.prefix)) return undefined;
  const rest = text.slice(series.prefix.length);
  const n = series.padding + (series.checkDigit === 'none' ? 0 : 1);
  if (rest.length !== n) return undefined;
  const digits = rest.slice(0, series.padding);
  if (!/^\d+$/.test(digits)) return undefined;
  if (checkDigit(series.checkDigit, digits) !== rest.slice(series.padding)) return undefined;
  return Number(digits);
}

export interface SeriesStatus {
  id: string;
  name: string;
  first: number;
  last: number;
  next: number;
  total: number;
  remaining: number;
  remainingPercent: number;
  /** Below the configured warning level. */
  low: boolean;
  exhausted: boolean;
  contact: string;
}

export function seriesStatus(series: SeriesConfig, next: number | undefined): SeriesStatus {
  const n = next ?? series.first;
  const total = series.last - series.first + 1;
  const remaining = Math.max(0, series.last - n + 1);
  const remainingPercent = (remaining / total) * 100;
  return {
    id: series.id,
    name: series.name,
    first: series.first,
    last: series.last,
    next: n,
    total,
    remaining,
    remainingPercent,
    low: remainingPercent < series.warnBelowPercent,
    exhausted: remaining === 0,
    contact: series.contact,
  };
}

type SeriesRange = Pick<SeriesConfig, 'prefix' | 'padding' | 'checkDigit' | 'first' | 'last'>;

/**
 * Moves the prefix's trailing digits into the running number ("RV0" + 6 digits is "RV" + 7 digits),
 * so two series that print the same text compare equal however their config splits it.
 */
function normalizeRange(s: SeriesRange): { prefix: string; padding: number; first: number; last: number; length: number } {
  const m = /^(.*?)(\d*)$/.exec(s.prefix)!;
  const lead = m[1] ?? '';
  const tail = m[2] ?? '';
  const shift = tail ? Number(tail) * 10 ** s.padding : 0;
  return {
    prefix: lead,
    padding: s.padding + tail.length,
    first: shift + s.first,
    last: shift + s.last,
    length: s.prefix.length + s.padding + (s.checkDigit === 'none' ? 0 : 1),
  };
}

/**
 * True when two series could print the same number: the one rule for "blocks must be disjoint",
 * used at start-up (series of one station) and by the fleet check (series across stations).
 * Same normalized prefix and printed length with the same digit layout: the ranges overlap.
 * Same prefix and length but a different layout (padding or check digit): counted as a collision,
 * since some printed numbers can then coincide.
 */
export function seriesCollide(a: SeriesRange, b: SeriesRange): boolean {
  const x = normalizeRange(a);
  const y = normalizeRange(b);
  if (x.prefix !== y.prefix || x.length !== y.length) return false;
  if (x.padding !== y.padding || a.checkDigit !== b.checkDigit) return true;
  return x.first <= y.last && y.first <= x.last;
}

/** A reserved block as printed everywhere: its first and last number with check digits, "RV09000001 – RV09049990". */
export function formatBlock(series: Pick<SeriesConfig, 'prefix' | 'padding' | 'checkDigit' | 'first' | 'last'>): string {
  return `${formatSerial(series, series.first)} – ${formatSerial(series, series.last)}`;
}

/** Numbers of a series already issued by this station: everything below `next`, in the block starting at `blockFirst`. */
export interface SeriesUse {
  /** The next running number after the highest ever issued. */
  next: number;
  /** `first` of the block the highest number was issued from. */
  blockFirst: number;
}

export type BlockStart =
  | { ok: true; next: number; moved: boolean }
  | { ok: false; highestIssued: number };

/**
 * Where a configured block starts handing out numbers, given what was issued before: the one rule
 * for "a changed block is respected", used at start-up and when numbers are drawn.
 * - Nothing issued yet: the block's first number.
 * - The same block (same first): continue after the highest issued number; its last may move, but
 *   not below a number already issued.
 * - A block moved up (first above every issued number): its first number.
 * - Anything else lies below or overlaps numbers already issued: refused, so nothing is issued twice.
 */
export function blockStart(block: Pick<SeriesConfig, 'first' | 'last'>, used: SeriesUse | undefined): BlockStart {
  if (!used || used.next <= block.first) return { ok: true, next: block.first, moved: !!used && used.blockFirst !== block.first };
  const highestIssued = used.next - 1;
  if (block.first === used.blockFirst && block.last >= highestIssued) return { ok: true, next: used.next, moved: false };
  return { ok: false, highestIssued };
}
