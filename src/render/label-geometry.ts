// Where things sit on a label, in millimetres: the unit line, the symbol, the number. Shared by the
// renderer and by the catalog's start-up check that the station's longest number fits each layout.
// No pdfmake here (the catalog must not load the PDF engine just to check a template).
import { LINE_HEIGHT_EM, PT_MM, TEXT_GAP_MM, type LabelLayout } from '../catalog/label-layout-schema.js';
import { barcodeModules, type BarcodeModules } from './barcode-modules.js';
import type { Symbology } from './barcode.js';

/** DejaVu Sans Mono's advance width as a share of the font size (1233 of 2048 units): the number is in it. */
export const MONO_ADVANCE_EM = 1233 / 2048;

/** The word on a reprinted label (PDF and ZPL). */
export const COPY_MARK = 'KOPIA';

/** Cuts text to about `maxMm` at `sizePt` (DejaVu Sans averages under 0.62 em a character). */
export function fitText(text: string, sizePt: number, maxMm: number): string {
  const max = Math.floor(maxMm / (sizePt * 0.62 * PT_MM));
  if (text.length <= max) return text;
  return max <= 1 ? '' : text.slice(0, max - 1).trimEnd() + '…';
}

export interface LabelGeometry {
  /** Offsets from the label's top-left corner, in mm. */
  unitY: number;
  symbolX: number;
  symbolY: number;
  symbolWidth: number;
  symbolHeight: number;
  numberY: number;
  module: number;
}

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
export function labelGeometry(layout: LabelLayout, modules: BarcodeModules, numberText: string): LabelGeometry {
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
  const top = (layout.label.height - total) / 2;
  return {
    unitY: top,
    symbolX: (layout.label.width - symbolWidth) / 2,
    symbolY: top + unitH + TEXT_GAP_MM,
    symbolWidth,
    symbolHeight,
    numberY: top + unitH + TEXT_GAP_MM + symbolHeight + TEXT_GAP_MM,
    module,
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
