// The start page on the touchscreen, laid out for 800×480 first: alerts as one-line summaries that
// open on a tap, the four scenario buttons (always above the fold), the printers with what to do
// about a problem, the next scheduled print of each kind, then shortcuts and the last few prints.
// No reloading: static/app.js polls the printers' state, so initials being typed are never lost.
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import { Layout } from '../layout.js';
import { batchStateWords, formatWhen, type BatchSummary } from '../../domain/wording.js';
import { Chip, PrinterStrip } from './parts.js';
import type { ScheduleView } from '../../schedule/scheduler.js';
import { NextRuns, ScheduleAlerts } from './schedule-parts.js';

export interface HomeKit {
  id: string;
  name: string;
  description: string;
  /** What the number blocks cannot cover of this kit now (blockShortText 'before'). */
  short?: readonly string[];
}

export interface RecentPrint {
  id: string;
  title: string;
  createdAt: string;
  summary: BatchSummary;
}

export interface HomePageProps {
  unitName: string;
  timeZone: string;
  kits: readonly HomeKit[];
  printers: readonly PrinterView[];
  recent: readonly RecentPrint[];
  /** Scheduled runs: a failed or missed one is an alert at the top until acknowledged. */
  schedule?: ScheduleView | undefined;
  /** Number blocks that run low or are used up (one sentence each). */
  blocks?: readonly string[];
  itSupport?: string | undefined;
  now?: Date;
}

export const HomePage: FC<HomePageProps> = (p) => {
  const shortKits = p.kits.filter((k) => k.short?.length);
  const blockNotes = [...(p.blocks ?? []), ...shortKits.flatMap((k) => (k.short ?? []).map((w) => `${k.name}: ${w}`))];
  return (
    <Layout title="Start" unitName={p.unitName} current="home">
      {p.schedule ? <ScheduleAlerts schedule={p.schedule} /> : null}
      {blockNotes.length ? (
        <details class="notice tone-warn compact-alert">
          <summary>{shortKits.length ? `Nummer räcker inte till allt i ${shortKits.map((k) => k.name).join(', ')}` : 'Nummerblock börjar ta slut'}</summary>
          {blockNotes.map((n) => (
            <p>{n}</p>
          ))}
        </details>
      ) : null}
      <h1 class="lead">Journalsystemet nere? Välj situation – hela reservkitet skrivs ut.</h1>
      {p.kits.length ? (
        <ul class="scenarios">
          {p.kits.map((k) => (
            <li>
              <a class={k.short?.length ? 'scenario scenario-short' : 'scenario'} href={`/kits/${encodeURIComponent(k.id)}`}>
                <span class="scenario-name">{k.name}</span>
                {k.short?.length ? <span class="scenario-warn">Nummer räcker inte till allt</span> : k.description ? <span class="scenario-desc">{k.description}</span> : null}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="notice tone-bad">Inga reservkit är inlagda på den här stationen. Kontakta enhetens administratör.</p>
      )}
      <PrinterStrip printers={p.printers} itSupport={p.itSupport} compact />
      {p.schedule ? <NextRuns schedule={p.schedule} /> : null}
      <p class="actions">
        <a class="button secondary" href="/dokument">
          Enskilda dokument
        </a>
        <a class="button secondary" href="/etiketter">
          Remissetiketter med streckkod
        </a>
        <a class="button secondary" href="/etiketter/nummer">
          Utfärdade nummer
        </a>
      </p>
      <section class="recent" aria-labelledby="recent-h">
        <h2 id="recent-h">Senaste utskrifter</h2>
        {p.recent.length ? (
          <ul>
            {p.recent.map((b) => (
              <li>
                <a href={`/batches/${encodeURIComponent(b.id)}`}>
                  <span class="recent-title">{b.title}</span>
                  <span class="recent-when">{formatWhen(b.createdAt, p.timeZone, p.now)}</span>
                  <Chip tone={b.summary.tone} text={batchStateWords[b.summary.state]} />
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">Inget utskrivet än.</p>
        )}
        <p>
          <a class="button secondary" href="/history">
            Alla senaste dokument och hur det gick
          </a>
        </p>
      </section>
    </Layout>
  );
};
