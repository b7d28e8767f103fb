// Worker thread that renders labels, so a 1000-label request never stalls the server's event loop
// (pdfmake lays out a new label template synchronously). Started through render-worker.mjs, which
// registers tsx first, when run from source. This thread has its own pdfmake instance: pdf-engine
// loads the fonts into it and denies URL and local-file access before the first render, exactly as
// on the main thread.
import { parentPort } from 'node:worker_threads';
import { renderLabels, type RenderLabelsInput } from './labels.js';

export interface RenderWorkerRequest {
  id: number;
  input: RenderLabelsInput;
}

export type RenderWorkerReply =
  | { id: number; ok: true; pdf: Uint8Array; pages: number }
  | { id: number; ok: false; message: string }
  /** Sent once, after a first small render has loaded the fonts and warmed the code paths. */
  | { ready: true };

const port = parentPort;
if (!port) throw new Error('[render-worker] must run as a worker thread');
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
    handwriteLines: true,
    barcode: { symbology: 'code128', moduleMm: 0.25, height: 12, quietZoneModules: 10 },
    text: { unitSize: 6, numberSize: 9 },
  },
  items: [{ number: 'RV0000000' }],
  config: { unit: { name: 'reservkit', address: '', phone: '', workplaceCode: '', region: '', organisationNumber: '' }, routine: { name: 'reservkit', version: '0', date: '2000-01-01' }, timezone: 'UTC' },
  printedAt: new Date(0),
}).then(
  () => port.postMessage({ ready: true } satisfies RenderWorkerReply),
  () => port.postMessage({ ready: true } satisfies RenderWorkerReply),
);
port.on('message', (req: RenderWorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const r = await renderLabels(req.input);
      // Copy the bytes into a plain array of their own and hand that over. A Buffer's memory may be
      // marked untransferable (Node 24 refuses to transfer it: "Cannot transfer object of
      // unsupported type"); the copy of a few hundred kB costs far less than the render.
      const own = new Uint8Array(r.pdf.byteLength);
      own.set(r.pdf);
      port.postMessage({ id: req.id, ok: true, pdf: own, pages: r.pages } satisfies RenderWorkerReply, [own.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, message: (e as Error)?.message ?? String(e) } satisfies RenderWorkerReply);
    }
  });
});
