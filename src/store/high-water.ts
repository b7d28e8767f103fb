// Per series, a high-water mark that only moves up: data/serials/<series>.hwm, one JSON line appended
// (and fsynced) before numbers are recorded in the store. It is the station's second memory of the
// numbers it issued, so a store that is lost, emptied or replaced never makes it issue a number
// again: at start the next number is the highest of the store, this mark and the block's first.
import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { appendLines, closeTornTail } from './durable-append.js';
import type { Archive } from './archive.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SeriesUse } from '../domain/serials.js';

export interface HighWaterMark extends SeriesUse {
  seriesId: string;
  at: string;
}

export const highWaterDir = (dataDir: string): string => path.join(dataDir, 'serials');

/** The higher of two uses of a series (by next number; on a tie the first). */
export function higherUse<T extends SeriesUse>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.next > a.next ? b : a;
}

/** Every series' mark; lines that cannot be read are reported (file:line), never used. */
export async function readHighWaters(dataDir: string): Promise<{ marks: Map<string, HighWaterMark>; problems: string[] }> {
  const dir = highWaterDir(dataDir);
  const marks = new Map<string, HighWaterMark>();
  const problems: string[] = [];
  if (!existsSync(dir)) return { marks, problems };
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.hwm')).sort()) {
    const seriesId = name.slice(0, -4);
    const text = await readFile(path.join(dir, name), 'utf8');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const m = parseMark(line);
      if (!m) problems.push(`${path.join(dir, name)}:${i + 1}`);
      else marks.set(seriesId, higherUse(marks.get(seriesId), { ...m, seriesId })!);
    });
  }
  return { marks, problems };
}

function parseMark(line: string): Omit<HighWaterMark, 'seriesId'> | undefined {
  try {
    const o = JSON.parse(line) as Partial<HighWaterMark>;
    if (Number.isSafeInteger(o.next) && Number.isSafeInteger(o.blockFirst) && typeof o.at === 'string') {
      return { next: o.next!, blockFirst: o.blockFirst!, at: o.at };
    }
  } catch {
    /* reported by the caller */
  }
  return undefined;
}

/** Appends marks (one line per series, the highest when several), fsyncs each file. */
export async function appendHighWaters(dataDir: string, marks: readonly HighWaterMark[]): Promise<void> {
  if (marks.length === 0) return;
  const bySeries = new Map<string, HighWaterMark>();
  for (const m of marks) bySeries.set(m.seriesId, higherUse(bySeries.get(m.seriesId), m)!);
  await appendLines(new Map([...bySeries].map(([id, m]) => [highWaterFile(dataDir, id), [JSON.stringify({ next: m.next, blockFirst: m.blockFirst, at: m.at })]])));
}

export const highWaterFile = (dataDir: string, seriesId: string): string => path.join(highWaterDir(dataDir), `${seriesId}.hwm`);

/** Closes lines a crash cut short (see closeTornTail) in every mark file. */
export async function repairHighWaters(dataDir: string): Promise<void> {
  const dir = highWaterDir(dataDir);
  if (!existsSync(dir)) return;
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.hwm'))) await closeTornTail(path.join(dir, name));
}

/**
 * The marks the archive holds (each allocation writes one into its month's ledger file), newest
 * month first, until every wanted series is found: a data folder whose serials/ was lost, or an
 * archive restored on its own, still knows the numbers issued.
 */
export function readArchivedMarks(archive: Archive, wanted: ReadonlySet<string>): Map<string, HighWaterMark> {
  const out = new Map<string, HighWaterMark>();
  const months = [...new Set(archive.files('ledger').map((f) => f.month))].reverse();
  for (const month of months) {
    for (const m of archive.read('ledger', archivedMarkSchema, (raw) => raw.kind === 'hwm', month)) {
      out.set(m.seriesId, higherUse(out.get(m.seriesId), { seriesId: m.seriesId, next: m.next, blockFirst: m.blockFirst, at: m.at })!);
    }
    if ([...wanted].every((id) => out.has(id))) break;
  }
  return out;
}

const archivedMarkSchema = z.object({ kind: z.literal('hwm'), seriesId: z.string(), next: z.number().int(), blockFirst: z.number().int(), at: z.string() });
