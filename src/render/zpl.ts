// Writes labels as ZPL II for thermal label printers (Zebra and compatible): a layout + numbers in,
// bytes out, nothing else. The printer draws the bars itself (^BC Code 128, ^B3 Code 39, ^BX
// DataMatrix) with a module width in whole dots, so the label is laid out at the printer's
// resolution: the same geometry as the PDF labels (label-geometry.ts: unit line, symbol, number,
// quiet zones, bar height), with the module and the bar height rounded to dots first. Text is UTF-8
// (^CI28) so å, ä, ö print; the labels of one number are one format printed K times (^PQ).
import { HANDWRITE_CAPTION_PT, PT_MM, type LabelLayout } from '../catalog/label-layout-schema.js';
import { barcodeModules, type BarcodeModules } from './barcode-modules.js';
import { validateBarcode, type Symbology } from './barcode.js';
import { COPY_MARK, fitText, LabelFitError, labelGeometry, layoutForSymbology, wantsHandwriteLines, type LabelGeometry } from './label-geometry.js';
import type { LabelItem, RenderLabelsInput } from './labels.js';

/** Print resolutions of thermal label printers (8, 12 and 24 dots per mm). */
export const ZPL_DPIS = [203, 300, 600] as const;
export type ZplDpi = (typeof ZPL_DPIS)[number];

export interface RenderedZpl {
  zpl: Uint8Array;
  /** Labels that come out of the printer (formats × ^PQ). */
  labels: number;
}

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

// ---- text ----------------------------------------------------------------------------------------

/**
 * Field data for ^FD after ^FH: ^ and ~ would start a command and _ is the escape character, so
 * those three are written as hex escapes; everything else goes as UTF-8 (^CI28).
 */
export function zplFieldText(text: string): string {
  return text.replace(/[\^~_]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/[\r\n]+/g, ' ');
}

// ---- geometry at the printer's resolution --------------------------------------------------------

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
