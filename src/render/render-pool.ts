// Renders labels in a worker thread (render-worker.ts) so the server stays responsive while a large
// request is laid out: the main thread only posts the request and receives the PDF bytes. One
// worker, started on first use (or by warmUp) and kept; if it dies, pending renders fail and the
// next one starts a fresh worker. While the worker is still starting (about a second under tsx), a
// small request is rendered on the calling thread instead of waiting for it. `inProcess` always
// renders on the calling thread (small tests, scripts).
//
// Forms are not rendered here: the forms of the day are cached and numbered forms are stamped onto a
// template (numbered.ts) in a millisecond or two, less than handing them to a thread costs (measured:
// the kit bench was slower with them in the worker, which competes for the CPU with the sending).
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { workerUrl } from './worker-url.js';
import { renderLabels, type RenderLabelsInput } from './labels.js';
import type { RenderedPdf } from './pdf-engine.js';
import type { RenderWorkerReply, RenderWorkerRequest } from './render-worker.js';

export interface LabelRenderer {
  render(input: RenderLabelsInput): Promise<RenderedPdf>;
  /** Gets ready ahead of the first render (starts the worker). */
  warmUp?(): void;
  close(): Promise<void>;
}

/** Labels rendered on the calling thread while the worker is not ready yet (about 50 ms or less). */
export const IN_PROCESS_WHILE_STARTING = 100;

/**
 * The worker's heap: a small young generation, so what each render leaves behind is collected
 * soon instead of growing the heap (issue 10's figure "RSS after 50 mixed rounds < 300 MB",
 * `npm run bench -- memory`: peak 352 MB without, see docs/testing.md). Old space is left to V8:
 * the largest request (500 referrals × 20 labels) must still render.
 */
export const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 4 };

interface Pending {
  resolve: (r: RenderedPdf) => void;
  reject: (e: Error) => void;
}

export class RenderPool implements LabelRenderer {
  private worker: Worker | null = null;
  private ready = false;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  constructor(private opts: { inProcess?: boolean; resourceLimits?: ResourceLimits } = {}) {}

  /** Starts the worker now (it takes a few hundred ms to load pdfmake and the fonts). */
  warmUp(): void {
    if (!this.opts.inProcess && !this.closed) this.ensureWorker();
  }

  render(input: RenderLabelsInput): Promise<RenderedPdf> {
    if (this.closed) return Promise.reject(new Error('[render] the renderer is closed'));
    if (this.opts.inProcess) return renderLabels(input);
    const worker = this.ensureWorker();
    if (!this.ready && input.items.length * (input.labelsPerNumber ?? 1) <= IN_PROCESS_WHILE_STARTING) return renderLabels(input);
    const id = this.nextId++;
    return new Promise<RenderedPdf>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, input } satisfies RenderWorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(workerUrl('render-worker'), { resourceLimits: this.opts.resourceLimits ?? WORKER_LIMITS });
    w.on('message', (reply: RenderWorkerReply) => {
      if ('ready' in reply) {
        if (this.worker === w) this.ready = true;
        return;
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) w.unref();
      if (reply.ok) p.resolve({ pdf: reply.pdf, pages: reply.pages });
      else p.reject(new Error(reply.message));
    });
    const fail = (e: Error) => {
      if (this.worker === w) {
        this.worker = null;
        this.ready = false;
      }
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const p of waiting) p.reject(new Error(`[render] the render worker failed: ${e.message}`));
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (this.worker === w) {
        this.worker = null;
        this.ready = false;
      }
      if (this.pending.size) fail(new Error(`exited with code ${code}`));
    });
    // An idle worker must not keep the process alive.
    w.unref();
    this.worker = w;
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    for (const p of this.pending.values()) p.reject(new Error('[render] the renderer was closed'));
    this.pending.clear();
  }
}
