// Which other printers staff may pick on a kit or document page: those with a role the documents
// need that take PDF and, once known, the document's media (the one rule printerCanTake). The
// configured defaults (and their `fallback`) stay what prints when nobody picks.
import type { StationConfig } from '../../config.js';
import { printerCanTake } from '../../domain/label-plan.js';
import type { PrinterView } from '../../printing/printer-monitor.js';

export function printerChoices(
  config: StationConfig,
  monitor: { get(id: string): PrinterView | undefined },
  need: { roles: readonly string[]; media?: string | undefined },
  planned: readonly string[],
): PrinterView[] {
  return config.printers
    .filter((p) => !planned.includes(p.id))
    .filter((p) => {
      const info = monitor.get(p.id);
      return need.roles.some((role) => {
        const can = printerCanTake({ role, media: need.media }, p, { mediaSupported: info?.mediaSupported, acceptsPdf: info?.acceptsPdf });
        return can.role && can.media && can.pdf;
      });
    })
    .map((p) => monitor.get(p.id))
    .filter((v): v is PrinterView => v !== undefined);
}
