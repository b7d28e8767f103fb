// The live store's journal (store.journal, beside store.json): what changed since store.json was
// last written, one line per durable write, appended and fsynced. A write costs the size of its
// change, not of the store (issue 10: POST → 202 after 200 presses in a day against the first ten,
// goal ≤ 1.2×; writing the whole store.json on every change made it 3.7×). store.json is written
// whole (and the journal emptied) only when the journal has grown as large as it, when records
// leave for the archive, and at start. Each line carries a sequence number and store.json the
// number of the last line it holds, so a line written before it is never applied twice.
//
// A line records the changed records whole, by id (jobs, batches, ledger records), the changed
// keys (requests, series) and the small pieces whole (upgrades, schedule runs, admin state):
// applying it sets them to what they were when it was written.
import { open, rename, stat, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StoreCorruptError } from './durable-json-file.js';
import { syncDir } from './durable-append.js';

export interface JournalRecord {
  seq: number;
  jobs?: Array<{ id: string }>;
  batches?: Array<{ id: string }>;
  ledger?: Array<{ id: string }>;
  requests?: Record<string, string>;
  series?: Record<string, unknown>;
  upgrades?: unknown[];
  scheduleRuns?: unknown[];
  admin?: unknown;
}

export const journalFile = (dataDir: string): string => path.join(dataDir, 'store.journal');

/**
 * Moves a journal that must not be applied (it does not continue store.json, or its store is lost)
 * aside as store.journal.<time>.oanvänd, kept for whoever wants to look; returns the new name.
 */
export async function setJournalAside(dataDir: string, at: Date): Promise<string> {
  const aside = `${journalFile(dataDir)}.${at.toISOString().replace(/[:.]/g, '-')}.oanvänd`;
  await rename(journalFile(dataDir), aside);
  await syncDir(dataDir);
  return aside;
}

/** The journal's lines, in order; a last line cut short by a crash (no newline) was never acknowledged and is left out. */
export async function readJournal(file: string): Promise<{ records: JournalRecord[]; bytes: number; torn: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], bytes: 0, torn: false };
    throw new StoreCorruptError(file, (e as Error).message);
  }
  return parseJournal(file, text);
}

/** The journal file's text as its lines (see readJournal). */
export function parseJournal(file: string, text: string): { records: JournalRecord[]; bytes: number; torn: boolean } {
  const lines = text.split('\n');
  // The text after the last newline: empty, or a line whose fsync never returned.
  const tail = lines.pop()!;
  const records: JournalRecord[] = [];
  let prev = -Infinity;
  lines.forEach((line, i) => {
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new StoreCorruptError(file, `rad ${i + 1}: ${(e as Error).message}`);
    }
    const seq = (r as { seq?: unknown } | null)?.seq;
    if (typeof r !== 'object' || r === null || Array.isArray(r) || typeof seq !== 'number' || !(seq > prev)) {
      throw new StoreCorruptError(file, `rad ${i + 1} är ingen ändring i ordning`);
    }
    prev = seq;
    records.push(r as JournalRecord);
  });
  return { records, bytes: Buffer.byteLength(text), torn: tail.length > 0 };
}

/** Applies journal lines newer than `afterSeq` to store.json's parsed value (validated after, as a whole). */
export function applyJournal(data: Record<string, unknown>, records: readonly JournalRecord[], afterSeq: number): number {
  let last = afterSeq;
  for (const r of records) {
    if (r.seq <= afterSeq) continue;
    for (const key of ['jobs', 'batches', 'ledger'] as const) if (r[key]) upsert(data, key, r[key]);
    for (const key of ['requests', 'series'] as const) if (r[key]) data[key] = { ...(data[key] as object), ...r[key] };
    for (const key of ['upgrades', 'scheduleRuns', 'admin'] as const) if (r[key] !== undefined) data[key] = r[key];
    last = r.seq;
  }
  return last;
}

function upsert(data: Record<string, unknown>, key: string, changed: ReadonlyArray<{ id: string }>): void {
  const list = Array.isArray(data[key]) ? (data[key] as Array<{ id: string }>) : [];
  const at = new Map(list.map((x, i) => [x.id, i]));
  for (const x of changed) {
    const i = at.get(x.id);
    if (i === undefined) {
      at.set(x.id, list.length);
      list.push(x);
    } else list[i] = x;
  }
  data[key] = list;
}

/** The open journal: appends lines durably; emptied when store.json has been written whole. */
export class Journal {
  private fh: FileHandle | undefined;
  constructor(
    readonly file: string,
    /** Bytes in the file now. */
    public bytes: number,
  ) {}

  async append(record: JournalRecord): Promise<void> {
    const line = JSON.stringify(record) + '\n';
    const isNew = this.fh === undefined && !(await stat(this.file).catch(() => undefined));
    this.fh ??= await open(this.file, 'a');
    await this.fh.write(line);
    await this.fh.datasync();
    if (isNew) await syncDir(path.dirname(this.file));
    this.bytes += Buffer.byteLength(line);
  }

  /** Empties the file (after store.json was written with everything in it). */
  async reset(): Promise<void> {
    await this.close();
    const fh = await open(this.file, 'a');
    try {
      await fh.truncate(0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.bytes = 0;
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}
