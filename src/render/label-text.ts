// The text on a label that both renderers (labels.ts for PDF, zpl.ts for thermal printers) draw
// the same way: the copy mark, how a heading is cut to its width, and which labels get handwriting
// lines. Where things sit is catalog/label-geometry.ts.
import { PT_MM } from '../catalog/label-layout-schema.js';

/** The word on a reprinted label (PDF and ZPL). */
export const COPY_MARK = 'KOPIA';

/** Cuts text to about `maxMm` at `sizePt` (DejaVu Sans averages under 0.62 em a character). */
export function fitText(text: string, sizePt: number, maxMm: number): string {
  const max = Math.floor(maxMm / (sizePt * 0.62 * PT_MM));
  if (text.length <= max) return text;
  return max <= 1 ? '' : text.slice(0, max - 1).trimEnd() + '…';
}

/**
 * Whether a label gets handwriting lines: referral-number labels do, patient-ID labels (they carry
 * the identity printed) do not. The one place that decides it, for the PDF and the ZPL labels.
 */
export const wantsHandwriteLines = (item: { text?: string }): boolean => item.text === undefined;
