// A millimetre ruler printed on test and calibration pages: a page scaled to fit (print-scaling
// "auto" or "Anpassa till sida" in a driver) shows a ruler shorter than its stated length, which
// anyone can check with a school ruler. Ticks every mm, longer every 5 and 10 mm, numbered every 10.
import type { CanvasElement, Content } from 'pdfmake/interfaces.js';
import { PT_PER_MM } from '../catalog/form-geometry.js';

const mm = (x: number): number => x * PT_PER_MM;

/** A ruler `lengthMm` long whose baseline starts at (xMm, yMm) on the page; ticks rise above it, labels sit under it. */
export function rulerContent(xMm: number, yMm: number, lengthMm: number, caption?: string): Content[] {
  const lines: CanvasElement[] = [{ type: 'line', x1: 0, y1: mm(5), x2: mm(lengthMm), y2: mm(5), lineWidth: 0.5, lineColor: '#000000' }];
  const labels: Content[] = [];
  for (let i = 0; i <= lengthMm; i++) {
    const h = i % 10 === 0 ? 5 : i % 5 === 0 ? 3.5 : 2;
    lines.push({ type: 'line', x1: mm(i), y1: mm(5 - h), x2: mm(i), y2: mm(5), lineWidth: i % 10 === 0 ? 0.5 : 0.3, lineColor: '#000000' });
    if (i % 10 === 0) labels.push({ text: String(i), fontSize: 5.5, absolutePosition: { x: mm(xMm + i) - (i >= 100 ? 4 : i >= 10 ? 2.5 : 1.2), y: mm(yMm + 0.6) } });
  }
  return [
    { canvas: lines, absolutePosition: { x: mm(xMm), y: mm(yMm - 5) } },
    ...labels,
    ...(caption ? [{ text: caption, fontSize: 6, absolutePosition: { x: mm(xMm), y: mm(yMm + 3) } }] : []),
  ];
}
