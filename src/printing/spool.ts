// The spool folder: PDFs (and ZPL) waiting to be sent, named by their content hash (identical blank
// forms are stored once). A file is on disk (fsynced) before any job that names it is recorded.
// Documents that carry a patient's identity get a random name instead (a hash of a personnummer
// would be the personnummer: there are few enough to try them all) and are removed with remove().
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, existsSync } from 'node:fs';
import { access, open, rename, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

export class Spool {
  /** Recently stored files, kept in memory too so sending does not wait for a read behind fsyncs. */
  private recent = new Map<string, Uint8Array>();
  private recentBytes = 0;
  /** Names of byte arrays stored already (the form cache hands out the same array all day). */
  private stored = new WeakMap<Uint8Array, string>();

  constructor(
    readonly dir: string,
    private maxMemoryBytes = 64 * 1024 * 1024,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  private remember(name: string, pdf: Uint8Array): void {
    if (this.recent.has(name) || pdf.byteLength > this.maxMemoryBytes / 4) return;
    this.recent.set(name, pdf);
    this.recentBytes += pdf.byteLength;
    for (const [k, v] of this.recent) {
      if (this.recentBytes <= this.maxMemoryBytes) break;
      this.recent.delete(k);
      this.recentBytes -= v.byteLength;
    }
  }

  /**
   * Stores the bytes durably; returns the file name to record in the job. `ephemeral`: a random
   * name, not shared with identical bytes and not kept in memory (patient-ID labels).
   */
  async put(pdf: Uint8Array, opts: { ext?: 'pdf' | 'zpl'; ephemeral?: boolean } = {}): Promise<string> {
    const ext = opts.ext ?? 'pdf';
    if (opts.ephemeral) {
      const name = `e-${randomBytes(16).toString('hex')}.${ext}`;
      await this.writeDurably(path.join(this.dir, name), pdf);
      return name;
    }
    // The same bytes again (a form of the day, spooled at every press): known, named and on disk.
    const known = this.stored.get(pdf);
    if (known && existsSync(path.join(this.dir, known))) return known;
    const name = createHash('sha256').update(pdf).digest('hex').slice(0, 32) + '.' + ext;
    const file = path.join(this.dir, name);
    if (existsSync(file)) {
      this.remember(name, pdf);
      this.stored.set(pdf, name);
      return name;
    }
    await this.writeDurably(file, pdf);
    this.remember(name, pdf);
    this.stored.set(pdf, name);
    return name;
  }

  private async writeDurably(file: string, bytes: Uint8Array): Promise<void> {
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    const dh = await open(this.dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }

  /** Deletes a spooled file now (and its copy in memory); the folder entry is synced away too. */
  async remove(name: string): Promise<void> {
    const base = path.basename(name);
    if (!base) return;
    const v = this.recent.get(base);
    if (v) {
      this.recent.delete(base);
      this.recentBytes -= v.byteLength;
    }
    await rm(path.join(this.dir, base), { force: true });
    const dh = await open(this.dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }

  async read(name: string): Promise<Uint8Array> {
    const base = path.basename(name);
    return this.recent.get(base) ?? readFile(path.join(this.dir, base));
  }

  /** Whether a spooled file is still there (a job's bytes can be sent). */
  async has(name: string): Promise<boolean> {
    const base = path.basename(name);
    if (!base || this.recent.has(base)) return !!base;
    return access(path.join(this.dir, base)).then(
      () => true,
      () => false,
    );
  }

  /** Removes files no job needs any more, and temp files a crash left behind. */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const f of await readdir(this.dir)) {
      if (f.endsWith('.tmp') || ((f.endsWith('.pdf') || f.endsWith('.zpl')) && !keep.has(f))) {
        await rm(path.join(this.dir, f), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
