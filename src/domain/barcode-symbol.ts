// A barcode symbol as data: which text each symbology takes, the quiet zone, and the module pattern
// (bwip-js's raw encoder, pure computation: no drawing). The label fit rules (catalog/) need a
// symbol's width in modules, and the renderers draw the pattern as vector rectangles (far cheaper
// for pdfmake than an SVG per label, and just as crisp at 203 and 300 dpi), so it lives here, below
// both. The text is validated first, because bwip-js throws terse errors on bad input.
import { bwip } from './bwip.js';

export type Symbology = 'code128' | 'code39' | 'datamatrix';

export interface BarcodeOptions {
  symbology: Symbology;
  text: string;
  /** Bar height for linear codes. Ignored for DataMatrix, whose height follows from its modules. */
  heightMm: number;
  /** Width of the narrowest bar (module). Default 0.33 mm for linear codes, 0.5 mm for DataMatrix. */
  moduleMm?: number;
  /** Quiet zone on each side, in modules. At least 10 (lab practice); default 10. */
  quietZoneModules?: number;
}

export const MIN_QUIET_ZONE_MODULES = 10;

const code39Chars = /^[0-9A-Z \-.$/+%]+$/;
// Printable ASCII only: Code 128 set B covers it; control characters and non-ASCII need FNC4 tricks
// that scanners at labs handle inconsistently, so they are refused.
const code128Chars = /^[\x20-\x7E]+$/;

/** Throws `[barcode] <symbology> "<text>": <reason>`: the one wording of a refused barcode. */
export function barcodeFail(opts: Pick<BarcodeOptions, 'symbology' | 'text'>, reason: string): never {
  throw new Error(`[barcode] ${opts.symbology} "${opts.text}": ${reason}`);
}

/** Throws `[barcode] …` when the text or the sizes cannot make a readable symbol. */
export function validateBarcode(opts: BarcodeOptions): void {
  const { symbology, text } = opts;
  if (text.length === 0) barcodeFail(opts, 'empty text');
  switch (symbology) {
    case 'code128':
      if (!code128Chars.test(text)) barcodeFail(opts, 'only printable ASCII characters (space to ~) can be encoded');
      if (text.length > 48) barcodeFail(opts, `too long for a label (${text.length} characters, at most 48)`);
      break;
    case 'code39':
      if (!code39Chars.test(text)) barcodeFail(opts, 'Code 39 takes only 0–9, A–Z, space and - . $ / + %');
      if (text.length > 43) barcodeFail(opts, `too long (${text.length} characters, at most 43)`);
      break;
    case 'datamatrix':
      if (/[\x00-\x08\x0B\x0C\x0E-\x1F]/.test(text)) barcodeFail(opts, 'control characters cannot be encoded');
      if (text.length > 1000) barcodeFail(opts, `too long (${text.length} characters, at most 1000)`);
      break;
    default:
      barcodeFail(opts, `unknown symbology`);
  }
  if (!(opts.heightMm > 0) || opts.heightMm > 200) barcodeFail(opts, `height ${opts.heightMm} mm is out of range (0–200 mm)`);
  if (opts.moduleMm !== undefined && !(opts.moduleMm >= 0.1 && opts.moduleMm <= 5))
    barcodeFail(opts, `module width ${opts.moduleMm} mm is out of range (0.1–5 mm)`);
  if (opts.quietZoneModules !== undefined && !(opts.quietZoneModules >= MIN_QUIET_ZONE_MODULES))
    barcodeFail(opts, `quiet zone of ${opts.quietZoneModules} modules is below the minimum of ${MIN_QUIET_ZONE_MODULES}`);
}


export interface BarcodeModules {
  symbology: Symbology;
  /** Dark rectangles [x, y, w, h] in modules, from the symbol's top-left corner (quiet zones excluded). */
  rects: Array<[number, number, number, number]>;
  /** The symbol's width in modules, without quiet zones. */
  widthModules: number;
  /** Rows of modules: 1 for a linear code (its bars are stretched to the bar height). */
  heightModules: number;
}

type RawLinear = { sbs: number[] };
type RawMatrix = { pixs: number[]; pixx: number; pixy: number };

/** Encodes `text`; throws `[barcode] …` when it cannot be encoded in that symbology. */
export function barcodeModules(symbology: Symbology, text: string): BarcodeModules {
  validateBarcode({ symbology, text, heightMm: 10 });
  let raw: Array<RawLinear | RawMatrix>;
  try {
    raw = bwip().raw(symbology, text, {}) as Array<RawLinear | RawMatrix>;
  } catch (e) {
    throw new Error(`[barcode] ${symbology} "${text}": bwip-js refused it: ${String((e as Error)?.message ?? e)}`);
  }
  const sym = raw[0];
  if (!sym) throw new Error(`[barcode] ${symbology} "${text}": bwip-js returned no symbol`);
  const rects: BarcodeModules['rects'] = [];
  if ('sbs' in sym) {
    // Alternating bar, space, bar … widths in modules, starting with a bar.
    let x = 0;
    sym.sbs.forEach((w, i) => {
      if (i % 2 === 0 && w > 0) rects.push([x, 0, w, 1]);
      x += w;
    });
    return { symbology, rects, widthModules: x, heightModules: 1 };
  }
  // A matrix: one rectangle per run of dark cells in a row.
  const { pixs, pixx, pixy } = sym;
  for (let y = 0; y < pixy; y++) {
    let run = -1;
    for (let x = 0; x <= pixx; x++) {
      const dark = x < pixx && pixs[y * pixx + x] === 1;
      if (dark && run < 0) run = x;
      else if (!dark && run >= 0) {
        rects.push([run, y, x - run, 1]);
        run = -1;
      }
    }
  }
  return { symbology, rects, widthModules: pixx, heightModules: pixy };
}
