// The start page on the touchscreen: one big button per scenario, the printers' state, and the
// last few prints (each a link to its progress page).
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import { Layout } from '../layout.js';
import { batchStateWords, formatWhen, type BatchSummary } from '../../domain/wording.js';
import { Chip, PrinterStrip } from './parts.js';
import type { ScheduleView } from '../../schedule/scheduler.js';
import { ScheduleAlerts, ScheduleStrip } from './schedule-parts.js';

export interface HomeKit {
  id: string;
  name: string;
  description: string;
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
  schedule?: ScheduleView;
  now?: Date;
}

export const HomePage: FC<HomePageProps> = (p) => (
  <Layout title="Start" unitName={p.unitName} current="home" refreshSeconds={30}>
    {p.schedule ? <ScheduleAlerts schedule={p.schedule} /> : null}
    <h1 class="lead">Journalsystemet nere? Välj situation – hela reservkitet skrivs ut.</h1>
    {p.kits.length ? (
      <ul class="scenarios">
        {p.kits.map((k) => (
          <li>
            <a class="scenario" href={`/kits/${encodeURIComponent(k.id)}`}>
              <span class="scenario-name">{k.name}</span>
              {k.description ? <span class="scenario-desc">{k.description}</span> : null}
            </a>
          </li>
        ))}
      </ul>
    ) : (
      <p class="notice tone-bad">Inga reservkit är inlagda på den här stationen. Kontakta enhetens administratör.</p>
    )}
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
    <PrinterStrip printers={p.printers} />
    {p.schedule ? <ScheduleStrip schedule={p.schedule} /> : null}
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
        <a href="/history">Alla senaste dokument och hur det gick</a>
      </p>
    </section>
  </Layout>
);
