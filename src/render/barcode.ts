// Draws a barcode as a vector SVG sized in millimetres (bwip-js). The symbology's rules (which text
// it takes, the quiet zone, the module pattern) live in domain/barcode-symbol.ts. No human-readable
// text is drawn here: bwip-js would draw it as outlines, so callers print the number as real text
// under the bars.
import { bwip } from '../domain/bwip.js';
import { barcodeFail, MIN_QUIET_ZONE_MODULES, validateBarcode, type BarcodeOptions } from '../domain/barcode-symbol.js';

export interface BarcodeSvg {
  svg: string;
  /** Total width including both quiet zones. */
  widthMm: number;
  heightMm: number;
  /** Width of the symbol alone (bars), without quiet zones. */
  symbolWidthMm: number;
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
    barcodeFail(opts, `bwip-js refused it: ${String((e as Error)?.message ?? e)}`);
  }
  const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!m) barcodeFail(opts, 'bwip-js returned an SVG without a viewBox');
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
