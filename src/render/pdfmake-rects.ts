// A canvas element pdfmake lacks: many filled rectangles as one path with one fill ("rects").
// Barcode bars are tens of thousands of rectangles per label request. As pdfmake "rect" vectors each
// one takes a pass through pdfmake's layout and eight PDF operators (line width, dash, join, cap,
// colour, opacity, rect, fill), which made 1000 labels 2.5–4× slower than bare pdfkit; as one
// "rects" element per page they cost what pdfkit's own `rect` costs. pdf-engine (the module that
// owns pdfmake) installs this once per thread; every other vector type is left to pdfmake. It also
// teaches pdfmake "marks": rectangles that report where they were placed instead of being drawn.
import { createRequire } from 'node:module';
import type { CanvasElement } from 'pdfmake/interfaces.js';

/** [x, y, width, height] in points, from the canvas origin. */
export type Rect = readonly [number, number, number, number];

interface RectsVector {
  type: 'rects';
  rects: readonly Rect[];
  color: string;
  /** Offsets pdfmake applies when it places the canvas (kept here instead of moving every rect). */
  dx?: number;
  dy?: number;
}

/**
 * A canvas element that fills all `rects` in one go. It takes no room in the flow (pdfmake cannot
 * measure it), so put it in a canvas with an absolutePosition.
 */
export function rectsElement(rects: readonly Rect[], color = 'black'): CanvasElement {
  return { type: 'rects', rects, color } satisfies RectsVector as unknown as CanvasElement;
}

/** Where a marked rectangle landed: page (0-based) and its top-left corner in points. */
export type MarkSink = (page: number, x: number, y: number) => void;

/**
 * An invisible rectangle that takes its room in the layout like any other and, instead of being
 * drawn, reports where pdfmake placed it. (pdfmake's own node positions are those of the outermost
 * container for anything inside columns or tables, so they cannot tell where a nested node went.)
 */
export function markRect(w: number, h: number, sink: MarkSink): CanvasElement {
  return { type: 'rect', x: 0, y: 0, w, h, rkMark: sink } as CanvasElement;
}

interface PdfKitLike {
  rect(x: number, y: number, w: number, h: number): PdfKitLike;
  bufferedPageRange(): { start: number; count: number };
  fillColor(color: unknown, opacity?: number): PdfKitLike;
  fill(): PdfKitLike;
  resolveColor(color: unknown, fallback: string): unknown;
}
type VectorFn = (this: { pdfDocument: PdfKitLike }, vector: { type: string }) => void;
type OffsetFn = (vector: { type: string }, x: number, y: number) => void;

let installed = false;

/** Teaches this thread's pdfmake the "rects" element. Idempotent; throws if pdfmake's internals moved. */
export function installRectsElement(): void {
  if (installed) return;
  // The same module instances pdfmake itself loaded (CommonJS cache), not copies.
  const require = createRequire(import.meta.url);
  const rendererModule = require('pdfmake/js/Renderer.js') as { default?: { prototype: { renderVector?: VectorFn } } };
  const tools = require('pdfmake/js/helpers/tools.js') as { offsetVector?: OffsetFn };
  const proto = rendererModule.default?.prototype;
  const renderVector = proto?.renderVector;
  const offsetVector = tools.offsetVector;
  if (!proto || typeof renderVector !== 'function' || typeof offsetVector !== 'function')
    throw new Error('[pdf-engine] pdfmake internals changed (Renderer.renderVector, helpers/tools.offsetVector): the "rects" canvas element needs updating');
  proto.renderVector = function (vector) {
    const mark = (vector as { rkMark?: MarkSink }).rkMark;
    if (typeof mark === 'function') {
      const v = vector as unknown as { x: number; y: number };
      const pages = this.pdfDocument.bufferedPageRange();
      mark(pages.start + pages.count - 1, v.x, v.y);
      return;
    }
    if (vector.type !== 'rects') return renderVector.call(this, vector);
    const v = vector as RectsVector;
    const doc = this.pdfDocument;
    const dx = v.dx ?? 0;
    const dy = v.dy ?? 0;
    for (const [x, y, w, h] of v.rects) doc.rect(x + dx, y + dy, w, h);
    doc.fillColor(doc.resolveColor(v.color, 'black'), 1);
    doc.fill();
  };
  tools.offsetVector = function (vector, x, y) {
    if (vector.type !== 'rects') return offsetVector(vector, x, y);
    const v = vector as RectsVector;
    v.dx = (v.dx ?? 0) + x;
    v.dy = (v.dy ?? 0) + y;
  };
  installed = true;
}
