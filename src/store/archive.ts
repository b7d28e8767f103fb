// The station's history, out of the live store: append-only, fsynced monthly files per kind in
// data/archive/ (2026-11.jobs.jsonl: finished batches and their jobs; 2026-11.ledger.jsonl: number
// ranges, voids, reprints, high-water marks; 2026-11.audit.jsonl: the audit log). Nothing here is
// ever rewritten, so keeping five years costs what keeping one day does; reading it (the ledger
// page, the CSV, the audit search) is the only thing that grows with history.
// A line that cannot be read is reported (log and a warning on the pages that read it), never
// silently dropped.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { appendLines, closeTornTail } from './durable-append.js';

export const archiveKinds = ['jobs', 'ledger', 'audit'] as const;
export type ArchiveKind = (typeof archiveKinds)[number];

/** "2026-11" from an ISO instant (UTC, as every time in the store is written). */
export const monthOf = (iso: string): string => iso.slice(0, 7);

export class Archive {
  readonly dir: string;
  /** Lines that could not be read ("file:line – why"), in the order found. */
  private problemSet = new Set<string>();

  constructor(
    dataDir: string,
    private log: (msg: string) => void,
  ) {
    this.dir = path.join(dataDir, 'archive');
  }

  get problems(): string[] {
    return [...this.problemSet];
  }

  /** Closes lines a crash cut short, so the next append never joins them. */
  async repair(): Promise<void> {
    for (const f of this.files()) {
      if (await closeTornTail(path.join(this.dir, f.name))) this.log(`[store] ${path.join(this.dir, f.name)}: sista raden var avbruten (strömavbrott?); den rapporteras som oläsbar`);
    }
  }

  /** Appends records, each to its kind's file of the month of `at(record)`. One fsync per file. */
  async append<T>(kind: ArchiveKind, records: readonly T[], at: (r: T) => string): Promise<void> {
    if (records.length === 0) return;
    const byFile = new Map<string, string[]>();
    for (const r of records) {
      const file = path.join(this.dir, `${monthOf(at(r))}.${kind}.jsonl`);
      let lines = byFile.get(file);
      if (!lines) byFile.set(file, (lines = []));
      lines.push(JSON.stringify(r));
    }
    await appendLines(byFile);
  }

  /** Size and modification time of one of the archive's files. */
  stat(name: string): { size: number; mtimeMs: number } {
    const st = statSync(path.join(this.dir, name));
    return { size: st.size, mtimeMs: st.mtimeMs };
  }

  /** The kind's files, oldest month first. */
  files(kind?: ArchiveKind): Array<{ name: string; month: string; kind: string }> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((name) => /^(\d{4}-\d{2})\.([a-z]+)\.jsonl$/.exec(name))
      .filter((m): m is RegExpExecArray => !!m && (!kind || m[2] === kind))
      .map((m) => ({ name: m[0], month: m[1]!, kind: m[2]! }))
      .sort((a, b) => a.month.localeCompare(b.month));
  }

  /**
   * Every record of a kind that the schema accepts, oldest month first. Lines it cannot parse are
   * reported and skipped; `accept` picks the records wanted (before validation, to stay cheap);
   * `month` reads one month only.
   */
  read<S extends z.ZodType>(
    kind: ArchiveKind,
    schema: S,
    accept: (raw: Record<string, unknown>) => boolean = () => true,
    month?: string,
  ): Array<z.infer<S>> {
    const out: Array<z.infer<S>> = [];
    for (const f of this.files(kind).filter((x) => !month || x.month === month)) {
      const file = path.join(this.dir, f.name);
      const lines = readFileSync(file, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (!line.trim()) continue;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          this.report(`${file}:${i + 1}`, 'inte JSON');
          continue;
        }
        if (typeof raw !== 'object' || raw === null) {
          this.report(`${file}:${i + 1}`, 'inte ett objekt');
          continue;
        }
        if (!accept(raw as Record<string, unknown>)) continue;
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          this.report(`${file}:${i + 1}`, parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).slice(0, 2).join('; '));
          continue;
        }
        out.push(parsed.data);
      }
    }
    return out;
  }

  private report(where: string, why: string): void {
    const key = `${where} – ${why}`;
    if (this.problemSet.has(key)) return;
    this.problemSet.add(key);
    this.log(`[store] arkivrad kan inte läsas: ${key}. Raden är orörd; återställ filen från en säkerhetskopia om den behövs.`);
  }
}

/** The warning the ledger and audit pages show while archive lines cannot be read. */
export function archiveWarning(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, 3).join('; ');
  return `Arkivet har ${problems.length} ${problems.length === 1 ? 'rad' : 'rader'} som inte kan läsas och därför saknas i listan: ${shown}${problems.length > 3 ? ' …' : ''}. Kontakta IT-supporten (återställ filen från en säkerhetskopia).`;
}
