// The embedded default "folder printer" (file:///abs/folder): each job becomes
// `<printerJobId>-<safe job name>.pdf` in the folder, written atomically and durably. Job ids come
// from an index (.jobs.json) in the same folder, so getJob/listJobs keep working after a restart.
// One station process per folder: the index is kept in memory and written whole after each job.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PrintError, type PrintBackend, type PrinterStatus, type RemoteJob, type SubmitRequest } from './backend.js';
import { systemClock, type Clock } from '../schedule/clock.js';

const INDEX_FILE = '.jobs.json';
/** Jobs kept in the index; older ones are dropped (their PDFs stay). */
const MAX_INDEXED_JOBS = 1000;

const indexSchema = z.object({
  version: z.literal(1),
  nextId: z.number().int().min(1),
  jobs: z.array(
    z.object({
      id: z.number().int().min(1),
      name: z.string(),
      file: z.string(),
      copies: z.number().int().min(1),
      media: z.string().optional(),
      sides: z.string().optional(),
      bytes: z.number().int().nonnegative(),
      state: z.enum(['completed', 'canceled']),
      createdAt: z.string(),
    }),
  ),
});
type JobIndex = z.infer<typeof indexSchema>;
type IndexedJob = JobIndex['jobs'][number];

export interface FileBackendOptions {
  /** Media reported as supported and ready (any media is accepted); default A4. */
  media?: string;
  /** The station's clock: a job's createdAt is station time. */
  clock?: Pick<Clock, 'now'>;
}

/** file:///abs/folder → /abs/folder (percent-escapes decoded). */
export function folderFromFileUri(uri: string): string {
  let folder: string;
  try {
    folder = fileURLToPath(new URL(uri));
  } catch (e) {
    throw new Error(`[file-backend] not a local file:// URI: ${uri} (${(e as Error).message})`);
  }
  if (!path.isAbsolute(folder)) throw new Error(`[file-backend] folder must be absolute: ${uri}`);
  return folder;
}

/** A file-name-safe version of a job name: ASCII letters, digits, . _ - (accents dropped), at most 80 chars. */
export function safeJobName(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const safe = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|_+$/g, '')
    .slice(0, 80);
  return safe || 'job';
}

export class FileBackend implements PrintBackend {
  readonly folder: string;
  private readonly media: string;
  private readonly clock: Pick<Clock, 'now'>;
  private index: JobIndex | undefined;
  /** Serialises writers: one job at a time touches the index. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly uri: string,
    options: FileBackendOptions = {},
  ) {
    this.folder = folderFromFileUri(uri);
    this.media = options.media ?? 'iso_a4_210x297mm';
    this.clock = options.clock ?? systemClock;
  }

  async getStatus(): Promise<PrinterStatus> {
    const base = {
      formats: ['application/pdf'],
      mediaSupported: [this.media],
      mediaReady: [this.media],
      operations: ['Print-Job', 'Get-Job-Attributes', 'Get-Jobs', 'Cancel-Job', 'Get-Printer-Attributes'],
      sidesSupported: ['one-sided', 'two-sided-long-edge'],
    };
    try {
      await fs.mkdir(this.folder, { recursive: true });
      await fs.access(this.folder, fs.constants.W_OK);
      return { state: 'idle', reasons: [], message: '', ...base };
    } catch (e) {
      // The folder is the "printer": if it cannot be written, say so like a stopped printer.
      return { state: 'stopped', reasons: ['station-folder-not-writable'], message: `${this.folder}: ${(e as Error).message}`, ...base };
    }
  }

  submit(req: SubmitRequest): Promise<{ printerJobId: number }> {
    return this.serial(async () => {
      if (!Number.isInteger(req.copies) || req.copies < 1) throw new Error(`[file-backend] copies must be a whole number ≥ 1, got ${req.copies}`);
      const index = await this.load();
      const id = index.nextId;
      const file = `${id}-${safeJobName(req.jobName)}.pdf`;
      try {
        await fs.mkdir(this.folder, { recursive: true });
        await writeFileDurably(path.join(this.folder, file), req.pdf);
      } catch (e) {
        throw deviceError(`cannot write ${path.join(this.folder, file)}`, e);
      }
      // Copies are recorded, not duplicated: the folder holds each document once.
      const entry: IndexedJob = {
        id,
        name: req.jobName,
        file,
        copies: req.copies,
        ...(req.media ? { media: req.media } : {}),
        ...(req.sides ? { sides: req.sides } : {}),
        bytes: req.pdf.length,
        state: 'completed',
        createdAt: this.clock.now().toISOString(),
      };
      const next: JobIndex = { version: 1, nextId: id + 1, jobs: [...index.jobs, entry].slice(-MAX_INDEXED_JOBS) };
      try {
        await writeFileDurably(path.join(this.folder, INDEX_FILE), Buffer.from(JSON.stringify(next, null, 1) + '\n'));
      } catch (e) {
        throw deviceError(`cannot write the job index in ${this.folder}`, e);
      }
      this.index = next;
      return { printerJobId: id };
    });
  }

  getJob(printerJobId: number): Promise<RemoteJob> {
    return this.serial(async () => {
      const job = (await this.load()).jobs.find((j) => j.id === printerJobId);
      if (!job) throw new PrintError('ipp', `[file-backend] ${this.folder}: no job ${printerJobId}`, 'client-error-not-found', 0x0406);
      return toRemote(job);
    });
  }

  listJobs(): Promise<RemoteJob[]> {
    return this.serial(async () => (await this.load()).jobs.map(toRemote));
  }

  cancel(printerJobId: number): Promise<void> {
    return this.serial(async () => {
      const job = (await this.load()).jobs.find((j) => j.id === printerJobId);
      if (!job) throw new PrintError('ipp', `[file-backend] ${this.folder}: no job ${printerJobId}`, 'client-error-not-found', 0x0406);
      // Written at once, so already finished: answer as an IPP printer does.
      throw new PrintError('ipp', `[file-backend] job ${printerJobId} is already ${job.state}`, 'client-error-not-possible', 0x0404);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the index once; a missing one starts empty, an unreadable one is kept aside and rebuilt. */
  private async load(): Promise<JobIndex> {
    if (this.index) return this.index;
    try {
      await fs.mkdir(this.folder, { recursive: true });
    } catch (e) {
      throw deviceError(`cannot create ${this.folder}`, e);
    }
    const file = path.join(this.folder, INDEX_FILE);
    let index: JobIndex = { version: 1, nextId: 1, jobs: [] };
    let text: string | undefined;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw deviceError(`cannot read ${file}`, e);
    }
    if (text !== undefined) {
      let parsed: ReturnType<typeof indexSchema.safeParse> | undefined;
      try {
        parsed = indexSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = undefined;
      }
      if (parsed?.success) index = parsed.data;
      // Date.now() here only makes the kept copy's name unique; it is not station time.
      else await fs.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
    }
    // Never reuse an id a PDF already carries (a crash between the PDF and the index, a lost index).
    const names = await fs.readdir(this.folder);
    for (const n of names) {
      const m = /^(\d+)-.*\.pdf$/.exec(n);
      if (m) index.nextId = Math.max(index.nextId, Number(m[1]) + 1);
    }
    // Temp files left by a killed writer.
    await Promise.all(names.filter((n) => n.startsWith('.tmp-')).map((n) => fs.rm(path.join(this.folder, n), { force: true })));
    this.index = index;
    return index;
  }
}

function toRemote(j: IndexedJob): RemoteJob {
  return {
    printerJobId: j.id,
    state: j.state,
    reasons: [j.state === 'completed' ? 'job-completed-successfully' : 'job-canceled-by-user'],
    message: '',
    name: j.name,
  };
}

/** A full disk or a read-only folder: a device fault, retried like a printer's server error. */
function deviceError(what: string, e: unknown): PrintError {
  const err = e as NodeJS.ErrnoException;
  return new PrintError('ipp', `[file-backend] ${what}: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' '), 'server-error-device-error', 0x0504);
}

/** Temp file in the same folder, fsync, rename over the target, fsync the folder. */
async function writeFileDurably(target: string, data: Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fh = await fs.open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  const dh = await fs.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
