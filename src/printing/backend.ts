// What a print backend is: it moves document bytes (PDF, or ZPL for a label printer) to one
// destination and reports on it. It never renders. Failures are a closed set of typed errors;
// outcomes.ts turns them into job states.

export type PrinterState = 'idle' | 'processing' | 'stopped' | 'unknown';

/** A toner, ink or other supply the printer reports (IPP marker-* or printer-supply). */
export interface Marker {
  name: string;
  /** IPP marker-types keyword, e.g. "toner", "ink-cartridge", "waste-toner". */
  type: string;
  /** 0–100 percent; negative values are IPP's "unknown" (-1, -2) and "some left" (-3). */
  level: number;
}

export interface PrinterStatus {
  state: PrinterState;
  /** IPP printer-state-reasons keywords (e.g. "media-empty-report"); "none" is dropped. */
  reasons: string[];
  message: string;
  /** document-format-supported */
  formats: string[];
  mediaSupported: string[];
  mediaReady: string[];
  /** Operations the printer supports, by name (e.g. "Cancel-Job"). */
  operations: string[];
  sidesSupported: string[];
  /** Toner/ink levels where the printer reports them (absent: it does not). */
  markers?: Marker[];
}

export interface SubmitRequest {
  /** Carries our job id so a restarted station can find the job on the printer (Get-Jobs). */
  jobName: string;
  /** The document's bytes: a PDF, or ZPL when `format` says so. */
  pdf: Uint8Array;
  /** MIME type of the bytes; default application/pdf. */
  format?: DocumentFormat;
  copies: number;
  media?: string;
  sides?: 'one-sided' | 'two-sided-long-edge';
  userName?: string;
}

export type DocumentFormat = 'application/pdf' | 'application/vnd.zebra-zpl';

/** The MIME type the station sends a printer configured with `format` ("pdf" or "zpl"). */
export const documentFormatOf = (format: 'pdf' | 'zpl' | undefined): DocumentFormat => (format === 'zpl' ? 'application/vnd.zebra-zpl' : 'application/pdf');

/**
 * The MIME type to send a document of `format` as to a printer that lists `supported`, or undefined
 * when it takes none: ZPL goes as application/vnd.zebra-zpl (LPrint, Zebra's own IPP), else as
 * application/octet-stream, the raw pass-through a CUPS raw queue offers.
 */
export function sendFormatFor(supported: readonly string[], format: 'pdf' | 'zpl' | undefined): DocumentFormat | 'application/octet-stream' | undefined {
  const wanted = documentFormatOf(format);
  if (supported.includes(wanted)) return wanted;
  if (format === 'zpl' && supported.includes('application/octet-stream')) return 'application/octet-stream';
  return undefined;
}

/** IPP job-state keywords (RFC 8011 §5.3.7). */
export type RemoteJobState = 'pending' | 'pending-held' | 'processing' | 'processing-stopped' | 'completed' | 'aborted' | 'canceled';

export interface RemoteJob {
  printerJobId: number;
  state: RemoteJobState;
  reasons: string[];
  message: string;
  name?: string;
}

/**
 * Why a request failed, as the transport saw it (never read back out of message text):
 * - `refused`: the connection was refused (nothing listening): the printer did not get the request;
 * - `network`: the connection broke during the exchange: the request may have reached the printer;
 * - `timeout`: no complete answer within the deadline (may have reached it);
 * - `protocol`: an answer that is not usable IPP (may have reached it);
 * - `http`: an HTTP status other than 200 (`status` holds it, e.g. "503");
 * - `busy`: IPP server-error-busy;
 * - `ipp`: any other IPP status (`status` the keyword, `statusCode` the number);
 * - `unsupported-format`: the printer does not take the document's format.
 * outcomes.ts decides what each means for a job.
 */
export type PrintErrorKind = 'refused' | 'network' | 'timeout' | 'http' | 'protocol' | 'ipp' | 'busy' | 'unsupported-format';

export class PrintError extends Error {
  constructor(
    readonly kind: PrintErrorKind,
    message: string,
    /** IPP status keyword when the printer answered (e.g. "client-error-document-format-not-supported"), or the HTTP status. */
    readonly status?: string,
    /** IPP status code when the printer answered (e.g. 0x0406). */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'PrintError';
  }
  /** Worth trying again: nothing the printer said makes the same request fail again. */
  get transient(): boolean {
    if (this.kind === 'refused' || this.kind === 'network' || this.kind === 'timeout' || this.kind === 'busy' || this.kind === 'protocol') return true;
    if (this.kind === 'http') return !(this.status ?? '').startsWith('4');
    if (this.kind === 'ipp') return ippStatusClass(this) === 'server-error';
    return false;
  }
}

/** The class of an IPP status (RFC 8011 §B.1): by its code when known, else by its keyword. */
export function ippStatusClass(e: Pick<PrintError, 'status' | 'statusCode'>): 'successful' | 'informational' | 'redirection' | 'client-error' | 'server-error' | 'unknown' {
  const code = e.statusCode;
  if (code !== undefined) {
    const high = code >> 8;
    return high === 0 ? 'successful' : high === 1 ? 'informational' : high === 2 ? 'redirection' : high === 4 ? 'client-error' : high === 5 ? 'server-error' : 'unknown';
  }
  const k = e.status ?? '';
  for (const c of ['successful', 'informational', 'redirection', 'client-error', 'server-error'] as const) if (k.startsWith(c)) return c;
  return 'unknown';
}

export interface PrintBackend {
  readonly uri: string;
  /**
   * How long after a send began the printer may still turn it into a job (a request written just
   * before the station died can sit unread at a loaded printer). A send not found on the printer
   * counts as lost only after this. 0 (or absent) when nothing can arrive late (the folder printer).
   */
  readonly lateArrivalMs?: number;
  getStatus(): Promise<PrinterStatus>;
  /** Sends the document; resolves with the printer's job id once the printer has accepted it. */
  submit(req: SubmitRequest): Promise<{ printerJobId: number }>;
  getJob(printerJobId: number): Promise<RemoteJob>;
  /** Jobs the printer knows (not-completed and completed), to match by name after a restart. */
  listJobs(): Promise<RemoteJob[]>;
  cancel(printerJobId: number): Promise<void>;
}
