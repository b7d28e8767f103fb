// The spool folder: PDFs waiting to be sent, named by their content hash (identical blank forms
// are stored once). A file is on disk (fsynced) before any job that names it is recorded.
import { createHash } from 'node:crypto';
import { mkdirSync, existsSync } from 'node:fs';
import { open, rename, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

export class Spool {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Stores the bytes durably; returns the file name to record in the job. */
  async put(pdf: Uint8Array): Promise<string> {
    const name = createHash('sha256').update(pdf).digest('hex').slice(0, 32) + '.pdf';
    const file = path.join(this.dir, name);
    if (existsSync(file)) return name;
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(pdf);
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
    return name;
  }

  read(name: string): Promise<Buffer> {
    return readFile(path.join(this.dir, path.basename(name)));
  }

  /** Removes files no job needs any more, and temp files a crash left behind. */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const f of await readdir(this.dir)) {
      if (f.endsWith('.tmp') || (f.endsWith('.pdf') && !keep.has(f))) {
        await rm(path.join(this.dir, f), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
