// One station per data folder: store.lock names the owner by pid, the process's start time, the
// boot it started in and its program. A pid alone is not enough: after a power cut and reboot the
// pid in an old lock may belong to any other process, and the station must then start (the issue
// seen: a stale lock naming a live unrelated pid blocked start-up). Two live stations on one folder
// are still refused.
import { openSync, writeSync, closeSync, readFileSync, rmSync, readlinkSync, fsyncSync } from 'node:fs';
import path from 'node:path';

export interface LockOwner {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/PID/stat, field 22). */
  start?: string;
  /** /proc/sys/kernel/random/boot_id when the lock was taken. */
  boot?: string;
  /** The program (/proc/PID/exe). */
  exe?: string;
  at?: string;
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function processStart(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[19]; // field 22 overall: field 3 is rest[0]
}

function processExe(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

const bootId = (): string | undefined => readProc('/proc/sys/kernel/random/boot_id')?.trim();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process, as a lock names it. */
export function selfOwner(): LockOwner {
  return { pid: process.pid, start: processStart(process.pid), boot: bootId(), exe: processExe(process.pid) ?? process.execPath };
}

/** Reads a lock file: today's JSON, or an older lock holding only a pid. */
export function parseLock(text: string): LockOwner | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { pid: Number(t) };
  try {
    const o = JSON.parse(t) as LockOwner;
    return typeof o?.pid === 'number' ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the owner named in a lock is not a running station (undefined: it may well be one).
 * Gone; a different boot; a pid reused by a process started at another time; another program.
 */
export function staleReason(owner: LockOwner): string | undefined {
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return `processen ${owner.pid} startade före en omstart av datorn`;
  if (!isAlive(owner.pid)) return `processen ${owner.pid} finns inte längre`;
  const start = processStart(owner.pid);
  if (owner.start && start && owner.start !== start) return `pid ${owner.pid} tillhör nu en annan process (startad vid en annan tid)`;
  const exe = processExe(owner.pid);
  const ours = owner.exe ?? selfOwner().exe;
  if (exe && ours && exe !== ours) return `pid ${owner.pid} tillhör nu ett annat program (${path.basename(exe)})`;
  return undefined;
}

/**
 * Takes the folder's lock or throws naming the live owner. A stale lock is taken over; the
 * returned text says why (the caller logs it). `at` (station time, from the store's clock) is
 * written for whoever reads the lock file; staleness is decided by the owner's process, not by it.
 */
export function takeLock(lockFile: string, at: Date): { tookOver?: string } {
  let tookOver: string | undefined;
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, JSON.stringify({ ...selfOwner(), at: at.toISOString() }));
      fsyncSync(fd);
      closeSync(fd);
      return { tookOver };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const text = readProc(lockFile) ?? '';
      const owner = parseLock(text);
      const why = owner ? staleReason(owner) : 'låsfilen gick inte att läsa';
      if (!why) {
        throw new Error(`[store] ${path.dirname(lockFile)} används redan av process ${owner!.pid}; bara en station per datamapp.`);
      }
      tookOver = `[store] tog över ${lockFile}: ${why}`;
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`[store] cannot take lock ${lockFile}`);
}
