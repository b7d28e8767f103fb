// Append-only files that survive a power cut: whole lines appended, the file fsynced, and the folder
// fsynced when the file is new. A line torn by a crash is closed off at start (a newline added), so
// the next append never glues onto it; the torn line is then reported by whoever reads the file.
import { open, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Appends lines (each JSON, no newlines inside) to files, one fsync per file. */
export async function appendLines(byFile: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const newDirs = new Set<string>();
  for (const [file, lines] of byFile) {
    if (lines.length === 0) continue;
    const dir = path.dirname(file);
    if (!existsSync(file)) {
      await mkdir(dir, { recursive: true });
      newDirs.add(dir);
    }
    const fh = await open(file, 'a');
    try {
      await fh.appendFile(lines.join('\n') + '\n', 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  for (const d of newDirs) await syncDir(d);
}

/** Ends a file with a newline if a crash cut its last line short. True when it did. */
export async function closeTornTail(file: string): Promise<boolean> {
  const st = await stat(file).catch(() => undefined);
  if (!st || st.size === 0) return false;
  const fh = await open(file, 'r+');
  try {
    const buf = Buffer.alloc(1);
    await fh.read(buf, 0, 1, st.size - 1);
    if (buf[0] === 0x0a) return false;
    await fh.write('\n', st.size);
    await fh.sync();
    return true;
  } finally {
    await fh.close();
  }
}
