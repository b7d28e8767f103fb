// Writes labels as ZPL II for thermal label printers (Zebra and compatible): a layout + numbers in,
// bytes out, nothing else. The printer draws the bars itself (^BC Code 128, ^B3 Code 39, ^BX
// DataMatrix) with a module width in whole dots, so the label is laid out at the printer's
// resolution (catalog/zpl-geometry.ts: the PDF labels' geometry with the module and the bar height
// rounded to dots first, the same rule the catalog's start-up check uses). Text is UTF-8 (^CI28) so
// å, ä, ö print; the labels of one number are one format printed K times (^PQ).
import { HANDWRITE_CAPTION_PT, PT_MM, type LabelLayout } from '../catalog/label-layout-schema.js';
import { dotsPerMm, ZPL_DPIS, zplLabelGeometry, type ZplDpi, type ZplLabelGeometry } from '../catalog/zpl-geometry.js';
import { COPY_MARK, fitText, wantsHandwriteLines } from './label-text.js';
import type { LabelItem, RenderLabelsInput } from './labels.js';

export interface RenderedZpl {
  zpl: Uint8Array;
  /** Labels that come out of the printer (formats × ^PQ). */
  labels: number;
}

// ---- text ----------------------------------------------------------------------------------------

/**
 * Field data for ^FD after ^FH: ^ and ~ would start a command and _ is the escape character, so
 * those three are written as hex escapes; everything else goes as UTF-8 (^CI28).
 */
export function zplFieldText(text: string): string {
  return text.replace(/[\^~_]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/[\r\n]+/g, ' ');
}

// ---- the writer ------------------------------------------------------------------------------------

/** One label format (^XA … ^XZ) printed `quantity` times. */
function labelFormat(layout: LabelLayout, dpi: ZplDpi, item: LabelItem, quantity: number, unitName: string): string {
  const d = dotsPerMm(dpi);
  const dots = (mm: number) => Math.round(mm * d);
  const shown = item.text ?? item.number;
  let g: ZplLabelGeometry;
  try {
    g = zplLabelGeometry(layout, dpi, item.number, shown, item.symbology, wantsHandwriteLines(item));
  } catch (e) {
    throw new Error(`[zpl] layout "${layout.id}": ${(e as Error).message}`);
  }
  const { geo, symbol } = g;
  const unitSize = layout.text.unitSize;
  const numberSize = layout.text.numberSize;
  // Font 0 (the printer's scalable font) at the PDF's point sizes, in dots.
  const unitDots = Math.round((unitSize * dpi) / 72);
  const numberDots = Math.round((numberSize * dpi) / 72);
  const pad = dots(layout.padding);
  const inner = g.widthDots - 2 * pad;
  const copyW = COPY_MARK.length * 0.62 * unitSize * PT_MM + 1.2;
  const headingRoom = layout.label.width - 2 * layout.padding - (item.copy ? copyW + 1 : 0);
  const heading = fitText(item.heading ?? unitName, unitSize, headingRoom);
  const lines = ['^XA', '^CI28', `^PW${g.widthDots}`, `^LL${g.heightDots}`, '^LH0,0'];
  if (heading) lines.push(`^FO${pad},${dots(geo.unitY)}^A0N,${unitDots}^FB${dots(headingRoom)},1,0,L^FH^FD${zplFieldText(heading)}^FS`);
  if (item.copy) {
    // A framed "KOPIA" at the right end of the first line, as on the PDF labels.
    const cx = g.widthDots - pad - dots(copyW);
    const boxH = dots(unitSize * 1.164 * PT_MM + 0.4);
    lines.push(`^FO${cx},${Math.max(0, dots(geo.unitY - 0.3))}^GB${dots(copyW)},${boxH},2^FS`);
    lines.push(`^FO${cx},${dots(geo.unitY)}^A0N,${unitDots}^FB${dots(copyW)},1,0,C^FD${COPY_MARK}^FS`);
  }
  const symbolW = symbol.widthModules * g.moduleDots;
  const sx = Math.round((g.widthDots - symbolW) / 2);
  const sy = dots(geo.symbolY);
  switch (symbol.symbology) {
    case 'code128':
      lines.push(`^FO${sx},${sy}^BY${g.moduleDots}^BCN,${g.barHeightDots},N,N,N,N^FD${symbol.data}^FS`);
      break;
    case 'code39':
      lines.push(`^FO${sx},${sy}^BY${g.moduleDots},3^B3N,N,${g.barHeightDots},N,N^FD${symbol.data}^FS`);
      break;
    case 'datamatrix':
      lines.push(`^FO${sx},${sy}^BXN,${g.moduleDots},200,${symbol.widthModules},${symbol.heightModules}^FH^FD${zplFieldText(symbol.data)}^FS`);
      break;
  }
  lines.push(`^FO${pad},${dots(geo.numberY)}^A0N,${numberDots}^FB${inner},1,0,C^FH^FD${zplFieldText(shown)}^FS`);
  // Lines for the patient's name and personnummer, written by hand: thin ^GB rules with small captions.
  const rule = Math.max(1, dots(0.2));
  const captionDots = Math.round((HANDWRITE_CAPTION_PT * dpi) / 72);
  for (const l of geo.handwrite) {
    lines.push(`^FO${dots(l.captionX)},${dots(l.captionY)}^A0N,${captionDots}^FD${zplFieldText(l.caption)}^FS`);
    lines.push(`^FO${dots(l.x1)},${dots(l.y) - rule}^GB${dots(l.x2) - dots(l.x1)},${rule},${rule}^FS`);
  }
  lines.push(`^PQ${quantity}`, '^XZ');
  return lines.join('\n') + '\n';
}

/**
 * Writes the labels of a request for a roll printer that speaks ZPL: one format per number, printed
 * `labelsPerNumber` times (^PQ), in order. A sheet layout has no meaning on a thermal roll and is
 * refused; so is a start position (a roll has none).
 */
export function renderZpl(input: RenderLabelsInput, dpi: ZplDpi): RenderedZpl {
  const { layout, items } = input;
  const k = input.labelsPerNumber ?? 1;
  if (layout.kind !== 'roll') throw new Error(`[zpl] layout "${layout.id}" is a sheet layout; a ZPL printer takes roll layouts only`);
  if (items.length === 0) throw new Error('[zpl] no numbers to print');
  if (!Number.isInteger(k) || k < 1 || k > 9999) throw new Error(`[zpl] labelsPerNumber must be a whole number from 1 to 9999 (got ${k})`);
  if ((input.startPosition ?? 1) !== 1) throw new Error('[zpl] a label roll has no start position');
  if (!ZPL_DPIS.includes(dpi)) throw new Error(`[zpl] unsupported resolution ${dpi} dpi (203, 300 or 600)`);
  const text = items.map((item) => labelFormat(layout, dpi, item, k, input.config.unit.name)).join('');
  return { zpl: new TextEncoder().encode(text), labels: items.length * k };
}
