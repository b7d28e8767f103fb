// View model of the start page, built here so the route file only renders: the scenarios with a
// warning where a number block cannot cover a kit, the blocks that run low, the next scheduled
// print of each kind, the printers and the last few prints.
import type { AppDeps } from '../../app.js';
import { batchSummary } from '../../domain/wording.js';
import type { HomePageProps } from '../pages/home-page.js';
import { kitShortfalls } from './kit-view.js';

export function homePageProps(deps: AppDeps): HomePageProps {
  const { config, catalog, store, monitor } = deps;
  const shorts = new Map(kitShortfalls(deps).map((s) => [s.kitId, s.warnings]));
  const kits = [...catalog.kits.values()].map((k) => ({ id: k.id, name: k.name, description: k.description, short: shorts.get(k.id) ?? [] }));
  const recent = store.recentBatches(5).map((b) => ({ id: b.id, title: b.title, createdAt: b.createdAt, summary: batchSummary(store.jobsOf(b), b.notPrinted?.length ?? 0) }));
  const blocks = config.series
    .map((s) => store.ledger.status(s))
    .filter((st) => st.low || st.exhausted)
    .map((st) =>
      st.exhausted
        ? `Nummerblocket "${st.name}" är slut. Kontakta ${st.contact} för ett nytt nummerblock.`
        : `Nummerblocket "${st.name}" börjar ta slut: ${st.remaining} nummer kvar. Kontakta ${st.contact} i tid för ett nytt block.`,
    );
  return {
    unitName: config.unit.name,
    timeZone: config.timezone,
    now: deps.clock.now(),
    kits,
    printers: monitor.all(),
    recent,
    schedule: deps.admin?.scheduler.view(),
    blocks,
    itSupport: config.unit.itSupport,
  };
}
