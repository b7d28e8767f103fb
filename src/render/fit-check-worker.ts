// Worker thread for the start-up fit check (fit-check.ts): renders every form once and exits, so
// the PDF engine and the garbage of a dozen renders leave with it and the main thread never loads
// pdfmake before the first print (issue 10's figure "RSS idle ≤ 100 MB", `npm run bench -- memory`:
// 147 MB after a first start that rendered on the main thread). Started through
// fit-check-worker.mjs, which registers tsx first, when run from source.
import { parentPort, workerData } from 'node:worker_threads';
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { renderFitProblems } from './fit-check.js';

export interface FitCheckWorkerData {
  catalog: Catalog;
  config: StationConfig;
  printedAt: string;
}

const port = parentPort;
if (!port) throw new Error('[fit-check-worker] must run as a worker thread');
const data = workerData as FitCheckWorkerData;
port.postMessage(await renderFitProblems(data.catalog, data.config, new Date(data.printedAt)));
