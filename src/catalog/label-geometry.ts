// Where things sit on a label, in millimetres: the unit line, the symbol, the number, the handwriting
// lines, and whether the station's widest number fits a layout at all. Arithmetic on the layout's
// data (no pdfmake, no drawing): the catalog's start-up check and the PDF and ZPL renderers all lay
// a label out here, so the check and the print cannot disagree.
import { HANDWRITE_CAPTION_PT, HANDWRITE_CAPTIONS, HANDWRITE_MIN_LINE_MM, HANDWRITE_ROW_MM, LINE_HEIGHT_EM, PT_MM, TEXT_GAP_MM, type LabelLayout } from './label-layout-schema.js';
import { barcodeModules, type BarcodeModules, type Symbology } from '../domain/barcode-symbol.js';

/** DejaVu Sans Mono's advance width as a share of the font size (1233 of 2048 units): the number is in it. */
export const MONO_ADVANCE_EM = 1233 / 2048;

export interface LabelGeometry {
  /** Offsets from the label's top-left corner, in mm. */
  unitY: number;
  symbolX: number;
  symbolY: number;
  symbolWidth: number;
  symbolHeight: number;
  numberY: number;
  module: number;
  /** The handwriting lines, when the layout wants them and the label has room (else empty). */
  handwrite: HandwriteLine[];
}

/** One captioned line for a patient identifier written by hand, in mm from the label's top-left corner. */
export interface HandwriteLine {
  caption: string;
  /** The caption's top (it sits left of the line, its baseline near the line). */
  captionX: number;
  captionY: number;
  /** The line itself, horizontal. */
  x1: number;
  x2: number;
  y: number;
}

/** Width of a handwriting caption column: the longest caption at its size, plus a gap. */
const captionColumnMm = (): number => Math.max(...HANDWRITE_CAPTIONS.map((c) => c.length)) * 0.62 * HANDWRITE_CAPTION_PT * PT_MM + 1;

export class LabelFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelFitError';
  }
}

/**
 * Lays out one label for a symbol. The block (unit line, symbol, number) is centred vertically, the
 * symbol horizontally; the quiet zones may reach into the label's padding (it is blank) but not past
 * its edge. Throws LabelFitError, saying by how much, when the symbol or the number does not fit.
 */
export function labelGeometry(layout: LabelLayout, modules: BarcodeModules, numberText: string, handwrite = true): LabelGeometry {
  const b = layout.barcode;
  const module = b.moduleMm;
  const matrix = modules.heightModules > 1;
  const symbolWidth = modules.widthModules * module;
  const symbolHeight = matrix ? modules.heightModules * module : b.height;
  const withQuiet = symbolWidth + 2 * b.quietZoneModules * module;
  if (withQuiet > layout.label.width + 1e-6)
    throw new LabelFitError(
      `"${numberText}" in ${b.symbology} at ${module} mm per module is ${withQuiet.toFixed(1)} mm wide with its quiet zones; the label is ${layout.label.width} mm wide (use a smaller barcode.moduleMm or a wider label)`,
    );
  const numberWidth = numberText.length * MONO_ADVANCE_EM * layout.text.numberSize * PT_MM;
  if (numberWidth > layout.label.width - 2 * layout.padding + 1e-6)
    throw new LabelFitError(`the number "${numberText}" at ${layout.text.numberSize} pt is ${numberWidth.toFixed(1)} mm wide; the label has ${(layout.label.width - 2 * layout.padding).toFixed(1)} mm (use a smaller text.numberSize)`);
  const unitH = layout.text.unitSize * LINE_HEIGHT_EM * PT_MM;
  const numberH = layout.text.numberSize * LINE_HEIGHT_EM * PT_MM;
  const total = unitH + TEXT_GAP_MM + symbolHeight + TEXT_GAP_MM + numberH;
  const room = layout.label.height - 2 * layout.padding;
  if (total > room + 1e-6)
    throw new LabelFitError(`the symbol (${symbolHeight.toFixed(1)} mm) and the text need ${total.toFixed(1)} mm; the label has ${room.toFixed(1)} mm inside its padding`);
  // Handwriting lines under the number, only where both rows fit in the height and the lines are
  // long enough to write a personnummer on; otherwise the label is as it was without them.
  const linesH = TEXT_GAP_MM + HANDWRITE_CAPTIONS.length * HANDWRITE_ROW_MM;
  const lineX1 = layout.padding + captionColumnMm();
  const lineX2 = layout.label.width - layout.padding;
  const withLines = handwrite && layout.handwriteLines && total + linesH <= room + 1e-6 && lineX2 - lineX1 >= HANDWRITE_MIN_LINE_MM;
  const top = (layout.label.height - total - (withLines ? linesH : 0)) / 2;
  const numberY = top + unitH + TEXT_GAP_MM + symbolHeight + TEXT_GAP_MM;
  const captionH = HANDWRITE_CAPTION_PT * LINE_HEIGHT_EM * PT_MM;
  const lines: HandwriteLine[] = withLines
    ? HANDWRITE_CAPTIONS.map((caption, i) => {
        const y = numberY + numberH + TEXT_GAP_MM + (i + 1) * HANDWRITE_ROW_MM;
        return { caption, captionX: layout.padding, captionY: y - captionH * 0.85, x1: lineX1, x2: lineX2, y };
      })
    : [];
  return {
    unitY: top,
    symbolX: (layout.label.width - symbolWidth) / 2,
    symbolY: top + unitH + TEXT_GAP_MM,
    symbolWidth,
    symbolHeight,
    numberY,
    module,
    handwrite: lines,
  };
}

/**
 * The layout as it draws a symbology other than its own (patient-ID labels are Code 128 on any
 * layout): a matrix layout's module and bar height do not suit a linear code, so those fall back to
 * the linear defaults (0.33 mm modules) and the layout's bar height.
 */
export function layoutForSymbology(layout: LabelLayout, symbology: Symbology | undefined): LabelLayout {
  if (!symbology || symbology === layout.barcode.symbology) return layout;
  const moduleMm = layout.barcode.symbology === 'datamatrix' || symbology === 'datamatrix' ? (symbology === 'datamatrix' ? 0.4 : 0.33) : layout.barcode.moduleMm;
  return { ...layout, barcode: { ...layout.barcode, symbology, moduleMm } } as LabelLayout;
}

/** Why the widest number a series can print does not fit a layout, or undefined when it fits. */
export function labelFitProblem(layout: LabelLayout, sampleNumber: string): string | undefined {
  try {
    labelGeometry(layout, barcodeModules(layout.barcode.symbology, sampleNumber), sampleNumber);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
