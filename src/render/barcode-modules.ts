// A barcode as its module pattern (bwip-js's raw encoder), for drawing the bars as vector
// rectangles: far cheaper for pdfmake than an SVG per label, and just as crisp at 203 and 300 dpi.
// The text is validated first (barcode.ts), because bwip-js throws terse errors on bad input.
import { bwip } from './bwip.js';
import { validateBarcode, type Symbology } from './barcode.js';

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
