// Identifiers: short, sortable, URL-safe ids for batches and jobs.
import { randomBytes } from 'node:crypto';

let last = 0;
let counter = 0;

/** e.g. "b-mf3k2a9x-0-4f2c": time part sorts, random part avoids clashes across restarts. */
export function newId(prefix: string, now = Date.now()): string {
  if (now === last) counter++;
  else {
    last = now;
    counter = 0;
  }
  return `${prefix}-${now.toString(36)}-${counter.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * The IPP job-name that carries our job id and which send of it this is, so a restarted station
 * can find exactly this send on the printer (and not an earlier, failed one of the same job).
 */
export const ippJobName = (jobId: string, sendNo: number, title: string): string =>
  `rk:${jobId}.${sendNo}:${title.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/[^A-Za-z0-9 ._-]/g, '').slice(0, 60)}`;

/** Reads our job id and send number back out of an IPP job-name written by ippJobName. */
export function parseIppJobName(name: string | undefined): { jobId: string; sendNo: number } | undefined {
  const m = /^rk:([A-Za-z0-9-]+)\.(\d+):/.exec(name ?? '');
  return m ? { jobId: m[1]!, sendNo: Number(m[2]) } : undefined;
}
