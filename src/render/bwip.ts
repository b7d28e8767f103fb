// bwip-js, loaded on the first barcode rather than at start-up: it is ~5 MB of an idle station's
// resident memory (issue 10's figure "RSS idle ≤ 100 MB", `npm run bench -- start`). Its CommonJS
// build, so the load is synchronous where a barcode is drawn.
import { createRequire } from 'node:module';
import type BwipJs from 'bwip-js';

let loaded: typeof BwipJs | undefined;

/** The bwip-js module, loaded on first use. */
export function bwip(): typeof BwipJs {
  return (loaded ??= createRequire(import.meta.url)('bwip-js') as typeof BwipJs);
}
