// The number ledger on the touchscreen: every number the label series has issued, filtered by
// status, day (Swedish day steppers, empty = no limit) or part of the number, with a CSV download for the reconciliation and a "Kopia"
// button per issued number (a torn or lost label is printed again with the same number).
import type { FC } from 'hono/jsx';
import type { LedgerFilter, LedgerRow, SeriesView } from '../../services/label-service.js';
import { Layout } from '../layout.js';
import { formatClock } from '../../domain/wording.js';
import { Chip, Errors, Keypad, LetterField, StartPositionField } from './parts.js';
import { DateStepper } from './date-stepper.js';
import { LabelAssets } from './labels-page.js';

export interface LedgerPageProps {
  unitName: string;
  timeZone: string;
  series: SeriesView;
  filter: LedgerFilter;
  rows: readonly LedgerRow[];
  total: number;
  /** Rows shown (newest first); the CSV has them all. */
  shown: number;
  csvUrl: string;
  /** Today at the station (YYYY-MM-DD): where an empty day filter starts at the first tap. */
  today: string;
  /** Day of an ISO time in the station's zone (YYYY-MM-DD). */
  dayOf: (iso: string) => string;
  /** Archive lines that could not be read, so numbers may be missing from the list. */
  warning?: string | undefined;
}

const statusWords = { issued: 'Utfärdat', voided: 'Makulerat' } as const;

export const LedgerPage: FC<LedgerPageProps> = (p) => {
  const s = p.series;
  const used = s.total - s.remaining;
  return (
    <Layout title="Utfärdade nummer" unitName={p.unitName}>
      <LabelAssets />
      <div class="labels-head">
        <h1>Utfärdade nummer – {s.name}</h1>
        <a class="button secondary small" href="/etiketter">
          Skriv ut etiketter
        </a>
      </div>
      <Errors errors={p.warning ? [p.warning] : undefined} />
      <dl class="series-facts">
        <div>
          <dt>Block</dt>
          <dd class="mono">{`${s.firstNumber} – ${s.lastNumber}`}</dd>
        </div>
        <div>
          <dt>Använda</dt>
          <dd>{`${used} av ${s.total}`}</dd>
        </div>
        <div>
          <dt>Kvar</dt>
          <dd>
            <Chip tone={s.exhausted ? 'bad' : s.low ? 'warn' : 'ok'} text={`${s.remaining} nummer`} />
          </dd>
        </div>
        <div>
          <dt>Makulerade</dt>
          <dd>{String(s.voided)}</dd>
        </div>
        <div>
          <dt>Med kopior</dt>
          <dd>{String(s.reprinted)}</dd>
        </div>
      </dl>
      {s.warning ? (
        <p class={`notice ${s.exhausted ? 'tone-bad' : 'tone-warn'}`} role="status">
          {s.warning}
        </p>
      ) : null}
      <form method="get" action="/etiketter/nummer" class="ledger-filter">
        <label>
          <span>Status</span>
          <select name="status">
            <option value="" selected={!p.filter.status}>
              Alla
            </option>
            <option value="issued" selected={p.filter.status === 'issued'}>
              Utfärdade
            </option>
            <option value="voided" selected={p.filter.status === 'voided'}>
              Makulerade
            </option>
            <option value="reprinted" selected={p.filter.status === 'reprinted'}>
              Med kopior
            </option>
          </select>
        </label>
        <DateStepper name="from" label="Från dag" value={p.filter.from ?? ''} dateOnly optional startDay={p.today} />
        <DateStepper name="to" label="Till dag" value={p.filter.to ?? ''} dateOnly optional startDay={p.today} />
        <LetterField name="q" label="Nummer innehåller" maxLength={40} keys="text-digits" labelClass="" value={p.filter.q} />
        <button type="submit" class="button secondary">
          Filtrera
        </button>
        <a class="button secondary" href={p.csvUrl} download="">
          Ladda ner CSV
        </a>
      </form>
      <p class="muted">
        {p.total === p.rows.length
          ? `${p.rows.length} nummer.`
          : `${p.rows.length} av ${p.total} nummer matchar.`}
        {p.shown < p.rows.length ? ` De ${p.shown} senaste visas; CSV-filen har alla.` : ''}
      </p>
      {p.rows.length ? (
        <table class="ledger">
          <thead>
            <tr>
              <th scope="col">Nummer</th>
              <th scope="col">Status</th>
              <th scope="col">Utfärdat</th>
              <th scope="col" class="num">
                Kopior
              </th>
              <th scope="col" class="col-action">
                <span class="visually-hidden">Åtgärd</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...p.rows].reverse().slice(0, p.shown).map((r) => (
              <tr>
                <td class="mono">{r.number}</td>
                <td>
                  <Chip tone={r.status === 'issued' ? 'ok' : 'idle'} text={statusWords[r.status]} />
                </td>
                <td>
                  {r.batchId && r.status === 'issued' ? (
                    <a href={`/batches/${encodeURIComponent(r.batchId)}`}>{`${p.dayOf(r.issuedAt)} ${formatClock(r.issuedAt, p.timeZone)}`}</a>
                  ) : (
                    `${p.dayOf(r.issuedAt)} ${formatClock(r.issuedAt, p.timeZone)}`
                  )}
                </td>
                <td class="num">{String(r.reprints.length)}</td>
                <td class="col-action">
                  {r.status === 'issued' ? (
                    <a class="button secondary small" href={`/etiketter/kopia?number=${encodeURIComponent(r.number)}`}>
                      Kopia
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">Inga nummer att visa.</p>
      )}
    </Layout>
  );
};

export interface ReprintPageProps {
  unitName: string;
  number: string;
  issuedAt: string;
  reprints: number;
  layouts: ReadonlyArray<{ id: string; name: string; kind: 'sheet' | 'roll'; labelsPerPage: number; printers: string[] }>;
  printers: ReadonlyArray<{ id: string; name: string }>;
  values: { layout: string; labels: number; printer?: string; startPosition?: number };
  requestId: string;
  errors?: readonly string[];
}

/** Confirm a reprint: the same number, marked KOPIA; how many labels, which layout and printer. */
export const ReprintPage: FC<ReprintPageProps> = (p) => {
  // the largest sheet: the chosen layout's own bound is checked when the copy is printed
  const sheetMax = Math.max(0, ...p.layouts.filter((l) => l.kind === 'sheet').map((l) => l.labelsPerPage));
  return (
    <Layout title={`Kopia av ${p.number}`} unitName={p.unitName}>
      <LabelAssets />
      <h1>Skriv ut en kopia av {p.number}</h1>
      <p>
        Etiketten skrivs ut med samma nummer och märks <strong>KOPIA</strong>. Inget nytt nummer dras; kopian förs in i nummerlistan.
        {p.reprints ? ` Numret har skrivits ut som kopia ${p.reprints} ${p.reprints === 1 ? 'gång' : 'gånger'} förut.` : ''}
      </p>
      <Errors errors={p.errors} />
      <form method="post" action="/etiketter/kopia" class="labels-form js-once-form" data-once="">
        <input type="hidden" name="requestId" value={p.requestId} />
        <input type="hidden" name="number" value={p.number} />
        <label class="num-field">
          <span class="num-label">Antal etiketter</span>
          <input class="num-input js-keypad-field" type="number" inputmode="numeric" name="labels" min="1" max="20" step="1" value={String(p.values.labels)} />
        </label>
        <Keypad padClass="keypad" keyClass="key" clearClass="key-clear" backClass="key-back" />
        <fieldset class="choice">
          <legend>Layout och skrivare</legend>
          {p.layouts.flatMap((l) =>
            l.printers.map((pid) => (
              <label class="choice-item">
                <input type="radio" name="target" value={`${l.id}@${pid}`} checked={l.id === p.values.layout && (p.values.printer ?? l.printers[0]) === pid} />
                <span class="choice-name">{l.name}</span>
                <span class="choice-desc">{p.printers.find((x) => x.id === pid)?.name ?? pid}</span>
              </label>
            )),
          )}
        </fieldset>
        {sheetMax > 0 ? <StartPositionField perPage={sheetMax} value={p.values.startPosition} hook="js-keypad-field" hint="Gäller bara en arklayout." /> : null}
        <button type="submit" class="button primary huge">
          Skriv ut kopia
        </button>
      </form>
      <a class="button secondary" href="/etiketter/nummer">
        Tillbaka
      </a>
    </Layout>
  );
};
