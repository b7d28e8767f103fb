// What a print backend is: it moves PDF bytes to one destination and reports on it. It never
// renders. Outcomes are a closed set of typed errors that the dispatcher turns into job states.

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
  pdf: Uint8Array;
  copies: number;
  media?: string;
  sides?: 'one-sided' | 'two-sided-long-edge';
  userName?: string;
}

export type RemoteJobState = 'pending' | 'held' | 'processing' | 'stopped' | 'completed' | 'aborted' | 'canceled';

export interface RemoteJob {
  printerJobId: number;
  state: RemoteJobState;
  reasons: string[];
  message: string;
  name?: string;
}

/**
 * Why a request failed. `network`, `timeout`, `busy` and 5xx `http` are transient (retry);
 * `ipp` with a client-error status and `unsupported-format` are permanent.
 */
export type PrintErrorKind = 'network' | 'timeout' | 'http' | 'protocol' | 'ipp' | 'busy' | 'unsupported-format';

export class PrintError extends Error {
  constructor(
    readonly kind: PrintErrorKind,
    message: string,
    /** IPP status keyword when the printer answered (e.g. "client-error-document-format-not-supported"). */
    readonly status?: string,
  ) {
    super(message);
    this.name = 'PrintError';
  }
  get transient(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout' || this.kind === 'busy' || this.kind === 'protocol') return true;
    if (this.kind === 'http') return !/^4/.test(this.status ?? '');
    if (this.kind === 'ipp') return (this.status ?? '').startsWith('server-error');
    return false;
  }
}

export interface PrintBackend {
  readonly uri: string;
  getStatus(): Promise<PrinterStatus>;
  /** Sends the document; resolves with the printer's job id once the printer has accepted it. */
  submit(req: SubmitRequest): Promise<{ printerJobId: number }>;
  getJob(printerJobId: number): Promise<RemoteJob>;
  /** Jobs the printer knows (not-completed and completed), to match by name after a restart. */
  listJobs(): Promise<RemoteJob[]>;
  cancel(printerJobId: number): Promise<void>;
}
