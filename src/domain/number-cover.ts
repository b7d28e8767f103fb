// How far number blocks cover a plan (pure): a kit prints what it can. Each numbered item gets as
// many copies as its block still covers, in kit order (two items on one series share it); items
// that need no numbers are untouched. What could not be covered is returned as a shortfall, so the
// confirm page (before the press), the progress page and the audit log (after) say the same.
// Single documents and labels do not use this: they refuse a request the block cannot cover.

export interface CoverItem {
  copies: number;
  seriesId?: string;
}

export interface Covered<T> {
  item: T;
  /** Copies that will print (0: none). */
  copies: number;
}

export interface Shortfall<T> {
  item: T;
  seriesId: string;
  /** Copies asked for and copies the block covers. */
  wanted: number;
  printed: number;
  /** Numbers left in the block when this item's turn came. */
  remaining: number;
}

/**
 * Covers a plan from the blocks' remaining numbers. `numbersFor(item, copies)` is how many numbers
 * that many copies take (one each, or a few per sheet of slips); `remaining(seriesId)` is what the
 * block has left now. Never draws anything.
 */
export function coverPlan<T extends CoverItem>(
  plan: readonly T[],
  numbersFor: (item: T, copies: number) => number,
  remaining: (seriesId: string) => number,
): { covered: Array<Covered<T>>; short: Array<Shortfall<T>> } {
  const left = new Map<string, number>();
  const covered: Array<Covered<T>> = [];
  const short: Array<Shortfall<T>> = [];
  for (const item of plan) {
    const sid = item.seriesId;
    if (!sid || numbersFor(item, item.copies) === 0) {
      covered.push({ item, copies: item.copies });
      continue;
    }
    const have = left.get(sid) ?? Math.max(0, remaining(sid));
    // The most copies whose numbers fit (numbersFor grows with copies; kits ask for tens at most).
    let copies = item.copies;
    while (copies > 0 && numbersFor(item, copies) > have) copies--;
    left.set(sid, have - (copies > 0 ? numbersFor(item, copies) : 0));
    covered.push({ item, copies });
    if (copies < item.copies) short.push({ item, seriesId: sid, wanted: item.copies, printed: copies, remaining: have });
  }
  return { covered, short };
}
