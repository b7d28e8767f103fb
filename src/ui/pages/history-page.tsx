// History: the last documents the station handled and how each ended, newest first, with a way
// back to the print each belonged to.
import type { FC } from 'hono/jsx';
import type { JobView } from '../../http/views.js';
import { Layout } from '../layout.js';
import { formatWhen, jobStateText, jobTone } from '../../domain/wording.js';
import { Chip } from './parts.js';

export interface HistoryPageProps {
  unitName: string;
  timeZone: string;
  jobs: readonly JobView[];
  now?: Date;
}

export const HistoryPage: FC<HistoryPageProps> = (p) => (
  <Layout title="Historik" unitName={p.unitName}>
    <h1>Senaste dokument</h1>
    {p.jobs.length ? (
      <table class="jobs">
        <thead>
          <tr>
            <th scope="col">När</th>
            <th scope="col">Dokument</th>
            <th scope="col" class="num">
              Antal
            </th>
            <th scope="col">Skrivare</th>
            <th scope="col">Hur det gick</th>
          </tr>
        </thead>
        <tbody>
          {p.jobs.map((j) => (
            <tr>
              <td>{formatWhen(j.completedAt ?? j.createdAt, p.timeZone, p.now)}</td>
              <td>
                <a href={`/batches/${encodeURIComponent(j.batchId)}`}>{j.title}</a>
              </td>
              <td class="num">{`× ${j.copies}`}</td>
              <td>{j.printerName}</td>
              <td>
                <div class="state">
                  <Chip tone={jobTone(j.state, j.reasons)} text={jobStateText(j.state, j.reasons)} />
                  <span class="message">{j.message}</span>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : (
      <p class="muted">Inget utskrivet än.</p>
    )}
    <p class="actions">
      <a class="button primary" href="/">
        Till startsidan
      </a>
    </p>
  </Layout>
);
