// The admin area's pages: choose the PIN at first use, log in, the overview (planned upgrades and
// shutdowns with their runs, past runs, actions: a kit now, test pages, a readiness sheet now), the
// form to change an upgrade, and the audit log.
import type { FC } from 'hono/jsx';
import type { AuditEntry } from '../../domain/ledger.js';
import type { RunView, ScheduleView, UpgradeView } from '../../schedule/scheduler.js';
import { Layout } from '../layout.js';
import { formatDay, RunAlert, RunBatches, RunChip } from './schedule-parts.js';
import { Errors } from './parts.js';
import { CalendarNotice, FeedUpgradeCell } from './calendar-parts.js';
import { dateFormat } from '../../schedule/zoned-time.js';

const Done: FC<{ message?: string | undefined }> = ({ message }) =>
  message ? (
    <p class="notice tone-ok" role="status">
      {message}
    </p>
  ) : null;

// ---- log in / first PIN ---------------------------------------------------------------------

export interface LoginPageProps {
  unitName: string;
  next: string;
  errors?: readonly string[];
  locked?: boolean;
}

export const LoginPage: FC<LoginPageProps> = (p) => (
  <Layout title="Administration" unitName={p.unitName} current="admin">
    <div class="admin-narrow">
      <h1>Administration</h1>
      <p>För enhetens administratör: planerade uppgraderingar, testutskrifter och händelseloggen.</p>
      <Errors errors={p.errors} />
      <form method="post" action="/admin/login" class="admin-form" data-once="">
        <input type="hidden" name="next" value={p.next} />
        <label class="field">
          <span>PIN-kod</span>
          <input type="password" name="pin" inputmode="numeric" autocomplete="off" required maxlength={12} autofocus disabled={p.locked} />
        </label>
        <label class="field">
          <span>Dina initialer (frivilligt, syns i loggen)</span>
          <input type="text" name="initials" maxlength={10} autocomplete="off" autocapitalize="characters" spellcheck={false} />
        </label>
        <button type="submit" class="button primary">
          Logga in
        </button>
      </form>
    </div>
  </Layout>
);

export const SetupPage: FC<{ unitName: string; errors?: readonly string[] }> = (p) => (
  <Layout title="Välj PIN-kod" unitName={p.unitName} current="admin">
    <div class="admin-narrow">
      <h1>Välj PIN-kod för administrationen</h1>
      <p>
        Ingen PIN-kod är vald än. Välj en med 6–12 siffror (inte 123456 eller 111111). Den kan bara väljas här, på stationen själv. Regionens IT kan i
        stället lägga in den i konfigurationen (<code>npm run set-pin</code>).
      </p>
      <Errors errors={p.errors} />
      <form method="post" action="/admin/setup" class="admin-form" data-once="">
        <label class="field">
          <span>Ny PIN-kod</span>
          <input type="password" name="pin" inputmode="numeric" autocomplete="new-password" required minlength={6} maxlength={12} autofocus />
        </label>
        <label class="field">
          <span>Samma PIN-kod igen</span>
          <input type="password" name="confirm" inputmode="numeric" autocomplete="new-password" required minlength={6} maxlength={12} />
        </label>
        <button type="submit" class="button primary">
          Spara PIN-koden
        </button>
      </form>
    </div>
  </Layout>
);

// ---- the upgrade form ---------------------------------------------------------------------------

export interface UpgradeFormValues {
  kind: string;
  start: string;
  end: string;
  kit: string;
  note: string;
}

export interface KitChoice {
  id: string;
  name: string;
}

const UpgradeFields: FC<{ values: UpgradeFormValues; kits: readonly KitChoice[] }> = ({ values, kits }) => (
  <>
    <label class="field">
      <span>Typ</span>
      <select name="kind">
        <option value="upgrade" selected={values.kind !== 'shutdown'}>
          Systemuppgradering
        </option>
        <option value="shutdown" selected={values.kind === 'shutdown'}>
          Planerad nedsläckning
        </option>
      </select>
    </label>
    <label class="field">
      <span>Början</span>
      <input type="datetime-local" name="start" required value={values.start} />
    </label>
    <label class="field">
      <span>Slut</span>
      <input type="datetime-local" name="end" required value={values.end} />
    </label>
    <label class="field">
      <span>Kit som skrivs ut</span>
      <select name="kit">
        <option value="" selected={values.kit === ''}>
          Standard för typen
        </option>
        {kits.map((k) => (
          <option value={k.id} selected={values.kit === k.id}>
            {k.name}
          </option>
        ))}
      </select>
    </label>
    <label class="field field-wide">
      <span>Anteckning (frivilligt)</span>
      <input type="text" name="note" maxlength={500} value={values.note} />
    </label>
  </>
);

// ---- overview -----------------------------------------------------------------------------------

export interface AdminHomeProps {
  unitName: string;
  actor: string;
  schedule: ScheduleView;
  kits: readonly KitChoice[];
  /** "1 arbetsdag före, kl. 14:00" */
  leadText: string;
  listText: string;
  pinSource: 'config' | 'station' | 'unset';
  requestId: string;
  form: UpgradeFormValues;
  formErrors?: readonly string[];
  errors?: readonly string[];
  done?: string;
}

const RunRow: FC<{ run: RunView; tz: string; action?: boolean }> = ({ run, tz, action }) => (
  <tr>
    <td>{run.title}</td>
    <td>{formatDay(run.dueAt, tz)}</td>
    <td>
      <RunChip run={run} />
    </td>
    <td class="run-detail">
      {[run.message, ...run.problems].filter(Boolean).map((m) => (
        <p>{m}</p>
      ))}
      <RunBatches run={run} />
      {run.acknowledgedAt ? <p class="muted">Sett av {run.acknowledgedBy}</p> : null}
    </td>
    {action !== undefined ? (
      <td>
        {action ? (
          <form method="post" action={`/admin/runs/${encodeURIComponent(run.id)}/run-now`} data-once="">
            <button type="submit" class="button small secondary">
              Skriv ut nu
            </button>
          </form>
        ) : null}
      </td>
    ) : null}
  </tr>
);

const UpgradeRow: FC<{ u: UpgradeView; tz: string }> = ({ u, tz }) => (
  <tr>
    <td>{u.kindText}</td>
    <td>{formatDay(u.start, tz)}</td>
    <td>{formatDay(u.end, tz)}</td>
    <td>{u.kitName}</td>
    <td>
      {u.run ? (
        <>
          {formatDay(u.run.dueAt, tz)} <RunChip run={u.run} />
        </>
      ) : (
        '–'
      )}
    </td>
    <td>{u.note}</td>
    {u.feed ? (
      <FeedUpgradeCell u={u} />
    ) : (
      <td>
        <a class="button small secondary" href={`/admin/upgrades/${encodeURIComponent(u.id)}`}>
          Ändra
        </a>
      </td>
    )}
  </tr>
);

export const AdminHome: FC<AdminHomeProps> = (p) => {
  const tz = p.schedule.timezone;
  const drill = p.schedule.upcoming.find((r) => r.kind === 'drill');
  return (
    <Layout title="Administration" unitName={p.unitName} current="admin">
      <div class="admin-head">
        <h1>Administration</h1>
        <form method="post" action="/admin/logout">
          <span class="muted">Inloggad som {p.actor} </span>
          <button type="submit" class="button small secondary">
            Logga ut
          </button>
        </form>
      </div>
      <Done message={p.done} />
      <Errors errors={p.errors} />
      {p.schedule.attention.map((r) => (
        <RunAlert run={r} timeZone={tz} />
      ))}
      <CalendarNotice calendar={p.schedule.calendar} timeZone={tz} />

      <section aria-labelledby="upgrades-h" class="admin-section">
        <h2 id="upgrades-h">Planerade uppgraderingar och nedsläckningar</h2>
        <p>
          Reservkitet skrivs ut automatiskt {p.leadText}, {p.listText} Stationen måste vara på då; var den avstängd skrivs det ut när den startar igen –
          om arbetet inte redan har börjat. Då visas i stället en varning på startsidan.
        </p>
        {p.schedule.upgrades.length ? (
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">Typ</th>
                <th scope="col">Början</th>
                <th scope="col">Slut</th>
                <th scope="col">Kit</th>
                <th scope="col">Utskrift</th>
                <th scope="col">Anteckning</th>
                <th scope="col">
                  <span class="visually-hidden">Ändra</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.schedule.upgrades.map((u) => (
                <UpgradeRow u={u} tz={tz} />
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">Inga planerade.</p>
        )}
        <h3 id="add-h">Lägg till</h3>
        <Errors errors={p.formErrors} />
        <form method="post" action="/admin/upgrades" class="admin-form admin-grid" aria-labelledby="add-h" data-once="">
          <UpgradeFields values={p.form} kits={p.kits} />
          <button type="submit" class="button primary">
            Lägg till
          </button>
        </form>
      </section>

      <section aria-labelledby="runs-h" class="admin-section">
        <h2 id="runs-h">Schemalagda utskrifter</h2>
        {p.schedule.upcoming.length ? (
          <table class="admin-table">
            <caption>Kommande</caption>
            <thead>
              <tr>
                <th scope="col">Vad</th>
                <th scope="col">När</th>
                <th scope="col">Läge</th>
                <th scope="col">Mer</th>
                <th scope="col">
                  <span class="visually-hidden">Skriv ut nu</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.schedule.upcoming.map((r) => (
                <RunRow run={r} tz={tz} action={true} />
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">Inga kommande.</p>
        )}
        {p.schedule.past.length ? (
          <table class="admin-table">
            <caption>Tidigare</caption>
            <thead>
              <tr>
                <th scope="col">Vad</th>
                <th scope="col">Planerad</th>
                <th scope="col">Resultat</th>
                <th scope="col">Mer</th>
              </tr>
            </thead>
            <tbody>
              {p.schedule.past.slice(0, 20).map((r) => (
                <RunRow run={r} tz={tz} />
              ))}
            </tbody>
          </table>
        ) : null}
        <p>
          Beredskapskontroll:{' '}
          {p.schedule.drillCron ? (
            <>
              schema <code>{p.schedule.drillCron}</code>
              {drill ? `, nästa ${formatDay(drill.dueAt, tz)}` : ''}.
            </>
          ) : (
            'avstängd i konfigurationen.'
          )}
        </p>
      </section>

      <section aria-labelledby="actions-h" class="admin-section">
        <h2 id="actions-h">Skriv ut nu</h2>
        <div class="admin-actions">
          <form method="post" action="/admin/kits/print" class="admin-form" data-once="">
            <input type="hidden" name="requestId" value={p.requestId} />
            <label class="field">
              <span>Reservkit</span>
              <select name="kit">
                {p.kits.map((k) => (
                  <option value={k.id}>{k.name}</option>
                ))}
              </select>
            </label>
            <button type="submit" class="button primary">
              Skriv ut kitet
            </button>
          </form>
          <form method="post" action="/admin/test-pages" data-once="">
            <button type="submit" class="button secondary">
              Testsida på alla skrivare
            </button>
          </form>
          <form method="post" action="/admin/drill" data-once="">
            <button type="submit" class="button secondary">
              Beredskapsblad (skrivare, nummerserier, lager)
            </button>
          </form>
        </div>
      </section>

      <section aria-labelledby="more-h" class="admin-section">
        <h2 id="more-h">Mer</h2>
        <p>
          <a href="/admin/audit">Händelselogg – vem gjorde vad och när</a>
        </p>
        {p.pinSource === 'station' ? (
          <form method="post" action="/admin/pin" class="admin-form admin-grid" data-once="">
            <label class="field">
              <span>Nuvarande PIN-kod</span>
              <input type="password" name="current" inputmode="numeric" autocomplete="off" required maxlength={12} />
            </label>
            <label class="field">
              <span>Ny PIN-kod</span>
              <input type="password" name="next" inputmode="numeric" autocomplete="new-password" required minlength={6} maxlength={12} />
            </label>
            <button type="submit" class="button secondary">
              Byt PIN-kod
            </button>
          </form>
        ) : (
          <p class="muted">PIN-koden står i stationens konfigurationsfil (admin.pinHash) och byts där.</p>
        )}
      </section>
    </Layout>
  );
};

// ---- change one upgrade -------------------------------------------------------------------------

export interface UpgradePageProps {
  unitName: string;
  upgrade: UpgradeView;
  timeZone: string;
  kits: readonly KitChoice[];
  form: UpgradeFormValues;
  errors?: readonly string[];
}

export const UpgradePage: FC<UpgradePageProps> = (p) => (
  <Layout title={`Ändra ${p.upgrade.kindText.toLowerCase()}`} unitName={p.unitName} current="admin">
    <h1>
      {p.upgrade.kindText} {formatDay(p.upgrade.start, p.timeZone)}
    </h1>
    {p.upgrade.run ? (
      <p>
        Utskrift {formatDay(p.upgrade.run.dueAt, p.timeZone)} <RunChip run={p.upgrade.run} />
      </p>
    ) : null}
    <Errors errors={p.errors} />
    <form method="post" action={`/admin/upgrades/${encodeURIComponent(p.upgrade.id)}`} class="admin-form admin-grid" data-once="">
      <UpgradeFields values={p.form} kits={p.kits} />
      <button type="submit" class="button primary">
        Spara
      </button>
    </form>
    <form method="post" action={`/admin/upgrades/${encodeURIComponent(p.upgrade.id)}/remove`} class="admin-remove" data-once="">
      <p>Tas den bort stryks utskriften, om den inte redan är gjord.</p>
      <button type="submit" class="button danger">
        Ta bort
      </button>
    </form>
    <p>
      <a class="button secondary" href="/admin">
        Tillbaka
      </a>
    </p>
  </Layout>
);

// ---- audit log ----------------------------------------------------------------------------------

/** What an audit action means, in a few Swedish words (unknown ones are shown as they are). */
export const actionWords: Readonly<Record<string, string>> = {
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
        <label class="field">
          <span>Sök (initialer, händelse, text)</span>
          <input type="search" name="q" value={p.q} maxlength={100} />
        </label>
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
