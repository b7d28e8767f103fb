// Worker thread that renders: label sheets, and the documents a press prepares after it has answered
// (forms of the day, numbered forms stamped onto their template). pdfmake lays out synchronously for
// most of a render, so on the main thread a render stalls sending the jobs already rendered; here it
// runs beside them on another core. Started through render-worker.mjs (which registers tsx) when run
// from source. This thread has its own pdfmake instance: pdf-engine loads the fonts into it and
// denies URL and local-file access before the first render, exactly as on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { StationConfig } from '../config.js';
import type { FormTemplate } from '../catalog/template-schema.js';
import { FormCache } from './form-cache.js';
import { renderLabels, type RenderLabelsInput } from './labels.js';
import type { RenderedPdf } from './pdf-engine.js';
import { renderForm } from './render-form.js';

/** What the station gives the worker once, at start: forms are then named by id. */
export interface RenderWorkerData {
  config?: StationConfig;
  forms?: FormTemplate[];
}

/** A form's context as posted: the worker has the config. */
export interface PostedContext {
  printedAt: string;
  validFor?: string;
}

export type RenderWorkerRequest =
  | { id: number; kind: 'labels'; input: RenderLabelsInput }
  | { id: number; kind: 'form'; formId: string; ctx: PostedContext }
  | { id: number; kind: 'numbered'; formId: string; ctx: PostedContext; serials: string[] };

export type RenderWorkerReply =
  | { id: number; ok: true; pdf: Uint8Array; pages: number }
  | { id: number; ok: false; message: string }
  /** Sent once, after a first small render has loaded the fonts and warmed the code paths. */
  | { ready: true };

const port = parentPort;
if (!port) throw new Error('[render-worker] must run as a worker thread');
const data = (workerData ?? {}) as RenderWorkerData;
const forms = new Map((data.forms ?? []).map((f) => [f.id, f]));
/** Stamping templates of numbered forms, kept for the day in this thread. */
const cache = new FormCache();

function contextOf(ctx: PostedContext) {
  if (!data.config) throw new Error('[render-worker] started without the station config: it renders labels only');
  return { config: data.config, printedAt: new Date(ctx.printedAt), validFor: ctx.validFor };
}

function formOf(id: string): FormTemplate {
  const f = forms.get(id);
  if (!f) throw new Error(`[render-worker] no form "${id}"`);
  return f;
}

function run(req: RenderWorkerRequest): Promise<RenderedPdf> {
  switch (req.kind) {
    case 'labels':
      return renderLabels(req.input);
    case 'form':
      // The calling thread keeps the day's copy (form-cache.ts): rendered here once, dated, no time.
      return renderForm(formOf(req.formId), { ...contextOf(req.ctx), dateOnly: true });
    case 'numbered':
      return cache.numbered(formOf(req.formId), contextOf(req.ctx), req.serials);
  }
}

// One render at a time: requests queue here rather than interleaving two large layouts in memory.
// The first item in the queue is a one-label render that warms fonts and code, then "ready".
let queue: Promise<void> = renderLabels({
  layout: {
    kind: 'roll',
    id: 'warm-up',
    name: 'warm-up',
    media: 'om_50x25mm_50x25mm',
    label: { width: 50, height: 25 },
    padding: 1.5,
    order: 0,
    barcode: { symbology: 'code128', moduleMm: 0.25, height: 12, quietZoneModules: 10 },
    text: { unitSize: 6, numberSize: 9 },
  },
  items: [{ number: 'RV0000000' }],
  config: { unit: { name: 'reservkit', address: '', phone: '', workplaceCode: '', region: '' }, routine: { name: 'reservkit', version: '0', date: '2000-01-01' }, timezone: 'UTC' },
  printedAt: new Date(0),
}).then(
  () => port.postMessage({ ready: true } satisfies RenderWorkerReply),
  () => port.postMessage({ ready: true } satisfies RenderWorkerReply),
);
port.on('message', (req: RenderWorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const r = await run(req);
      // Hand the bytes over without a copy when they own their buffer (a pooled Buffer must be copied).
      const own = r.pdf.byteOffset === 0 && r.pdf.byteLength === r.pdf.buffer.byteLength ? r.pdf : r.pdf.slice();
      port.postMessage({ id: req.id, ok: true, pdf: own, pages: r.pages } satisfies RenderWorkerReply, [own.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, message: (e as Error)?.message ?? String(e) } satisfies RenderWorkerReply);
    }
  });
});
