// A roll label laid out at a thermal printer's resolution, for ZPL II: the printer draws the bars
// itself with a module width in whole dots, so the module and the bar height are rounded to dots
// first and then the label's own geometry (label-geometry.ts) places the unit line, the symbol with
// its quiet zones and the number. Arithmetic only: the catalog's start-up check (does the widest
// number fit at each ZPL printer's resolution?) and the ZPL writer (render/zpl.ts) both use it.
import type { LabelLayout } from './label-layout-schema.js';
import { barcodeModules, validateBarcode, type BarcodeModules, type Symbology } from '../domain/barcode-symbol.js';
import { LabelFitError, labelGeometry, layoutForSymbology, type LabelGeometry } from './label-geometry.js';

/** Print resolutions of thermal label printers (8, 12 and 24 dots per mm). */
export const ZPL_DPIS = [203, 300, 600] as const;
export type ZplDpi = (typeof ZPL_DPIS)[number];

/** Dots per millimetre at a resolution (203 dpi is 8 dots/mm, exactly as the printers count). */
export const dotsPerMm = (dpi: ZplDpi): number => ({ 203: 8, 300: 12, 600: 24 })[dpi];

// ---- Code 128 as the printer encodes it --------------------------------------------------------

/**
 * The ^FD data of a Code 128 field with the code set chosen by us, and the symbol's width in
 * modules: set C (>;) for an even number of digits only, else set B (>:) throughout. Choosing the
 * set makes the width known before printing (the fit check and the centring need it) instead of
 * depending on a firmware's automatic mode; no switch mid-symbol (>5, >6), because that is where
 * firmware and renderers part ways (zebrash draws "RV>509000001" at least 156 modules wide, not the 112 the
 * specification gives), while a single set comes out the same width everywhere. A "RV" number is
 * 145 modules in set B: 36 mm at 0.25 mm, well inside a 50 mm label with its quiet zones.
 */
export function code128Data(text: string): { data: string; modules: number } {
  validateBarcode({ symbology: 'code128', text, heightMm: 10 });
  const setC = /^(\d\d)+$/.test(text);
  // ">" starts an invocation code in ^BC data; a literal one is written "><".
  const data = setC ? `>;${text}` : `>:${text.replace(/>/g, '><')}`;
  const symbols = setC ? text.length / 2 : text.length;
  // Start and check symbols (11 modules each), the data, and the stop pattern (13 modules).
  return { data, modules: 11 * (symbols + 2) + 13 };
}

/** Code 39 as ^B3 draws it at a 3:1 ratio: 16 modules a character with its gap, start and stop included. */
export const code39Modules = (text: string): number => (text.length + 2) * 16 - 1;

export interface ZplSymbol {
  symbology: Symbology;
  /** What follows ^FD for the barcode field (invocation codes included). */
  data: string;
  widthModules: number;
  /** Rows of a DataMatrix (1 for linear codes). */
  heightModules: number;
}

export interface ZplLabelGeometry {
  widthDots: number;
  heightDots: number;
  moduleDots: number;
  barHeightDots: number;
  /** The layout's geometry with the module and bar height as printed (mm). */
  geo: LabelGeometry;
  symbol: ZplSymbol;
}

/** The symbol as the printer will draw it: data, width and rows in modules. */
export function zplSymbol(symbology: Symbology, text: string): ZplSymbol {
  switch (symbology) {
    case 'code128': {
      const c = code128Data(text);
      return { symbology, data: c.data, widthModules: c.modules, heightModules: 1 };
    }
    case 'code39':
      validateBarcode({ symbology, text, heightMm: 10 });
      return { symbology, data: text, widthModules: code39Modules(text), heightModules: 1 };
    case 'datamatrix': {
      // The symbol size bwip-js picks (the smallest square that holds the text) is asked for
      // explicitly (^BX columns, rows), so the printer draws exactly the size we laid out.
      const m: BarcodeModules = barcodeModules('datamatrix', text);
      return { symbology, data: text, widthModules: m.widthModules, heightModules: m.heightModules };
    }
  }
}

/**
 * Lays out one label at `dpi`: the module width rounds to whole dots (nearest, ties down, at least one) and the bar
 * height to dots, then the layout's own geometry (label-geometry.ts) places the unit line, the
 * symbol with its quiet zones and the number. Throws LabelFitError naming the resolution when the
 * rounded symbol or the text no longer fits the label.
 */
export function zplLabelGeometry(layout: LabelLayout, dpi: ZplDpi, text: string, shown = text, symbology?: Symbology, handwrite = true): ZplLabelGeometry {
  const l = layoutForSymbology(layout, symbology);
  const d = dotsPerMm(dpi);
  // The nearest whole number of dots; on a tie the smaller (0.375 mm at 300 dpi is 4.5 dots: 4 keeps
  // a 62 mm label's quiet zones, 5 would not), never less than one.
  const moduleDots = Math.max(1, Math.ceil(l.barcode.moduleMm * d - 0.5));
  const barHeightDots = Math.round(l.barcode.height * d);
  const symbol = zplSymbol(l.barcode.symbology, text);
  const atDots: LabelLayout = { ...l, barcode: { ...l.barcode, moduleMm: moduleDots / d, height: barHeightDots / d } } as LabelLayout;
  let geo: LabelGeometry;
  try {
    geo = labelGeometry(atDots, { symbology: symbol.symbology, rects: [], widthModules: symbol.widthModules, heightModules: symbol.heightModules }, shown, handwrite);
  } catch (e) {
    if (!(e instanceof LabelFitError)) throw e;
    throw new LabelFitError(`at ${dpi} dpi (a module of ${l.barcode.moduleMm} mm prints as ${moduleDots} dots = ${(moduleDots / d).toFixed(3)} mm): ${e.message}`);
  }
  return { widthDots: Math.round(layout.label.width * d), heightDots: Math.round(layout.label.height * d), moduleDots, barHeightDots, geo, symbol };
}

/** Why the widest number of a series does not fit a layout at `dpi`, or undefined when it fits. */
export function zplFitProblem(layout: LabelLayout, dpi: ZplDpi, sampleNumber: string): string | undefined {
  try {
    zplLabelGeometry(layout, dpi, sampleNumber);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
