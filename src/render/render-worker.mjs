// Bootstrap of the render worker: a worker thread does not get the parent's TypeScript loader when
// the parent runs under vitest, so register tsx here, then load the worker written in TypeScript.
// (Under `node --import tsx` the worker inherits the loader too; registering again is harmless.)
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
