// The admin overview: planned upgrades and shutdowns with their runs, past runs, actions (a kit
// now, test pages, a readiness sheet now) and the PIN change.
import type { FC } from 'hono/jsx';
import { formatMoment } from '../../domain/time.js';
import type { RunView, ScheduleView, UpgradeView } from '../../schedule/scheduler.js';
import { Layout } from '../layout.js';
import { RunAlert, RunBatches, RunChip } from './schedule-parts.js';
import { Errors } from './parts.js';
import { CalendarNotice, FeedUpgradeCell } from './calendar-parts.js';
import { Done, PinKeypad, UpgradeFields, type UpgradeFormValues, type KitChoice } from './admin-parts.js';

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
    <td>{formatMoment(run.dueAt, tz)}</td>
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
    <td>{formatMoment(u.start, tz)}</td>
    <td>{formatMoment(u.end, tz)}</td>
    <td>{u.kitName}</td>
    <td>
      {u.run ? (
        <>
          {formatMoment(u.run.dueAt, tz)} <RunChip run={u.run} />
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
              {drill ? `, nästa ${formatMoment(drill.dueAt, tz)}` : ''}.
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
          <form method="post" action="/admin/pin" class="admin-form pin-form" data-once="" data-pin-keypad="">
            <label class="field">
              <span>Nuvarande PIN-kod</span>
              <input class="js-pin" type="password" name="current" inputmode="numeric" autocomplete="off" required maxlength={12} />
            </label>
            <label class="field">
              <span>Ny PIN-kod</span>
              <input class="js-pin" type="password" name="next" inputmode="numeric" autocomplete="new-password" required minlength={6} maxlength={12} />
            </label>
            <button type="submit" class="button secondary">
              Byt PIN-kod
            </button>
            <PinKeypad />
          </form>
        ) : (
          <p class="muted">PIN-koden står i stationens konfigurationsfil (admin.pinHash) och byts där.</p>
        )}
      </section>
    </Layout>
  );
};
