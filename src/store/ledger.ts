// The serial ledger: hands out numbers from a series' block and records what became of them.
// An allocation is one record (a range), a void and a reprint are each their own small record, so
// a print costs one small record whatever its size. Recent records are in the live store; older
// ones in the archive (ledger.jsonl); every read (ledger page, CSV, Avstämningslista, reprint
// look-up) sees both. Each allocation also raises the series' high-water mark (high-water.ts).
import type { SeriesConfig } from '../config.js';
import { newId } from '../domain/ids.js';
import type { LedgerEntry } from '../domain/ledger.js';
import { blockStart, formatSerial, parseSerial, seriesStatus, type SeriesStatus } from '../domain/serials.js';
import { archiveWarning } from './archive.js';
import type { StoreCore } from './core.js';
import { ledgerRecordSchema, type IssuedRecord, type LedgerRecord } from './store-data.js';

/** The block is used up (or would be by this request): nothing was allocated. */
export class SeriesExhaustedError extends Error {
  constructor(
    readonly seriesId: string,
    readonly remaining: number,
    readonly requested: number,
  ) {
    super(`[store] series ${seriesId}: ${requested} requested, ${remaining} left`);
    this.name = 'SeriesExhaustedError';
  }
}

type SeriesFormat = IssuedRecord['format'];
const formatOf = (s: SeriesFormat): SeriesFormat => ({ prefix: s.prefix, padding: s.padding, checkDigit: s.checkDigit });

/** Collapses running numbers into inclusive ranges ([1,2,3,7] → [[1,3],[7,7]]). */
export function toRanges(seqs: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s === last[1] + 1) last[1] = s;
    else out.push([s, s]);
  }
  return out;
}

export class Ledger {
  constructor(private core: StoreCore) {}

  /** The next number a series hands out, on its configured block (undefined: never used). */
  next(series: Pick<SeriesConfig, 'id' | 'first' | 'last'>): number {
    const start = blockStart(series, this.core.data.series[series.id]);
    return start.ok ? start.next : series.last + 1;
  }

  /** The next number recorded for a series (whatever block is configured), undefined when it never issued one. */
  recordedNext(seriesId: string): number | undefined {
    return this.core.data.series[seriesId]?.next;
  }

  /** Remaining, percentage and warnings, computed on the configured block. */
  status(series: SeriesConfig): SeriesStatus {
    return seriesStatus(series, this.next(series));
  }

  /**
   * Hands out `count` consecutive numbers from a series and records them as issued, applied now;
   * `written` resolves when they (and the series' high-water mark) are on disk, before the caller
   * renders anything. `withNextWrite`: the caller writes something else at once right after (the
   * batch that uses them) and waits for both, so numbers and batch cost one write.
   * Throws SeriesExhaustedError (allocating nothing) when the block cannot cover the request.
   */
  issue(
    series: SeriesConfig,
    count: number,
    ref: { batchId: string; documentId?: string },
    opts: { withNextWrite?: boolean } = {},
  ): { entries: LedgerEntry[]; written: Promise<void> } {
    if (this.core.closed) throw new Error('[store] closed');
    if (count === 0) return { entries: [], written: Promise.resolve() };
    const at = this.core.nowIso();
    let record: IssuedRecord | undefined;
    const written = this.core.mutate(
      (d, t) => {
        const next = this.next(series);
        const remaining = Math.max(0, series.last - next + 1);
        if (count > remaining || count < 0) throw new SeriesExhaustedError(series.id, remaining, count);
        record = { kind: 'issued', id: newId('n'), seriesId: series.id, from: next, to: next + count - 1, format: formatOf(series), batchId: ref.batchId, documentId: ref.documentId, at };
        d.ledger.push(record);
        t.ledger(record);
        d.series[series.id] = { next: next + count, blockFirst: series.first };
        t.series(series.id);
        this.core.mark({ seriesId: series.id, next: next + count, blockFirst: series.first, at });
        this.core.audit({ at, actor: 'station', action: 'serials-issued', detail: `${series.id} ${formatSerial(series, record.from)}–${formatSerial(series, record.to)} (${count}) för ${ref.batchId}` });
      },
      { lazy: opts.withNextWrite },
    );
    return { entries: expand([record!]), written: written.then(() => undefined) };
  }

  /**
   * Numbers issued for a batch that was never recorded (the station died between allocating and
   * queueing): gaps, recorded as voided, never handed out again.
   */
  async voidOrphans(isBatch: (id: string) => boolean): Promise<number> {
    return this.voidWhere((r) => !!r.batchId && !isBatch(r.batchId), 'avbruten utskrift', (n) => `${n} nummer makulerade (avbruten utskrift)`);
  }

  /** Voids the numbers of a batch that will never print (its rendering failed). */
  async voidBatch(batchId: string, reason: string): Promise<number> {
    return this.voidWhere((r) => r.batchId === batchId, reason);
  }

  /** Voids given numbers (a document that drew them could not be rendered, so they were never printed). */
  async voidNumbers(numbers: readonly string[], reason: string): Promise<number> {
    const wanted = new Set(numbers);
    return this.voidWhere(() => true, reason, undefined, (r, seq) => wanted.has(formatSerial(r.format, seq)));
  }

  private async voidWhere(
    pick: (r: IssuedRecord) => boolean,
    reason: string,
    detail?: (n: number) => string,
    pickSeq: (r: IssuedRecord, seq: number) => boolean = () => true,
  ): Promise<number> {
    const live = this.core.data.ledger;
    const voided = voidedSeqs(live);
    const bySeries = new Map<string, { seqs: number[]; numbers: string[] }>();
    for (const r of live) {
      if (r.kind !== 'issued' || !pick(r)) continue;
      for (let seq = r.from; seq <= r.to; seq++) {
        if (voided.get(r.seriesId)?.has(seq) || !pickSeq(r, seq)) continue;
        let g = bySeries.get(r.seriesId);
        if (!g) bySeries.set(r.seriesId, (g = { seqs: [], numbers: [] }));
        g.seqs.push(seq);
        g.numbers.push(formatSerial(r.format, seq));
      }
    }
    const count = [...bySeries.values()].reduce((n, g) => n + g.seqs.length, 0);
    if (count === 0) return 0;
    const at = this.core.nowIso();
    await this.core.mutate((d, t) => {
      for (const [seriesId, g] of bySeries) {
        const r: LedgerRecord = { kind: 'voided', id: newId('v'), seriesId, ranges: toRanges(g.seqs), reason, at };
        d.ledger.push(r);
        t.ledger(r);
      }
      const numbers = [...bySeries.values()].flatMap((g) => g.numbers);
      this.core.audit({ at, actor: 'station', action: 'serials-voided', detail: `${detail ? detail(count) : `${count} nummer makulerade (${reason})`}: ${numbers.join(', ')}`.slice(0, 2000) });
    });
    return count;
  }

  /** Records a reprint of an issued number (a torn or lost label): the same number, never a new one. */
  async recordReprint(seriesId: string, number: string, batchId: string): Promise<LedgerEntry> {
    const entry = this.find(seriesId, number);
    if (!entry) throw new Error(`[store] ${number} is not in series ${seriesId}`);
    const at = this.core.nowIso();
    await this.core.mutate((d, t) => {
      const r: LedgerRecord = { kind: 'reprinted', id: newId('r'), seriesId, seq: entry.seq, batchId, at };
      d.ledger.push(r);
      t.ledger(r);
      this.core.audit({ at, actor: 'station', action: 'serial-reprinted', detail: `${number} (${batchId})` });
    });
    entry.reprints.push({ at, batchId });
    return entry;
  }

  /** One number as the ledger shows it (live records first, then the archive). */
  find(seriesId: string, number: string): LedgerEntry | undefined {
    const isIt = (records: readonly LedgerRecord[]) =>
      records.some((r) => r.kind === 'issued' && r.seriesId === seriesId && parseSerial(r.format, number) !== undefined && inRange(r, parseSerial(r.format, number)!));
    if (!isIt(this.core.data.ledger) && !isIt(this.archived(seriesId))) return undefined;
    return this.entries(seriesId).find((e) => e.number === number);
  }

  /** True when any of these numbers was voided (live records: voids of recent prints). */
  anyVoided(numbers: readonly string[]): boolean {
    if (numbers.length === 0) return false;
    const wanted = new Set(numbers);
    return expand(this.core.data.ledger).some((e) => e.status === 'voided' && wanted.has(e.number));
  }

  /** Every number of a series ever issued by this station, in the order issued. */
  entries(seriesId: string): LedgerEntry[] {
    return expand([...this.archived(seriesId), ...this.core.data.ledger.filter((r) => r.seriesId === seriesId)]);
  }

  /** Why some numbers may be missing from the lists (archive lines that cannot be read). */
  warning(): string | undefined {
    return archiveWarning(this.core.archive.problems.filter((p) => p.includes('.ledger.jsonl')));
  }

  /**
   * A series' archived records. Each month's file is parsed once and kept while its size and time
   * stay the same (only the current month's file grows): the ledger page reads them twice per
   * view, and five years of them took ~0.3 s to parse each time (bench/store.ts).
   */
  private archived(seriesId: string): LedgerRecord[] {
    const out: LedgerRecord[] = [];
    const seen = new Set<string>();
    for (const f of this.core.archive.files('ledger')) {
      seen.add(f.name);
      const st = this.core.archive.stat(f.name);
      let c = this.cache.get(f.name);
      if (!c || c.size !== st.size || c.mtimeMs !== st.mtimeMs) {
        const bySeries = new Map<string, LedgerRecord[]>();
        for (const r of this.core.archive.read('ledger', ledgerRecordSchema, (raw) => raw.kind !== 'hwm', f.month)) {
          let list = bySeries.get(r.seriesId);
          if (!list) bySeries.set(r.seriesId, (list = []));
          list.push(r);
        }
        c = { size: st.size, mtimeMs: st.mtimeMs, bySeries };
        this.cache.set(f.name, c);
      }
      out.push(...(c.bySeries.get(seriesId) ?? []));
    }
    for (const name of this.cache.keys()) if (!seen.has(name)) this.cache.delete(name);
    return out;
  }
  private cache = new Map<string, { size: number; mtimeMs: number; bySeries: Map<string, LedgerRecord[]> }>();
}

const inRange = (r: IssuedRecord, seq: number): boolean => seq >= r.from && seq <= r.to;

function voidedSeqs(records: readonly LedgerRecord[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const r of records) {
    if (r.kind !== 'voided') continue;
    let set = out.get(r.seriesId);
    if (!set) out.set(r.seriesId, (set = new Set()));
    for (const [a, b] of r.ranges) for (let s = a; s <= b; s++) set.add(s);
  }
  return out;
}

/** Ledger records (any order, duplicates by id allowed) → one entry per issued number. */
export function expand(records: readonly LedgerRecord[]): LedgerEntry[] {
  const seen = new Set<string>();
  const unique = records.filter((r) => !seen.has(r.id) && (seen.add(r.id), true));
  const entries: LedgerEntry[] = [];
  const bySeries = new Map<string, Map<number, LedgerEntry>>();
  const seqs = (seriesId: string) => {
    let m = bySeries.get(seriesId);
    if (!m) bySeries.set(seriesId, (m = new Map()));
    return m;
  };
  for (const r of unique) {
    if (r.kind !== 'issued') continue;
    const bySeq = seqs(r.seriesId);
    for (let seq = r.from; seq <= r.to; seq++) {
      const e: LedgerEntry = { seriesId: r.seriesId, seq, number: formatSerial(r.format, seq), status: 'issued', batchId: r.batchId, documentId: r.documentId, issuedAt: r.at, reprints: [] };
      entries.push(e);
      bySeq.set(seq, e);
    }
  }
  for (const r of unique) {
    if (r.kind === 'voided') {
      const bySeq = seqs(r.seriesId);
      for (const [a, b] of r.ranges) for (let s = a; s <= b; s++) {
        const e = bySeq.get(s);
        if (e) e.status = 'voided';
      }
    } else if (r.kind === 'reprinted') {
      seqs(r.seriesId).get(r.seq)?.reprints.push({ at: r.at, batchId: r.batchId });
    }
  }
  for (const e of entries) if (e.reprints.length > 1) e.reprints.sort((a, b) => a.at.localeCompare(b.at));
  return entries;
}
