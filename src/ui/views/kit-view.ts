// View models of the kit pages, built here so route files only parse, call and render: what a kit
// will print (copies the number blocks cover, per line), the warnings before the press, and which
// printers the kit goes to. The cover rule is the print service's own (DocumentJobs.coverPreview),
// so the confirm page promises exactly what the press does.
import type { AppDeps } from '../../app.js';
import { planDocuments, PlanError } from '../../domain/kit-plan.js';
import { coverPreview, plannableDocuments, printedLines } from '../../services/document-jobs.js';
import { ServiceError } from '../../services/errors.js';
import type { KitPageProps } from '../pages/kit-page.js';
import { printerChoices } from './printer-choice.js';

/** Short words of a kit's shortfall for its scenario button on the home page. */
export interface KitShort {
  kitId: string;
  /** One sentence per numbered document the blocks cannot fully cover (blockShortText 'before'). */
  warnings: string[];
}

/** What the confirm page shows for a kit; an unknown kit is a 404 page. */
export function kitPageProps(deps: AppDeps, kitId: string, requestId: string): KitPageProps {
  const { config, catalog, monitor } = deps;
  const kit = catalog.kits.get(kitId);
  if (!kit) throw new ServiceError('not-found', `Det finns inget reservkit som heter ”${kitId}”.`);
  const printerName = (id: string) => config.printers.find((p) => p.id === id)?.name ?? id;
  let items: KitPageProps['items'];
  let printerIds: string[] = [];
  let blocked: string | undefined;
  let warnings: string[] = [];
  try {
    const plan = planDocuments(config, kit.items, plannableDocuments(catalog));
    const preview = coverPreview(deps, plan);
    warnings = preview.warnings.map((w) => w.text);
    // What will come out: every document, and a referral's labels right after it, each with the
    // copies its block covers (a line the block cannot cover at all shows 0).
    const lines = printedLines(plan, catalog, config).map((l) => ({ ...l, printed: preview.copies.get(l.item) ?? l.copies }));
    items = lines.map((l) => ({ title: l.title, copies: l.copies, printed: l.printed, printerName: printerName(l.printerId) }));
    printerIds = [...new Set(lines.filter((l) => l.printed > 0).map((l) => l.printerId))];
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    items = kit.items.map((i) => ({ title: catalog.documents.get(i.document)?.name ?? i.document, copies: i.copies, printed: i.copies, printerName: '–' }));
    blocked = `Kitet kan inte skrivas ut: ${e.message}`;
  }
  const printers = printerIds.map((id) => monitor.get(id)).filter((p) => p !== undefined);
  const roles = [...new Set(kit.items.map((i) => catalog.documents.get(i.document)?.role).filter((r): r is string => r !== undefined))];
  const choices = printerChoices(config, monitor, { roles }, printerIds);
  return { unitName: config.unit.name, kit: { id: kit.id, name: kit.name, description: kit.description }, items, printers, choices, requestId, blocked, warnings, itSupport: config.unit.itSupport };
}

/** For the home page: each kit whose numbered documents the blocks cannot fully cover now. */
export function kitShortfalls(deps: AppDeps): KitShort[] {
  const { config, catalog } = deps;
  const out: KitShort[] = [];
  for (const kit of catalog.kits.values()) {
    try {
      const plan = planDocuments(config, kit.items, plannableDocuments(catalog));
      const { warnings } = coverPreview(deps, plan);
      if (warnings.length) out.push({ kitId: kit.id, warnings: warnings.map((w) => w.text) });
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
    }
  }
  return out;
}
