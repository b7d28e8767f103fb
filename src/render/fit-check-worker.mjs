// Bootstrap of the fit-check worker from source: a worker thread does not get the parent's
// TypeScript loader when the parent runs under vitest, so register tsx here first (as
// render-worker.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./fit-check-worker.ts');
