// A ZPL label printer on raw TCP (socket://host:9100, the URI form CUPS uses; Zebra and compatible
// printers listen there). Raw TCP has no job id and no job states: a job is done when every byte is
// written and the printer has acknowledged it (it answered a ~HS sent after the job) or closed the
// connection. Before submit() reports done, the send is recorded durably in a small journal (one
// JSON line per send, fsynced), so after a crash the dispatcher's look-up by job name finds it and a
// job that was fully written is never sent twice. Where the printer answers ~HS, paper out, head
// open and pause are reported as IPP reasons (media-empty, cover-open, paused); ~HI gives its
// resolution, checked against the configured dpi. Every exchange has a deadline.
import { mkdirSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PrintError, type PrintBackend, type PrinterStatus, type RemoteJob, type SubmitRequest } from './backend.js';
import { systemClock, type Clock } from '../schedule/clock.js';

export const ZPL_MIME = 'application/vnd.zebra-zpl';
const DEFAULT_PORT = 9100;
/** Sends kept in the journal; older ones are dropped (their jobs finished long ago). */
const JOURNAL_KEEP = 1000;

export interface SocketBackendOptions {
  /** Deadline for connecting, and for writing a job until the printer acknowledged or closed; default 10 000 ms. */
  timeoutMs?: number;
  /** The journal of fully written sends (JSON lines); required to survive a restart. */
  journalFile: string;
  /** The configured resolution, compared with what ~HI reports. */
  dpi?: number;
  /** How long getStatus waits for an answer to ~HS before deciding the printer does not answer; default 2000 ms. */
  statusWaitMs?: number;
  /** The station's clock: the journal stamps each send with station time. */
  clock?: Pick<Clock, 'now'>;
}

interface Sent {
  id: number;
  name: string;
  at: string;
}

/** What a Zebra reports in its ~HS answer (the fields we read). */
export interface HostStatus {
  paperOut: boolean;
  paused: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
}

/** socket://host[:port] → host and port (9100 unless given). */
export function socketAddress(uri: string): { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new Error(`[socket] not a valid printer URI: ${uri}`);
  }
  if (u.protocol !== 'socket:' || !u.hostname) throw new Error(`[socket] not a socket://host:port URI: ${uri}`);
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : DEFAULT_PORT };
}

/** The STX … ETX groups of a Zebra's answers, in order. */
export function replyGroups(text: string): string[] {
  return [...text.matchAll(/\x02([^\x02\x03]*)\x03/g)].map((m) => m[1]!);
}

/** Reads the ~HS answer (three groups): line 1 field 2 paper out, field 3 pause; line 2 field 3 head up, field 4 ribbon out. */
export function parseHostStatus(groups: readonly string[]): HostStatus | undefined {
  if (groups.length < 3) return undefined;
  const a = groups[0]!.split(',');
  const b = groups[1]!.split(',');
  if (a.length < 12 || b.length < 11) return undefined;
  return { paperOut: a[1] === '1', paused: a[2] === '1', headOpen: b[2] === '1', ribbonOut: b[3] === '1' };
}

/** The printer's state and IPP reasons from its ~HS answer. */
export function hostStatusReasons(s: HostStatus): { state: PrinterStatus['state']; reasons: string[] } {
  const reasons: string[] = [];
  if (s.paperOut) reasons.push('media-empty-error');
  if (s.headOpen) reasons.push('cover-open-error');
  if (s.ribbonOut) reasons.push('marker-supply-empty-error');
  if (s.paused) reasons.push('paused');
  return { state: reasons.length ? 'stopped' : 'idle', reasons };
}

/** ~HI answers "model,version,dots per mm,memory": the resolution in dpi (8 → 203, 12 → 300, 24 → 600). */
export function parseHostIdentification(group: string): number | undefined {
  const dpmm = Number(group.split(',')[2]);
  return ({ 6: 152, 8: 203, 12: 300, 24: 600 } as Record<number, number>)[dpmm];
}

export class SocketBackend implements PrintBackend {
  private readonly host: string;
  private readonly port: number;
  private readonly timeoutMs: number;
  private readonly statusWaitMs: number;
  private sent: Sent[] | undefined;
  /** Whether the printer answered ~HS last time it was asked (then a job is acknowledged by one). */
  private answersStatus = false;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly uri: string,
    private options: SocketBackendOptions,
  ) {
    ({ host: this.host, port: this.port } = socketAddress(uri));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.statusWaitMs = options.statusWaitMs ?? 2000;
    mkdirSync(path.dirname(options.journalFile), { recursive: true });
  }

  async getStatus(): Promise<PrinterStatus> {
    const base: PrinterStatus = { state: 'idle', reasons: [], message: '', formats: [ZPL_MIME], mediaSupported: [], mediaReady: [], operations: [], sidesSupported: [] };
    const groups = await this.exchange(Buffer.from('~HS~HI', 'latin1'), { waitGroups: 4, waitMs: this.statusWaitMs, acceptSilence: true });
    const hs = parseHostStatus(groups);
    this.answersStatus = hs !== undefined;
    if (!hs) return { ...base, message: 'Skrivaren svarar inte på statusfrågor (~HS); bara anslutningen kontrolleras.' };
    const { state, reasons } = hostStatusReasons(hs);
    const dpi = groups[3] ? parseHostIdentification(groups[3]) : undefined;
    let message = '';
    if (dpi && this.options.dpi && dpi !== this.options.dpi) {
      reasons.push('station-resolution-mismatch');
      message = `Skrivaren skriver ut med ${dpi} dpi men är inställd på ${this.options.dpi} dpi (config: printers.dpi) – streckkoderna blir fel storlek.`;
    }
    return { ...base, state, reasons, message };
  }

  async submit(req: SubmitRequest): Promise<{ printerJobId: number }> {
    if (!Number.isInteger(req.copies) || req.copies < 1) throw new Error(`[socket] copies must be a whole number ≥ 1, got ${req.copies}`);
    if (req.pdf.length === 0) throw new Error('[socket] refusing to send an empty document');
    if (req.format !== undefined && req.format !== ZPL_MIME) throw new PrintError('unsupported-format', `[socket] ${this.uri} takes ZPL, not ${req.format}`);
    // Copies of a raw stream are the stream again (the label formats carry their own ^PQ).
    const data = Buffer.concat(Array.from({ length: req.copies }, () => req.pdf));
    if (this.answersStatus) {
      // The answer to a ~HS after the job proves the printer has read every byte before it.
      const groups = await this.exchange(Buffer.concat([data, Buffer.from('~HS', 'latin1')]), { waitGroups: 3, waitMs: this.timeoutMs, acceptSilence: false });
      if (!parseHostStatus(groups)) throw new PrintError('protocol', `[socket] ${this.uri}: the printer's answer to ~HS after the job was not readable`);
    } else {
      await this.exchange(data, { waitGroups: 0, waitMs: this.timeoutMs, acceptSilence: false });
    }
    return { printerJobId: await this.record(req.jobName) };
  }

  /** A job this station wrote whole is done: raw TCP has nothing more to follow. */
  async getJob(printerJobId: number): Promise<RemoteJob> {
    const sent = (await this.journal()).find((s) => s.id === printerJobId);
    return { printerJobId, state: 'completed', reasons: ['job-completed-successfully'], message: '', ...(sent ? { name: sent.name } : {}) };
  }

  /** The sends recorded as fully written (the dispatcher looks a job up here after a restart). */
  async listJobs(): Promise<RemoteJob[]> {
    return (await this.journal()).map((s) => ({ printerJobId: s.id, state: 'completed', reasons: ['job-completed-successfully'], message: '', name: s.name }));
  }

  /** Nothing to cancel: a job the printer has was written whole, and raw TCP has no cancel. */
  async cancel(): Promise<void> {}

  private async journal(): Promise<Sent[]> {
    if (this.sent) return this.sent;
    let text = '';
    try {
      text = await readFile(this.options.journalFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    // A line cut by a power cut is skipped: its send had not been reported done.
    this.sent = text
      .split('\n')
      .map((l) => {
        try {
          return JSON.parse(l) as Sent;
        } catch {
          return undefined;
        }
      })
      .filter((s): s is Sent => !!s && typeof s.id === 'number' && typeof s.name === 'string');
    return this.sent;
  }

  /** Appends the send to the journal, fsynced, and returns its id (one writer at a time). */
  private record(name: string): Promise<number> {
    const run = this.writing.then(async () => {
      const sent = await this.journal();
      const entry: Sent = { id: (sent.at(-1)?.id ?? 0) + 1, name, at: (this.options.clock ?? systemClock).now().toISOString() };
      sent.push(entry);
      const file = this.options.journalFile;
      if (sent.length > 2 * JOURNAL_KEEP) {
        sent.splice(0, sent.length - JOURNAL_KEEP);
        const tmp = `${file}.tmp`;
        await writeSynced(tmp, sent.map((s) => JSON.stringify(s) + '\n').join(''), 'w');
        await rename(tmp, file);
        await syncDir(path.dirname(file));
      } else {
        await writeSynced(file, JSON.stringify(entry) + '\n', 'a');
      }
      return entry.id;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /**
   * Connects, writes `data`, and waits for `waitGroups` STX…ETX answers (then closes) or, with
   * none to wait for, half-closes and waits for the printer to close. `acceptSilence`: no answer
   * within `waitMs` is not an error (a printer that does not answer status queries).
   */
  private exchange(data: Buffer, o: { waitGroups: number; waitMs: number; acceptSilence: boolean }): Promise<string[]> {
    const what = `${this.uri}`;
    return new Promise<string[]>((resolve, reject) => {
      let settled = false;
      let text = '';
      let written = false;
      const sock = net.connect({ host: this.host, port: this.port });
      const finish = (err?: PrintError) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(answerTimer);
        sock.destroy();
        if (err) reject(err);
        else resolve(replyGroups(text));
      };
      const connectTimer = setTimeout(() => finish(new PrintError('timeout', `[socket] ${what}: no connection within ${this.timeoutMs} ms`)), this.timeoutMs);
      let answerTimer: NodeJS.Timeout | undefined;
      sock.on('connect', () => {
        clearTimeout(connectTimer);
        answerTimer = setTimeout(() => {
          if (o.acceptSilence && written) return finish();
          finish(new PrintError('timeout', `[socket] ${what}: ${written ? 'the printer did not acknowledge the job' : 'not all bytes written'} within ${o.waitMs} ms`));
        }, o.waitMs);
        sock.write(data, (e) => {
          if (e) return;
          written = true;
          if (o.waitGroups === 0) sock.end();
        });
      });
      sock.on('data', (c: Buffer) => {
        text += c.toString('latin1');
        if (o.waitGroups > 0 && replyGroups(text).length >= o.waitGroups) finish();
      });
      // Our half-close has gone out (every byte of the job before it).
      let halfClosed = false;
      sock.on('finish', () => (halfClosed = true));
      sock.on('end', () => {
        // The printer closed after our half-close: the acknowledgement of a plain send. Closing
        // before it means the printer hung up on a job it had not read to the end.
        if (o.waitGroups === 0 && written && halfClosed) return finish();
        if (o.acceptSilence && written) return finish();
        finish(new PrintError('network', `[socket] ${what}: the printer closed the connection before ${written ? 'answering' : 'all bytes were written'} (ECONNRESET)`));
      });
      sock.on('error', (e: NodeJS.ErrnoException) => finish(new PrintError('network', `[socket] ${what}: ${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}`)));
      sock.on('close', () => finish(new PrintError('network', `[socket] ${what}: connection closed (ECONNRESET)`)));
    });
  }
}

async function writeSynced(file: string, text: string, flags: 'a' | 'w'): Promise<void> {
  const fh = await open(file, flags);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
