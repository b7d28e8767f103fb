// Progress of one print: a banner (done / something went wrong / printing), one row per document
// with its state in Swedish, and the printers. The server renders the state as it is now;
// static/app.js then follows /api/batches/:id/events and updates the same elements in place.
// With JavaScript off the page reloads itself while printing (meta refresh inside <noscript>).
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import type { JobView } from '../../http/views.js';
import { isTerminal } from '../../domain/job.js';
import { Layout } from '../layout.js';
import { batchSummary, formatWhen, jobStateText, jobTone } from '../../domain/wording.js';
import { Chip, PrinterStrip } from './parts.js';

export interface BatchPageProps {
  unitName: string;
  timeZone: string;
  batch: { id: string; title: string; createdAt: string; actor?: string };
  jobs: readonly JobView[];
  printers: readonly PrinterView[];
  /** Only one printer at the station: no printer column (no fallback can move a job). */
  singlePrinter?: boolean;
  now?: Date;
}

export const BatchPage: FC<BatchPageProps> = (p) => {
  const summary = batchSummary(p.jobs);
  const printing = summary.state === 'printing';
  return (
    <Layout title={p.batch.title} unitName={p.unitName} noscriptRefreshSeconds={printing ? 5 : undefined}>
      <div class="batch" data-batch-id={p.batch.id} data-state={summary.state}>
        <div class={`banner tone-${summary.tone} js-banner`} role="status" aria-live="polite">
          <span class="js-banner-text">{summary.text}</span>
        </div>
        <div class="batch-head">
          <h1>{p.batch.title}</h1>
          <p class="muted">
            {`Startad ${formatWhen(p.batch.createdAt, p.timeZone, p.now)}`}
            {p.batch.actor ? ` av ${p.batch.actor}` : ''}
            <span class="live js-live">{printing ? 'Uppdateras automatiskt' : ''}</span>
          </p>
        </div>
        <table class={p.singlePrinter ? 'jobs single-printer' : 'jobs'}>
          <thead>
            <tr>
              <th scope="col">Dokument</th>
              <th scope="col" class="num">
                Antal
              </th>
              <th scope="col" class="col-printer">
                Skrivare
              </th>
              <th scope="col">Läge</th>
              <th scope="col" class="col-action">
                <span class="visually-hidden">Åtgärd</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.jobs.map((j) => (
              <tr data-job-id={j.id}>
                <td class="doc">{j.title}</td>
                <td class="num">{`× ${j.copies}`}</td>
                <td class="col-printer js-printer">{j.printerName}</td>
                <td>
                  <div class="state">
                    <Chip tone={jobTone(j.state, j.reasons)} text={jobStateText(j.state, j.reasons)} hook="js-state" />
                    <span class="message js-message">{j.message}</span>
                  </div>
                </td>
                <td class="col-action">
                  <form method="post" action={`/jobs/${encodeURIComponent(j.id)}/cancel`} class="js-cancel" hidden={isTerminal(j.state)}>
                    <button type="submit" class="button small danger">
                      Avbryt
                    </button>
                  </form>
                  <form method="post" action={`/jobs/${encodeURIComponent(j.id)}/retry`} class="js-retry" hidden={!(j.state === 'aborted' || j.state === 'canceled')}>
                    <button type="submit" class="button small primary">
                      Skriv ut igen
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PrinterStrip printers={p.printers} />
        <p class="actions">
          <a class="button primary" href="/">
            Till startsidan
          </a>
          <a class="button secondary" href={`/batches/${encodeURIComponent(p.batch.id)}`}>
            Uppdatera
          </a>
        </p>
      </div>
    </Layout>
  );
};
