// Progress of one print: a banner (done / something went wrong / printing / cancelled), what the
// number blocks left out, one tap to print everything again, cancel everything or send what waits
// to another printer, one row per document with its state in Swedish, and the printers. The server
// renders the state as it is now; static/app.js then follows /api/batches/:id/events and updates
// the same elements in place with what the server sends (the printer chips keep updating after the
// batch is done). What shows — the banner, each row's chip and buttons, the batch buttons — is
// decided once, by wording.batchShown and wording.jobShown (each JobView carries the latter's answer,
// http/views.ts), for this page and for the stream alike.
// With JavaScript off the page reloads itself while printing (meta refresh inside <noscript>).
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import type { JobView } from '../../http/views.js';
import type { Batch } from '../../domain/job.js';
import { Layout } from '../layout.js';
import { batchShown, formatWhen } from '../../domain/wording.js';
import { Chip, Errors, PrinterStrip } from './parts.js';

export interface BatchPageProps {
  unitName: string;
  timeZone: string;
  batch: Pick<Batch, 'id' | 'title' | 'createdAt' | 'actor' | 'notPrinted'>;
  jobs: readonly JobView[];
  printers: readonly PrinterView[];
  /** Only one printer at the station: no printer column (no fallback can move a job). */
  singlePrinter?: boolean;
  /** Printers that can take at least one waiting or failed document of this batch. */
  moveTargets?: ReadonlyArray<{ id: string; name: string }>;
  itSupport?: string | undefined;
  /** Why the last action was refused. */
  errors?: readonly string[];
  now?: Date;
}

export const BatchPage: FC<BatchPageProps> = (p) => {
  const short = p.batch.notPrinted ?? [];
  const { summary, actions } = batchShown(p.jobs, short.length);
  const printing = summary.state === 'printing';
  const id = encodeURIComponent(p.batch.id);
  const targets = p.moveTargets ?? [];
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
        <Errors errors={p.errors} />
        {short.length ? (
          <div class="notice tone-warn not-printed" role="status">
            <p class="not-printed-h">Skrevs inte ut:</p>
            <ul>
              {short.map((n) => (
                <li>{n.text}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div class="batch-actions">
          <form method="post" action={`/batches/${id}/retry`} class="js-retry-all" hidden={!actions.retryAll} data-once="">
            <button type="submit" class="button primary">
              Skriv ut allt igen
            </button>
          </form>
          <form method="post" action={`/batches/${id}/cancel`} class="js-cancel-all" hidden={!actions.cancelAll} data-once="">
            <button type="submit" class="button secondary">
              Avbryt allt
            </button>
          </form>
          {targets.length ? (
            <form method="post" action={`/batches/${id}/move`} class="move js-move" hidden={!actions.move} data-once="">
              <span class="move-h">Skriv ut på en annan skrivare:</span>
              {targets.map((t) => (
                <button type="submit" name="printer" value={t.id} class="button secondary">
                  {t.name}
                </button>
              ))}
            </form>
          ) : null}
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
                <td class="num js-qty">{j.quantityText}</td>
                <td class="col-printer js-printer">{j.printerName}</td>
                <td>
                  <div class="state">
                    <Chip tone={j.tone} text={j.stateText} hook="js-state" />
                    <span class="message js-message">{j.message}</span>
                  </div>
                </td>
                <td class="col-action">
                  <form method="post" action={`/jobs/${encodeURIComponent(j.id)}/cancel`} class="js-cancel" hidden={!j.actions.cancel}>
                    <button type="submit" class="button small secondary" aria-label={`Avbryt ${j.title}`}>
                      Avbryt
                    </button>
                  </form>
                  <form method="post" action={`/jobs/${encodeURIComponent(j.id)}/retry`} class="js-retry" hidden={!j.actions.reprint}>
                    <button type="submit" class="button small primary" aria-label={`Skriv ut ${j.title} igen`}>
                      Skriv ut igen
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PrinterStrip printers={p.printers} itSupport={p.itSupport} />
        <p class="actions">
          <a class="button primary" href="/">
            Till startsidan
          </a>
        </p>
      </div>
    </Layout>
  );
};
