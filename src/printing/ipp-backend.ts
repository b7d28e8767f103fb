// A network printer (or CUPS queue) reached over IPP: status, Print-Job with only the options the
// printer says it supports, job follow-up, job listing for recovery after a restart, and cancel.
// Every request goes through ippRequest, so each has a deadline and fails with a typed PrintError.
import {
  PrintError,
  sendFormatFor,
  type PrintBackend,
  type PrinterState,
  type PrinterStatus,
  type RemoteJob,
  type RemoteJobState,
  type SubmitRequest,
} from './backend.js';
import {
  attrNumber,
  attrRange,
  attrString,
  attrStrings,
  ippRequest,
  type IppAttributeGroup,
  type IppOperation,
  type IppRequestAttributes,
  type IppResponse,
} from './ipp-client.js';
import { jobTemplateFor, type JobCapabilities } from './ipp-job-template.js';
import type { Marker } from './backend.js';

export interface IppBackendOptions {
  /** Deadline per IPP request; default 10 000 ms. */
  timeoutMs?: number;
  /** requesting-user-name; default "reservkit" (also on Cancel-Job, so it matches the job's owner). */
  userName?: string;
  /** ipps:// with a self-signed certificate: set to false to accept it. Verified by default. */
  rejectUnauthorized?: boolean;
  /** How long the printer's supported copies/media/sides are reused by submit(); default 60 s. */
  capabilitiesTtlMs?: number;
}

/** What submit() needs to know to send only values the printer accepts (ipp-job-template.ts). */
interface Capabilities extends JobCapabilities {
  at: number;
  /** document-format-supported (a ZPL printer behind a CUPS raw queue names only application/octet-stream). */
  formats: string[];
}
const CAPABILITY_ATTRIBUTES = ['media-supported', 'sides-supported', 'copies-supported', 'print-scaling-supported', 'media-col-supported', 'document-format-supported'];

const STATUS_ATTRIBUTES = [
  'printer-state',
  'printer-state-reasons',
  'printer-state-message',
  'document-format-supported',
  'media-supported',
  'media-ready',
  'operations-supported',
  'sides-supported',
  'copies-supported',
  'print-scaling-supported',
  'media-col-supported',
  // Toner/ink for the region's monitoring: marker-* (RFC 3995 era, most printers) and
  // printer-supply (PWG 5100.13, which IPP Everywhere printers such as ippeveprinter report instead).
  'marker-names',
  'marker-levels',
  'marker-types',
  'printer-supply',
];
// Asking for named attributes also keeps dateTime values (which the package decodes wrongly) out.
const JOB_ATTRIBUTES = ['job-id', 'job-name', 'job-state', 'job-state-reasons', 'job-state-message'];

const jobStateByEnum: Record<number, RemoteJobState> = {
  3: 'pending',
  4: 'pending-held',
  5: 'processing',
  6: 'processing-stopped',
  7: 'canceled',
  8: 'aborted',
  9: 'completed',
};
const jobStateByKeyword: Record<string, RemoteJobState> = {
  pending: 'pending',
  'pending-held': 'pending-held',
  processing: 'processing',
  'processing-stopped': 'processing-stopped',
  canceled: 'canceled',
  aborted: 'aborted',
  completed: 'completed',
};
const printerStateByEnum: Record<number, PrinterState> = { 3: 'idle', 4: 'processing', 5: 'stopped' };

export class IppBackend implements PrintBackend {
  private readonly timeoutMs: number;
  /** Twice the request deadline: a send the printer has not made a job of by then is taken as lost. */
  readonly lateArrivalMs: number;
  private readonly userName: string;
  private readonly rejectUnauthorized: boolean | undefined;
  private readonly capabilitiesTtlMs: number;
  private caps: Capabilities | undefined;
  /** Falls back to 1.1 once for printers that refuse IPP/2.0. */
  private version: '1.1' | '2.0' = '2.0';

  constructor(
    readonly uri: string,
    options: IppBackendOptions = {},
  ) {
    if (!/^ipps?:\/\//i.test(uri)) throw new Error(`[ipp-backend] not an ipp:// or ipps:// URI: ${uri}`);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.lateArrivalMs = 2 * this.timeoutMs;
    this.userName = options.userName ?? 'reservkit';
    this.rejectUnauthorized = options.rejectUnauthorized;
    this.capabilitiesTtlMs = options.capabilitiesTtlMs ?? 60_000;
  }

  async getStatus(): Promise<PrinterStatus> {
    const res = await this.request('Get-Printer-Attributes', { operation: { 'requested-attributes': STATUS_ATTRIBUTES } });
    const p = res.printer;
    this.caps = capabilitiesFrom(p);
    return {
      state: printerState(p['printer-state']?.[0]),
      reasons: reasonsOf(p, 'printer-state-reasons'),
      message: attrString(p, 'printer-state-message').trim(),
      formats: attrStrings(p, 'document-format-supported'),
      mediaSupported: attrStrings(p, 'media-supported'),
      mediaReady: attrStrings(p, 'media-ready'),
      operations: (p['operations-supported'] ?? []).map((v) => (typeof v === 'number' ? `0x${v.toString(16).padStart(4, '0')}` : String(v))),
      sidesSupported: attrStrings(p, 'sides-supported'),
      markers: markersOf(p),
    };
  }

  async submit(req: SubmitRequest): Promise<{ printerJobId: number }> {
    if (!Number.isInteger(req.copies) || req.copies < 1) throw new Error(`[ipp-backend] copies must be a whole number ≥ 1, got ${req.copies}`);
    if (req.pdf.length === 0) throw new Error('[ipp-backend] refusing to send an empty document');
    const caps = await this.capabilities();
    const job = jobTemplateFor(caps, req, this.uri);
    const res = await this.request(
      'Print-Job',
      {
        operation: {
          'job-name': truncateUtf8(req.jobName, 255),
          // ZPL goes raw (application/octet-stream) to a printer that does not name it (a CUPS raw queue).
          'document-format': req.format === 'application/vnd.zebra-zpl' ? (sendFormatFor(caps.formats, 'zpl') ?? req.format) : (req.format ?? 'application/pdf'),
          ...(req.userName ? { 'requesting-user-name': req.userName } : {}),
        },
        job,
      },
      req.pdf,
    );
    const id = res.jobs[0] ? attrNumber(res.jobs[0], 'job-id') : undefined;
    if (id === undefined) throw new PrintError('protocol', `[ipp] Print-Job ${this.uri}: accepted but no job-id in the reply`);
    return { printerJobId: id };
  }

  async getJob(printerJobId: number): Promise<RemoteJob> {
    const res = await this.request('Get-Job-Attributes', {
      operation: { 'job-id': printerJobId, 'requested-attributes': JOB_ATTRIBUTES },
    });
    const group = res.jobs[0];
    if (!group) throw new PrintError('protocol', `[ipp] Get-Job-Attributes ${this.uri}: no job attributes for job ${printerJobId}`);
    return remoteJob(group, printerJobId, this.uri);
  }

  async listJobs(): Promise<RemoteJob[]> {
    let groups: IppAttributeGroup[];
    try {
      groups = await this.getJobs('all');
    } catch (e) {
      // Printers that do not know which-jobs=all: ask for both halves.
      if (!(e instanceof PrintError) || e.statusCode !== 0x040b) throw e;
      groups = [...(await this.getJobs('not-completed')), ...(await this.getJobs('completed'))];
    }
    const byId = new Map<number, RemoteJob>();
    for (const g of groups) {
      const id = attrNumber(g, 'job-id');
      if (id !== undefined) byId.set(id, remoteJob(g, id, this.uri));
    }
    return [...byId.values()].sort((a, b) => a.printerJobId - b.printerJobId);
  }

  async cancel(printerJobId: number): Promise<void> {
    await this.request('Cancel-Job', { operation: { 'job-id': printerJobId } });
  }

  private async getJobs(which: 'all' | 'not-completed' | 'completed'): Promise<IppAttributeGroup[]> {
    const res = await this.request('Get-Jobs', { operation: { 'which-jobs': which, 'requested-attributes': JOB_ATTRIBUTES } });
    return res.jobs;
  }

  private async capabilities(): Promise<Capabilities> {
    // A TTL is a duration, not station time: measured on the monotonic clock (performance.now()),
    // so neither the injected clock nor a wall-clock jump can make the capabilities stale or eternal.
    if (this.caps && performance.now() - this.caps.at < this.capabilitiesTtlMs) return this.caps;
    const res = await this.request('Get-Printer-Attributes', {
      operation: { 'requested-attributes': CAPABILITY_ATTRIBUTES },
    });
    this.caps = capabilitiesFrom(res.printer);
    return this.caps;
  }

  private async request(operation: IppOperation, attributes: IppRequestAttributes, data?: Uint8Array): Promise<IppResponse> {
    const send = (): Promise<IppResponse> =>
      ippRequest(this.uri, operation, attributes, data, {
        timeoutMs: this.timeoutMs,
        userName: this.userName,
        version: this.version,
        ...(this.rejectUnauthorized !== undefined ? { rejectUnauthorized: this.rejectUnauthorized } : {}),
      });
    try {
      return await send();
    } catch (e) {
      if (e instanceof PrintError && e.statusCode === 0x0503 && this.version === '2.0') {
        this.version = '1.1';
        return send();
      }
      throw e;
    }
  }
}

function capabilitiesFrom(p: IppAttributeGroup): Capabilities {
  const copies = attrRange(p, 'copies-supported');
  return {
    at: performance.now(),
    media: attrStrings(p, 'media-supported'),
    sides: attrStrings(p, 'sides-supported'),
    printScaling: attrStrings(p, 'print-scaling-supported'),
    mediaCol: attrStrings(p, 'media-col-supported'),
    formats: attrStrings(p, 'document-format-supported'),
    ...(copies ? { copies } : {}),
  };
}

function printerState(v: unknown): PrinterState {
  if (typeof v === 'number') return printerStateByEnum[v] ?? 'unknown';
  return v === 'idle' || v === 'processing' || v === 'stopped' ? v : 'unknown';
}

function reasonsOf(group: IppAttributeGroup, name: string): string[] {
  return attrStrings(group, name).filter((r) => r !== 'none');
}

function remoteJob(group: IppAttributeGroup, fallbackId: number, uri: string): RemoteJob {
  const raw = group['job-state']?.[0];
  const state = typeof raw === 'number' ? jobStateByEnum[raw] : typeof raw === 'string' ? jobStateByKeyword[raw] : undefined;
  if (!state) throw new PrintError('protocol', `[ipp] ${uri}: job ${fallbackId} has no usable job-state (${String(raw)})`);
  const name = attrString(group, 'job-name');
  return {
    printerJobId: attrNumber(group, 'job-id') ?? fallbackId,
    state,
    reasons: reasonsOf(group, 'job-state-reasons'),
    // ippeveprinter keeps the space after "ERROR:" from the print command.
    message: attrString(group, 'job-state-message').trim(),
    ...(name ? { name } : {}),
  };
}

/** IPP names are at most 255 octets; cut on a character boundary. */
function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/**
 * Supply levels: marker-levels with its names and types when the printer sends them, else
 * printer-supply's "type=toner;level=75;colorantname=black;…" strings. Empty when neither.
 */
export function markersOf(p: IppAttributeGroup): Marker[] {
  const levels = p['marker-levels'] ?? [];
  if (levels.length) {
    const names = attrStrings(p, 'marker-names');
    const types = attrStrings(p, 'marker-types');
    return levels.flatMap((v, i) => (typeof v === 'number' ? [{ name: names[i] ?? `marker-${i + 1}`, type: types[i] ?? 'unknown', level: v }] : []));
  }
  return attrStrings(p, 'printer-supply').flatMap((text, i) => {
    const kv = new Map(text.split(';').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
    const level = Number(kv.get('level'));
    const max = Number(kv.get('maxcapacity') ?? 100);
    if (!kv.has('level') || !Number.isFinite(level)) return [];
    // Negative levels keep their IPP meaning; a capacity other than 100 is scaled to percent.
    const pct = level < 0 || !(max > 0) || kv.get('unit') === 'percent' ? level : Math.round((level / max) * 100);
    const type = (kv.get('type') ?? 'unknown').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const colour = kv.get('colorantname');
    const name = kv.get('index') ? `${type}${colour && colour !== 'unknown' ? ` ${colour}` : ''}` : `supply-${i + 1}`;
    return [{ name, type, level: pct }];
  });
}
