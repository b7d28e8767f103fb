// The station's store: opens the data folder (one process per folder), checks that no number can
// be issued twice, migrates an older store.json, and holds the modules that own each piece of
// state — jobs and batches (jobs.ts), the serial ledger (ledger.ts), the audit log (audit.ts), the
// schedule (schedule-state.ts), the admin PIN (admin-state.ts). Nothing outside src/store/ sees the
// data itself. Live state is in store.json (lowdb over a durable file); history in the archive.
import { copyFileSync, existsSync, mkdirSync, openSync, fsyncSync, closeSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import type { SeriesConfig } from '../config.js';
import type { Batch, Job } from '../domain/job.js';
import type { LedgerEntry } from '../domain/ledger.js';
import { blockStart, formatSerial, type SeriesUse } from '../domain/serials.js';
import { newId } from '../domain/ids.js';
import { Archive } from './archive.js';
import { AuditLog } from './audit.js';
import { AdminStateStore } from './admin-state.js';
import { StoreCore } from './core.js';
import { DurableJsonFile, StoreCorruptError } from './durable-json-file.js';
import { higherUse, readArchivedMarks, readHighWaters, repairHighWaters, highWaterDir, type HighWaterMark } from './high-water.js';
import { JobsState, type JobChange } from './jobs.js';
import { Ledger } from './ledger.js';
import { takeLock } from './lock.js';
import { migrateV1, storeV1Schema, type Migrated } from './migrate.js';
import { rotate, type RotationResult } from './retention.js';
import { ScheduleState } from './schedule-state.js';
import { emptyData, storeDataSchema, type StoreData } from './store-data.js';
import { syncDir } from './durable-append.js';
import { applyJournal, Journal, journalFile, readJournal, setJournalAside, type JournalRecord } from './journal.js';

export { LAZY_WRITE_MS } from './core.js';
export { SeriesExhaustedError } from './ledger.js';
export { StoreCorruptError } from './durable-json-file.js';
export type { JobChange, StoreEvent } from './jobs.js';
export type { LedgerEntry, AuditEntry } from '../domain/ledger.js';

/** The station refuses to start on this folder; nothing was changed. The message says what to do. */
export class StoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreRefusedError';
  }
}

export interface StoreOptions {
  now?: () => Date;
  /** The configured series: their blocks are checked against the numbers issued before. */
  series?: readonly SeriesConfig[];
  /** Finished batches older than this many days move to the archive (rotate()). */
  retentionDays?: number;
  log?: (msg: string) => void;
}

const RECOVERY = 'Se docs/operations.md, "Återställning efter diskfel".';

export class Store {
  readonly jobs: JobsState;
  readonly ledger: Ledger;
  readonly auditLog: AuditLog;
  readonly schedule: ScheduleState;
  readonly admin: AdminStateStore;
  private retentionTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly dir: string,
    private core: StoreCore,
    private lockFile: string,
    private retentionDays: number,
  ) {
    this.jobs = new JobsState(core);
    this.ledger = new Ledger(core);
    this.auditLog = new AuditLog(core);
    this.schedule = new ScheduleState(core);
    this.admin = new AdminStateStore(core);
  }

  get events() {
    return this.core.events;
  }

  /**
   * Opens the store in `dir`. Refuses (StoreRefusedError, StoreCorruptError; nothing changed) when
   * the folder is another live station's, when the store is missing, empty or unreadable while
   * numbers were issued from this folder, and when a configured block lies below or overlaps
   * numbers already issued.
   */
  static async open(dir: string, opts: StoreOptions = {}): Promise<Store> {
    mkdirSync(dir, { recursive: true });
    const log = opts.log ?? ((m: string) => console.log(m));
    const now = opts.now ?? (() => new Date());
    const series = opts.series ?? [];
    const lockFile = path.join(dir, 'store.lock');
    const { tookOver } = takeLock(lockFile, now());
    if (tookOver) log(tookOver);
    try {
      const file = path.join(dir, 'store.json');
      const adapter = new DurableJsonFile<StoreData>(file);
      const archive = new Archive(dir, log);
      const { marks: fileMarks, problems } = await readHighWaters(dir);
      for (const p of problems) log(`[store] rad i nummermärket kan inte läsas och används inte: ${p}`);
      const marks = mergeMarks(fileMarks, readArchivedMarks(archive, new Set([...fileMarks.keys(), ...series.map((s) => s.id)])));
      const text = await adapter.readText();
      const journal = await readJournal(journalFile(dir));
      if (journal.torn) log(`[store] ${journalFile(dir)}: sista raden avbröts av ett avbrott innan den var skriven; ändringen hade inte bekräftats och används inte`);
      const { data, migrated, journalUnused } = readStore(file, text, journal.records, marks, archive, series, now);
      const use = checkSeries(data, marks, series);

      // Nothing was refused: from here on the folder may change.
      await archive.repair();
      await repairHighWaters(dir);
      if (migrated) keepOldFile(file);
      if (journalUnused) {
        const aside = await setJournalAside(dir, now());
        log(`[store] ${journalFile(dir)} fortsätter inte ${file} (en äldre kopia av lagret har lagts tillbaka?) och används inte; den ligger kvar som ${aside}. Nummer som den kände till räknas som luckor att kontrollera.`);
      }
      const db = new Low<StoreData>(adapter, data);
      const core = new StoreCore(dir, db, adapter, new Journal(journalFile(dir), journalUnused ? 0 : journal.bytes), data.journalSeq ?? 0, archive, now, log);
      // Written whole at start when anything is in the journal: it then starts empty, and a line
      // cut short by a crash is gone before anything is appended after it.
      let changed = !!migrated || text === undefined || journal.bytes > 0;
      if (migrated) for (const e of migrated.audit) core.audit(e);
      for (const [id, u] of use) {
        if (recordUnknownNumbers(core, id, u, series)) changed = true;
        const m = fileMarks.get(id);
        if (!m || m.next < u.next || m.blockFirst !== u.blockFirst) {
          core.mark({ seriesId: id, next: u.next, blockFirst: u.blockFirst, at: core.nowIso() });
          changed = true;
        }
      }
      if (changed) await core.mutate((_, t) => t.all());
      if (migrated) log(`[store] ${file} flyttades till det nya formatet (den gamla filen finns kvar som store.v1.json)`);
      return new Store(dir, core, lockFile, opts.retentionDays ?? 30);
    } catch (e) {
      rmSync(lockFile, { force: true });
      throw e;
    }
  }

  nowIso(): string {
    return this.core.nowIso();
  }

  /** Moves finished batches older than the retention to the archive (see retention.ts). */
  async rotate(): Promise<RotationResult> {
    const cutoff = new Date(this.core.now().getTime() - this.retentionDays * 86_400_000).toISOString();
    return rotate(this.core, this.jobs, cutoff);
  }

  /** Rotates now and then every `everyMs` (default hourly) until close. */
  keepRetention(everyMs = 3_600_000, onError: (e: unknown) => void = () => undefined): void {
    this.retentionTimer = setInterval(() => void this.rotate().catch(onError), everyMs);
    this.retentionTimer.unref();
  }

  // ---- jobs and batches (jobs.ts); the dispatcher and the print services use these ----

  getJob(id: string): Job | undefined {
    return this.jobs.getJob(id);
  }
  getBatch(id: string): Batch | undefined {
    return this.jobs.getBatch(id);
  }
  jobsOf(batch: Batch): Job[] {
    return this.jobs.jobsOf(batch);
  }
  batchForRequest(requestId: string): Batch | undefined {
    return this.jobs.batchForRequest(requestId);
  }
  unfinishedJobs(): Job[] {
    return this.jobs.unfinishedJobs();
  }
  recentBatches(limit = 20): Batch[] {
    return this.jobs.recentBatches(limit);
  }
  addBatch(batch: Batch, jobs: Job[], actor = 'station'): Promise<void> {
    return this.jobs.addBatch(batch, jobs, actor);
  }
  setJobState(jobId: string, change: JobChange, actor = 'station'): Promise<Job> {
    return this.jobs.setJobState(jobId, change, actor);
  }
  patchJobs(ids: readonly string[], patch: (job: Job) => Partial<Omit<Job, 'id' | 'state' | 'reasons' | 'message'>>): Promise<void> {
    return this.jobs.patchJobs(ids, patch);
  }

  // ---- the serial ledger (ledger.ts) ----

  /** Numbers drawn and durable (with the series' high-water mark) before the caller renders anything. */
  async allocateSerials(series: SeriesConfig, count: number, ref: { batchId: string; documentId?: string }): Promise<LedgerEntry[]> {
    const { entries, written } = this.ledger.issue(series, count, ref);
    await written;
    return entries;
  }
  issueSerials(series: SeriesConfig, count: number, ref: { batchId: string; documentId?: string }, opts: { withNextWrite?: boolean } = {}) {
    return this.ledger.issue(series, count, ref, opts);
  }
  voidOrphanSerials(): Promise<number> {
    return this.ledger.voidOrphans((id) => this.jobs.hasBatch(id));
  }
  recordReprint(seriesId: string, number: string, batchId: string): Promise<LedgerEntry> {
    return this.ledger.recordReprint(seriesId, number, batchId);
  }
  voidSerials(batchId: string, reason: string): Promise<number> {
    return this.ledger.voidBatch(batchId, reason);
  }
  voidSerialNumbers(numbers: readonly string[], reason: string): Promise<number> {
    return this.ledger.voidNumbers(numbers, reason);
  }
  ledgerOf(seriesId: string): LedgerEntry[] {
    return this.ledger.entries(seriesId);
  }

  /** Resolves when everything changed so far is on disk. */
  flush(): Promise<void> {
    return this.core.flush();
  }

  /** Writes an audit entry; resolves when it is on disk. */
  audit(actor: string, action: string, detail: string): Promise<void> {
    return this.auditLog.record(actor, action, detail);
  }

  async close(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await this.core.close();
    rmSync(this.lockFile, { force: true });
  }
}

// ---- opening: each check refuses before anything is written ----

/** The higher mark per series of the data folder's files and the archive's records. */
export function mergeMarks(a: ReadonlyMap<string, HighWaterMark>, b: ReadonlyMap<string, HighWaterMark>): Map<string, HighWaterMark> {
  const out = new Map(a);
  for (const [id, m] of b) out.set(id, higherUse(out.get(id), m)!);
  return out;
}

/** The store's data from the file's text; refuses a missing or unreadable store when numbers were issued. */
function readStore(
  file: string,
  text: string | undefined,
  journal: readonly JournalRecord[],
  marks: ReadonlyMap<string, HighWaterMark>,
  archive: Archive,
  series: readonly SeriesConfig[],
  now: () => Date,
): { data: StoreData; migrated?: Migrated; journalUnused?: boolean } {
  const issuedBefore = marks.size > 0 || archive.files('ledger').length > 0;
  if (text === undefined) {
    if (issuedBefore) {
      throw new StoreRefusedError(
        `[store] ${file} saknas, men stationen har redan lämnat ut nummer från den här datamappen (${describeMarks(marks, series)}). ` +
          `Stationen startar inte: med ett tomt lager kunde samma nummer lämnas ut igen. Återställ ${file} från en säkerhetskopia ` +
          `(eller flytta tillbaka filen) och starta igen. ${RECOVERY}`,
      );
    }
    if (journal.length > 0) {
      throw new StoreRefusedError(
        `[store] ${file} saknas, men ${journalFile(path.dirname(file))} finns: ändringarna där gäller lagret som saknas. ` +
          `Stationen startar inte. Återställ ${file} från en säkerhetskopia och starta igen. ${RECOVERY}`,
      );
    }
    return { data: emptyData() };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StoreCorruptError(file, text.trim() === '' ? 'filen är tom' : (e as Error).message);
  }
  // lowdb's read() takes null, false, 0 and "" for "no store" and starts empty: never here.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreCorruptError(file, `filen innehåller ${JSON.stringify(value)}, inget lager`);
  }
  const version = (value as { version?: unknown }).version;
  if (version === 1) {
    const old = storeV1Schema.safeParse(value);
    if (!old.success) throw new StoreCorruptError(file, issues(old.error.issues));
    const migrated = migrateV1(old.data, series, now().toISOString());
    return { data: migrated.data, migrated };
  }
  // What changed since store.json was written, applied on top; then the whole is checked. A
  // journal that does not continue this store.json (an older copy of it was put back, the journal
  // left as it was) is not applied: it is set aside, and the numbers it knew are gaps (the marks).
  const seq = typeof (value as { journalSeq?: unknown }).journalSeq === 'number' ? ((value as { journalSeq: number }).journalSeq) : 0;
  const newer = journal.filter((r) => r.seq > seq);
  const journalUnused = newer.length > 0 && newer[0]!.seq !== seq + 1;
  if (!journalUnused) applyJournal(value as Record<string, unknown>, newer, seq);
  const parsed = storeDataSchema.safeParse(value);
  if (!parsed.success) throw new StoreCorruptError(newer.length && !journalUnused ? `${file} + store.journal` : file, issues(parsed.error.issues));
  if (!journalUnused && newer.length) parsed.data.journalSeq = newer.at(-1)!.seq;
  return { data: parsed.data, journalUnused };
}

const issues = (list: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string =>
  list.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).slice(0, 3).join('; ');

function describeMarks(marks: ReadonlyMap<string, HighWaterMark>, series: readonly SeriesConfig[]): string {
  if (marks.size === 0) return 'se arkivet';
  return [...marks.values()]
    .map((m) => {
      const s = series.find((x) => x.id === m.seriesId);
      return `${m.seriesId}: upp till ${s ? formatSerial(s, m.next - 1) : `löpnummer ${m.next - 1}`}`;
    })
    .join(', ');
}

/**
 * Per series the numbers used so far (the higher of the store and the high-water mark), checked
 * against the configured block. Refuses, naming every series and its numbers, when a block lies
 * below or overlaps numbers already issued.
 */
function checkSeries(data: StoreData, marks: ReadonlyMap<string, HighWaterMark>, series: readonly SeriesConfig[]): Map<string, SeriesUse> {
  const use = new Map<string, SeriesUse>();
  for (const id of new Set([...Object.keys(data.series), ...marks.keys()])) {
    const u = higherUse<SeriesUse>(data.series[id], marks.get(id));
    if (u) use.set(id, { next: u.next, blockFirst: u.blockFirst });
  }
  const problems: string[] = [];
  for (const s of series) {
    const u = use.get(s.id);
    const start = blockStart(s, u);
    if (!start.ok) {
      problems.push(
        `Nummerserien "${s.name}" (${s.id}): blocket ${s.first}–${s.last} ligger under eller överlappar nummer som stationen redan har lämnat ut ` +
          `(${formatSerial(s, u!.blockFirst)}–${formatSerial(s, start.highestIssued)}, löpnummer ${u!.blockFirst}–${start.highestIssued}). ` +
          `Ange ett block som börjar på ${start.highestIssued + 1} eller högre` +
          (u!.blockFirst <= start.highestIssued ? `, eller blocket som började på ${u!.blockFirst} (det fortsätter efter ${start.highestIssued}).` : '.'),
      );
    }
  }
  if (problems.length) throw new StoreRefusedError(`[store] Stationen startar inte, så att inget nummer lämnas ut två gånger:\n${problems.join('\n')}`);
  return use;
}

/**
 * Numbers the high-water mark knows but the store does not (a crash between the mark and the store
 * write, or a store restored from an older copy): recorded as a gap (voided, the reason in the
 * audit log), so the Avstämningslista lists them for checking against the paper. They are never
 * handed out again. (After a crash they were never printed; after a restore some may have been.)
 */
function recordUnknownNumbers(core: StoreCore, id: string, u: SeriesUse, series: readonly SeriesConfig[]): boolean {
  const st = core.data.series[id];
  if (st && st.next >= u.next) return false;
  const from = st && st.blockFirst === u.blockFirst ? st.next : u.blockFirst;
  // Printed as configured; without the config (tools, tests), as the series' last recorded range was.
  const s = series.find((x) => x.id === id);
  const last = core.data.ledger.filter((r) => r.kind === 'issued' && r.seriesId === id).at(-1);
  const format = s ? { prefix: s.prefix, padding: s.padding, checkDigit: s.checkDigit } : last?.kind === 'issued' ? last.format : undefined;
  const at = core.nowIso();
  core.data.series[id] = { next: u.next, blockFirst: u.blockFirst };
  if (format && from < u.next) {
    const reason = 'saknades i lagret (avbrott eller återställd kopia); kontrollera mot pappret';
    core.data.ledger.push({ kind: 'issued', id: newId('n'), seriesId: id, from, to: u.next - 1, format, at });
    core.data.ledger.push({ kind: 'voided', id: newId('v'), seriesId: id, ranges: [[from, u.next - 1]], reason, at });
    const detail = `${id} ${formatSerial(format, from)}–${formatSerial(format, u.next - 1)}: utlämnade enligt nummermärket (${highWaterDir(core.dataDir)}) men ${reason}; lämnas aldrig ut igen`;
    core.audit({ at, actor: 'station', action: 'serials-recovered', detail });
    core.log(`[store] ${detail}`);
  }
  return true;
}

/** The first-format file stays beside the new one (store.v1.json), written once. */
function keepOldFile(file: string): void {
  const keep = path.join(path.dirname(file), 'store.v1.json');
  if (existsSync(keep)) return;
  copyFileSync(file, keep);
  const fd = openSync(keep, 'r');
  fsyncSync(fd);
  closeSync(fd);
  void syncDir(path.dirname(file));
}
