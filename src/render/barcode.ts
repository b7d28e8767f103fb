// Thin wrapper around bwip-js: validates the text first (bwip-js throws terse errors on bad input),
// then returns a vector SVG sized in millimetres. No human-readable text is drawn here: bwip-js
// would draw it as outlines, so callers print the number as real text under the bars.

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

export interface BarcodeSvg {
  svg: string;
  /** Total width including both quiet zones. */
  widthMm: number;
  heightMm: number;
  /** Width of the symbol alone (bars), without quiet zones. */
  symbolWidthMm: number;
}

export const MIN_QUIET_ZONE_MODULES = 10;

const code39Chars = /^[0-9A-Z \-.$/+%]+$/;
// Printable ASCII only: Code 128 set B covers it; control characters and non-ASCII need FNC4 tricks
// that scanners at labs handle inconsistently, so they are refused.
const code128Chars = /^[\x20-\x7E]+$/;

function fail(opts: Pick<BarcodeOptions, 'symbology' | 'text'>, reason: string): never {
  throw new Error(`[barcode] ${opts.symbology} "${opts.text}": ${reason}`);
}

/** Throws `[barcode] …` when the text or the sizes cannot make a readable symbol. */
export function validateBarcode(opts: BarcodeOptions): void {
  const { symbology, text } = opts;
  if (text.length === 0) fail(opts, 'empty text');
  switch (symbology) {
    case 'code128':
      if (!code128Chars.test(text)) fail(opts, 'only printable ASCII characters (space to ~) can be encoded');
      if (text.length > 48) fail(opts, `too long for a label (${text.length} characters, at most 48)`);
      break;
    case 'code39':
      if (!code39Chars.test(text)) fail(opts, 'Code 39 takes only 0–9, A–Z, space and - . $ / + %');
      if (text.length > 43) fail(opts, `too long (${text.length} characters, at most 43)`);
      break;
    case 'datamatrix':
      if (/[\x00-\x08\x0B\x0C\x0E-\x1F]/.test(text)) fail(opts, 'control characters cannot be encoded');
      if (text.length > 1000) fail(opts, `too long (${text.length} characters, at most 1000)`);
      break;
    default:
      fail(opts, `unknown symbology`);
  }
  if (!(opts.heightMm > 0) || opts.heightMm > 200) fail(opts, `height ${opts.heightMm} mm is out of range (0–200 mm)`);
  if (opts.moduleMm !== undefined && !(opts.moduleMm >= 0.1 && opts.moduleMm <= 5))
    fail(opts, `module width ${opts.moduleMm} mm is out of range (0.1–5 mm)`);
  if (opts.quietZoneModules !== undefined && !(opts.quietZoneModules >= MIN_QUIET_ZONE_MODULES))
    fail(opts, `quiet zone of ${opts.quietZoneModules} modules is below the minimum of ${MIN_QUIET_ZONE_MODULES}`);
}

/**
 * Draws the barcode as an SVG. The SVG's coordinate system is one unit per module, with the quiet
 * zone included, so scaling it to `widthMm` gives exactly `moduleMm` per module.
 */
export function barcodeSvg(opts: BarcodeOptions): BarcodeSvg {
  validateBarcode(opts);
  const is2d = opts.symbology === 'datamatrix';
  const moduleMm = opts.moduleMm ?? (is2d ? 0.5 : 0.33);
  const quiet = Math.ceil(opts.quietZoneModules ?? MIN_QUIET_ZONE_MODULES);
  // At scale 1 bwip-js draws one SVG unit per module and takes `height` in mm at 72 dpi
  // (1 unit = 25.4/72 mm). Ask for the height that gives heightMm once one unit is moduleMm.
  const heightUnits = opts.heightMm / moduleMm;
  let svg: string;
  try {
    svg = bwip().toSVG({
      bcid: opts.symbology,
      text: opts.text,
      scale: 1,
      ...(is2d ? {} : { height: (heightUnits * 25.4) / 72 }),
      paddingwidth: quiet,
      paddingheight: is2d ? quiet : 0,
      includetext: false,
    });
  } catch (e) {
    fail(opts, `bwip-js refused it: ${String((e as Error)?.message ?? e)}`);
  }
  const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!m) fail(opts, 'bwip-js returned an SVG without a viewBox');
  const wUnits = Number(m[1]);
  const hUnits = Number(m[2]);
  // Linear codes: bwip rounds the height to whole units; keep the asked height exactly by letting
  // the SVG stretch vertically (bars are vertical lines, so this changes no module width).
  const out = is2d ? svg : svg.replace('<svg ', '<svg preserveAspectRatio="none" ');
  return {
    svg: out,
    widthMm: wUnits * moduleMm,
    heightMm: is2d ? hUnits * moduleMm : opts.heightMm,
    symbolWidthMm: (wUnits - 2 * quiet) * moduleMm,
  };
}
