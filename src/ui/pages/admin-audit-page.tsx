// The audit log: who did what and when, newest first, with a search field.
import type { FC } from 'hono/jsx';
import type { AuditEntry } from '../../domain/ledger.js';
import { Layout } from '../layout.js';
import { Errors, LetterField } from './parts.js';
import { dateFormat } from '../../domain/time.js';

// ---- audit log ----------------------------------------------------------------------------------

/** What an audit action means, in a few Swedish words (unknown ones are shown as they are). */
export const actionWords: Readonly<Record<string, string>> = {
  'batch-short': 'Skrevs inte ut (nummerblocket räckte inte)',
  'batch-moved': 'Flyttad till en annan skrivare',
  'batch-created': 'Utskrift startad',
  'job-pending': 'Dokument väntar',
  'job-processing': 'Dokument skrivs ut',
  'job-completed': 'Dokument klart',
  'job-aborted': 'Dokument avbrutet av skrivaren',
  'job-canceled': 'Dokument avbrutet',
  'job-held': 'Dokument pausat',
  'serials-issued': 'Nummer utlämnade',
  'serials-voided': 'Nummer makulerade',
  'serial-reprinted': 'Nummer utskrivet igen',
  'upgrade-added': 'Uppgradering planerad',
  'upgrade-changed': 'Uppgradering ändrad',
  'upgrade-removed': 'Uppgradering borttagen',
  'schedule-done': 'Schemalagd utskrift köad',
  'schedule-failed': 'Schemalagd utskrift misslyckades',
  'schedule-missed': 'Schemalagd utskrift inte gjord',
  'schedule-canceled': 'Schemalagd utskrift struken',
  'schedule-run-now': 'Schemalagd utskrift startad för hand',
  'schedule-acknowledged': 'Varning kvitterad',
  'drill-now': 'Beredskapsblad begärt',
  'admin-login': 'Inloggning',
  'admin-login-failed': 'Fel PIN-kod',
  'admin-locked': 'Inloggning spärrad',
  'admin-pin-set': 'PIN-kod vald',
  'admin-pin-changed': 'PIN-kod bytt',
};

export interface AuditPageProps {
  unitName: string;
  timeZone: string;
  entries: readonly AuditEntry[];
  total: number;
  offset: number;
  limit: number;
  q: string;
  /** Archive lines that could not be read, so entries may be missing. */
  warning?: string | undefined;
}

export const AuditPage: FC<AuditPageProps> = (p) => {
  const link = (offset: number) => `/admin/audit?${new URLSearchParams({ offset: String(offset), limit: String(p.limit), ...(p.q ? { q: p.q } : {}) })}`;
  const fmt = dateFormat(p.timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <Layout title="Händelselogg" unitName={p.unitName} current="admin">
      <h1>Händelselogg</h1>
      <Errors errors={p.warning ? [p.warning] : undefined} />
      <form method="get" action="/admin/audit" class="admin-form admin-grid">
        <LetterField name="q" label="Sök (initialer, händelse, text)" maxLength={100} keys="text-digits" labelClass="field" value={p.q} />
        <button type="submit" class="button secondary">
          Sök
        </button>
      </form>
      <p class="muted">
        {p.total} händelser{p.total ? `, visar ${p.offset + 1}–${Math.min(p.total, p.offset + p.entries.length)} (nyast först)` : ''}.
      </p>
      <table class="admin-table audit">
        <thead>
          <tr>
            <th scope="col">När</th>
            <th scope="col">Vem</th>
            <th scope="col">Vad</th>
            <th scope="col">Detaljer</th>
          </tr>
        </thead>
        <tbody>
          {p.entries.map((e) => (
            <tr>
              <td class="nowrap">{fmt.format(new Date(e.at))}</td>
              <td>{e.actor}</td>
              <td>{actionWords[e.action] ?? e.action}</td>
              <td class="audit-detail">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="actions">
        {p.offset > 0 ? (
          <a class="button small secondary" href={link(Math.max(0, p.offset - p.limit))}>
            Nyare
          </a>
        ) : null}
        {p.offset + p.entries.length < p.total ? (
          <a class="button small secondary" href={link(p.offset + p.limit)}>
            Äldre
          </a>
        ) : null}
        <a class="button small secondary" href="/admin">
          Tillbaka
        </a>
      </p>
    </Layout>
  );
};
