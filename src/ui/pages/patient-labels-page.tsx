// The patient-ID label page: staff type a personnummer, samordningsnummer or reservnummer (an
// on-screen keypad with 0–9 and "-"), optionally a name, and print K labels with the identity as
// text and Code 128, alone or beside new referral numbers. The form posts (never a GET: the
// identity must not reach a URL, a history entry or a log line). Works without JavaScript;
// static/patient-labels.js adds the keypad and ignores a second tap on "Skriv ut".
import type { FC } from 'hono/jsx';
import type { LayoutView } from '../../services/label-service.js';
import { Layout } from '../layout.js';
import { Errors, InitialsField, LetterField } from './parts.js';
import { LabelAssets } from './labels-page.js';
import { patientAssetUrl } from '../patient-assets.js';

export interface PatientLabelsValues {
  kind: 'personnummer' | 'reservnummer';
  /** Only ever filled in again on the answer to a refused post (sent with Cache-Control: no-store). */
  identity: string;
  name: string;
  labels: number;
  referrals: number;
  /** "layout@printer" */
  target: string;
}

export interface PatientLabelsPageProps {
  unitName: string;
  layouts: readonly LayoutView[];
  printerNames: ReadonlyMap<string, string>;
  values: PatientLabelsValues;
  requestId: string;
  actor?: string;
  errors?: readonly string[];
}

/** The one sentence the page says about what happens to the identity. */
export const NOT_STORED_SENTENCE =
  'Numret och namnet sparas inte: de finns bara i utskriftsjobbet tills skrivaren har tagit emot det och raderas sedan (inte heller i loggar eller historik).';

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '0', 'back'];

export const PatientLabelsPage: FC<PatientLabelsPageProps> = (p) => {
  const targets = p.layouts.flatMap((l) => l.printers.map((pid) => ({ value: `${l.id}@${pid}`, text: `${l.name} – ${p.printerNames.get(pid) ?? pid}` })));
  return (
    <Layout title="Patient-ID-etiketter" unitName={p.unitName}>
      <LabelAssets />
      <script src={patientAssetUrl('patient-labels.js')} defer></script>
      <div class="labels-head">
        <h1>Patient-ID-etiketter</h1>
        <a class="button secondary small" href="/etiketter">
          Remissetiketter
        </a>
      </div>
      <p class="notice" id="pid-not-stored">
        {NOT_STORED_SENTENCE}
      </p>
      <Errors errors={p.errors} />
      {targets.length === 0 ? (
        <p class="notice tone-bad">Ingen etikettskrivare är inställd för någon etikettlayout. Kontakta enhetens administratör.</p>
      ) : (
        <form method="post" action="/etiketter/patient" class="labels-form js-pid-form" data-once="" autocomplete="off">
          <input type="hidden" name="requestId" value={p.requestId} />
          <div class="labels-grid">
            <div class="labels-inputs">
              <fieldset class="choice">
                <legend>Typ av nummer</legend>
                <label class="choice-item">
                  <input type="radio" name="kind" value="personnummer" checked={p.values.kind === 'personnummer'} />
                  <span class="choice-name">Personnummer / samordningsnummer</span>
                </label>
                <label class="choice-item">
                  <input type="radio" name="kind" value="reservnummer" checked={p.values.kind === 'reservnummer'} />
                  <span class="choice-name">Reservnummer</span>
                </label>
              </fieldset>
              <label class="num-field">
                <span class="num-label">Nummer</span>
                <input
                  class="num-input pid-input js-pid-field"
                  type="text"
                  name="identity"
                  value={p.values.identity}
                  maxlength={20}
                  autocomplete="off"
                  spellcheck={false}
                  autocapitalize="characters"
                  required
                  aria-describedby="pid-not-stored"
                />
                <span class="num-hint">ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN</span>
              </label>
              <div class="keypad" data-pid-keypad="" hidden aria-label="Sifferknappar">
                {keys.map((k) =>
                  k === 'back' ? (
                    <button type="button" class="key key-back" data-key="back" aria-label="Radera ett tecken">
                      ⌫
                    </button>
                  ) : (
                    <button type="button" class="key" data-key={k}>
                      {k}
                    </button>
                  ),
                )}
              </div>
              <LetterField name="name" label="Namn (frivilligt)" maxLength={60} keys="text" value={p.values.name} inputAttrs={{ 'aria-describedby': 'pid-not-stored' }} />
            </div>
            <div class="labels-inputs">
              {/* Counts on the digit keypad (no keyboard on the kiosk); the server checks the range. */}
              <LetterField name="labels" label="Antal etiketter (K), 1–20" keys="digits" maxLength={2} labelClass="field" value={String(p.values.labels)} inputAttrs={{ inputmode: 'numeric', pattern: '[0-9]{1,2}', required: '' }} />
              <LetterField name="referrals" label="Remissnummer bredvid, 0–20" keys="digits" maxLength={2} labelClass="field" value={String(p.values.referrals)} inputAttrs={{ inputmode: 'numeric', pattern: '[0-9]{1,2}', required: '', 'aria-describedby': 'pid-referrals-hint' }} />
              <span class="num-hint" id="pid-referrals-hint">0 = bara patient-ID; annars nya remissnummer med K etiketter var</span>
              <label class="initials">
                <span>Etikett och skrivare</span>
                <select name="target">
                  {targets.map((t) => (
                    <option value={t.value} selected={t.value === p.values.target}>
                      {t.text}
                    </option>
                  ))}
                </select>
              </label>
              <InitialsField value={p.actor} />
              <button type="submit" class="button primary">
                Skriv ut
              </button>
            </div>
          </div>
        </form>
      )}
      <a class="button secondary" href="/etiketter">
        Tillbaka
      </a>
    </Layout>
  );
};
