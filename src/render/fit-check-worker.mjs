// Bootstrap of the fit-check process from source: it is started without the parent's loader
// flags (the parent may be vitest), so register tsx here first (as render-worker.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./fit-check-worker.ts');
