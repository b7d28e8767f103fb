// Child process for the start-up fit check (fit-check.ts): renders every form once and exits, so
// the PDF engine and the garbage of a dozen renders leave with the process and the station never
// loads pdfmake before the first print (issue 10's figure "RSS idle ≤ 100 MB", `npm run bench --
// store`). Started through fit-check-worker.mjs, which registers tsx first, when run from source.
import { renderFitProblems, type FitCheckRequest } from './fit-check.js';

if (!process.send) throw new Error('[fit-check-worker] must run as a child process with an IPC channel');
process.once('message', (msg: FitCheckRequest) => {
  void renderFitProblems(msg.catalog, msg.config, new Date(msg.printedAt)).then(
    (problems) => process.send!(problems, () => process.disconnect()),
    (e: unknown) => {
      console.error(`[fit-check-worker] ${(e as Error).stack ?? String(e)}`);
      process.exit(1);
    },
  );
});
