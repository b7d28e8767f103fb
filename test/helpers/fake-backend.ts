// A scriptable in-memory print backend for unit tests of the dispatcher and services.
import { PrintError, type PrintBackend, type PrinterStatus, type RemoteJob, type SubmitRequest } from '../../src/printing/backend.js';

export type FakeMode = 'ok' | 'down' | 'busy-once' | 'reject' | 'hang' | 'abort';

export class FakeBackend implements PrintBackend {
  mode: FakeMode = 'ok';
  formats = ['application/pdf'];
  /** Jobs the "printer" accepted. */
  jobs: Array<RemoteJob & { copies: number; bytes: number; sides?: string }> = [];
  submits = 0;
  /** The next this many Print-Jobs are answered server-error-busy. */
  busyTimes = 0;
  /** See PrintBackend.lateArrivalMs. */
  lateArrivalMs = 0;
  /** Called with each Print-Job before it is answered (to look at the store at that moment). */
  onSubmit?: (req: SubmitRequest) => void;
  /** How many polls a job stays processing before it completes. */
  pollsToComplete = 0;
  private polls = new Map<number, number>();
  private nextId = 1;

  constructor(readonly uri = 'ipp://fake.invalid/ipp/print') {}

  private check(): void {
    if (this.mode === 'down') throw new PrintError('refused', 'connect ECONNREFUSED 127.0.0.1:9');
  }
  private hang(): Promise<never> {
    return new Promise((_, reject) => setTimeout(() => reject(new PrintError('timeout', 'no answer within 200 ms')), 200));
  }

  async getStatus(): Promise<PrinterStatus> {
    if (this.mode === 'hang') return this.hang();
    this.check();
    return { state: 'idle', reasons: [], message: '', formats: this.formats, mediaSupported: [], mediaReady: [], operations: ['Print-Job', 'Cancel-Job'], sidesSupported: ['one-sided'] };
  }

  async submit(req: SubmitRequest): Promise<{ printerJobId: number }> {
    this.submits++;
    this.onSubmit?.(req);
    if (this.mode === 'hang') return this.hang();
    this.check();
    if (this.busyTimes > 0) {
      this.busyTimes--;
      throw new PrintError('busy', 'server-error-busy', 'server-error-busy', 0x0507);
    }
    if (this.mode === 'busy-once') {
      this.mode = 'ok';
      throw new PrintError('busy', 'server-error-busy', 'server-error-busy', 0x0507);
    }
    if (this.mode === 'reject') throw new PrintError('ipp', 'bad attributes', 'client-error-attributes-or-values-not-supported', 0x040b);
    const id = this.nextId++;
    this.jobs.push({ printerJobId: id, name: req.jobName, state: 'processing', reasons: [], message: '', copies: req.copies, bytes: req.pdf.byteLength, sides: req.sides });
    return { printerJobId: id };
  }

  async getJob(printerJobId: number): Promise<RemoteJob> {
    if (this.mode === 'hang') return this.hang();
    this.check();
    const j = this.jobs.find((x) => x.printerJobId === printerJobId);
    if (!j) throw new PrintError('ipp', 'not found', 'client-error-not-found', 0x0406);
    const n = (this.polls.get(printerJobId) ?? 0) + 1;
    this.polls.set(printerJobId, n);
    if (j.state === 'processing' && n > this.pollsToComplete) {
      if (this.mode === 'abort') {
        j.state = 'aborted';
        j.message = 'Paper jam';
      } else {
        j.state = 'completed';
        j.reasons = ['job-completed-successfully'];
      }
    }
    return { printerJobId: j.printerJobId, name: j.name, state: j.state, reasons: j.reasons, message: j.message };
  }

  async listJobs(): Promise<RemoteJob[]> {
    this.check();
    return this.jobs.map((j) => ({ printerJobId: j.printerJobId, name: j.name, state: j.state, reasons: j.reasons, message: j.message }));
  }

  async cancel(printerJobId: number): Promise<void> {
    this.check();
    const j = this.jobs.find((x) => x.printerJobId === printerJobId);
    if (j) j.state = 'canceled';
  }
}
