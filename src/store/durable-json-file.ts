// A lowdb adapter that survives a power cut: write a temp file, fsync it, rename it over the
// target, fsync the folder. lowdb's own JSONFile renames but never fsyncs.
import { open, rename, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

export class StoreCorruptError extends Error {
  constructor(
    readonly file: string,
    cause: string,
  ) {
    super(
      `[store] ${file} kan inte läsas (${cause}). Stationen startar inte: inget som den har bekräftat får gå förlorat ` +
        `och inget nummer får lämnas ut två gånger. Filen är orörd. Återställ den från en säkerhetskopia och starta igen; ` +
        `starta aldrig med ett tomt lager på ett block som redan har använts (se docs/operations.md, "Återställning").`,
    );
    this.name = 'StoreCorruptError';
  }
}

export class DurableJsonFile<T> implements Adapter<T> {
  readonly tmp: string;
  /** The size of the text last read or written. */
  bytes = 0;
  constructor(readonly file: string) {
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  /**
   * The file's text, or undefined when there is no file. The store decides what the text means:
   * lowdb's own read() takes any falsy JSON (null, false, 0, "") for "no store" and starts empty.
   */
  async readText(): Promise<string | undefined> {
    // A killed writer may leave a partial temp file; the target is always whole, so drop it.
    await rm(this.tmp, { force: true });
    try {
      const text = await readFile(this.file, 'utf8');
      this.bytes = Buffer.byteLength(text);
      return text;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreCorruptError(this.file, (e as Error).message);
    }
  }

  /** Parsed JSON (lowdb's Adapter); a file that is not JSON is a StoreCorruptError. */
  async read(): Promise<T | null> {
    const text = await this.readText();
    if (text === undefined) return null;
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new StoreCorruptError(this.file, (e as Error).message);
    }
  }

  async write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    this.bytes = Buffer.byteLength(text);
    const fh = await open(this.tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(this.tmp, this.file);
    const dir = await open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
