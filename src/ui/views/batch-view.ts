// View model of a batch's progress page, built here so the route file only parses, calls and
// renders: the jobs as the API shows them, the printers, and the printers staff may move what
// waits to (the one rule in services/batch-actions.ts).
import type { AppDeps } from '../../app.js';
import { jobView } from '../../http/views.js';
import { batchMoveTargets } from '../../services/batch-actions.js';
import { ServiceError } from '../../services/errors.js';
import type { BatchPageProps } from '../pages/batch-page.js';

export function batchPageProps(deps: AppDeps, batchId: string, errors?: readonly string[]): BatchPageProps {
  const { config, store, monitor } = deps;
  const batch = store.getBatch(batchId);
  if (!batch) throw new ServiceError('not-found', 'Utskriften finns inte.');
  return {
    unitName: config.unit.name,
    timeZone: config.timezone,
    now: deps.clock.now(),
    batch,
    jobs: store.jobsOf(batch).map((j) => jobView(j, config)),
    printers: monitor.all(),
    singlePrinter: config.printers.length === 1,
    moveTargets: batchMoveTargets(deps, batch).map((p) => ({ id: p.id, name: p.name })),
    itSupport: config.unit.itSupport,
    errors,
  };
}
