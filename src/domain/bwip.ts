// bwip-js, loaded on the first barcode rather than with the program: ~5 MB of resident memory
// (issue 10's figure "RSS idle ≤ 100 MB"). At start-up the catalog's label-layout check encodes a
// sample number when the templates have label layouts (the shipped ones do), so it is loaded then;
// a station without label layouts never loads it until a test page or form draws a code. Its CommonJS
// build, so the load is synchronous where a barcode is encoded. In domain/ because the symbol's
// module pattern (barcode-symbol.ts) is domain data the catalog's fit check needs; render/barcode.ts
// draws its SVGs through the same loader.
import { createRequire } from 'node:module';
import type BwipJs from 'bwip-js';

let loaded: typeof BwipJs | undefined;

/** The bwip-js module, loaded on first use. */
export function bwip(): typeof BwipJs {
  return (loaded ??= createRequire(import.meta.url)('bwip-js') as typeof BwipJs);
}
